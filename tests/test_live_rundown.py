"""Rundown files: what people write by hand and what the app writes back."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from studio.errors import InputError
from studio.live.rundown import (
    Rundown,
    Segment,
    format_rundown,
    load_rundown,
    parse_rundown,
    save_rundown,
    split_sentences,
)

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "demo.rundown.toml"


def test_the_demo_rundown_loads_and_loops_in_order() -> None:
    rundown = load_rundown(DEMO)
    assert rundown.loop and len(rundown.segments) == 4
    assert rundown.segments[2].repeat == 2
    per_pass = sum(len(s.sentences()) * s.repeat for s in rundown.segments)
    lines = list(itertools.islice(rundown.lines(), 2 * per_pass + 1))
    assert [line.text for line in lines[:per_pass]] == [line.text for line in lines[per_pass : 2 * per_pass]]
    assert lines[2 * per_pass].text == lines[0].text  # the show starts over
    offer = [line for line in lines[:per_pass] if line.segment == 3]
    assert [line.text for line in offer] == [s for s in rundown.segments[2].sentences()] * 2
    assert all(line.voice == "piper:en_US-joe-medium" for line in lines)


def test_a_rundown_that_does_not_loop_ends() -> None:
    rundown = Rundown((Segment("One. Two.", repeat=2),), loop=False)
    assert [line.text for line in rundown.lines()] == ["One.", "Two.", "One.", "Two."]


def test_sentences_split_on_latin_and_cjk_punctuation_and_lines() -> None:
    assert split_sentences("Hi there! Is it good? Yes… it is.\nNext line") == [
        "Hi there!", "Is it good?", "Yes…", "it is.", "Next line",
    ]  # fmt: skip
    assert split_sentences("大家好！欢迎来到直播间。今天有优惠？") == [
        "大家好！",
        "欢迎来到直播间。",
        "今天有优惠？",
    ]
    assert split_sentences("Version 2.5 is out.") == ["Version 2.5 is out."]


def test_written_rundowns_read_back_the_same(tmp_path: Path) -> None:
    rundown = Rundown(
        (
            Segment('He said "50% off" \\ today.\nSecond line.', "edge:zh-CN-XiaoxiaoNeural", 3, 0, "Quote"),
            Segment("大家好，欢迎来到直播间！", None, 1, 250),
        ),
        loop=False,
    )
    path = tmp_path / "show.rundown.toml"
    save_rundown(rundown, path)
    assert load_rundown(path) == rundown
    assert format_rundown(load_rundown(path)) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("version = 2\n[[segment]]\ntext='a'", "rundown version 2"),
        ("loop = true\n", "no [[segment]]"),
        ("[[segment]]\ntext = '  '", "no text to speak"),
        ("[[segment]]\ntext = 'Hi.'\nrepeat = 0", "'repeat' must be a whole number"),
        ("[[segment]]\ntext = 'Hi.'\nrepeat = true", "'repeat' must be a whole number"),
        ("[[segment]]\ntext = 'Hi.'\npause_ms = -1", "'pause_ms'"),
        ("[[segment]]\ntext = 'Hi.'\nvoise = 'x'", "unknown keys: voise"),
        ("[[segment]]\ntext = 'Hi.'\nvoice = ''", "'voice' must be a voice name"),
        ("[[segment]\ntext = 'Hi.'", "not valid TOML"),
        ("loop = 'yes'\n[[segment]]\ntext='a'", "'loop' must be true or false"),
    ],
)
def test_bad_rundowns_say_what_is_wrong(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem.replace("[", r"\[").replace("]", r"\]")) as err:
        load_rundown(path)
    assert "Traceback" not in str(err.value)


def test_missing_and_non_utf8_rundowns(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_rundown(tmp_path / "nope.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes("[[segment]]\ntext = 'caf\xe9'".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_rundown(latin)


def test_parse_accepts_defaults() -> None:
    rundown = parse_rundown({"segment": [{"text": "Hello there."}]})
    assert rundown.loop and rundown.segments == (Segment("Hello there."),)


def test_a_looping_rundown_with_nothing_to_say_yields_nothing_instead_of_spinning() -> None:
    rundown = Rundown((Segment("   "), Segment("")), loop=True)
    assert list(rundown.lines()) == []


def test_control_characters_in_show_text_round_trip(tmp_path: Path) -> None:
    """A DEL (U+007F) pasted into show text used to be written raw, which TOML forbids, so the
    saved rundown could not be read back."""
    every_control = "".join(chr(c) for c in [*range(1, 32), 127, 0x85, 0x9F])
    rundown = Rundown(
        (Segment(f"Hello{every_control}there. Price\x7f 10.", "espeak:en\x7f", 1, 0, "Ti\x7ftle\x00"),),
        loop=False,
    )
    path = tmp_path / "show.rundown.toml"
    save_rundown(rundown, path)
    assert "\x7f" not in path.read_text(encoding="utf-8")
    assert load_rundown(path) == rundown


def test_a_lone_surrogate_is_saved_as_a_replacement_character(tmp_path: Path) -> None:
    path = tmp_path / "show.rundown.toml"
    save_rundown(Rundown((Segment("Half a pair: \ud83d here."),)), path)
    assert load_rundown(path).segments[0].text == "Half a pair: \ufffd here."


@pytest.mark.parametrize(
    "text", ["a = " + "[" * 100_000, "a = " + "{b = " * 50_000, "[[segment]]\ntext = " + "[" * 5000]
)
def test_deeply_nested_rundowns_give_one_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "deep.rundown.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="nested too deeply to be a rundown"):
        load_rundown(path)


def test_a_rundown_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a device"):
        load_rundown(Path("/dev/zero"))


def test_a_long_sentence_comes_as_bounded_lines_with_the_pause_after_the_last() -> None:
    """A 20 KB segment with no full stop used to be one clip (16 GB with the Piper voice)."""
    from studio.voice.chunking import MAX_CHUNK_CHARS

    text = "word, " * 3400  # about 20 KB
    rundown = Rundown((Segment(text.strip(), pause_ms=400), Segment("Next one.", pause_ms=300)), loop=False)
    lines = list(rundown.lines())
    assert len(lines) > 100 and all(len(line.text) <= MAX_CHUNK_CHARS for line in lines)
    assert " ".join(line.text for line in lines[:-1]) == text.strip()
    assert [line.pause_ms for line in lines[:-2]] == [0] * (len(lines) - 2)
    assert (lines[-2].pause_ms, lines[-1].pause_ms) == (400, 300)
    assert {line.segment for line in lines[:-1]} == {1} and lines[-1].segment == 2
