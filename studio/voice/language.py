"""Languages: which script a text is in, and which eSpeak NG language reads a voice's language.

Pure functions with no library behind them, so engines, the registry and the phonemizer can all
use them without loading libespeak-ng.
"""

from __future__ import annotations

import re
from collections.abc import Collection

# Han (CJK unified ideographs, extension A, compatibility ideographs), kana and hangul.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK = re.compile(f"[{_HAN}\u3040-\u30ff\uac00-\ud7af]")
_HAN_ONLY = re.compile(f"[{_HAN}]")

FALLBACK_LANGUAGE = "en-us"
# espeak-ng 1.51's language names (every voice's languages, MBROLA left out). A test checks them
# against the installed library.
_ESPEAK_LANGUAGE_NAMES = """
    af am an ar as az ba be bg bn bpy bs ca chr-us-qaaa-x-west cmn cmn-latn-pinyin cs cv cy da
    de el en en-029 en-gb en-gb-scotland en-gb-x-gbclan en-gb-x-gbcwmd en-gb-x-rp en-us
    en-us-nyc eo es es-419 es-mx et eu fa fa-latn fi fr fr-be fr-ch fr-fr ga gd gn grc gu hak
    haw hbs he hi hr ht hu hy hy-arevela hy-arevmda hyw ia id io is it ja jbo ka kk kl kn ko kok
    ku ky la lb lfn lt ltg lv mi mk ml mr ms mt my nb nci ne nl no nog om or pa pap piqd pl pt
    pt-br pt-pt py qdb qu quc qya ro ru ru-lv sd shn si sjn sk sl smj sq sr sv sw ta te th tk tn
    tr tt ug uk ur uz vi vi-vn-x-central vi-vn-x-south yue zh zh-cmn zh-yue"""
ESPEAK_LANGUAGES = frozenset(_ESPEAK_LANGUAGE_NAMES.split())
# Tags (lowercase) whose eSpeak language is not the tag itself or its prefix. Cantonese (Hong
# Kong, Macau) reads Han characters as Cantonese in "yue"; every other Chinese as Mandarin.
_OVERRIDES = {
    "zh": "cmn",
    "zh-hk": "yue",
    "zh-mo": "yue",
    "en": "en-us",
    "es-es": "es",
    "fr-fr": "fr",
    "de-de": "de",
    "ja-jp": "ja",
    "ko-kr": "ko",
}


def has_cjk(text: str, *, han_only: bool = False) -> bool:
    """Whether ``text`` has Han, kana or hangul (with ``han_only``, Han characters only)."""
    return (_HAN_ONLY if han_only else _CJK).search(text) is not None


_CHINESE = {"zh", "cmn", "yue", "hak"}  # Mandarin, Cantonese, Hakka all read Han characters


def language_tag(language: str) -> str:
    """A BCP-47-ish tag in one spelling: "en_GB " -> "en-gb"."""
    return language.strip().lower().replace("_", "-")


def primary_language(language: str) -> str:
    """The language without region or script: "en-GB" -> "en"; Chinese tags -> "zh"."""
    primary = language_tag(language).split("-", 1)[0]
    return "zh" if primary in _CHINESE else primary


def espeak_language(language: str, known: Collection[str] = ESPEAK_LANGUAGES) -> str:
    """The eSpeak NG language that reads a BCP-47-ish tag: "zh-CN" -> "cmn", "en-GB" -> "en-gb".

    Tried in order: an override for the whole tag, the tag itself, an override for its prefix,
    the prefix; otherwise "en-us". Never raises.
    """
    tag = language_tag(language)
    prefix = tag.split("-", 1)[0]
    if tag in _OVERRIDES:
        return _OVERRIDES[tag]
    if tag in known:
        return tag
    if prefix in _OVERRIDES:
        return _OVERRIDES[prefix]
    if prefix in known:
        return prefix
    return FALLBACK_LANGUAGE
