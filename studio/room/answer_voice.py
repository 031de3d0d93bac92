"""Which voice says a viewer's answer: one that speaks the answer's language.

A show may be in English with a Chinese-speaking audience, or both at once. The answer is in the
question's language (``commerce.answer``: the ``_zh`` facts for a Chinese question), so it must be
spoken by a voice of that language, never read out by the show's English voice. The show's own
voices come first (the operator chose them, and consent may name them); when none of them speaks
the language, the default voice for the answer's words does (Kokoro's Mandarin or English voice
when fetched, else eSpeak's Mandarin or Piper's English).

The avatar's consent comes before the language: when it names the voices the person agreed to,
an answer is said only by one of them (one of that language if any, else the show's own voice).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from studio.voice import default_voice_id
from studio.voice.base import VoiceInfo
from studio.voice.registry import find_voice, spoken_language


def show_voices(default: str | None, segment_voices: Iterable[str | None]) -> tuple[str, ...]:
    """The voices a show speaks with, in order (its default voice, then its segments'), once each."""
    seen: list[str] = []
    for voice in (default, *segment_voices):
        if voice and voice.strip() and voice.strip() not in seen:
            seen.append(voice.strip())
    return tuple(seen)


class AnswerVoices:
    """The voice for each language's answers in one show, decided once per language."""

    def __init__(
        self, own: Sequence[str], voices: Sequence[VoiceInfo], consented: Sequence[str] = ()
    ) -> None:
        """``own``: the show's voices (``show_voices``); ``consented``: the only voices the avatar's
        consent allows (none: any)."""
        allowed = [v for v in own if v in consented] + [v for v in consented if v not in own]
        candidates = allowed if consented else list(own)
        self._own = [(voice, find_voice(voice, voices)) for voice in candidates]
        self._consented = bool(consented)
        self._fallback = next(iter(allowed), None)
        self._chosen: dict[str, str | None] = {}

    def own_voice(self, language: str) -> str | None:
        """The first of the show's own voices that speaks ``language`` ("en", "zh"), if any."""
        if language not in self._chosen:
            spoken = spoken_language(language)
            self._chosen[language] = next(
                (v for v, info in self._own if info is not None and spoken_language(info.language) == spoken),
                None,
            )
        return self._chosen[language]

    def voice_for(self, language: str, text: str) -> str | None:
        """The voice that says ``text``, an answer in ``language``; None: the show's own (a
        consent that names no voice of that language)."""
        own = self.own_voice(language)
        if own is not None:
            return own
        return self._fallback if self._consented else default_voice_id(text)
