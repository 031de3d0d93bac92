"""Sentences to synthesise lip-sync training speech from, in English, Mandarin and ~30 more languages.

Two sources, both offline:

- our own live-stream sales lines (``texts/en_sales.txt``, ``texts/zh_sales.txt``), written to
  hit the weak visemes (bilabials, f/v, th, rounded vowels) often;
- the gettext ``.mo`` catalogs every Debian machine already has: translated strings per
  language, and their English source strings (msgids) for English.

``texts/eval_en.txt`` is held out: it builds the Piper evaluation set and is removed from every
training list here, so no model ever trains on the sentences it is scored on.
"""

from __future__ import annotations

import functools
import html
import random
import re
import struct
import unicodedata
from pathlib import Path

TEXTS_DIR = Path(__file__).with_name("texts")
LOCALE_DIR = Path("/usr/share/locale")
TEXT_NAMES = ("en_sales", "zh_sales", "eval_en")

# Simple language code -> espeak-ng voice, for every language corpus() can return. Checked
# against `espeak-ng --voices` (1.51). Mandarin: resolve through
# studio.voice.espeak_lib.voice_for("cmn", text), which swaps in "cmn-latn-pinyin" where this
# espeak-ng reads Han tone digits as English numbers. Portuguese catalogs mix pt_PT and pt_BR;
# the Brazilian voice reads both.
ESPEAK_VOICE: dict[str, str] = {
    "en": "en-us", "zh": "cmn", "af": "af", "an": "an", "ar": "ar", "az": "az", "be": "be",
    "bg": "bg", "bs": "bs", "ca": "ca", "cs": "cs", "cy": "cy", "da": "da", "de": "de",
    "el": "el", "eo": "eo", "es": "es", "et": "et", "eu": "eu", "fa": "fa", "fi": "fi",
    "fr": "fr-fr", "ga": "ga", "he": "he", "hi": "hi", "hr": "hr", "hu": "hu", "hy": "hy",
    "ia": "ia", "id": "id", "it": "it", "ja": "ja", "ka": "ka", "kk": "kk", "ko": "ko",
    "lt": "lt", "lv": "lv", "mk": "mk", "mr": "mr", "ms": "ms", "nb": "nb", "nl": "nl",
    "pl": "pl", "pt": "pt-br", "ro": "ro", "ru": "ru", "sk": "sk", "sl": "sl", "sq": "sq",
    "sr": "sr", "sv": "sv", "ta": "ta", "th": "th", "tr": "tr", "ug": "ug", "uk": "uk",
    "vi": "vi",
}  # fmt: skip

# Catalog folders that are not one language's standard written form, or that duplicate English.
_SKIP_LOCALES = frozenset({"zh_TW", "zh_HK", "zh_Hant", "pa_PK", "az_IR"})
_LOCALE_ALIASES = {"no": "nb", "mo": "ro", "zh_CN": "zh", "zh_Hans": "zh"}
# Name lists (countries, currencies, keyboard layouts), not sentences.
_SKIP_DOMAINS = re.compile(r"^(iso_|xkeyboard-config)")

_CJK_LANGUAGES = frozenset({"zh", "ja"})
_UNSPACED_LANGUAGES = frozenset({"th", "lo", "km", "my", "bo", "dz"})
_NON_LATIN = frozenset(
    {
        "am", "ar", "as", "ba", "be", "bg", "bn", "bo", "ckb", "cv", "dv", "dz", "el", "fa",
        "gu", "he", "hi", "hy", "iu", "ja", "ka", "kk", "km", "kn", "ko", "ky", "lo", "mai",
        "mk", "ml", "mn", "mr", "my", "ne", "or", "pa", "ps", "ru", "sd", "si", "sr", "ta",
        "te", "tg", "th", "ti", "tt", "ug", "uk", "ur", "yi", "zh",
    }
)  # fmt: skip

_MAX_CHARS = 200
_MAX_CJK_CHARS = 60

