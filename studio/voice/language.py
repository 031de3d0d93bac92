"""Languages: which script a text is in, and which eSpeak NG language reads a voice's language.

Pure functions with no library behind them, so engines, the registry and the phonemizer can all
use them without loading libespeak-ng.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from studio.translation import tr

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


# -- which language a text is in, as far as its letters tell ------------------------------------
@dataclass(frozen=True)
class Script:
    """A writing system: ``language`` is the one most texts in it are in ("" for Latin, which
    many languages share), ``languages`` the primary tags of those written in it."""

    name: str
    language: str
    languages: frozenset[str]


def _script(name: str, ranges: str, *languages: str) -> tuple[Script, re.Pattern[str]]:
    return Script(name, languages[0], frozenset(languages)), re.compile(f"[{ranges}]")


# Kana, then hangul, then Han: Japanese mixes kana with Han, Korean sometimes hangul with Han,
# and Han alone is Chinese. The rest by how many letters each has.
_KANA = _script("Japanese kana", "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f", "ja")
_HANGUL = _script("Hangul", "\uac00-\ud7af\u1100-\u11ff\u3130-\u318f", "ko")
_HAN_SCRIPT = _script("Chinese characters", _HAN, "zh")
_OTHER_SCRIPTS = (
    _script(
        "Cyrillic",
        "\u0400-\u04ff",
        "ru",
        "uk",
        "bg",
        "be",
        "sr",
        "mk",
        "kk",
        "ky",
        "tt",
        "ba",
        "cv",
        "tg",
        "nog",
    ),
    _script("Greek", "\u0370-\u03ff\u1f00-\u1fff", "el", "grc"),
    _script(
        "Arabic",
        "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff",
        "ar",
        "fa",
        "ur",
        "ps",
        "sd",
        "ug",
        "ku",
    ),
    _script("Hebrew", "\u0590-\u05ff", "he", "yi"),
    _script("Devanagari", "\u0900-\u097f", "hi", "mr", "ne", "sa", "kok"),
    _script("Bengali", "\u0980-\u09ff", "bn", "as", "bpy"),
    _script("Gurmukhi", "\u0a00-\u0a7f", "pa"),
    _script("Gujarati", "\u0a80-\u0aff", "gu"),
    _script("Oriya", "\u0b00-\u0b7f", "or"),
    _script("Tamil", "\u0b80-\u0bff", "ta"),
    _script("Telugu", "\u0c00-\u0c7f", "te"),
    _script("Kannada", "\u0c80-\u0cff", "kn"),
    _script("Malayalam", "\u0d00-\u0d7f", "ml"),
    _script("Sinhala", "\u0d80-\u0dff", "si"),
    _script("Thai", "\u0e00-\u0e7f", "th"),
    _script("Lao", "\u0e80-\u0eff", "lo"),
    _script("Myanmar", "\u1000-\u109f", "my", "shn"),
    _script("Georgian", "\u10a0-\u10ff", "ka"),
    _script("Armenian", "\u0530-\u058f", "hy", "hyw"),
    _script("Ethiopic", "\u1200-\u137f", "am", "ti"),
)
LATIN = Script("Latin letters", "", frozenset())
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def script_name(name: str) -> str:
    """A writing system's name (``Script.name``, English) in the chosen language."""
    names = {
        "Japanese kana": tr("Japanese kana"),
        "Hangul": tr("Hangul"),
        "Chinese characters": tr("Chinese characters"),
        "Cyrillic": tr("Cyrillic"),
        "Greek": tr("Greek"),
        "Arabic": tr("Arabic"),
        "Hebrew": tr("Hebrew"),
        "Devanagari": tr("Devanagari"),
        "Bengali": tr("Bengali"),
        "Gurmukhi": tr("Gurmukhi"),
        "Gujarati": tr("Gujarati"),
        "Oriya": tr("Oriya"),
        "Tamil": tr("Tamil"),
        "Telugu": tr("Telugu"),
        "Kannada": tr("Kannada"),
        "Malayalam": tr("Malayalam"),
        "Sinhala": tr("Sinhala"),
        "Thai": tr("Thai"),
        "Lao": tr("Lao"),
        "Myanmar": tr("Myanmar"),
        "Georgian": tr("Georgian"),
        "Armenian": tr("Armenian"),
        "Ethiopic": tr("Ethiopic"),
        "Latin letters": tr("Latin letters"),
    }
    return names.get(name, name)


def text_script(text: str) -> Script | None:
    """The writing system ``text`` is in, by its letters: any kana is Japanese, any hangul
    Korean, any Han Chinese; then the other script with the most letters; else Latin when it
    has Latin letters; None when it has no letters at all (numbers, punctuation, nothing)."""
    for script, pattern in (_KANA, _HANGUL, _HAN_SCRIPT):
        if pattern.search(text):
            return script
    counts = [(len(pattern.findall(text)), script) for script, pattern in _OTHER_SCRIPTS]
    count, script = max(counts, key=lambda pair: pair[0])
    if count:
        return script
    return LATIN if _LATIN_LETTER.search(text) else None


def language_reads(language: str, text: str) -> bool:
    """Whether a voice of ``language`` (a tag such as "en-US" or "cmn") can read ``text`` by its
    script: a text in Chinese characters needs a Chinese voice, one in Cyrillic a language
    written in Cyrillic. Latin letters fit every voice: eSpeak and the online voices read them
    as English in any language, and Chinese shows mix them in. Text without letters fits too."""
    script = text_script(text)
    if script is None or script is LATIN:
        return True
    return primary_language(language) in script.languages
