"""Parsing of the render command's options and script text."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from studio.cli.render_options import check_text, parse_fps, parse_size, read_script
from studio.errors import InputError


def test_script_lines_become_sentences_so_the_voice_pauses_between_them() -> None:
    script = "Welcome to the live room\nToday's deal is great!\n\n  大家好\n最后一句。\n"
    assert check_text(script) == "Welcome to the live room. Today's deal is great! 大家好。 最后一句。"


def test_text_is_limited_and_must_say_something() -> None:
    with pytest.raises(InputError, match="empty"):
        check_text(" \n\t ")
    with pytest.raises(InputError, match="characters"):
        check_text("word " * 5000)


@pytest.mark.parametrize(("value", "size"), [("1280x720", (1280, 720)), (" 640 X 360 ", (640, 360))])
def test_sizes(value: str, size: tuple[int, int]) -> None:
    assert parse_size(value) == size


@pytest.mark.parametrize("value", ["1280", "13x7", "1281x720", "9000x9000", "axb"])
def test_bad_sizes(value: str) -> None:
    with pytest.raises(InputError, match="--size"):
        parse_size(value)


def test_fps_reads_ntsc_rates_exactly() -> None:
    assert parse_fps("29.97") == Fraction(30000, 1001)
    assert parse_fps("30000/1001") == Fraction(30000, 1001)
    for bad in ("0", "61", "fast"):
        with pytest.raises(InputError, match="--fps"):
            parse_fps(bad)


def test_script_files_that_cannot_be_read_are_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_script(tmp_path)
    with pytest.raises(InputError, match="does not exist"):
        read_script(tmp_path / "nope.txt")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("café crème".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_script(latin1)
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffHello".encode())
    assert read_script(bom) == "Hello"
