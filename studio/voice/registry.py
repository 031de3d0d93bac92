"""Every voice Studio can speak with, and the engine behind each one."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable

from studio.errors import InputError
from studio.voice.base import VoiceEngine, VoiceInfo
from studio.voice.language import has_cjk

DEFAULT_VOICE = "piper:en_US-joe-medium"
DEFAULT_CJK_VOICE = "espeak:cmn"
ENGINE_NAMES = ("piper", "espeak", "edge")
_LIST_HINT = "Run 'studio voices' to list them."


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
    raise InputError(f"there is no voice engine '{name}'.", _LIST_HINT)


def default_voice_id(text: str = "") -> str:
    # Han, kana, hangul: text the English default voice cannot read.
    return DEFAULT_CJK_VOICE if has_cjk(text) else DEFAULT_VOICE


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
        raise InputError(f"there is no voice '{wanted}'.", _LIST_HINT)


# One registry per process on purpose: its engines hold loaded models (Piper's ~60 MB session).
@functools.lru_cache(maxsize=1)
def default_registry() -> Registry:
    return Registry()


def all_voices(offline_only: bool = False) -> list[VoiceInfo]:
    return default_registry().all_voices(offline_only)


def resolve(voice_id: str | None, text: str = "") -> tuple[VoiceEngine, VoiceInfo]:
    return default_registry().resolve(voice_id, text)
