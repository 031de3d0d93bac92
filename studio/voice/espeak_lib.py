"""ctypes binding to libespeak-ng: voice list, IPA phonemisation and synthesis with phoneme events.

espeak-ng keeps all of its state (current voice, parameters, callback) in process globals, so
every call goes through one module-level lock. The library is loaded and initialised lazily,
once, the first time anything here is used.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import InputError, StudioError
from studio.translation import tr
from studio.voice.base import PhonemeTiming, WordTiming
from studio.voice.language import has_cjk

SAMPLE_RATE = 22050  # espeak-ng's only output rate; checked against espeak_Initialize's result

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INIT_PHONEME_EVENTS = 0x0001
_INIT_PHONEME_IPA = 0x0002
_INIT_DONT_EXIT = 0x8000  # otherwise a missing data directory calls exit() inside the library
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_PHONEMES_IPA = 0x02
_PHONEMES_TIE = 0x80
_ZWJ = "\u200d"
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_EVENT_PHONEME = 7
_PARAM_RATE = 1
_PARAM_PITCH = 3
_DEFAULT_WPM = 175

# Clause punctuation that espeak_TextToPhonemes swallows; Piper was trained with it in the input.
CLAUSE_PUNCTUATION = {
    ".": ".", "!": "!", "?": "?", ",": ",", ";": ";", ":": ":",
    "。": ".", "！": "!", "？": "?", "，": ",", "；": ";", "：": ":", "、": ",",
}  # fmt: skip
STRESS_MARKS = frozenset("ˈˌ")
LENGTH_MARKS = frozenset("ːˑ")

# espeak-ng 1.51 leaves some Mandarin phonemes in its ASCII notation even in IPA mode.
_IPA_FIXES = {
    "s.": "ʂ", "z.": "ʐ", "ts.": "ʈʂ", "ts.h": "ʈʂʰ", "i.": "ɨ", "o-": "ɤ",
    "ph": "pʰ", "th": "tʰ", "kh": "kʰ", "tsh": "tsʰ", "tɕh": "tɕʰ",
}  # fmt: skip

# espeak-ng 1.51's "cmn" reads each Han character's pinyin tone digit as an English number
# ("ni three"); the pinyin variant speaks the same characters correctly
# (espeak-ng issues #1028, #1236). Fixed upstream later, hence the probe in voice_for().
MANDARIN = "cmn"
MANDARIN_FALLBACK = "cmn-latn-pinyin"

_LOCK = threading.RLock()
# One wrapper per process is right: libespeak-ng keeps its voice, parameters and callback in
# process globals and may be initialised only once.
_library: EspeakLibrary | None = None


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # priority byte + name, repeated, ended by a 0 byte
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass(frozen=True)
class EspeakVoice:
    name: str  # e.g. "Chinese_(Mandarin,_latin_as_English)"
    identifier: str  # file under espeak-ng-data/voices, e.g. "sit/cmn"
    languages: tuple[str, ...]  # first is the main one, e.g. ("cmn", "zh-cmn", "zh")
    gender: str  # "male", "female" or ""


@dataclass
class EspeakSynthesis:
    audio: np.ndarray  # float32 mono at SAMPLE_RATE
    sample_rate: int
    phonemes: list[PhonemeTiming]
    words: list[WordTiming]


def _install_hint() -> str:
    if sys.platform == "darwin":
        return tr("Install it with 'brew install espeak-ng'.")
    if sys.platform == "win32":
        return tr("Install eSpeak NG from https://github.com/espeak-ng/espeak-ng/releases.")
    return tr("Install it with 'apt install libespeak-ng1'.")


def _load_cdll() -> ctypes.CDLL:
    names = [ctypes.util.find_library("espeak-ng"), "libespeak-ng.so.1", "libespeak-ng.dylib"]
    for name in names:
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    raise StudioError(tr("the eSpeak NG speech library (libespeak-ng) was not found."), _install_hint())


def clean_phoneme(symbol: str) -> str | None:
    """An event's phoneme as IPA; ``""`` for a pause, ``None`` for a language-switch marker."""
    symbol = symbol.replace(_ZWJ, "").strip()
    if symbol.startswith("(") and symbol.endswith(")"):
        return None
    symbol = _IPA_FIXES.get(symbol, symbol)
    # Tone numbers (Mandarin, Cantonese) are not segments; they carry no mouth shape.
    return "".join(ch for ch in symbol if not ch.isdigit())


