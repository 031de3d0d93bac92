"""Where the Kokoro voices live on disk, and which voices there are.

``scripts/fetch_kokoro.sh`` puts them there at set-up (Studio never downloads them itself):
the int8 ONNX model with its duration output added, ``vocab.json`` and one style file per
voice. The folder is ``$STUDIO_KOKORO_DIR``, else Studio's data folder's ``voices/kokoro``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

KOKORO_DIR_ENV = "STUDIO_KOKORO_DIR"
MODEL_FILE = "kokoro-v1.0.int8.durations.onnx"
VOCAB_FILE = "vocab.json"
VOICES_DIR = "voices"
DURATION_TENSOR = "/encoder/Cast_output_0"
STYLE_ROWS, STYLE_WIDTH = 510, 256  # one 256-wide style vector per input length
VOICE_FILE_BYTES = STYLE_ROWS * STYLE_WIDTH * 4  # float32
FETCH_COMMAND = "bash scripts/fetch_kokoro.sh"


@dataclass(frozen=True)
class KokoroVoice:
    """One voice of the model card's list; ``grade`` is hexgrad's overall grade (A best, F worst)."""

    name: str
    language: str
    label: str
    gender: str
    grade: str


def _voice(name: str, grade: str) -> KokoroVoice:
    languages = {"a": "en-US", "b": "en-GB", "z": "zh-CN"}
    label = name.split("_", 1)[1].capitalize()
    region = {"a": "US English", "b": "British English", "z": "Mandarin"}[name[0]]
    gender = "female" if name[1] == "f" else "male"
    return KokoroVoice(name, languages[name[0]], f"{label} ({region}, Kokoro)", gender, grade)


# The model card's (hexgrad/Kokoro-82M VOICES.md) grades; Mandarin voices had under an hour of
# training data each. Mandarin first (most Studio users sell in Chinese), and in each language
# the default voice first, since a choice "of that language" takes the first.
VOICES: tuple[KokoroVoice, ...] = tuple(
    _voice(name, grade)
    for name, grade in (
        ("zf_xiaoxiao", "D"),
        ("zf_xiaobei", "D"),
        ("zf_xiaoni", "D"),
        ("zf_xiaoyi", "D"),
        ("zm_yunjian", "D"),
        ("zm_yunxi", "D"),
        ("zm_yunxia", "D"),
        ("zm_yunyang", "D"),
        ("af_heart", "A"),
        ("af_alloy", "C"),
        ("af_aoede", "C+"),
        ("af_bella", "A-"),
        ("af_jessica", "D"),
        ("af_kore", "C+"),
        ("af_nicole", "B-"),
        ("af_nova", "C"),
        ("af_river", "D"),
        ("af_sarah", "C+"),
        ("af_sky", "C-"),
        ("am_adam", "F+"),
        ("am_echo", "D"),
        ("am_eric", "D"),
        ("am_fenrir", "C+"),
        ("am_liam", "D"),
        ("am_michael", "C+"),
        ("am_onyx", "D"),
        ("am_puck", "C+"),
        ("am_santa", "D-"),
        ("bf_alice", "D"),
        ("bf_emma", "B-"),
        ("bf_isabella", "C"),
        ("bf_lily", "D"),
        ("bm_daniel", "D"),
        ("bm_fable", "C"),
        ("bm_george", "C"),
        ("bm_lewis", "D+"),
    )
)
VOICE_IDS: tuple[str, ...] = tuple(v.name for v in VOICES)


def kokoro_dir() -> Path:
    override = os.environ.get(KOKORO_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("Studio", appauthor=False)) / "voices" / "kokoro"


def model_path(folder: Path | None = None) -> Path:
    return (folder or kokoro_dir()) / MODEL_FILE


def vocab_path(folder: Path | None = None) -> Path:
    return (folder or kokoro_dir()) / VOCAB_FILE


def voice_path(name: str, folder: Path | None = None) -> Path:
    return (folder or kokoro_dir()) / VOICES_DIR / f"{name}.bin"


def installed(folder: Path | None = None) -> bool:
    """Whether the fetch finished: the model, the vocabulary and every voice, each of its size.
    Cheap (file sizes only), so listing voices stays instant."""
    folder = folder or kokoro_dir()
    try:
        if model_path(folder).stat().st_size < 50_000_000 or not vocab_path(folder).is_file():
            return False
        return all(voice_path(v, folder).stat().st_size == VOICE_FILE_BYTES for v in VOICE_IDS)
    except OSError:
        return False
