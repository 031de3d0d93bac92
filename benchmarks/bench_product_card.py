"""Per-frame cost of the product card at 720p, against rendering the frame itself.

    python benchmarks/bench_product_card.py

Renders the demo avatar at 1280x720 and blends the mug's card over it (full, and mid-fade),
200 frames each, and prints the medians and their ratio to one frame's render. It also writes
docs/room/product_card.png and docs/room/answer_caption.png, the stills the docs show (at half
size).
"""

from __future__ import annotations

import statistics
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.commerce import load_catalog
from studio.render.label import Label
from studio.render.photo_renderer import PhotoRenderer, RenderSettings
from studio.render.product_card import ProductCards

REPO = Path(__file__).resolve().parents[1]
W, H, N = 1280, 720, 200


def _median_ms(work) -> float:  # noqa: ANN001
    times = []
    for i in range(N):
        start = time.perf_counter()
        work(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    avatar = load_avatar(demo_package_path(), "")
    settings = RenderSettings(W, H, Fraction(30))
    renderer = PhotoRenderer(avatar.image, avatar.landmarks, settings)
    catalog_path = REPO / "assets" / "demo_catalog" / "catalog.toml"
    cards = ProductCards(load_catalog(catalog_path), "en", W, H, Label(settings.label, W, H).box)
    start = time.perf_counter()
    cards.patch("mug")
    drawn_ms = (time.perf_counter() - start) * 1000
    mouth = np.zeros(5, np.float32)
    frame = renderer.render(0, mouth)
    render_ms = _median_ms(lambda i: renderer.render(i, mouth))
    full_ms = _median_ms(lambda i: cards.apply(frame, "mug", 1.0))
    fade_ms = _median_ms(lambda i: cards.apply(frame, "mug", 0.5))
    print(f"card drawn once: {drawn_ms:.1f} ms")
    print(f"render 720p: {render_ms:.2f} ms/frame")
    print(f"card blend: {full_ms:.2f} ms/frame ({full_ms / render_ms:.1%} of a render)")
    print(f"card blend mid-fade: {fade_ms:.2f} ms/frame ({fade_ms / render_ms:.1%} of a render)")
    still = cards.apply(renderer.render(0, mouth).copy(), "mug", 1.0)
    # Half size: what the docs show, without a megabyte of PNG in the repository.
    small = Image.fromarray(still).resize((W // 2, H // 2), Image.Resampling.LANCZOS)
    small.save(REPO / "docs" / "room" / "product_card.png", optimize=True)
    # And as an answer is said: the viewer's question above the card.
    asked = cards.caption("ann: How much is it?").apply(still.copy())
    small = Image.fromarray(asked).resize((W // 2, H // 2), Image.Resampling.LANCZOS)
    small.save(REPO / "docs" / "room" / "answer_caption.png", optimize=True)


if __name__ == "__main__":
    main()
