"""Which voice says a viewer's answer: one that speaks the answer's language.

A show may be in English with a Chinese-speaking audience, or both at once. The answer is in the
question's language (``commerce.answer``: the ``_zh`` facts for a Chinese question), so it must be
spoken by a voice of that language, never read out by the show's English voice. The show's own
voices come first (the operator chose them, and consent may name them); when none of them speaks
the language, the default voice for the answer's words does (Kokoro's Mandarin or English voice
when fetched, else eSpeak's Mandarin or Piper's English).
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

    def __init__(self, own: Sequence[str], voices: Sequence[VoiceInfo]) -> None:
        self._own = [(voice, find_voice(voice, voices)) for voice in own]
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

    def voice_for(self, language: str, text: str) -> str:
        """The voice that says ``text``, an answer in ``language``."""
        return self.own_voice(language) or default_voice_id(text)
