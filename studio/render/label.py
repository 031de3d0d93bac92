"""The visible "AI-generated" label burned into every frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class LabelSettings:
    enabled: bool = True
    text: str = "AI-generated"
    corner: str = "top-right"

    def __post_init__(self) -> None:
        if self.corner not in CORNERS:
            raise ValueError(f"label corner must be one of {', '.join(CORNERS)}")


class Label:
    """Pre-rendered once; compositing it costs one small blend per frame."""

    def __init__(self, settings: LabelSettings, width: int, height: int) -> None:
        self.settings = settings
        size = max(12, round(height * 0.032))
        font = ImageFont.load_default(size=size)
        pad_x, pad_y = round(size * 0.6), round(size * 0.35)
        left, top, right, bottom = font.getbbox(settings.text)
        w, h = int(right - left) + 2 * pad_x, int(bottom - top) + 2 * pad_y
        tile = Image.new("RGBA", (w, h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(tile)
        draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=round(h * 0.3), fill=(12, 12, 16, 168))
        draw.text((pad_x - left, pad_y - top), settings.text, font=font, fill=(255, 255, 255, 245))
        rgba = np.asarray(tile).astype(np.float32)
        self._rgb = rgba[..., :3]
        self._alpha = rgba[..., 3:] / 255.0
        margin = round(height * 0.03)
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
