"""Speech: text to audio with phoneme timings, from offline (Piper, eSpeak NG) or online voices.

Importing this package is cheap: engines (and onnx, edge-tts, libespeak-ng) load on first use.
"""

from studio.voice.base import PhonemeTiming, Speech, VoiceEngine, VoiceInfo, WordTiming
from studio.voice.language import espeak_language
from studio.voice.phonemizer import phonemize
from studio.voice.registry import (
    DEFAULT_CJK_VOICE,
    DEFAULT_VOICE,
    Registry,
    all_voices,
    default_voice_id,
    resolve,
)

__all__ = [
    "DEFAULT_CJK_VOICE",
    "DEFAULT_VOICE",
    "PhonemeTiming",
    "Registry",
    "Speech",
    "VoiceEngine",
    "VoiceInfo",
    "WordTiming",
    "all_voices",
    "default_voice_id",
    "espeak_language",
    "phonemize",
    "resolve",
    "synthesize",
]


def synthesize(text: str, voice_id: str | None = None, rate: float = 1.0) -> Speech:
    """Speak ``text`` with ``voice_id`` (or the default voice for that text)."""
    engine, voice = resolve(voice_id, text)
    return engine.synthesize(text, voice, rate)