class EspeakLibrary:
    """The loaded, initialised library. Use :func:`library`; all methods take the module lock."""

    def __init__(self) -> None:
        lib = _load_cdll()
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
            ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_ListVoices.argtypes = [ctypes.c_void_p]
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
        lib.espeak_Info.restype = ctypes.c_char_p
        options = _INIT_PHONEME_EVENTS | _INIT_PHONEME_IPA | _INIT_DONT_EXIT
        rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, options)
        if rate != SAMPLE_RATE:
            raise StudioError(
                tr("the eSpeak NG library could not start (its voice data is missing)."),
                _install_hint().replace("libespeak-ng1", "espeak-ng-data"),
            )
        self._lib = lib
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, int, str]] = []
        # ctypes would free the trampoline if nothing held the callback object.
        self._callback = _SynthCallback(self._on_synth)
        lib.espeak_SetSynthCallback(self._callback)
        self._current_voice = ""
        self._identifiers: dict[str, str] | None = None
        self._mandarin_broken: bool | None = None

    def _on_synth(self, wav: Any, count: int, events: Any) -> int:
        if count > 0:
            # Copied as bytes: np.ctypeslib.as_array makes a ctypes type per chunk length, which
            # ctypes caches for good (a live show's RSS grew by them, 2026-12-07).
            self._chunks.append(np.frombuffer(ctypes.string_at(wav, count * 2), np.int16))
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            ev = events[i]
            if ev.type == _EVENT_PHONEME:
                raw = bytes(ev.id.string).split(b"\0", 1)[0].decode("utf-8", "replace")
                self._events.append((ev.type, ev.audio_position, 0, 0, raw))
            elif ev.type == _EVENT_WORD:
                self._events.append((ev.type, ev.audio_position, ev.text_position, ev.length, ""))
            i += 1
        return 0  # 0 = keep synthesising

    def _set_voice(self, voice: str, reload: bool = False) -> None:
        if voice == self._current_voice and not reload:
            return
        if self._lib.espeak_SetVoiceByName(voice.encode("utf-8")) != 0:
            raise InputError(
                tr("eSpeak NG has no voice '{voice}'.").format(voice=voice),
                tr("Run 'studio voices' to list them."),
            )
        self._current_voice = voice

    def voices(self) -> list[EspeakVoice]:
        with _LOCK:
            array = self._lib.espeak_ListVoices(None)
            found: list[EspeakVoice] = []
            i = 0
            while array[i]:
                v = array[i].contents
                found.append(
                    EspeakVoice(
                        name=(v.name or b"").decode("utf-8", "replace"),
                        identifier=(v.identifier or b"").decode("utf-8", "replace"),
                        languages=tuple(_languages(v.languages)),
                        gender={1: "male", 2: "female"}.get(v.gender, ""),
                    )
                )
                i += 1
            return found

    def data_path(self) -> Path:
        """The espeak-ng-data directory the library reads voices and variants from."""
        path = ctypes.c_char_p()
        with _LOCK:
            self._lib.espeak_Info(ctypes.byref(path))
        return Path((path.value or b"").decode("utf-8", "replace"))

    def variants(self) -> list[str]:
        """Names of the voice variants (``f2``, ``klatt``...) that ``voice+variant`` accepts."""
        selector = ctypes.create_string_buffer(b"variant")
        spec = _Voice(languages=ctypes.addressof(selector))
        with _LOCK:
            array = self._lib.espeak_ListVoices(ctypes.byref(spec))
            found: list[str] = []
            i = 0
            while array[i]:
                identifier = (array[i].contents.identifier or b"").decode("utf-8", "replace")
                found.append(identifier.rsplit("/", 1)[-1])
                i += 1
            return found

    def voice_for(self, language: str, text: str = "") -> str:
        """The name to hand espeak_SetVoiceByName for ``language`` speaking ``text``.

        espeak_SetVoiceByName finds a voice by its file identifier ("gmw/en") but not by most
        language names ("en-gb", "fr-fr", "zh"), so names are looked up: first as a voice's main
        language, then as any voice's other language (the voice whose file has that name
        first). Mandarin with Han text gets the pinyin variant where this espeak-ng reads Han
        tone digits as English numbers.
        """
        with _LOCK:
            if self._identifiers is None:
                self._identifiers = _identifiers(self.voices())
            voice = self._identifiers.get(language.lower(), language)
            mandarin = self._identifiers.get(MANDARIN, MANDARIN)
            if voice == mandarin and has_cjk(text, han_only=True):
                if self._mandarin_broken is None:
                    self._mandarin_broken = "(en" in self.text_to_ipa("好", mandarin)
                if self._mandarin_broken:
                    voice = self._identifiers.get(MANDARIN_FALLBACK, MANDARIN_FALLBACK)
            return voice

    def text_to_ipa(self, text: str, voice: str, keep_ties: bool = False) -> str:
        """IPA for ``text``, with clause punctuation put back as Piper expects.

        With ``keep_ties`` multi-letter phonemes (``a‍ɪ``) stay joined by U+200D so a caller
        can tell them apart from two phonemes in a row.
        """
        mode = _PHONEMES_IPA | _PHONEMES_TIE | (ord(_ZWJ) << 8)
        data = text.encode("utf-8")
        with _LOCK:
            self._set_voice(voice)
            buf = ctypes.create_string_buffer(data)
            base = ctypes.addressof(buf)
            pointer = ctypes.c_void_p(base)
            parts: list[str] = []
            start = 0
            while pointer.value:
                result = self._lib.espeak_TextToPhonemes(ctypes.byref(pointer), _CHARS_UTF8, mode)
                end = pointer.value - base if pointer.value else len(data)
                consumed = data[start:end].decode("utf-8", "ignore")
                if pointer.value:
                    consumed = consumed[:-1]  # espeak reads one character into the next clause
                start = end
                phonemes = (result or b"").decode("utf-8", "replace").strip()
                punct = _clause_punctuation(consumed)
                if phonemes or punct:
                    parts.append(phonemes + punct)
        ipa = " ".join(parts)
        return ipa if keep_ties else ipa.replace(_ZWJ, "")

    def synthesize(self, text: str, voice: str, rate: float = 1.0, pitch: int = 50) -> EspeakSynthesis:
        data = text.encode("utf-8") + b"\0"
        wpm = int(round(min(max(_DEFAULT_WPM * rate, 80), 450)))
        with _LOCK:
            # Loading the voice again (0.2 ms) clears its echo buffer; otherwise a variant with
            # an echo (f2, m2, robosoft...) replays the end of the last utterance at the start
            # of this one.
            self._set_voice(voice, reload=True)
            self._lib.espeak_SetParameter(_PARAM_RATE, wpm, 0)
            self._lib.espeak_SetParameter(_PARAM_PITCH, int(min(max(pitch, 0), 100)), 0)
            self._chunks, self._events = [], []
            try:
                status = self._lib.espeak_Synth(
                    data, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None
                )
                chunks, events = self._chunks, self._events
            finally:
                self._chunks, self._events = [], []
        if status != 0:
            raise StudioError(
                tr("eSpeak NG failed to speak (status {status}).").format(status=status), _install_hint()
            )
        pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        audio = (pcm.astype(np.float32) / 32768.0).astype(np.float32)
        duration = len(audio) / SAMPLE_RATE
        return EspeakSynthesis(
            audio=audio,
            sample_rate=SAMPLE_RATE,
            phonemes=_phoneme_timings(events, duration),
            words=_word_timings(events, text, duration),
        )


