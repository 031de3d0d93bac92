"""Every voice Studio can speak with, and the engine behind each one."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from studio.errors import InputError
from studio.translation import tr, tr_n
from studio.voice.base import VoiceEngine, VoiceInfo
from studio.voice.language import (
    espeak_language,
    has_cjk,
    language_reads,
    language_tag,
    primary_language,
    script_name,
    text_script,
)

DEFAULT_VOICE = "piper:en_US-joe-medium"
DEFAULT_CJK_VOICE = "espeak:cmn"
# Once fetched (scripts/fetch_kokoro.sh), natural voices whose licences allow a paid product
# (Apache-2.0 weights) replace those two: Piper's joe was fine-tuned on research-only data.
KOKORO_VOICE = "kokoro:af_heart"
KOKORO_CHINESE_VOICE = "kokoro:zf_xiaoxiao"
# Kokoro first: where a voice of a language is picked, its licence-clean natural voices lead.
ENGINE_NAMES = ("kokoro", "piper", "espeak", "edge")


def _list_hint() -> str:
    return tr("Run 'studio voices' to list them.")


def _make_engine(name: str) -> VoiceEngine:
    # Imported here so that `import studio.voice` loads neither onnx nor edge-tts.
    if name == "piper":
        from studio.voice.piper import PiperEngine

        return PiperEngine()
    if name == "espeak":
        from studio.voice.espeak import EspeakEngine

        return EspeakEngine()
    if name == "edge":
        from studio.voice.edge import EdgeEngine

        return EdgeEngine()
    if name == "kokoro":
        from studio.voice.kokoro import KokoroEngine

        return KokoroEngine()
    raise InputError(tr("there is no voice engine '{name}'.").format(name=name), _list_hint())


# What a user must know when choosing the voice (shown where a voice is picked).
_LICENCE_CAVEATS = {
    DEFAULT_VOICE: "Trained on research-only data (lessac): not for a paid product.",
}


def licence_caveat(voice_id: str) -> str:
    """A sentence on what the voice may not be used for; "" for voices without a caveat. In
    English: the app translates it (studio.ui.show_voices)."""
    return _LICENCE_CAVEATS.get(voice_id.strip(), "")


def default_voice_id(text: str = "") -> str:
    """The voice for ``text`` when none is chosen: Kokoro's when fetched (Chinese characters
    in Mandarin), else Piper's English; eSpeak for Han, kana or hangul the others cannot read."""
    from studio.voice.kokoro_files import installed  # file sizes only: cheap on every call

    script = text_script(text)
    kokoro = installed()
    if has_cjk(text):
        chinese = script is not None and script.language == "zh"
        return KOKORO_CHINESE_VOICE if kokoro and chinese else DEFAULT_CJK_VOICE
    return KOKORO_VOICE if kokoro else DEFAULT_VOICE


class Registry:
    """Creates each engine on first use and keeps it, so Piper's model loads once."""

    def __init__(self, factory: Callable[[str], VoiceEngine] = _make_engine) -> None:
        self._factory = factory
        self._engines: dict[str, VoiceEngine] = {}
        self._lock = threading.Lock()

    def engine(self, name: str) -> VoiceEngine:
        with self._lock:
            if name not in self._engines:
                self._engines[name] = self._factory(name)
            return self._engines[name]

    def all_voices(self, offline_only: bool = False) -> list[VoiceInfo]:
        voices: list[VoiceInfo] = []
        for name in ENGINE_NAMES:
            voices.extend(self.engine(name).voices())
        return [v for v in voices if not (offline_only and v.needs_network)]

    def resolve(self, voice_id: str | None, text: str = "") -> tuple[VoiceEngine, VoiceInfo]:
        """The engine and voice for ``voice_id``; ``None`` or ``""`` picks one that fits ``text``.

        Accepts engine-qualified ids ("espeak:cmn") and bare ones ("cmn",
        "zh-CN-XiaoxiaoNeural"); eSpeak ids may carry a variant ("espeak:en-us+f2").
        """
        wanted = (voice_id or "").strip() or default_voice_id(text)
        engine_name, colon, bare = wanted.partition(":")
        if colon and engine_name in ENGINE_NAMES:
            candidates = [engine_name]
        else:
            candidates, bare = list(ENGINE_NAMES), wanted
        folded = bare.casefold()
        for name in candidates:
            engine = self.engine(name)
            voices = engine.voices()
            for info in voices:
                if info.id.partition(":")[2].casefold() == folded:
                    return engine, info
            if name == "espeak" and "+" in bare:
                base, _, variant = bare.partition("+")
                for info in voices:
                    if info.id.partition(":")[2].casefold() == base.casefold():
                        qualified = f"{info.id}+{variant}"
                        return engine, VoiceInfo(
                            id=qualified,
                            engine=info.engine,
                            language=info.language,
                            name=f"{info.name} ({variant})",
                            needs_network=False,
                            gender=info.gender,
                        )
        raise InputError(tr("there is no voice '{voice}'.").format(voice=wanted), _list_hint())


