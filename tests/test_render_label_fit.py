"""The AI label fits every legal frame size: smaller type or two lines, never cut, and a frame
too small for a readable label is refused with one line."""

from __future__ import annotations

import numpy as np
import pytest

from studio.cli.render_options import parse_size
from studio.errors import InputError
from studio.render.label import (
    CORNERS,
    MIN_LABEL_PX,
    Label,
    LabelSettings,
    _font,
    check_label_fits,
    layout_label,
)
from studio.render.photo_renderer import MAX_HEIGHT, MAX_WIDTH, MIN_SIDE

LONG = "AI-generated content: synthetic host, not a real person"
SIZES = [
    (MIN_SIDE, MAX_HEIGHT),
    (MAX_WIDTH, MIN_SIDE),
    (MIN_SIDE, MIN_SIDE),
    (320, 180),
    (1280, 720),
    (720, 1280),
    (MAX_WIDTH, MAX_HEIGHT),
]


def ink_columns(frame: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return np.nonzero((frame[y0:y1, x0:x1].min(axis=2) > 200).any(axis=0))[0]


@pytest.mark.parametrize(("width", "height"), SIZES)
@pytest.mark.parametrize("corner", CORNERS)
def test_the_default_label_fits_every_legal_size_whole(width: int, height: int, corner: str) -> None:
    label = Label(LabelSettings(corner=corner), width, height)
    x0, y0, x1, y1 = label.box
    assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    frame = np.zeros((height, width, 3), np.uint8)
    label.apply(frame)
    # Nothing drawn outside the box, and the text keeps clear of the box's edges (not cut).
    outside = frame.copy()
    outside[y0:y1, x0:x1] = 0
    assert not outside.any()
    ink = ink_columns(frame, label.box)
    assert ink.size and ink[0] > 0 and ink[-1] < x1 - x0 - 1


def test_every_word_of_a_wrapped_label_is_kept_and_words_are_not_split() -> None:
    narrow = layout_label("AI-generated", MIN_SIDE, MAX_HEIGHT)
    assert narrow is not None and narrow.size >= MIN_LABEL_PX
    assert narrow.text == "AI-\ngenerated"  # the hyphen is where it may break
    small = layout_label(LONG, 200, 112)
    assert small is not None and small.text.count("\n") == 1
    assert small.text.replace("\n", " ") == LONG
    assert small.width <= 200 - 2 * small.margin
    wide = layout_label(LONG, 1280, 720)
    assert wide is not None and wide.text == LONG and wide.size == 23  # one line, 3 % of 720
    # Chinese has no spaces: it wraps between characters.
    cjk = layout_label("这是人工智能生成的虚拟主播", 100, 100)
    assert cjk is not None and cjk.text.replace("\n", "") == "这是人工智能生成的虚拟主播"
    assert "\n" in cjk.text


def test_a_label_drawn_on_two_lines_has_ink_on_both() -> None:
    label = Label(LabelSettings(True, "AI-generated", "top-left"), MIN_SIDE, MAX_HEIGHT)
    frame = np.zeros((MAX_HEIGHT, MIN_SIDE, 3), np.uint8)
    label.apply(frame)
    x0, y0, x1, y1 = label.box
    rows = np.nonzero((frame[y0:y1, x0:x1].min(axis=2) > 200).any(axis=1))[0]
    gaps = np.diff(rows)
    assert rows.size and gaps.max() > 1, "two separate lines of text"


def test_a_frame_too_small_for_a_readable_label_is_refused_in_one_line() -> None:
    with pytest.raises(InputError) as err:
        check_label_fits(LONG, MIN_SIDE, MIN_SIDE)
    message = str(err.value)
    assert "64x64" in message and "too small" in message and "\n" not in message
    with pytest.raises(InputError):
        Label(LabelSettings(True, LONG), MIN_SIDE, MIN_SIDE)
    # A label that is off needs no room.
    assert Label(LabelSettings(False, LONG), MIN_SIDE, MIN_SIDE).box == (0, 0, 0, 0)
    # One word that cannot be made to fit is refused rather than cut.
    word = "Kennzeichnungspflichtig"
    assert _font(MIN_LABEL_PX).getlength(word) > MIN_SIDE
    with pytest.raises(InputError):
        check_label_fits(word, MIN_SIDE, 600)


def test_every_size_parsing_accepts_carries_the_default_label() -> None:
    for size in (f"{MIN_SIDE}x{MAX_HEIGHT}", f"{MAX_WIDTH}x{MIN_SIDE}", f"{MIN_SIDE}x{MIN_SIDE}"):
        w, h = parse_size(size)
        check_label_fits(LabelSettings().text, w, h)  # raises if it could not be shown
    check_label_fits(LONG, 320, 180)
    with pytest.raises(InputError, match="too small"):
        check_label_fits(LONG, 64, 64)