# Accelerators in CJK and other scripts are written as a suffix: "打开(_O)", "ファイル(&F)".
_SUFFIX_ACCEL = re.compile(r"\s*[(（][_&]?[A-Za-z0-9][)）]")
_ACCEL = re.compile(r"(?<![\w&])[_&](?=[^\W_])(?![A-Za-z]+;|#\d+;)")
_PLACEHOLDERS = re.compile(
    r"%\([^)]{1,40}\)(?:[-#0 +]*\d*(?:\.\d+)?[a-zA-Z])?"  # python %(name)s, git %(body)
    r"|%<\w+>"  # gettext <PRIu64>
    # printf, with the upper-case conversions of binutils (%B, %H) and find (%Hr) as well
    r"|%(?:\d+\$)?[-+#0':]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|ll|I64|[hlLqjzt])?[A-Za-z]"
    r"|%\d+|\{[^{}]{0,40}\}|\$\{?\w+\}?"
)
# A % that is not a percent sign after a number ("50%", "50 %") is a format we do not know,
# or a hole a translator left; the sentence goes.
_STRAY_PERCENT = re.compile(r"%(?![\s.,;:!?)）。，、]|$)|(?<![\d\s\u00a0\u202f])%|(?<!\d)[\s\u00a0\u202f]%")
_HOLE = "\x01"  # where a placeholder was
_QUOTED_HOLE = re.compile(r"""[“‘„«»'"(\[「『（]\x01[”’“»«'")\]」』）]""")
_LEADING_HOLE = re.compile(r"^\x01\s*[:：]\s*")
_TRAILING_HOLE = re.compile(r"[\s:：,，(（]*\x01[\s.。)）]*$")
_MARKUP = re.compile(r"</?[A-Za-z][^<>]{0,80}>")
_EMPTY_PAIRS = re.compile(
    r"""(?:“\s*”|‘\s*’|„\s*“|«\s*»|""|''|`'|\(\s*\)|\[\s*\]|「\s*」|『\s*』|（\s*）|“\s*“)"""
)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?。，；：！？、])")
_REPEATED_PUNCT = re.compile(r"([,;:])\s*[,;:.]")
# Anything that reads like a machine string rather than a sentence drops the whole piece.
_DROP = re.compile(
    r"\w+://|www\.|\S+@\S+\.\w|(?:^|\s)[~.]?/\w|\w/\w+/|\\\w|[^\W\d_]\.[^\W\d_]{2,}"
    r"|(?:^|\s)--?\w|[=\\|*#@$^~`<>{}\[\]_&]|\b[A-Z][A-Z0-9]{3,}\b|\s{3,}"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=[。！？])")
_CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_NORM = re.compile(r"[\W_]+")


