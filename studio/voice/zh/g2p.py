"""Mandarin text to Kokoro's phonemes, with tone sandhi and Latin words read in English.

- Words come from jieba (with parts of speech), pinyin from pypinyin, chosen per word so
  polyphones follow their word (银行 hang2, 行走 xing2).
- Tone sandhi with misaki's ``ToneSandhi`` (PaddleSpeech's rules): 一 (一起 yi4, 一样 yi2,
  第一 yi1), 不 (不要 bu2), third-tone chains (你好 ni2 hao3, 展览馆 zhan2 lan2 guan3) and the
  neutral tone of suffixes and reduplications. misaki's plain Kokoro v1.0 path skips it.
- Pinyin becomes misaki's IPA (``ZHG2P.py2ipa``), the symbols Kokoro v1.0 was trained on.
- Latin words (brands, models: iPhone, SPF) go through the English reader: the Mandarin voices
  know English phonemes too, and a host says brand names in English.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from studio.voice.zh.normalize import normalize

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A run of Han characters, a Latin word, or anything else (punctuation, spaces).
_HAN_RUN = re.compile(f"([{_HAN}]+)|([A-Za-z][A-Za-z'\\-]*)|([^{_HAN}A-Za-z]+)")
# Chinese punctuation as the model's own (it pauses only for these).
_PUNCTUATION = {
    "，": ",",
    "、": ",",
    "。": ".",
    "．": ".",
    "！": "!",
    "？": "?",
    "：": ":",
    "；": ";",
    "…": "…",
    "——": "—",
    "—": "—",
    "（": "(",
    "）": ")",
    "“": "“",
    "”": "”",
    "《": "“",
    "》": "”",
    "「": "“",
    "」": "”",
    "【": "“",
    "】": "”",
    ",": ",",
    ".": ".",
    "!": "!",
    "?": "?",
    ":": ":",
    ";": ";",
    "~": ",",
}
_LOCK = threading.Lock()
_NUMERALS = frozenset("零一二两三四五六七八九十百千万亿")
_BIG_UNITS = frozenset("百千万亿")
_MEASURES = frozenset("个瓶件支盒包套片块斤袋罐只双条台款份箱桶杯颗粒张把根位次天周")
# Brand names whose reading pypinyin gets wrong (华为: wei2, not wei4).
_PHRASES = {"华为": [["huá"], ["wéi"]]}


@dataclass(frozen=True)
class Syllable:
    """One Han character's reading, tone sandhi applied: ``pinyin`` as "hao3" (5 is neutral)."""

    char: str
    pinyin: str


class _Tools:
    """jieba, pypinyin and the sandhi rules, loaded once (jieba's dictionary takes ~0.7 s)."""

    def __init__(self) -> None:
        import jieba
        import jieba.posseg
        from misaki.tone_sandhi import ToneSandhi
        from misaki.zh import ZHG2P
        from pypinyin import Style, lazy_pinyin, load_phrases_dict

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" lines are not for users
        load_phrases_dict(_PHRASES)
        self.cut: Callable[[str], list[Any]] = jieba.posseg.lcut
        self.sandhi = ToneSandhi()
        self.py2ipa: Callable[[str], str] = ZHG2P.py2ipa

        def pinyin(word: str) -> list[str]:
            return list(lazy_pinyin(word, style=Style.TONE3, neutral_tone_with_five=True))

        def finals(word: str) -> list[str]:
            return list(lazy_pinyin(word, style=Style.FINALS_TONE3, neutral_tone_with_five=True))

        self.pinyin = pinyin
        self.finals = finals


_tools: _Tools | None = None


def _load() -> _Tools:
    global _tools  # noqa: PLW0603 - the loaded dictionaries are process-wide and immutable
    with _LOCK:
        if _tools is None:
            _tools = _Tools()
        return _tools