def _languages(pointer: int | None) -> Iterator[str]:
    if not pointer:
        return
    offset = 0
    while ctypes.c_ubyte.from_address(pointer + offset).value != 0:  # priority byte
        name = ctypes.string_at(pointer + offset + 1)
        yield name.decode("utf-8", "replace")
        offset += len(name) + 2


def _identifiers(voices: list[EspeakVoice]) -> dict[str, str]:
    """Lowercase language name -> voice file identifier (names SetVoiceByName cannot find)."""
    # MBROLA voices need diphone databases that are packaged separately.
    usable = [v for v in voices if v.languages and not v.identifier.startswith("mb/")]
    found: dict[str, str] = {}
    for v in usable:
        found.setdefault(v.languages[0].lower(), v.identifier)
    named = {v.identifier.rsplit("/", 1)[-1].lower(): v.identifier for v in usable}
    for v in usable:
        for language in v.languages[1:]:
            found.setdefault(language.lower(), named.get(language.lower(), v.identifier))
    return found


def _clause_punctuation(clause: str) -> str:
    for ch in reversed(clause.rstrip()):
        if ch.isalnum():
            return ""
        if ch in CLAUSE_PUNCTUATION:
            return CLAUSE_PUNCTUATION[ch]
    return ""


def _phoneme_timings(events: list[tuple[int, int, int, int, str]], duration: float) -> list[PhonemeTiming]:
    marks: list[tuple[float, str]] = []
    for kind, ms, _, _, raw in events:
        if kind != _EVENT_PHONEME:
            continue
        symbol = clean_phoneme(raw)
        if symbol is None:
            continue  # a language switch takes no time of its own
        marks.append((min(ms / 1000.0, duration), symbol))
    if marks and marks[0][0] > 0:
        marks.insert(0, (0.0, ""))
    timings: list[PhonemeTiming] = []
    for i, (start, symbol) in enumerate(marks):
        end = marks[i + 1][0] if i + 1 < len(marks) else duration
        if end <= start:
            continue
        if timings and symbol == "" and timings[-1].phoneme == "":
            timings[-1] = PhonemeTiming("", timings[-1].start, end)  # one pause, not several
        else:
            timings.append(PhonemeTiming(symbol, start, end))
    return timings


