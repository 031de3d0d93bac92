"""The shipped lip-sync evaluation set of the held-out Piper voice is well-formed."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from studio.lipsync.visemes import VISEMES

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "assets" / "lipsync_eval" / "piper-joe"
EVAL_TEXT = ROOT / "training" / "lipsync" / "texts" / "eval_en.txt"
RATE = 16000


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE), path.name
        return np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float64) / 32768.0


def _read_tsv(path: Path) -> list[tuple[float, float, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "start\tend\tviseme", path.name
    rows = []
    for line in lines[1:]:
        start, end, viseme = line.split("\t")
        assert len(start.split(".")[1]) == 3 and len(end.split(".")[1]) == 3, line
        rows.append((float(start), float(end), viseme))
    return rows


def _wavs() -> list[Path]:
    return sorted(EVAL_DIR.glob("*.wav"))


def test_one_pair_per_eval_sentence() -> None:
    sentences = [s for s in EVAL_TEXT.read_text(encoding="utf-8").splitlines() if s.strip()]
    wavs, tsvs = _wavs(), sorted(EVAL_DIR.glob("*.tsv"))
    assert [p.stem for p in wavs] == [f"{i:03d}" for i in range(1, len(sentences) + 1)]
    assert [p.stem for p in tsvs] == [p.stem for p in wavs]
    assert (EVAL_DIR / "README.md").is_file()
    assert sum(p.stat().st_size for p in EVAL_DIR.iterdir()) < 3.5e6


@pytest.mark.parametrize("wav_path", _wavs(), ids=lambda p: p.stem)
def test_labels_cover_the_audio(wav_path: Path) -> None:
    audio = _read_wav(wav_path)
    rows = _read_tsv(wav_path.with_suffix(".tsv"))
    assert rows[0][0] == 0.0
    for (_, end, _), (start, _, _) in zip(rows, rows[1:], strict=False):
        assert start == end  # contiguous: no gaps, no overlaps
    assert all(end > start for start, end, _ in rows)
    assert all(viseme in VISEMES for _, _, viseme in rows)
    assert abs(rows[-1][1] - len(audio) / RATE) <= 0.010
    assert float(np.abs(audio).max()) > 0.1  # real speech, not a silent file


def test_silence_is_quieter_than_speech() -> None:
    silence: list[float] = []
    speech: list[float] = []
    closures: list[float] = []
    vowels: list[float] = []
    for wav_path in _wavs():
        audio = _read_wav(wav_path)
        for start, end, viseme in _read_tsv(wav_path.with_suffix(".tsv")):
            piece = audio[round(start * RATE) : round(end * RATE)]
            if len(piece) == 0:
                continue
            level = 20 * np.log10(max(float(np.sqrt(np.mean(piece**2))), 1e-6))
            (silence if viseme == "sil" else speech).append(level)
            if viseme == "PP":
                closures.append(level)
            elif viseme in ("aa", "E", "ih", "oh", "ou"):
                vowels.append(level)
    assert len(silence) >= len(_wavs()) and len(speech) > 20 * len(_wavs())
    assert np.median(speech) - np.median(silence) > 20.0
    # lips shut (p, b, m) let through far less sound than an open vowel
    assert np.mean(vowels) - np.mean(closures) > 6.0