def syllables(han: str) -> list[Syllable]:
    """Pinyin per character of a run of Han characters, with tone sandhi."""
    tools = _load()
    words = [(w.word, w.flag) for w in tools.cut(han)]
    words = tools.sandhi.pre_merge_for_modify(words)
    out: list[Syllable] = []
    starts: set[int] = set()  # where each word begins
    for word, pos in words:
        readings = tools.pinyin(word)
        finals = tools.sandhi.modified_tone(word, pos, tools.finals(word))
        starts.add(len(out))
        for char, reading, final in zip(word, readings, finals, strict=False):
            tone = final[-1] if final and final[-1].isdigit() else reading[-1]
            base = reading[:-1] if reading[-1:].isdigit() else reading
            out.append(Syllable(char, base + tone))
    _third_tones_across_words(out, starts)
    _yi_in_numbers(out)
    return out


def _tone(syllable: Syllable) -> str:
    return syllable.pinyin[-1]


def _retone(syllable: Syllable, tone: str) -> Syllable:
    return Syllable(syllable.char, syllable.pinyin[:-1] + tone)


def _third_tones_across_words(out: list[Syllable], starts: set[int]) -> None:
    """A third tone before a third tone rises (很 + 好用 -> hen2 hao3) across a word boundary
    too; the sandhi rules see one word at a time, and jieba splits adverbs off (很, 也, 我)."""
    for i in sorted(starts):
        if 0 < i < len(out) and _tone(out[i - 1]) == "3" and _tone(out[i]) == "3":
            out[i - 1] = _retone(out[i - 1], "2")


def _yi_in_numbers(out: list[Syllable]) -> None:
    """一 in numbers, where word-by-word sandhi errs on jieba's number words (十一点, 五一):
    after a numeral it is yi1 (十一, 二十一); as a decimal's whole part too (一点五); before
    百/千/万/亿 it is yi4 (一千); before a measure word it follows the measure word's tone
    (五一包 is 五 + 一包: yi4; 一件: yi2)."""
    for i, syllable in enumerate(out):
        if syllable.char != "一":
            continue
        before = out[i - 1].char if i else ""
        after = out[i + 1] if i + 1 < len(out) else None
        if after is not None and after.char in _BIG_UNITS:
            out[i] = _retone(syllable, "4")
        elif after is not None and after.char in _MEASURES:
            out[i] = _retone(syllable, "2" if _tone(after) == "4" else "4")
        elif before in _NUMERALS or (
            after is not None and after.char == "点" and _decimal_follows(out, i + 2)
        ):
            out[i] = _retone(syllable, "1")


def _decimal_follows(out: list[Syllable], i: int) -> bool:
    return i < len(out) and out[i].char in _NUMERALS


def pinyin(text: str) -> list[str]:
    """The readings of ``text`` after normalisation: pinyin with tone digits for Han
    characters, Latin words as they are. What the tests check tones against."""
    out: list[str] = []
    for han, latin, _other in _HAN_RUN.findall(normalize(text)):
        if han:
            out.extend(s.pinyin for s in syllables(han))
        elif latin:
            out.append(latin)
    return out


def phonemes(text: str, english: Callable[[str], str]) -> str:
    """``text`` in Kokoro's symbols; ``english`` reads the Latin words (brand names, models)."""
    tools = _load()
    parts: list[str] = []
    for han, latin, other in _HAN_RUN.findall(normalize(text)):
        if han:
            words = [(w.word, w.flag) for w in tools.cut(han)]
            syll = iter(syllables(han))
            for word, _pos in words:
                parts.append("".join(tools.py2ipa(next(syll).pinyin) for _ in word) + " ")
        elif latin:
            parts.append(english(latin).strip(" .") + " ")
        else:
            parts.append(_punctuation(other))
    joined = re.sub(r"\s+", " ", "".join(parts)).replace("\u032f", "")  # misaki drops U+032F too
    return re.sub(r" (?=[,.!?:;…—)”])", "", joined).strip()


def _punctuation(text: str) -> str:
    """Punctuation the model pauses at, the rest as a space."""
    out = ""
    i = 0
    while i < len(text):
        two = text[i : i + 2]
        if two in _PUNCTUATION:
            out += _PUNCTUATION[two]
            i += 2
            continue
        out += _PUNCTUATION.get(text[i], " ")
        i += 1
    stripped = out.strip()
    return f"{stripped} " if stripped else " "
