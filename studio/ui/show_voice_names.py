"""How the app names voices: one language name for every engine, three groups by sound and
privacy, and errors said in the dropdown's words rather than in voice ids.

Plain functions (no widgets): the voice picker lists with them, the editor words its errors
with them, and tests check them directly. The CLI keeps its ids ('studio voices').
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication

from studio.errors import NetworkError
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.voice.base import VoiceInfo
from studio.voice.language import language_tag, primary_language
from studio.voice.registry import default_voice_id, offline_voice_for

# The groups, in the order listed: the voices most users want first.
NATURAL, ONLINE, BASIC = "natural", "online", "basic"
GROUP_TITLES = {
    NATURAL: QT_TRANSLATE_NOOP("show_voice_names", "Natural, offline (Kokoro, Piper)"),
    ONLINE: QT_TRANSLATE_NOOP("show_voice_names", "Online (sends text to Microsoft)"),
    BASIC: QT_TRANSLATE_NOOP("show_voice_names", "Basic, offline (eSpeak, robotic)"),
}
_GROUP_ORDER = (NATURAL, ONLINE, BASIC)
ONLINE_MARK = "☁"

# By the whole tag (lowercase, "-"): the engines spell the same language differently
# ("en-US", "en-us", "en_US") and eSpeak names some by accent ("English (America)").
_TAG_NAMES = {
    "en": QT_TRANSLATE_NOOP("show_voice_names", "English"),
    "en-us": QT_TRANSLATE_NOOP("show_voice_names", "English (US)"),
    "en-us-nyc": QT_TRANSLATE_NOOP("show_voice_names", "English (US)"),
    "en-gb": QT_TRANSLATE_NOOP("show_voice_names", "English (UK)"),
    "en-gb-scotland": QT_TRANSLATE_NOOP("show_voice_names", "English (UK)"),
    "en-gb-x-gbclan": QT_TRANSLATE_NOOP("show_voice_names", "English (UK)"),
    "en-gb-x-gbcwmd": QT_TRANSLATE_NOOP("show_voice_names", "English (UK)"),
    "en-gb-x-rp": QT_TRANSLATE_NOOP("show_voice_names", "English (UK)"),
    "en-029": QT_TRANSLATE_NOOP("show_voice_names", "English (Caribbean)"),
    "zh": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Mandarin)"),
    "zh-cn": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Mandarin)"),
    "zh-cmn": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Mandarin)"),
    "cmn": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Mandarin)"),
    "cmn-latn-pinyin": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Mandarin)"),
    "zh-tw": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Mandarin, Taiwan)"),
    "zh-hk": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Cantonese)"),
    "zh-yue": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Cantonese)"),
    "yue": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Cantonese)"),
    "hak": QT_TRANSLATE_NOOP("show_voice_names", "Chinese (Hakka)"),
    "es": QT_TRANSLATE_NOOP("show_voice_names", "Spanish (Spain)"),
    "es-es": QT_TRANSLATE_NOOP("show_voice_names", "Spanish (Spain)"),
    "es-mx": QT_TRANSLATE_NOOP("show_voice_names", "Spanish (Mexico)"),
    "es-419": QT_TRANSLATE_NOOP("show_voice_names", "Spanish (Latin America)"),
    "fr": QT_TRANSLATE_NOOP("show_voice_names", "French (France)"),
    "fr-fr": QT_TRANSLATE_NOOP("show_voice_names", "French (France)"),
    "fr-be": QT_TRANSLATE_NOOP("show_voice_names", "French (Belgium)"),
    "fr-ch": QT_TRANSLATE_NOOP("show_voice_names", "French (Switzerland)"),
    "pt": QT_TRANSLATE_NOOP("show_voice_names", "Portuguese (Portugal)"),
    "pt-pt": QT_TRANSLATE_NOOP("show_voice_names", "Portuguese (Portugal)"),
    "pt-br": QT_TRANSLATE_NOOP("show_voice_names", "Portuguese (Brazil)"),
    "de": QT_TRANSLATE_NOOP("show_voice_names", "German"),
    "it": QT_TRANSLATE_NOOP("show_voice_names", "Italian"),
    "ja": QT_TRANSLATE_NOOP("show_voice_names", "Japanese"),
    "ko": QT_TRANSLATE_NOOP("show_voice_names", "Korean"),
    "ru": QT_TRANSLATE_NOOP("show_voice_names", "Russian"),
    "hi": QT_TRANSLATE_NOOP("show_voice_names", "Hindi"),
    "ar": QT_TRANSLATE_NOOP("show_voice_names", "Arabic"),
    "ar-sa": QT_TRANSLATE_NOOP("show_voice_names", "Arabic (Saudi Arabia)"),
    "vi": QT_TRANSLATE_NOOP("show_voice_names", "Vietnamese"),
    "vi-vn-x-central": QT_TRANSLATE_NOOP("show_voice_names", "Vietnamese"),
    "vi-vn-x-south": QT_TRANSLATE_NOOP("show_voice_names", "Vietnamese"),
    "fa": QT_TRANSLATE_NOOP("show_voice_names", "Persian"),
    "fa-latn": QT_TRANSLATE_NOOP("show_voice_names", "Persian"),
    "hy": QT_TRANSLATE_NOOP("show_voice_names", "Armenian (Eastern)"),
    "hyw": QT_TRANSLATE_NOOP("show_voice_names", "Armenian (Western)"),
    "my": QT_TRANSLATE_NOOP("show_voice_names", "Burmese"),
    "chr-us-qaaa-x-west": QT_TRANSLATE_NOOP("show_voice_names", "Cherokee"),
    "qdb": QT_TRANSLATE_NOOP("show_voice_names", "Belter"),
}
# Region-free tags whose country adds nothing: "de-DE" is German.
_SAME_AS_PRIMARY = {"de-de", "it-it", "ja-jp", "ko-kr", "ru-ru", "hi-in"}
# What sets an eSpeak voice apart from the others of its language.
_ESPEAK_VARIANTS = {
    "en-us-nyc": QT_TRANSLATE_NOOP("show_voice_names", "New York City accent"),
    "en-gb-scotland": QT_TRANSLATE_NOOP("show_voice_names", "Scottish accent"),
    "en-gb-x-gbclan": QT_TRANSLATE_NOOP("show_voice_names", "Lancashire accent"),
    "en-gb-x-gbcwmd": QT_TRANSLATE_NOOP("show_voice_names", "West Midlands accent"),
    "en-gb-x-rp": QT_TRANSLATE_NOOP("show_voice_names", "Received Pronunciation"),
    "cmn-latn-pinyin": QT_TRANSLATE_NOOP("show_voice_names", "reads Latin letters as Pinyin"),
    "vi": QT_TRANSLATE_NOOP("show_voice_names", "Northern"),
    "vi-vn-x-central": QT_TRANSLATE_NOOP("show_voice_names", "Central"),
    "vi-vn-x-south": QT_TRANSLATE_NOOP("show_voice_names", "Southern"),
    "fa-latn": QT_TRANSLATE_NOOP("show_voice_names", "Latin script (Pinglish)"),
}
_WORD_BREAK = re.compile(r"[\s(),·:]+")  # not "-" or "_": "en-gb" and "en_us" stay whole


def language_name(voice: VoiceInfo) -> str:
    """The voice's language as a person says it, the same for every engine: "English (US)"."""
    tag = language_tag(voice.language)
    if tag in _TAG_NAMES:
        return translated("show_voice_names", _TAG_NAMES[tag])
    if tag in _SAME_AS_PRIMARY:
        return translated("show_voice_names", _TAG_NAMES[tag.split("-", 1)[0]])
    if voice.engine == "espeak":  # eSpeak's own names are language names ("Welsh")
        return voice.name.strip().replace("_", " ") or tag
    return translated("show_voice_names", _TAG_NAMES.get(tag.split("-", 1)[0], voice.language))


