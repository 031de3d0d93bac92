"""The product card: a lower-third with the product's picture, name, price and promotion.

Each card is drawn once per product and frame size into an RGBA patch (``CardPatch``); a frame
then costs one alpha blend of that patch, scaled by the fade (``apply``). The card sits at the
bottom left, and moves up when the AI label is down there: nothing ever covers the label.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studio.commerce.catalog import Catalog, Product
from studio.commerce.wording import price_words
from studio.render.label import _font  # the label's typeface: Latin and CJK alike

_BACKGROUND = (250, 250, 247, 236)
_INK = (24, 24, 28, 255)
_PRICE = (196, 30, 58, 255)
_PROMOTION_BG = (255, 214, 92, 255)
_CAPTIONS_KEPT = 8
MIN_FRAME = (320, 180)  # smaller frames get no card: its words would not be legible


@dataclass(frozen=True)
class CardPatch:
    """A card ready to blend: premultiplied colour and coverage, and where it goes."""

    rgb: np.ndarray  # (h, w, 3) float32, colour times coverage
    alpha: np.ndarray  # (h, w, 1) float32 in 0..1
    x: int
    y: int

    def apply(self, frame: np.ndarray, fade: float = 1.0) -> np.ndarray:
        """``frame`` with the card blended in at ``fade`` (0..1): in place when it may be written,
        else a copy (a shared picture, such as the slate, is never changed)."""
        if fade <= 0.0:
            return frame
        if not frame.flags.writeable:
            frame = frame.copy()
        h, w = self.alpha.shape[:2]
        region = frame[self.y : self.y + h, self.x : self.x + w]
        a = self.alpha if fade >= 1.0 else self.alpha * np.float32(fade)
        rgb = self.rgb if fade >= 1.0 else self.rgb * np.float32(fade)
        blended = region * (1.0 - a) + rgb
        region[:] = blended.astype(np.uint8)
        return frame


def _fit_text(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """``text`` cut with an ellipsis to ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_card(
    product: Product, lang: str, width: int, height: int, folder: Path | None = None
) -> Image.Image:
    """The card of ``product`` for a ``width`` x ``height`` frame, as an RGBA image; its picture is
    looked for in ``folder`` (the catalogue's) when the catalogue names it relatively."""
    short = min(width, height)
    card_h = max(48, round(height * 0.2))
    most_w = min(width - 2 * max(2, round(short * 0.03)), max(160, round(width * 0.52)))
    pad = max(4, round(card_h * 0.09))
    name_font, price_font = _font(max(10, round(card_h * 0.17))), _font(max(12, round(card_h * 0.26)))
    small = _font(max(10, round(card_h * 0.13)))
    image = None if product.image is None else (folder or Path()) / product.image
    side = card_h - 2 * pad if image is not None and image.is_file() else 0
    x = pad + (side + pad if side else 0)
    name, price, promotion = product.name_in(lang), price_words(product, lang), product.promotion_in(lang)
    # As wide as its words need, up to about half the frame (longer words are cut with an ellipsis).
    needed = max(name_font.getlength(name), price_font.getlength(price), small.getlength(promotion) + 2 * pad)
    card_w = min(most_w, x + round(needed) + 2 * pad)
    card = Image.new("RGBA", (card_w, card_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(card)
    draw.rounded_rectangle((0, 0, card_w - 1, card_h - 1), radius=round(card_h * 0.12), fill=_BACKGROUND)
    if image is not None and side:
        with Image.open(image) as source:
            picture = source.convert("RGBA")
        picture.thumbnail((side, side), Image.Resampling.LANCZOS)
        card.alpha_composite(picture, (pad + (side - picture.width) // 2, pad + (side - picture.height) // 2))
    room = card_w - x - pad
    y = pad
    draw.text((x, y), _fit_text(draw, name, name_font, room), font=name_font, fill=_INK)
    y += round(card_h * 0.25)
    draw.text((x, y), price, font=price_font, fill=_PRICE)
    y += round(card_h * 0.36)
    if promotion:
        words = _fit_text(draw, promotion, small, room - 2 * pad)
        box = draw.textbbox((x + pad, y), words, font=small)
        draw.rounded_rectangle(
            (box[0] - pad // 2, box[1] - pad // 3, box[2] + pad // 2, box[3] + pad // 3),
            radius=max(2, pad // 2), fill=_PROMOTION_BG,
        )  # fmt: skip
        draw.text((x + pad, y), words, font=small, fill=_INK)
    return card


def place_card(
    card_w: int, card_h: int, width: int, height: int, label_box: tuple[int, int, int, int]
) -> tuple[int, int]:
    """Bottom left, above the AI label when the label would be under the card."""
    margin = max(2, round(min(width, height) * 0.03))
    x, y = margin, height - card_h - margin
    lx0, ly0, lx1, ly1 = label_box
    if lx1 > lx0 and lx0 < x + card_w and x < lx1 and ly0 < y + card_h and y < ly1:
        y = max(0, ly0 - card_h - margin)
    return x, y


def card_patch(
    product: Product,
    lang: str,
    width: int,
    height: int,
    label_box: tuple[int, int, int, int],
    folder: Path | None = None,
) -> CardPatch:
    card = draw_card(product, lang, width, height, folder)
    rgba = np.asarray(card).astype(np.float32)
    alpha = rgba[..., 3:] / 255.0
    x, y = place_card(card.width, card.height, width, height, label_box)
    return CardPatch(rgba[..., :3] * alpha, alpha, x, y)


def caption_patch(text: str, width: int, height: int, above: tuple[int, int]) -> CardPatch:
    """The viewer's question as a dark pill of white words, its bottom left corner at ``above``
    (the card's top left), at most 60 % of the frame wide."""
    size = max(10, round(height * 0.034))
    font, pad = _font(size), max(3, round(size * 0.45))
    measure = ImageDraw.Draw(Image.new("L", (1, 1)))
    words = _fit_text(measure, text, font, round(width * 0.6) - 2 * pad)
    left, top, right, bottom = (round(v) for v in measure.textbbox((0, 0), words, font=font))
    w, h = right - left + 2 * pad, bottom - top + 2 * pad
    pill = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(pill)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 2, fill=(20, 20, 26, 214))
    draw.text((pad - left, pad - top), words, font=font, fill=(255, 255, 255, 250))
    rgba = np.asarray(pill).astype(np.float32)
    alpha = rgba[..., 3:] / 255.0
    x, y = above[0], max(0, above[1] - h - max(2, pad // 2))
    return CardPatch(rgba[..., :3] * alpha, alpha, x, y)


class ProductCards:
    """The cards of a catalogue's products for one frame size, each drawn on first use."""

    def __init__(
        self, catalog: Catalog, lang: str, width: int, height: int, label_box: tuple[int, int, int, int]
    ) -> None:
        self.catalog, self.lang = catalog, lang
        self._size, self._label = (width, height), label_box
        self._patches: dict[str, CardPatch] = {}
        self._captions: dict[str, CardPatch] = {}  # by text, oldest first

    def patch(self, product_id: str) -> CardPatch:
        patch = self._patches.get(product_id)
        if patch is None:  # a few products per show: kept for the show's length
            product = self.catalog.product(product_id)
            folder = Path(self.catalog.source).parent if self.catalog.source else None
            patch = card_patch(product, self.lang, *self._size, self._label, folder)
            self._patches[product_id] = patch
        return patch

    def caption(self, text: str) -> CardPatch:
        """The caption ``text`` over the card's place (made on first use; a few kept)."""
        patch = self._captions.get(text)
        if patch is None:
            width, height = self._size
            any_card = next(iter(self._patches.values()), None)
            if any_card is None:
                product = self.catalog.products[0]
                any_card = self.patch(product.id)
            patch = caption_patch(text, width, height, (any_card.x, any_card.y))
            self._captions[text] = patch
            while len(self._captions) > _CAPTIONS_KEPT:
                self._captions.pop(next(iter(self._captions)))
        return patch

    def apply(self, frame: np.ndarray, product_id: str | None, fade: float) -> np.ndarray:
        if product_id is None or fade <= 0.0:
            return frame
        return self.patch(product_id).apply(frame, fade)
