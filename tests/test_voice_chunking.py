"""Long text is spoken in bounded pieces, split where a speaker pauses, with exact timings."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from studio.voice.base import Speech
from studio.voice.chunking import MAX_CHUNK_CHARS, split_long
from studio.voice.espeak import MAX_PIECE_CHARS, EspeakEngine
from studio.voice.piper import PiperEngine


def test_short_text_is_one_piece() -> None:
    text = "Hello, this is a short sentence, with commas; and a colon: fine."
    assert split_long(text) == [text]


def test_a_sentence_without_a_full_stop_splits_at_commas() -> None:
    text = "word, " * 1333
    pieces = split_long(text)
    assert all(len(p) <= MAX_CHUNK_CHARS for p in pieces)
    assert all(p.endswith(",") for p in pieces)  # every piece ends where the voice pauses
    assert " ".join(pieces) == text.strip()  # nothing lost but the spaces at the joins
    assert all(len(p) > MAX_CHUNK_CHARS - len("word, ") for p in pieces[:-1])  # packed, not one per comma


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("One two. Three, four five six", 20, ["One two.", "Three, four five six"]),
        ("One two, three four five six seven", 20, ["One two,", "three four five six", "seven"]),
        ("It costs 3,000 at 12:30 today", 16, ["It costs 3,000", "at 12:30 today"]),
        ("你好，世界、再见；朋友", 4, ["你好，", "世界、", "再见；", "朋友"]),
        ("好" * 9, 4, ["好好好好", "好好好好", "好"]),
        ("a — b — c — d", 5, ["a —", "b —", "c — d"]),
    ],
    ids=["sentence first", "clause then words", "numbers stay whole", "cjk", "no breaks", "dashes"],
)
def test_split_priorities(text: str, limit: int, expected: list[str]) -> None:
    assert split_long(text, limit) == expected


def _check_joined_timings(speech: Speech) -> None:
    """Timings are contiguous, never go back, and end exactly with the joined audio."""
    phonemes = speech.phonemes
    assert phonemes and phonemes[0].start == pytest.approx(0.0, abs=1e-9)
    for before, after in zip(phonemes, phonemes[1:], strict=False):
        assert before.start < before.end
        assert after.start == pytest.approx(before.end, abs=1e-6)
        assert not (before.phoneme == after.phoneme == "")  # pauses at joins are merged
    assert phonemes[-1].end == pytest.approx(speech.duration, abs=1.5 / speech.sample_rate)


class _RecordingSession:
    """The real Piper session, noting the length of every input it is given."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self.provider = session.provider
        self.lengths: list[int] = []

    def run(self, feeds: dict[str, np.ndarray], outputs: list[str], cancel: Any = None) -> Any:
        self.lengths.append(int(feeds["input"].shape[1]))
        return self._session.run(feeds, outputs, cancel=cancel)


def test_piper_speaks_a_long_sentence_in_bounded_runs() -> None:
    """'word, ' * 1333 took this voice past 6 GB in one run; now no run sees more than a piece."""
    engine = PiperEngine()
    voice = engine.voices()[0]
    session, _ = engine._load()
    recorder = _RecordingSession(session)
    engine._session = recorder
    text = "word, " * 120  # 720 characters, about a minute of speech: enough for four pieces
    speech = engine.synthesize(text, voice)
    assert len(recorder.lengths) == len(split_long(text)) >= 4
    # ids are about two per character (each phoneme is followed by a pad)
    assert max(recorder.lengths) <= 4 * MAX_CHUNK_CHARS
    _check_joined_timings(speech)
    words = sum(1 for p in speech.phonemes or [] if p.phoneme == "w")
    assert words == 120  # every word spoken once, none lost or repeated at a join
    # a pause at each join, like the voice's own comma pause
    pauses = [p for p in speech.phonemes or [] if p.phoneme == ""]
    assert len(pauses) >= 119


def test_espeak_speaks_long_text_in_pieces_with_exact_timings(monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.voice import espeak_lib

    calls: list[str] = []
    real = espeak_lib.synth_with_events

    def spy(text: str, voice: str, rate: float = 1.0, pitch: int = 50) -> espeak_lib.EspeakSynthesis:
        calls.append(text)
        return real(text, voice, rate, pitch)

    monkeypatch.setattr(espeak_lib, "synth_with_events", spy)
    engine = EspeakEngine()
    voice = next(v for v in engine.voices() if v.id == "espeak:en-us")
    text = "word, " * 500
    speech = engine.synthesize(text, voice)
    assert len(calls) >= 3 and max(map(len, calls)) <= MAX_PIECE_CHARS
    _check_joined_timings(speech)
    assert speech.words is not None and len(speech.words) == 500
    starts = [w.start for w in speech.words]
    assert starts == sorted(starts) and speech.words[-1].end <= speech.duration + 1e-9