def voice_name(voice: VoiceInfo) -> str:
    """The voice itself: "Joe", "Aria", "Emma (multilingual)", "eSpeak, Scottish accent"."""
    if voice.engine == "espeak":
        variant = _ESPEAK_VARIANTS.get(language_tag(voice.language))
        variant = translated("show_voice_names", variant) if variant else variant
        return f"eSpeak, {variant}" if variant else "eSpeak"
    name = voice.name.split(" (", 1)[0].strip() or voice.id  # Piper's "Joe (US English, Piper)"
    if name.endswith("Multilingual") and name != "Multilingual":
        name = f"{name.removesuffix('Multilingual')} (multilingual)"
    return name


def voice_group(voice: VoiceInfo) -> str:
    if voice.needs_network:
        return ONLINE
    return BASIC if voice.engine == "espeak" else NATURAL


def voice_label(voice: VoiceInfo) -> str:
    """How the list shows a voice: "English (US) · Aria ☁" (☁: online)."""
    label = f"{language_name(voice)} · {voice_name(voice)}"
    return f"{label} {ONLINE_MARK}" if voice.needs_network else label


def voice_description(voice: VoiceInfo) -> str:
    """A voice named in a sentence: "Joe (English (US), natural)"."""
    group = voice_group(voice)
    if group == NATURAL:
        return f"{voice_name(voice)} ({language_name(voice)}, natural)"
    if group == ONLINE:
        return f"{voice_name(voice)} ({language_name(voice)}, online)"
    return QCoreApplication.translate("show_voice_names", "{voice_label} (basic, offline)").format(
        voice_label=voice_label(voice)
    )


