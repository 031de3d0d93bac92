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

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")
_SIMPLIFIED_CHINESE_FACE = 2  # index of "Noto Sans CJK SC" in the collection
MAX_LABEL_CHARS = 60


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


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(_font_path()), size, index=_SIMPLIFIED_CHINESE_FACE)


def check_label_text(text: str) -> str:
    """The label must be short and every character must be drawable, or it is not a label."""
    # Invisible format characters (zero-width joiners, direction marks) draw nothing: drop them.
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    clean = " ".join(visible.split())
    if not clean:
        raise InputError(
            "the AI label text is empty.",
            "Give the AI label some words, e.g. 'AI-generated' (Settings page, or --label-text).",
        )
    if len(clean) > MAX_LABEL_CHARS:
        raise InputError(
            f"the AI label text has {len(clean)} characters.", f"Keep it to {MAX_LABEL_CHARS} or fewer."
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
            f"the label font cannot draw {' '.join(missing)}.",
            "Use Latin, Cyrillic, Greek, Chinese, Japanese or Korean text.",
        )
    return clean


class Label:
    """Pre-rendered once; compositing it costs one small blend per frame."""

    def __init__(self, settings: LabelSettings, width: int, height: int) -> None:
        self.settings = settings
        margin = round(height * 0.03)
        size = max(12, round(height * 0.032))
        while True:
            font = _font(size)
            pad_x, pad_y = round(size * 0.6), round(size * 0.35)
            left, top, right, bottom = font.getbbox(settings.text)
            w, h = int(right - left) + 2 * pad_x, int(bottom - top) + 2 * pad_y
            # A long label shrinks to fit the frame rather than being cut off.
            if w <= width - 2 * margin or size <= 8:
                break
            size = max(8, int(size * (width - 2 * margin) / w))
        tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(tile)
        draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=round(h * 0.3), fill=(12, 12, 16, 168))
        draw.text((pad_x - left, pad_y - top), settings.text, font=font, fill=(255, 255, 255, 245))
        rgba = np.asarray(tile).astype(np.float32)
        self._rgb = rgba[..., :3]
        self._alpha = rgba[..., 3:] / 255.0
        x = margin if settings.corner.endswith("left") else width - w - margin
        y = margin if settings.corner.startswith("top") else height - h - margin
        self.box = (max(x, 0), max(y, 0), min(x + w, width), min(y + h, height))

    def apply(self, frame: np.ndarray) -> None:
        if not self.settings.enabled:
            return
        x0, y0, x1, y1 = self.box
        region = frame[y0:y1, x0:x1].astype(np.float32)
        rgb, alpha = self._rgb[: y1 - y0, : x1 - x0], self._alpha[: y1 - y0, : x1 - x0]
        frame[y0:y1, x0:x1] = (region * (1 - alpha) + rgb * alpha).astype(np.uint8)
