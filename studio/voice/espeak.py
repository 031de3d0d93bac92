"""Engine "espeak": every espeak-ng language, offline, with phoneme timings from its events."""

from __future__ import annotations

import threading

from studio.voice import espeak_lib
from studio.voice.base import Speech, VoiceInfo, check_request, no_text_error

_PREFIX = "espeak:"


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
        check_request(voice, self.name, "an eSpeak NG", rate)
        if not text.strip():
            raise no_text_error()
        espeak_voice = self._espeak_voice(voice, text)
        result = espeak_lib.synth_with_events(text, espeak_voice, rate=rate, pitch=self._pitch)
        if not any(p.phoneme for p in result.phonemes):  # only punctuation, symbols, spaces
            raise no_text_error()
        return Speech(
            audio=result.audio,
            sample_rate=result.sample_rate,
            phonemes=result.phonemes,
            words=result.words,
            voice_id=voice.id,
            text=text,
            meta={
                "engine": self.name,
                "espeak_voice": espeak_voice,
                "language": _name(voice).partition("+")[0],
            },
        )


def _name(voice: VoiceInfo) -> str:
    """The eSpeak language of ``voice`` with any "+variant": "espeak:en-us+f2" -> "en-us+f2"."""
    return voice.id[len(_PREFIX) :] if voice.id.startswith(_PREFIX) else voice.language
