"""The product card: drawn once, blended per frame over the live video (never over the AI label),
faded in with its product's segment and swapped when the segment on air presents another."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from live_fixtures import Sink

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.commerce import load_catalog
from studio.live.rundown import Rundown, Segment
from studio.pipeline.live_room import RoomOptions
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import Label, LabelSettings
from studio.render.photo_renderer import PhotoRenderer, RenderSettings
from studio.render.product_card import card_patch
from studio.room import make_comment

CATALOG = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"
W, H = 640, 360


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


def _frame(avatar: Avatar, label: LabelSettings) -> np.ndarray:
    settings = RenderSettings(W, H, Fraction(30), label=label)
    return PhotoRenderer(avatar.image, avatar.landmarks, settings).render(0, np.zeros(5, np.float32))


def _box(patch) -> tuple[int, int, int, int]:  # noqa: ANN001
    h, w = patch.alpha.shape[:2]
    return patch.x, patch.y, patch.x + w, patch.y + h


def test_the_card_blends_over_its_own_box_only_and_fades(avatar: Avatar) -> None:
    label = LabelSettings(True, "AI-generated", "top-right")
    frame = _frame(avatar, label)
    catalog = load_catalog(CATALOG)
    patch = card_patch(catalog.product("mug"), "en", W, H, Label(label, W, H).box, CATALOG.parent)
    x0, y0, x1, y1 = _box(patch)
    assert x0 < W // 3 and y1 > H * 0.9 and y1 <= H  # a lower third, bottom left
    full = patch.apply(frame.copy())
    half = patch.apply(frame.copy(), 0.5)
    outside = np.ones((H, W), bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(full[outside], frame[outside])  # nothing else of the picture changes
    inside = (slice(y0 + 3, y1 - 3), slice(x1 - 6, x1 - 3))  # plain card background at its right end
    assert full[inside].mean() > 225 > frame[inside].mean()
    halfway = (frame[inside].astype(float) + full[inside]) / 2
    assert np.abs(half[inside] - halfway).max() <= 2
    # The mug's picture is on the card: its sage green at the picture's centre.
    cy, cx = (y0 + y1) // 2, x0 + (y1 - y0) // 2
    r, g, b = full[cy, cx].astype(int)
    assert g > r + 20 and g > b
    # A shared read-only picture (the slate) is never written: the card goes on a copy.
    frozen = frame.copy()
    frozen.setflags(write=False)
    assert patch.apply(frozen) is not frozen and np.array_equal(frozen, frame)


def test_the_card_never_covers_the_ai_label(avatar: Avatar) -> None:
    label = LabelSettings(True, "AI-generated", "bottom-left")
    frame = _frame(avatar, label)
    box = Label(label, W, H).box
    patch = card_patch(load_catalog(CATALOG).product("board"), "zh", W, H, box, CATALOG.parent)
    x0, y0, x1, y1 = _box(patch)
    assert y1 <= box[1]  # above the label
    shown = patch.apply(frame.copy())
    lx0, ly0, lx1, ly1 = box
    assert np.array_equal(shown[ly0:ly1, lx0:lx1], frame[ly0:ly1, lx0:lx1])


def test_the_live_show_shows_the_card_of_the_segment_on_air(avatar: Avatar, tmp_path: Path) -> None:
    rundown = Rundown(
        (
            Segment("Here is our ceramic travel mug.", pause_ms=300, product="mug"),
            Segment("And this is the bamboo cutting board.", pause_ms=300, product="board"),
        ),
        loop=False,
    )
    label = LabelSettings(True, "AI-generated", "top-right")
    settings = RenderSettings(W, H, Fraction(30), label=label)
    sink = Sink(keep_images=True)
    options = LiveOptions(
        rundown=rundown, voice="espeak:en-us", duration_s=6.0, log_dir=tmp_path, disclosure=None,
        room=RoomOptions(CATALOG),
    )  # fmt: skip
    show = LiveShow(avatar, settings, options, extra_outputs=(sink,))
    assert show.room is not None and show.room.cards is not None
    show.start()
    try:
        assert show.wait(60)
    finally:
        show.stop()
    assert show.error is None
    said = [r for r in _said(show.log_path)]
    board_at = next(round(r["pts_s"] * 30) for r in said if "board" in r["text"])
    mug = show.room.cards.patch("mug")
    board = show.room.cards.patch("board")

    def green(image: np.ndarray, patch) -> bool:  # noqa: ANN001
        x0, y0, x1, y1 = _box(patch)
        r, g, _ = image[(y0 + y1) // 2, x0 + (y1 - y0) // 2].astype(int)
        return g > r + 20

    def carded(image: np.ndarray, patch) -> bool:  # noqa: ANN001
        x0, y0, x1, y1 = _box(patch)
        return float(image[y0 + 3 : y1 - 3, x1 - 6 : x1 - 3].mean()) > 225

    frames = dict(zip(sink.frames, sink.images, strict=True))
    assert not carded(frames[0], mug)  # it fades in…
    assert carded(frames[12], mug) and green(frames[12], mug)  # …to the mug's card
    later = frames[board_at + 24]
    assert carded(later, board) and not green(later, board)  # the board's segment: its card


def _said(log: Path) -> list[dict]:
    import json

    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return [r for r in records if r["type"] == "said"]


def test_the_question_shows_above_the_card_while_its_answer_is_said(avatar: Avatar, tmp_path: Path) -> None:
    rundown = Rundown((Segment("Here is our ceramic travel mug.", pause_ms=300, product="mug"),), loop=True)
    settings = RenderSettings(W, H, Fraction(30), label=LabelSettings(True, "AI-generated", "top-right"))
    sink = Sink(keep_images=True)
    options = LiveOptions(
        rundown=rundown, voice="espeak:en-us", log_dir=tmp_path, disclosure=None,
        room=RoomOptions(CATALOG, auto=("price",)),
    )  # fmt: skip
    show = LiveShow(avatar, settings, options, extra_outputs=(sink,))
    show.start()
    try:
        assert show.room is not None and show.room.cards is not None
        show.room.queue.submit(make_comment("ann", "How much is it?", "test"))  # type: ignore[arg-type]
        end = time.monotonic() + 60
        while show.room.answered < 1 and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(1.5)
    finally:
        show.stop()
    assert show.error is None
    answer = next(r for r in _said(show.log_path) if r.get("answers"))
    at = round(answer["pts_s"] * 30)
    caption = show.room.cards.caption("ann: How much is it?")
    x0, y0, x1, y1 = _box(caption)
    assert y1 <= show.room.cards.patch("mug").y  # above the card

    def pill(image: np.ndarray) -> float:  # the share of the box in the caption's dark grey
        return float((image[y0:y1, x0:x1].max(axis=2) < 70).mean())

    frames = dict(zip(sink.frames, sink.images, strict=True))
    assert pill(frames[at + 10]) > 0.5 > 0.2 > pill(frames[at - 5])