def sort_key(voice: VoiceInfo) -> tuple[int, str, str]:
    """Grouped (natural, online, basic), then by language name and voice name."""
    return (
        _GROUP_ORDER.index(voice_group(voice)),
        language_name(voice).casefold(),
        voice_name(voice).casefold(),
    )


def search_text(voice: VoiceInfo) -> str:
    """Everything a filter may match, for every engine: language names, codes, names, group."""
    words = [
        voice.id,
        voice.language,
        language_tag(voice.language),
        language_name(voice),
        voice_name(voice),
        # eSpeak's own names say odd things ("Chinese (Mandarin, latin as English)").
        "" if voice.engine == "espeak" else voice.name,
        voice.engine,
        translated("show_voice_names", GROUP_TITLES[voice_group(voice)]),
        "online" if voice.needs_network else "offline",
    ]
    if primary_language(voice.language) == "zh":
        words.append("zh")  # eSpeak's "cmn" and "yue" are what people type as "zh"
    return " ".join(words).casefold()


def matches(voice: VoiceInfo, query: str) -> bool:
    """Whether every word of ``query`` starts a word of the voice's ``search_text``, case
    aside: "aria" finds Aria, not Bulgarian; "en-gb" finds every British English voice."""
    words = _WORD_BREAK.split(search_text(voice))
    terms = [t for t in _WORD_BREAK.split(query.casefold()) if t]  # "English (US)" works too
    return all(any(word.startswith(term) for word in words) for term in terms)


# -- errors in the dropdown's words -----------------------------------------------------------
def offline_alternative(language: str, voices: Sequence[VoiceInfo], text: str = "") -> VoiceInfo | None:
    """An offline voice for ``language``: a natural one of the same language, else the basic one
    that reads that very tag ("zh-TW" -> Mandarin), else any of the same language; without one
    (or a language), one for the script's ``text``."""
    defaults = {default_voice_id(), default_voice_id("中文")}  # the best-graded natural ones
    position = {v.id: n for n, v in enumerate(voices)}

    def rank(voice: VoiceInfo) -> tuple[bool, int, str, int, str]:
        # Within a language, natural voices keep the registry's order, which lists an engine's
        # best first (Kokoro's by its model card's grade); basic ones go by name.
        group, language, name = sort_key(voice)
        natural = voice.engine != "espeak"
        return voice.id not in defaults, group, language, position[voice.id] if natural else 0, name

    offline = sorted((v for v in voices if not v.needs_network), key=rank)
    found = offline_voice_for(language, offline)
    if found is not None:
        return found
    wanted = default_voice_id(text)  # what Studio itself would speak the script with
    return next((v for v in offline if v.id == wanted), offline[0] if offline else None)


def _reason(exc: BaseException) -> str:
    """Why the service could not be reached, from the library's error behind the NetworkError."""
    cause = exc.__cause__ or exc.__context__
    if cause is None:
        return QCoreApplication.translate("show_voice_names", "this computer seems to be offline")
    if isinstance(cause, TimeoutError):  # asyncio's and aiohttp's timeouts too
        return QCoreApplication.translate("show_voice_names", "it did not answer in time")
    kinds = {c.__module__.split(".", 1)[0] + "." + c.__name__ for c in type(cause).__mro__}
    if any(k.startswith("edge_tts.") for k in kinds) or kinds & {
        "aiohttp.ClientResponseError",
        "aiohttp.WSServerHandshakeError",
    }:
        return QCoreApplication.translate(
            "show_voice_names", "the service turned the request down; it may be busy"
        )
    return QCoreApplication.translate(
        "show_voice_names", "this computer seems to be offline"
    )  # no name lookup, connection refused or reset


def preview_error(
    exc: BaseException, voice: VoiceInfo | None, voices: Sequence[VoiceInfo], text: str = ""
) -> BaseException:
    """``exc`` said as the app's dropdown says it, for a failed preview in ``voice``. The core's
    ``NetworkError`` names voice ids for the CLI; here an online voice that cannot reach its
    service names the voice and an offline one of the same language (or of ``text``'s)."""
    if not isinstance(exc, NetworkError) or voice is None or not voice.needs_network:
        return exc
    problem = QCoreApplication.translate(
        "show_voice_names", "{voice_name} (online) could not reach Microsoft's voice service: {reason}."
    ).format(voice_name=voice_name(voice), reason=_reason(exc))
    alternative = offline_alternative(voice.language, voices, text)
    hint = (
        QCoreApplication.translate(
            "show_voice_names", "Choose an offline voice such as {voice_description} and try again."
        ).format(voice_description=voice_description(alternative))
        if alternative is not None
        else QCoreApplication.translate(
            "show_voice_names", "Check the internet connection, or choose an offline voice, and try again."
        )
    )
    return NetworkError(problem, hint)