# One registry per process on purpose: its engines hold loaded models (Piper's ~60 MB session).
@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    return Registry()


def all_voices(offline_only: bool = False) -> list[VoiceInfo]:
    return default_registry().all_voices(offline_only)


def resolve(voice_id: str | None, text: str = "") -> tuple[VoiceEngine, VoiceInfo]:
    return default_registry().resolve(voice_id, text)


# -- a show's voices, checked before it runs ----------------------------------------------------
UNKNOWN, LANGUAGE, ONLINE = "unknown", "language", "online"


class SpokenText(Protocol):
    """What ``voice_problems`` reads of a segment (``studio.live.rundown.Segment`` fits)."""

    @property
    def text(self) -> str: ...

    @property
    def voice(self) -> str | None: ...


@dataclass(frozen=True)
class VoiceProblem:
    """One segment's voice problem. ``kind``: ``UNKNOWN`` (not installed here: the show would
    be silent there), ``LANGUAGE`` (the voice cannot read the text's script) or ``ONLINE``
    (needs the internet while the show runs). ``voice`` is the voice that would speak (the
    default one for ``voice_id`` ""), None when unknown; ``language`` the text's language as
    far as its letters tell ("zh"; "" for Latin letters, which many languages share)."""

    segment: int  # numbered from 1
    kind: str
    voice_id: str
    voice: VoiceInfo | None
    language: str = ""
    script: str = ""  # the text's writing system, e.g. "Chinese characters"

    @property
    def message(self) -> str:
        """One line in the command line's words (voice ids)."""
        return tr("{sentence}.").format(sentence=self.clause())

    def clause(self, title: str = "") -> str:
        """``message`` without its full stop; ``title`` follows the segment's number."""
        if title:
            segment = tr("segment {number} ({title})").format(number=self.segment, title=title)
        else:
            segment = tr("segment {number}").format(number=self.segment)
        named = (
            tr("the voice '{voice}'").format(voice=self.voice_id)
            if self.voice_id
            else tr("the default voice")
        )
        if self.kind == UNKNOWN:
            return tr("{segment} uses {voice}, which is not installed here").format(
                segment=segment, voice=named
            )
        spoken = self.voice.id if self.voice is not None else self.voice_id
        if self.kind == LANGUAGE:
            return tr("{segment} is in {script}, which {voice} ({spoken}) cannot read").format(
                segment=segment, script=script_name(self.script), voice=named, spoken=spoken
            )
        return tr("{segment} uses {voice}, which is online: it needs the internet during the show").format(
            segment=segment, voice=named
        )


def find_voice(voice_id: str, voices: Sequence[VoiceInfo]) -> VoiceInfo | None:
    """The voice among ``voices`` that ``Registry.resolve`` would pick for ``voice_id``
    (qualified or bare ids, eSpeak variants such as "espeak:en-us+f2"); None if none."""
    wanted = voice_id.strip().casefold()
    engine, colon, bare = wanted.partition(":")
    if not colon or engine not in ENGINE_NAMES:
        engine, bare = "", wanted
    base = bare.partition("+")[0]
    for voice in voices:
        their_engine, _, their_bare = voice.id.casefold().partition(":")
        if engine not in ("", their_engine):
            continue
        if their_bare == bare or (their_engine == "espeak" and "+" in bare and their_bare == base):
            return voice
    return None


