"""Engine "espeak": every espeak-ng language, offline, with phoneme timings from its events."""

from __future__ import annotations

import threading

import numpy as np

from studio.translation import tr
from studio.voice import espeak_lib
from studio.voice.base import PhonemeTiming, Speech, VoiceInfo, WordTiming, check_request, no_text_error
from studio.voice.chunking import split_long

_PREFIX = "espeak:"
# eSpeak's memory grows only with the audio, so its pieces can be longer than a neural voice's;
# they bound the buffers one call holds (raw PCM, events) and end at a sentence or clause.
MAX_PIECE_CHARS = 1000


class EspeakEngine:
    name = "espeak"

    def __init__(self, pitch: int = 50) -> None:
        self._pitch = pitch
        self._lock = threading.Lock()
        self._voices: list[VoiceInfo] | None = None

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            if self._voices is None:
                found: dict[str, VoiceInfo] = {}
                for v in espeak_lib.list_voices():
                    # MBROLA voices need diphone databases that are packaged separately.
                    if v.identifier.startswith("mb/") or not v.languages:
                        continue
                    language = v.languages[0]
                    found.setdefault(
                        language,
                        VoiceInfo(
                            id=_PREFIX + language,
                            engine=self.name,
                            language=language,
                            name=v.name,
                            needs_network=False,
                            gender=v.gender,
                        ),
                    )
                self._voices = sorted(found.values(), key=lambda info: info.id)
            return list(self._voices)

    def _espeak_voice(self, voice: VoiceInfo, text: str) -> str:
        """The name to hand espeak_SetVoiceByName: a voice file plus an optional "+variant"."""
        language, plus, variant = _name(voice).partition("+")
        return espeak_lib.voice_for(language, text) + plus + variant

    def synthesize(self, text: str, voice: VoiceInfo, rate: float = 1.0) -> Speech:
        check_request(voice, self.name, tr("an eSpeak NG"), rate)
        if not text.strip():
            raise no_text_error()
        espeak_voice = self._espeak_voice(voice, text)
        audio, phonemes, words, rate_hz = _synthesize_pieces(text, espeak_voice, rate, self._pitch)
        if not any(p.phoneme for p in phonemes):  # only punctuation, symbols, spaces
            raise no_text_error()
        return Speech(
            audio=audio,
            sample_rate=rate_hz,
            phonemes=phonemes,
            words=words,
            voice_id=voice.id,
            text=text,
            meta={
                "engine": self.name,
                "espeak_voice": espeak_voice,
                "language": _name(voice).partition("+")[0],
            },
        )


def _synthesize_pieces(
    text: str, espeak_voice: str, rate: float, pitch: int
) -> tuple[np.ndarray, list[PhonemeTiming], list[WordTiming], int]:
    """``text`` spoken a bounded piece at a time (``chunking.split_long``), joined: each piece's
    timings are moved by the duration of the audio before it, so they match the joined audio."""
    pieces: list[np.ndarray] = []
    phonemes: list[PhonemeTiming] = []
    words: list[WordTiming] = []
    samples, sample_rate = 0, espeak_lib.SAMPLE_RATE
    for piece in split_long(text, MAX_PIECE_CHARS):
        result = espeak_lib.synth_with_events(piece, espeak_voice, rate=rate, pitch=pitch)
        offset = samples / result.sample_rate
        moved = [PhonemeTiming(p.phoneme, p.start + offset, p.end + offset) for p in result.phonemes]
        if moved and phonemes and moved[0].phoneme == phonemes[-1].phoneme == "":
            phonemes[-1] = PhonemeTiming("", phonemes[-1].start, moved.pop(0).end)  # one pause
        phonemes += moved
        words += [WordTiming(w.word, w.start + offset, w.end + offset) for w in result.words]
        pieces.append(result.audio)
        samples += len(result.audio)
        sample_rate = result.sample_rate
    audio = np.concatenate(pieces) if pieces else np.zeros(0, np.float32)
    return audio, phonemes, words, sample_rate


def _name(voice: VoiceInfo) -> str:
    """The eSpeak language of ``voice`` with any "+variant": "espeak:en-us+f2" -> "en-us+f2"."""
    return voice.id[len(_PREFIX) :] if voice.id.startswith(_PREFIX) else voice.language
