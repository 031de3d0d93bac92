"""The visible "AI-generated" label burned into every frame.

It is set in Noto Sans CJK (SIL OFL 1.1, shipped by the PyPI package noto-cjk-sans-otc), which
covers Latin, Cyrillic, Greek and Chinese, Japanese and Korean, so a label such as "AI生成内容"
reads correctly on a Douyin stream.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studio.errors import InputError
from studio.translation import mark, tr

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
_SIMPLIFIED_CHINESE_FACE = 2  # index of "Noto Sans CJK SC" in the collection
MAX_LABEL_CHARS = 60
DEFAULT_TEXT = mark("AI-generated")


def default_label_text() -> str:
    """The label's words when the user chose none, in the language Studio speaks ("AI生成" in
    Chinese): the viewers of a Chinese show read a Chinese label, as GB 45438-2025 shows them."""
    return tr(DEFAULT_TEXT)


@dataclass(frozen=True)
class LabelSettings:
    enabled: bool = True
    text: str = "AI-generated"
    corner: str = "top-right"

    def __post_init__(self) -> None:
        if self.corner not in CORNERS:
            raise ValueError(f"label corner must be one of {', '.join(CORNERS)}")


@lru_cache(maxsize=1)
def _font_path() -> Path:
    import noto_cjk_sans_otc

    return Path(str(noto_cjk_sans_otc.FONT_PATH))


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_path()), size, index=_SIMPLIFIED_CHINESE_FACE)


def check_label_text(text: str) -> str:
    """The label must be short and every character must be drawable, or it is not a label."""
    # Invisible format characters (zero-width joiners, direction marks) draw nothing: drop them.
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    clean = " ".join(visible.split())
    if not clean:
        raise InputError(
            tr("the AI label text is empty."),
            tr("Give the AI label some words, e.g. 'AI-generated' (Settings page, or --label-text)."),
        )
    if len(clean) > MAX_LABEL_CHARS:
        raise InputError(
            tr("the AI label text has {count} characters.").format(count=len(clean)),
            tr("Keep it to {limit} or fewer.").format(limit=MAX_LABEL_CHARS),
        )
    font = _font(32)
    # A character the font lacks is drawn as its "missing glyph" box; compare against that box.
    notdef = font.getmask("\U0010fffd")
    notdef_key = (notdef.size, bytes(notdef))

    def missing_glyph(ch: str) -> bool:
        mask = font.getmask(ch)
        return mask.getbbox() is None or (mask.size, bytes(mask)) == notdef_key

    missing = sorted({ch for ch in clean if not ch.isspace() and missing_glyph(ch)})
    if missing:
        raise InputError(
            tr("the label font cannot draw {characters}.").format(characters=" ".join(missing)),
            tr("Use Latin, Cyrillic, Greek, Chinese, Japanese or Korean text."),
        )
    return clean


# The smallest type that stays legible, Chinese included, once a player scales and compresses
# the video (judged from stills of "AI-generated" and "AI生成内容" at 8 to 14 px).
MIN_LABEL_PX = 10
_LINE_SPACING = 0.15  # of the font size, between the two lines of a wrapped label


@dataclass(frozen=True)
class LabelLayout:
    size: int  # font size, px
    text: str  # the label's words, with a newline where it wraps
    width: int  # of the tile, padding included
    height: int
    text_x: int  # where the text is drawn in the tile
    text_y: int
    margin: int  # from the frame's edges


def _measure(text: str, font: ImageFont.FreeTypeFont, size: int) -> tuple[int, int, int, int]:
    draw = ImageDraw.Draw(Image.new("L", (1, 1)))
    spacing = round(size * _LINE_SPACING)
    box = draw.multiline_textbbox((0, 0), text, font=font, spacing=spacing, align="center")
    return int(box[0]), int(box[1]), int(box[2]), int(box[3])


def _two_lines(text: str, font: ImageFont.FreeTypeFont) -> str | None:
    """The most even split in two at a space, after a hyphen or between CJK characters; None
    when the text has no such place (one word is never cut)."""
    splits = []
    for i in range(1, len(text)):
        before, after = text[i - 1], text[i]
        if after == " ":
            splits.append(text[:i] + "\n" + text[i + 1 :])
        elif before == "-" or (_is_wide(before) and _is_wide(after)):
            splits.append(text[:i] + "\n" + text[i:])
    if not splits:
        return None
    return min(splits, key=lambda t: max(font.getlength(line) for line in t.split("\n")))


def _is_wide(ch: str) -> bool:
    # CJK text has no spaces and may wrap between any two characters.
    return unicodedata.east_asian_width(ch) in ("W", "F")


def layout_label(text: str, width: int, height: int) -> LabelLayout | None:
    """Where and how big ``text`` is drawn on a ``width`` x ``height`` frame: on one line at
    about 3 % of the frame's shorter side, smaller or on two lines when that does not fit, never
    cut and never below MIN_LABEL_PX. None when the frame cannot hold it that way."""
    short = min(width, height)
    margin = max(2, round(short * 0.03))
    room_w, room_h = width - 2 * margin, height - 2 * margin
    target = max(12, round(short * 0.032))
    one, two = (_fit(text, lines, target, room_w, room_h, margin) for lines in (1, 2))
    # A second line only when it makes the type clearly bigger.
    if one is not None and (two is None or one.size * 5 >= two.size * 4):
        return one
    return two


def _fit(text: str, lines: int, target: int, room_w: int, room_h: int, margin: int) -> LabelLayout | None:
    """The largest size from ``target`` down to MIN_LABEL_PX at which ``text`` on ``lines``
    lines fits the room."""
    for size in range(target, MIN_LABEL_PX - 1, -1):
        font = _font(size)
        shown = text if lines == 1 else _two_lines(text, font)
        if shown is None:
            return None
        pad_x, pad_y = max(3, round(size * 0.5)), max(2, round(size * 0.3))
        left, top, right, bottom = _measure(shown, font, size)
        w, h = right - left + 2 * pad_x, bottom - top + 2 * pad_y
        if w <= room_w and h <= room_h:
            return LabelLayout(size, shown, w, h, pad_x - left, pad_y - top, margin)
    return None


def check_label_fits(text: str, width: int, height: int) -> LabelLayout:
    """The layout of ``text`` on the frame, or an error saying the frame is too small for it."""
    layout = layout_label(text, width, height)
    if layout is None:
        raise InputError(
            tr(
                "a {width}x{height} frame is too small to show the AI label '{text}' readably "
                "(at least {px} px type, on at most two lines)."
            ).format(width=width, height=height, text=text, px=MIN_LABEL_PX),
            tr("Use a larger frame size or a shorter label."),
        )
    return layout


class Label:
    """Pre-rendered once; compositing it costs one small blend per frame."""

    def __init__(self, settings: LabelSettings, width: int, height: int) -> None:
        self.settings = settings
        self.box = (0, 0, 0, 0)
        if not settings.enabled:
            return
        layout = check_label_fits(settings.text, width, height)
        w, h = layout.width, layout.height
        tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(tile)
        draw.rounded_rectangle(
            (0, 0, w - 1, h - 1), radius=round(min(h, layout.size * 1.6) * 0.3), fill=(12, 12, 16, 168)
        )
        draw.multiline_text(
            (layout.text_x, layout.text_y),
            layout.text,
            font=_font(layout.size),
            fill=(255, 255, 255, 245),
            spacing=round(layout.size * _LINE_SPACING),
            align="center",
        )
        rgba = np.asarray(tile).astype(np.float32)
        self._rgb = rgba[..., :3]
        self._alpha = rgba[..., 3:] / 255.0
        x = layout.margin if settings.corner.endswith("left") else width - w - layout.margin
        y = layout.margin if settings.corner.startswith("top") else height - h - layout.margin
        self.box = (x, y, x + w, y + h)

    def apply(self, frame: np.ndarray) -> None:
        if not self.settings.enabled:
            return
        x0, y0, x1, y1 = self.box
        region = frame[y0:y1, x0:x1].astype(np.float32)
        frame[y0:y1, x0:x1] = (region * (1 - self._alpha) + self._rgb * self._alpha).astype(np.uint8)
