"""``studio render --script SHOW.toml --catalog FILE``: the rendered MP4 shows each product's card
while its segment is said, drawn by the live show's own compositor (``ProductCards``), and none
while the AI notice is said; a show or catalogue that cannot work is one line and no file."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio.cli.main import main
from studio.commerce import load_catalog
from studio.compliance.disclosure import Disclosure
from studio.live.cards import FADE_FRAMES
from studio.live.rundown import load_rundown
from studio.media.clock import frame_count
from studio.pipeline.render_show import RATE, speak_rundown
from studio.render.label import Label, LabelSettings
from studio.render.product_card import ProductCards

CATALOG = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"
SIZE = (320, 180)
FPS = 30
SHOW = """loop = true
[[segment]]
text = "Here is our ceramic travel mug. It holds 350 ml."
product = "mug"
voice = "espeak:en-us"
[[segment]]
text = "Now a word from us."
voice = "espeak:en-us"
[[segment]]
text = "And this is the bamboo cutting board."
product = "board"
voice = "espeak:en-us"
"""


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _card_error(frame: np.ndarray, cards: ProductCards, product: str) -> float:
    """How far the frame is from the card of ``product`` where the card is opaque (its words,
    picture and price), in levels of 255: the compression's few when it is shown."""
    patch = cards.patch(product)
    h, w = patch.alpha.shape[:2]
    region = frame[patch.y : patch.y + h, patch.x : patch.x + w].astype(np.float32)
    opaque = patch.alpha[..., 0] > 0.99
    return float(np.abs(region[opaque] - patch.rgb[opaque]).mean())


def test_a_rendered_show_has_each_products_card_while_its_segment_is_said(tmp_path: Path) -> None:
    script = tmp_path / "show.toml"
    script.write_text(SHOW, encoding="utf-8")
    out = tmp_path / "show.mp4"
    size = f"{SIZE[0]}x{SIZE[1]}"
    args = ["render", "--avatar", "demo", "--script", str(script), "--catalog", str(CATALOG)]
    assert main([*args, "--out", str(out), "--size", size, "--fps", str(FPS)]) == 0
    frames = _frames(out)
    # Where each segment starts, from the same speech (eSpeak says it the same way each time) with
    # the same notice first: the default notice, as the render's settings give it.
    rundown = load_rundown(script)
    said = speak_rundown(rundown, None, Disclosure())
    starts = {segment: frame_count(sample, RATE, Fraction(FPS)) for sample, segment in said.starts}
    assert abs(len(frames) - frame_count(len(said.speech.audio), RATE, Fraction(FPS))) <= 1
    assert starts[1] > 0  # the notice comes first
    box = Label(LabelSettings(True, "AI-generated", "top-right"), *SIZE).box
    cards = ProductCards(load_catalog(CATALOG), "en", *SIZE, box)

    during_notice = frames[starts[1] // 2]
    mug = frames[(starts[1] + FADE_FRAMES + starts[2]) // 2]
    between = frames[(starts[2] + FADE_FRAMES + starts[3]) // 2]  # a segment naming no product
    board = frames[(starts[3] + FADE_FRAMES + len(frames)) // 2]
    # Shown: a few levels off (compression); the other card shares its background, not its words.
    assert _card_error(mug, cards, "mug") < 8 and _card_error(mug, cards, "board") > 15
    assert _card_error(board, cards, "board") < 8 and _card_error(board, cards, "mug") > 15
    for bare in (during_notice, between):  # the avatar's own pixels there: far from either card
        assert min(_card_error(bare, cards, "mug"), _card_error(bare, cards, "board")) > 60
    # The card fades in over the segment's first frames, as live: the second frame, a quarter in.
    first = frames[starts[1] + 1]
    assert 20 < _card_error(first, cards, "mug") < _card_error(during_notice, cards, "mug") - 10


@pytest.mark.parametrize(
    ("show", "extra", "expected"),
    [
        (SHOW.replace('"board"', '"kettle"'), [], "product 'kettle' is not in"),
        (SHOW.replace('product = "mug"\n', "").replace('product = "board"\n', ""), [], "names a product"),
        (SHOW.replace("travel mug.", "travel mug, the best mug in the world."), [], "EN-ABS-01"),
    ],
)
def test_a_show_that_cannot_have_its_cards_is_one_line_and_no_file(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], show: str, extra: list[str], expected: str
) -> None:
    script = tmp_path / "show.toml"
    script.write_text(show, encoding="utf-8")
    out = tmp_path / "show.mp4"
    args = [
        "render",
        "--avatar",
        "demo",
        "--script",
        str(script),
        "--catalog",
        str(CATALOG),
        "--out",
        str(out),
    ]
    assert main([*args, *extra]) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err
    assert not out.exists()


def test_catalog_needs_a_rundown(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.mp4"
    args = ["render", "--avatar", "demo", "--text", "Hello.", "--catalog", str(CATALOG), "--out", str(out)]
    assert main(args) == 2
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--catalog puts each product's card on a show's rundown" in err[0]


def test_a_rundown_without_a_catalogue_is_said_segment_by_segment_not_as_its_text(tmp_path: Path) -> None:
    script = tmp_path / "show.toml"
    script.write_text(SHOW, encoding="utf-8")
    out = tmp_path / "show.mp4"
    args = ["render", "--avatar", "demo", "--script", str(script), "--no-disclosure", "--out", str(out)]
    assert main([*args, "--size", f"{SIZE[0]}x{SIZE[1]}", "--fps", str(FPS)]) == 0
    frames = _frames(out)
    said = speak_rundown(load_rundown(script), None, None)  # the three segments' sentences only
    assert abs(len(frames) - frame_count(len(said.speech.audio), RATE, Fraction(FPS))) <= 1
    box = Label(LabelSettings(True, "AI-generated", "top-right"), *SIZE).box
    cards = ProductCards(load_catalog(CATALOG), "en", *SIZE, box)
    assert min(_card_error(frames[len(frames) // 4], cards, p) for p in ("mug", "board")) > 60  # no card