def reads_text(voice: VoiceInfo, text: str) -> bool:
    """Whether ``voice`` can read ``text``: its language writes the text's script, or it is one
    of the online voices that speak many languages."""
    return "multilingual" in voice.id.casefold() or language_reads(voice.language, text)


def spoken_language(tag: str) -> str:
    """The language a voice of ``tag`` speaks: its primary tag, but for Chinese, whose tags name
    different spoken languages (zh-HK: Cantonese; zh-CN and zh-TW: Mandarin), the one eSpeak
    reads it as. A Mandarin voice is no stand-in for a Cantonese one."""
    primary = primary_language(tag)
    return espeak_language(tag) if primary == "zh" else primary


def offline_voice_for(language: str, voices: Sequence[VoiceInfo]) -> VoiceInfo | None:
    """An offline voice of ``language``, the first in ``voices``'s order of: a natural one (not
    eSpeak) of that very tag, a natural one of that language, the eSpeak one that reads the
    very tag ("zh-TW" -> "cmn"), any of that language. None without a language or such a voice."""
    if not language.strip():
        return None
    spoken = spoken_language(language)
    same = [v for v in voices if not v.needs_network and spoken_language(v.language) == spoken]
    readers = {language_tag(language), espeak_language(language)}
    natural = [v for v in same if v.engine != "espeak"]
    for candidates in (
        [v for v in natural if language_tag(v.language) == language_tag(language)],  # en-GB: British
        natural,
        [v for v in same if language_tag(v.language) in readers],
        same,
    ):
        if candidates:
            return candidates[0]
    return None


def voice_problems(segments: Iterable[SpokenText], voices: Sequence[VoiceInfo]) -> list[VoiceProblem]:
    """Every voice problem of a show's segments, in order: voices not installed, voices that
    cannot read their segment's text, online voices. Pure: ``voices`` is what is installed
    (``all_voices()``), nothing is loaded or synthesised. A segment without text has none."""
    problems: list[VoiceProblem] = []
    for number, segment in enumerate(segments, 1):
        text = segment.text
        if not text.strip():
            continue
        voice_id = (segment.voice or "").strip()
        voice = find_voice(voice_id or default_voice_id(text), voices)
        if voice is None:
            problems.append(VoiceProblem(number, UNKNOWN, voice_id, None))
            continue
        if not reads_text(voice, text):
            script = text_script(text)
            assert script is not None  # a text without letters fits every voice
            problems.append(VoiceProblem(number, LANGUAGE, voice_id, voice, script.language, script.name))
        if voice.needs_network:
            problems.append(VoiceProblem(number, ONLINE, voice_id, voice))
    return problems


def require_known_voices(segments: Iterable[SpokenText], voices: Sequence[VoiceInfo]) -> None:
    """Raise ``InputError`` naming the first segment whose voice is not installed (and its
    title, for a segment that has one) and an installed voice to pick for it: a show must not
    go live silent there."""
    segments = list(segments)
    unknown = [p for p in voice_problems(segments, voices) if p.kind == UNKNOWN]
    if not unknown:
        return
    first = unknown[0]
    segment = segments[first.segment - 1]
    title = getattr(segment, "title", "")  # a rundown's segments have one; the protocol needs none
    clause = first.clause(title)
    others = len(unknown) - 1
    if others:
        problem = tr_n(
            "{sentence} ({n} more segment too).", "{sentence} ({n} more segments too).", others
        ).format(sentence=clause, n=others)
    else:
        problem = tr("{sentence}.").format(sentence=clause)
    instead = _voice_to_pick(segment.text, voices)
    if instead:
        hint = tr("Pick an installed voice for it, e.g. {voice} ('studio voices' lists them).").format(
            voice=instead
        )
    else:
        hint = tr("Pick an installed voice for it ('studio voices' lists them).")
    raise InputError(problem, hint)


def _voice_to_pick(text: str, voices: Sequence[VoiceInfo]) -> str:
    """An installed offline voice that reads ``text``: the default one for it when installed;
    "" when none does."""
    default = find_voice(default_voice_id(text), voices)
    if default is not None and not default.needs_network:
        return default.id
    readers = [v for v in voices if not v.needs_network and reads_text(v, text)]
    return readers[0].id if readers else ""