def _word_timings(
    events: list[tuple[int, int, int, int, str]], text: str, duration: float
) -> list[WordTiming]:
    """Words end where the next word starts or where a pause begins, whichever comes first."""
    words: list[WordTiming] = []
    open_word: tuple[str, float] | None = None
    for kind, ms, position, length, raw in events:
        t = min(ms / 1000.0, duration)
        is_pause = kind == _EVENT_PHONEME and clean_phoneme(raw) == ""
        if open_word and (kind == _EVENT_WORD or is_pause):
            if t > open_word[1]:
                words.append(WordTiming(open_word[0], open_word[1], t))
            open_word = None
        if kind == _EVENT_WORD:
            # text_position counts characters from 1. Now and then eSpeak sends a word event
            # whose span holds no text (seen once in a full test run, not reproduced alone):
            # no word is said there, so none is listed.
            word = text[position - 1 : position - 1 + length]
            open_word = (word, t) if word.strip() else None
    if open_word and duration > open_word[1]:
        words.append(WordTiming(open_word[0], open_word[1], duration))
    return words


def library() -> EspeakLibrary:
    """The process-wide library, loaded on first use."""
    global _library
    with _LOCK:
        if _library is None:
            _library = EspeakLibrary()
        return _library


def list_voices() -> list[EspeakVoice]:
    return library().voices()


def data_path() -> Path:
    return library().data_path()


def list_variants() -> list[str]:
    return library().variants()


def voice_for(language: str, text: str = "") -> str:
    return library().voice_for(language, text)


def text_to_ipa(text: str, voice: str, keep_ties: bool = False) -> str:
    return library().text_to_ipa(text, voice, keep_ties)


def synth_with_events(text: str, voice: str, rate: float = 1.0, pitch: int = 50) -> EspeakSynthesis:
    return library().synthesize(text, voice, rate, pitch)
