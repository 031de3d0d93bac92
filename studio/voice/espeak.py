"""Engine "espeak": every espeak-ng language, offline, with phoneme timings from its events."""

from __future__ import annotations

import threading

from studio.errors import InputError
from studio.voice import espeak_lib
from studio.voice.base import Speech, VoiceInfo

_PREFIX = "espeak:"
# espeak-ng 1.51's "cmn" reads each Han character's pinyin tone digit as an English number
# ("ni three"); the pinyin variant speaks the same characters correctly
# (espeak-ng issues #1028, #1236). Fixed upstream later, hence the probe below.
_MANDARIN = "cmn"
_MANDARIN_FALLBACK = "cmn-latn-pinyin"


def has_han(text: str) -> bool:
    return any(
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff" for ch in text
    )


class EspeakEngine:
    name = "espeak"

    def __init__(self, pitch: int = 50) -> None:
        self._pitch = pitch
        self._lock = threading.Lock()
        self._voices: list[VoiceInfo] | None = None
        # espeak_SetVoiceByName cannot find some languages by name ("en-gb", "fr-fr") but
        # always finds a voice by its file identifier ("gmw/en").
        self._identifiers: dict[str, str] = {}
        self._mandarin_broken: bool | None = None

    def voices(self) -> list[VoiceInfo]:
        with self._lock:
            if self._voices is None:
                found: dict[str, VoiceInfo] = {}
                for v in espeak_lib.list_voices():
                    # MBROLA voices need diphone databases that are packaged separately.
                    if v.identifier.startswith("mb/") or not v.languages:
                        continue
                    language = v.languages[0]
                    self._identifiers.setdefault(language, v.identifier)
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
        name = voice.id[len(_PREFIX) :] if voice.id.startswith(_PREFIX) else voice.language
        language, plus, variant = name.partition("+")
        self.voices()  # fills the identifier table
        if language == _MANDARIN and has_han(text):
            with self._lock:
                if self._mandarin_broken is None:
                    probe = espeak_lib.text_to_ipa("好", self._identifiers.get(language, language))
                    self._mandarin_broken = "(en" in probe
            if self._mandarin_broken:
                language = _MANDARIN_FALLBACK
        return self._identifiers.get(language, language) + plus + variant

    def synthesize(self, text: str, voice: VoiceInfo, rate: float = 1.0) -> Speech:
        if voice.engine != self.name:
            raise InputError(f"voice '{voice.id}' is not an eSpeak NG voice.")
        if rate <= 0:
            raise InputError(f"speaking rate must be above 0, not {rate}.")
        if not text.strip():
            raise InputError("there is no text to speak.", "Give the voice some words.")
        espeak_voice = self._espeak_voice(voice, text)
        result = espeak_lib.synth_with_events(text, espeak_voice, rate=rate, pitch=self._pitch)
        return Speech(
            audio=result.audio,
            sample_rate=result.sample_rate,
            phonemes=result.phonemes,
            words=result.words,
            voice_id=voice.id,
            text=text,
            meta={"engine": self.name, "espeak_voice": espeak_voice},
        )
