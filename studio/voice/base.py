"""The speech interface every voice engine implements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from studio.errors import InputError
from studio.tasks import CancelToken
from studio.translation import tr

# The token that stops the speech this thread is making (a show's speech workers set it).
_SPEECH_CANCEL: ContextVar[CancelToken | None] = ContextVar("speech_cancel", default=None)


@contextmanager
def speech_cancelled_by(token: CancelToken) -> Iterator[None]:
    """Speech made by this thread inside the block stops when ``token`` is cancelled: the
    neural voices stop even in the middle of a sentence (raising ``Cancelled``)."""
    reset = _SPEECH_CANCEL.set(token)
    try:
        yield
    finally:
        _SPEECH_CANCEL.reset(reset)


def speech_cancel() -> CancelToken | None:
    """The token set by ``speech_cancelled_by`` for this thread, if any."""
    return _SPEECH_CANCEL.get()


@dataclass(frozen=True)
class PhonemeTiming:
    """One phoneme in IPA (``""`` is a pause), with its span in seconds from the start."""

    phoneme: str
    start: float
    end: float


@dataclass(frozen=True)
class WordTiming:
    word: str
    start: float
    end: float


@dataclass(frozen=True)
class VoiceInfo:
    """What ``studio voices`` lists."""

    id: str  # engine-qualified, e.g. "piper:en_US-joe-medium", "espeak:cmn", "edge:en-US-AriaNeural"
    engine: str
    language: str  # BCP-47-ish, e.g. "en-US", "cmn", "zh-CN"
    name: str
    needs_network: bool
    gender: str = ""


@dataclass
class Speech:
    """Mono PCM audio (float32 in [-1, 1]) plus the timings the engine knows."""

    audio: np.ndarray
    sample_rate: int
    phonemes: list[PhonemeTiming] | None = None
    words: list[WordTiming] | None = None
    voice_id: str = ""
    text: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    @property
    def duration(self) -> float:
        return len(self.audio) / float(self.sample_rate)


class SpeechPieces:
    """Speech made a piece at a time (a model run per sentence, so memory stays bounded). Each
    piece's timings are given from its own start and moved to where the samples before it end,
    so they stay exact across the joins; the pause ending one piece and the one opening the
    next become one pause."""

    def __init__(self, sample_rate: int) -> None:
        self.sample_rate = sample_rate
        self._audio: list[np.ndarray] = []
        self._phonemes: list[PhonemeTiming] = []
        self._samples = 0

    def add(self, audio: np.ndarray, timings: list[PhonemeTiming]) -> None:
        shift = self._samples / self.sample_rate
        moved = [PhonemeTiming(t.phoneme, t.start + shift, t.end + shift) for t in timings]
        if moved and self._phonemes and moved[0].phoneme == self._phonemes[-1].phoneme == "":
            self._phonemes[-1] = PhonemeTiming("", self._phonemes[-1].start, moved[0].end)
            moved = moved[1:]
        self._phonemes.extend(moved)
        self._audio.append(audio)
        self._samples += len(audio)

    def speech(self, voice_id: str, text: str, meta: dict[str, str]) -> Speech:
        """All the pieces as one ``Speech``; ``no_text_error()`` when nothing was spoken."""
        if not self._audio:
            raise no_text_error()
        return Speech(
            audio=np.concatenate(self._audio),
            sample_rate=self.sample_rate,
            phonemes=self._phonemes,
            voice_id=voice_id,
            text=text,
            meta=meta,
        )


def check_request(voice: VoiceInfo, engine: str, engine_label: str, rate: float) -> None:
    """What every engine checks first: the voice is its own and the rate is usable."""
    if voice.engine != engine:
        raise InputError(
            tr("voice '{voice}' is not {engine} voice.").format(voice=voice.id, engine=engine_label)
        )
    if rate <= 0:
        raise InputError(tr("speaking rate must be above 0, not {rate}.").format(rate=rate))


def no_text_error() -> InputError:
    """What every engine raises for text with nothing speakable in it."""
    return InputError(tr("there is no text to speak."), tr("Give the voice some words."))


class VoiceEngine(Protocol):
    """A text-to-speech engine. ``synthesize`` raises ``StudioError`` on user-fixable failure."""

    name: str

    def voices(self) -> list[VoiceInfo]: ...

    def synthesize(self, text: str, voice: VoiceInfo, rate: float = 1.0) -> Speech: ...