def load_lines(name: str) -> list[str]:
    """The non-empty lines of ``texts/<name>.txt`` (one of ``TEXT_NAMES``), stripped."""
    if name not in TEXT_NAMES:
        raise ValueError(f"no text file {name!r}; known: {', '.join(TEXT_NAMES)}")
    text = (TEXTS_DIR / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def normalise(sentence: str) -> str:
    """The comparison key for overlap checks: case, punctuation and spacing folded away."""
    return _NORM.sub(" ", unicodedata.normalize("NFKC", sentence).casefold()).strip()


def read_mo(path: Path) -> list[tuple[str, str]]:
    """``(msgid, msgstr)`` pairs of a compiled gettext catalog, header and contexts dropped.

    Plural entries give one pair per form (the msgid's singular with each msgstr form). Read by
    hand rather than through ``gettext.GNUTranslations`` so that the msgids come back too and a
    catalog in an odd charset decodes with replacement instead of failing.
    """
    data = path.read_bytes()
    if len(data) < 20:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else ""
    if not order:
        return []
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    raw: list[tuple[bytes, bytes]] = []
    for i in range(count):
        olen, ooff = struct.unpack_from(order + "2I", data, originals + 8 * i)
        tlen, toff = struct.unpack_from(order + "2I", data, translations + 8 * i)
        raw.append((data[ooff : ooff + olen], data[toff : toff + tlen]))
    charset = "utf-8"
    for key, value in raw:
        if key == b"":
            found = re.search(rb"charset=([\w-]+)", value)
            charset = found.group(1).decode("ascii") if found else charset
    try:
        "".encode(charset)
    except LookupError:
        charset = "utf-8"
    pairs: list[tuple[str, str]] = []
    for msgid_b, msgstr_b in raw:
        if msgid_b == b"":
            continue
        msgid = msgid_b.decode(charset, "replace").split("\x04")[-1].split("\x00")[0]
        for form in msgstr_b.decode(charset, "replace").split("\x00"):
            pairs.append((msgid, form))
    return pairs


def _latin_share(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    return sum(ch < "\u0250" for ch in letters) / len(letters) if letters else 1.0


def _long_enough(sentence: str, language: str) -> bool:
    if language in _CJK_LANGUAGES:
        return len(_CJK_CHAR.findall(sentence)) >= 4 and len(sentence) <= _MAX_CJK_CHARS
    if language in _UNSPACED_LANGUAGES:
        return sum(ch.isalpha() for ch in sentence) >= 10 and len(sentence) <= _MAX_CHARS
    return len(sentence.split()) >= 3 and len(sentence) <= _MAX_CHARS


def clean_message(message: str, language: str) -> list[str]:
    """Speakable sentences in one catalog string, or ``[]``.

    Markup and accelerators are taken out. A format placeholder may only open a sentence as a
    "%s:" prefix or close it: taking one out of the middle leaves a sentence with a hole in it
    ("Your password on will expire"), so such sentences are dropped. Lines that read like
    machine text (options, paths, URLs, identifiers, column layouts) are dropped; wrapped lines
    are joined back and paragraphs split at sentence ends.
    """
    text = _SUFFIX_ACCEL.sub("", message.replace("\r", "").replace(_HOLE, ""))
    text = _PLACEHOLDERS.sub(_HOLE, text.replace("%%", "\x00")).replace("\x00", "%")
    text = html.unescape(_ACCEL.sub("", _MARKUP.sub("", text)))
    text = _QUOTED_HOLE.sub(_HOLE, text)
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = line.strip()
        if not line or _DROP.search(line):
            paragraphs.append([])  # a dropped line ends the paragraph: never join across it
        else:
            paragraphs[-1].append(line)
    out: list[str] = []
    for lines in paragraphs:
        joined = " ".join(lines) if language not in _CJK_LANGUAGES else "".join(lines)
        for piece in _SENTENCE_END.split(joined):
            sentence = _tidy(_LEADING_HOLE.sub("", _TRAILING_HOLE.sub("", piece.strip())))
            if not sentence or _HOLE in sentence or _STRAY_PERCENT.search(sentence):
                continue
            if not _long_enough(sentence, language):
                continue
            if language in _NON_LATIN and _latin_share(sentence) > 0.3:
                continue  # untranslated English, or names, in a non-Latin catalog
            letters = sum(ch.isalpha() for ch in sentence)
            if letters < 0.7 * sum(not ch.isspace() for ch in sentence):
                continue  # mostly digits and symbols
            out.append(sentence)
    return out


def _tidy(piece: str) -> str:
    text = piece
    for _ in range(2):  # nested leftovers like "(“”)" need a second pass
        text = _EMPTY_PAIRS.sub("", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split()))
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return text.strip(" ,;:-–—'\"").strip()


def _locale_language(folder: str) -> str | None:
    if "@" in folder or folder in _SKIP_LOCALES or folder.startswith("en"):
        return None
    return _LOCALE_ALIASES.get(folder, folder.split("_")[0])


@functools.lru_cache(maxsize=4)
def _catalogs(locale_dir: Path) -> dict[str, list[Path]]:
    """Language code -> its catalogs, sorted so the harvest is the same on every run."""
    found: dict[str, list[Path]] = {}
    for path in sorted(locale_dir.glob("*/LC_MESSAGES/*.mo")):
        if _SKIP_DOMAINS.match(path.stem):
            continue
        language = _locale_language(path.parent.parent.name)
        if language:
            found.setdefault(language, []).append(path)
    return found


@functools.cache
def _harvest(language: str, locale_dir: Path) -> tuple[str, ...]:
    """Every distinct cleaned sentence for ``language``, sorted."""
    catalogs = _catalogs(locale_dir)
    if language == "en":
        # Each domain's msgids are the same in every language; the union covers packages that
        # only some languages translate.
        paths = [p for group in catalogs.values() for p in group]
    else:
        paths = catalogs.get(language, [])
    messages: set[str] = set()
    for path in paths:
        try:
            pairs = read_mo(path)
        except (OSError, struct.error):
            continue  # a truncated or unreadable catalog only costs its own strings
        if language == "en":
            messages.update(msgid for msgid, _ in pairs)
        else:
            messages.update(msgstr for msgid, msgstr in pairs if msgstr and msgstr != msgid)
    seen: dict[str, str] = {}
    for message in sorted(messages):
        for sentence in clean_message(message, language):
            seen.setdefault(normalise(sentence), sentence)
    return tuple(sorted(seen.values()))


def mo_sentences(language: str, limit: int, rng: random.Random, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Up to ``limit`` cleaned catalog sentences in ``language`` ("en", "zh", "de"...), drawn by ``rng``.

    English comes from the msgids of every catalog, other languages from their translations.
    """
    pool = _harvest(language, locale_dir)
    return rng.sample(pool, min(limit, len(pool)))


def mo_languages(min_sentences: int, locale_dir: Path = LOCALE_DIR) -> list[str]:
    """Language codes whose catalogs give at least ``min_sentences`` sentences, sorted ("en" too)."""
    languages = ["en", *_catalogs(locale_dir)]
    return sorted(code for code in languages if len(_harvest(code, locale_dir)) >= min_sentences)


def corpus(
    seed: int,
    per_language: int = 3000,
    min_sentences: int = 500,
    locale_dir: Path = LOCALE_DIR,
) -> dict[str, list[str]]:
    """Language code -> training sentences, the same for the same seed (and catalogs).

    en: our sales lines plus up to ``per_language`` msgid sentences; zh: sales lines plus
    zh_CN catalog sentences; every other language espeak-ng speaks (``ESPEAK_VOICE``) with at
    least ``min_sentences`` catalog sentences. Sales lines are always all kept; the eval lines
    are removed everywhere. Each list is shuffled.
    """
    held_out = {normalise(line) for line in load_lines("eval_en")}
    own = {"en": load_lines("en_sales"), "zh": load_lines("zh_sales")}
    # Only languages espeak-ng speaks are harvested: the others could never be synthesised.
    enough = {code for code in ESPEAK_VOICE if len(_harvest(code, locale_dir)) >= min_sentences}
    languages = sorted(enough | set(own))
    result: dict[str, list[str]] = {}
    for language in languages:
        # A string seed per language keeps each list independent of which other languages exist.
        rng = random.Random(f"{seed}:{language}")
        drawn = mo_sentences(language, per_language, rng, locale_dir)
        seen: set[str] = set(held_out)
        sentences: list[str] = []
        for sentence in [*own.get(language, []), *drawn]:
            key = normalise(sentence)
            if key not in seen:
                seen.add(key)
                sentences.append(sentence)
        rng.shuffle(sentences)
        result[language] = sentences
    return result
