"""Training sentences for the lip-sync model: our own text files and the gettext catalog harvest."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # training/ is a recipe run from the checkout, not installed

from training.lipsync import texts  # noqa: E402

# Percent signs after a number are fine; any other % is a placeholder that got through.
_PLACEHOLDER = re.compile(r"(?<![\d\s\u00a0\u202f])%|%[A-Za-z(<{]|\{\w*\}|\$\w|</?\w+>")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _catalog_count(folder: str) -> int:
    return len(list((texts.LOCALE_DIR / folder / "LC_MESSAGES").glob("*.mo")))


needs_catalogs = pytest.mark.skipif(
    _catalog_count("de") < 10 or _catalog_count("zh_CN") < 10,
    reason="needs the gettext catalogs of a Debian/Ubuntu system in /usr/share/locale",
)


@pytest.fixture(scope="module")
def corpus_0() -> dict[str, list[str]]:
    return texts.corpus(seed=0, per_language=800)


def test_text_files_load() -> None:
    en, zh, ev = (texts.load_lines(name) for name in texts.TEXT_NAMES)
    assert len(en) >= 200 and len(zh) >= 150 and 30 <= len(ev) <= 40
    for lines in (en, zh, ev):
        assert all(line == line.strip() and line for line in lines)
        assert len({texts.normalise(line) for line in lines}) == len(lines), "duplicate lines"
    assert all(_CJK.search(line) for line in zh)
    assert not any(_CJK.search(line) for line in en + ev)
    with pytest.raises(ValueError):
        texts.load_lines("../pyproject")


def test_eval_lines_not_in_our_training_files() -> None:
    held_out = {texts.normalise(line) for line in texts.load_lines("eval_en")}
    for name in ("en_sales", "zh_sales"):
        assert not held_out & {texts.normalise(line) for line in texts.load_lines(name)}


def test_espeak_voices_exist() -> None:
    from studio.errors import StudioError
    from studio.voice import espeak_lib

    try:
        voices = espeak_lib.list_voices()
    except StudioError as exc:
        pytest.skip(f"libespeak-ng unavailable: {exc}")
    known = {lang for v in voices for lang in v.languages}
    assert {code: v for code, v in texts.ESPEAK_VOICE.items() if v not in known} == {}


@needs_catalogs
def test_mo_sentences_are_clean() -> None:
    for language in ("en", "de", "fr", "ru", "zh", "ja"):
        sentences = texts.mo_sentences(language, 3000, random.Random(7))
        assert len(sentences) >= 1000, language
        assert len({texts.normalise(s) for s in sentences}) == len(sentences)
        for sentence in sentences:
            assert not _PLACEHOLDER.search(sentence), (language, sentence)
            assert "://" not in sentence and "_" not in sentence and "&" not in sentence
            assert "\n" not in sentence and len(sentence) <= 200
            if language in ("zh", "ja"):
                assert len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", sentence)) >= 4, sentence
            else:
                assert len(sentence.split()) >= 3, sentence
    # the language really is the one asked for
    assert all(_CJK.search(s) for s in texts.mo_sentences("zh", 200, random.Random(0)))
    cyrillic = texts.mo_sentences("ru", 200, random.Random(0))
    assert all(re.search(r"[а-яё]", s, re.IGNORECASE) for s in cyrillic)
    german = " ".join(texts.mo_sentences("de", 500, random.Random(0))).split()
    assert {"der", "die", "und", "nicht"} <= set(german)


def test_clean_message_on_typical_catalog_strings() -> None:
    clean = texts.clean_message
    assert clean("%s: cannot open file", "en") == ["cannot open file"]
    assert clean("Could not save the file: %s\n", "en") == ["Could not save the file"]
    assert clean("Your password on %s will expire in %d days.", "en") == []  # a hole mid-sentence
    assert clean("_Open the selected file", "en") == ["Open the selected file"]
    assert clean("<b>Save</b> all &amp; quit the program", "en") == []  # & reads as code
    assert clean("See https://example.org for more details.", "en") == []
    assert clean("  -a, --all     do not ignore entries", "en") == []
    assert clean("打开选中的文件(_O)", "zh") == ["打开选中的文件"]
    assert clean("It works well. Use it with care!\nThis line\nwraps around.", "en") == [
        "It works well.",
        "Use it with care!",
        "This line wraps around.",
    ]
    assert clean("Allow volume above 100%", "en") == ["Allow volume above 100%"]


@needs_catalogs
def test_mo_languages() -> None:
    languages = texts.mo_languages(1000)
    assert {"en", "zh", "de", "fr", "es", "ru", "ja"} <= set(languages)
    assert all(re.fullmatch(r"[a-z]{2,3}", code) for code in languages)


@needs_catalogs
def test_corpus_holds_no_eval_line(corpus_0: dict[str, list[str]]) -> None:
    held_out = {texts.normalise(line) for line in texts.load_lines("eval_en")}
    assert {"en", "zh", "de", "fr", "es"} <= set(corpus_0)
    assert set(corpus_0) <= set(texts.ESPEAK_VOICE)
    for language, sentences in corpus_0.items():
        assert not held_out & {texts.normalise(s) for s in sentences}, language
        assert len({texts.normalise(s) for s in sentences}) == len(sentences), language
    en = {texts.normalise(s) for s in corpus_0["en"]}
    assert {texts.normalise(s) for s in texts.load_lines("en_sales")} <= en
    assert len(corpus_0["en"]) > len(texts.load_lines("en_sales"))
    zh = set(corpus_0["zh"])
    assert set(texts.load_lines("zh_sales")) <= zh


@needs_catalogs
def test_corpus_is_deterministic_for_a_seed(corpus_0: dict[str, list[str]]) -> None:
    assert texts.corpus(seed=0, per_language=800) == corpus_0
    other = texts.corpus(seed=1, per_language=800)
    assert set(other) == set(corpus_0)
    assert other["de"] != corpus_0["de"]
