"""``studio report`` on a real live-commerce show's log: each product's airtime, the viewers'
questions and what became of them, and late frames over time as a plot on the HTML page."""

from __future__ import annotations

import re
import time
from fractions import Fraction
from pathlib import Path

import pytest

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.cli.main import main
from studio.compliance.report import build_report
from studio.live.rundown import Rundown, Segment
from studio.pipeline import show_log
from studio.pipeline.live_room import RoomOptions
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings
from studio.room import make_comment

CATALOG = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"
SETTINGS = RenderSettings(320, 180, Fraction(30), label=LabelSettings(True, "AI-generated", "top-right"))


def _ask(show: LiveShow, user: str, text: str):  # noqa: ANN202
    assert show.room is not None
    comment = make_comment(user, text, "test")
    assert comment is not None
    return show.room.queue.submit(comment)


def test_the_report_of_a_room_show(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(show_log, "FRAMES_EVERY_S", 1.0)  # frame counts every second: a plot of a short show
    rundown = Rundown(
        (
            Segment("Here is our ceramic travel mug.", pause_ms=300, product="mug"),
            Segment("And this is the bamboo cutting board.", pause_ms=300, product="board"),
        ),
        loop=True,
    )
    options = LiveOptions(
        rundown=rundown, voice="espeak:en-us", duration_s=8.0, log_dir=tmp_path, disclosure=None,
        room=RoomOptions(CATALOG, auto=("price",)),
    )  # fmt: skip
    show = LiveShow(load_avatar(demo_package_path(), ""), SETTINGS, options)
    show.start()
    try:
        assert show.room is not None
        _ask(show, "ann", "How much is the mug?")  # approved without a person, said
        declined = _ask(show, "bo", "Who designed the mug?")  # nothing in the catalogue says
        rejected = _ask(show, "cy", "Is the lamp dimmable?")
        assert declined is not None and rejected is not None
        show.room.queue.reject(rejected.id, "operator")
        end = time.monotonic() + 30
        while show.room.answered < 1 and time.monotonic() < end:
            time.sleep(0.05)
        show.wait(30)
    finally:
        show.stop()
    assert show.error is None
    report = build_report(show.log_path)
    sections = dict(report.sections)
    airtime = sections["Products on air"]
    assert sorted(line.split(":")[0] for line in airtime) == ["board", "mug"]
    shares = [int(re.search(r"\((\d+) %\)", line).group(1)) for line in airtime]  # type: ignore[union-attr]
    assert 98 <= sum(shares) <= 102 and all(s > 0 for s in shares)  # both on air, the show's 8 s shared
    questions = sections["Viewers' questions"]
    assert questions[0] == "3 asked, 1 answered on air, 1 the catalogue could not answer (declined)"
    assert questions[1].startswith("1 approved (1 without a person, 0 edited), 1 rejected, 0 dropped")
    assert questions[2] == "0 approved answers kept off the air by the claims checker"
    assert "records this report does not summarise" not in " ".join(sections["Log"])
    page = report.html()
    svg = page[page.index("<h2>Late frames</h2>") :]
    assert svg.count("<svg") == 1 and "late or skipped" in svg
    # The CLI writes the same page.
    html = tmp_path / "report.html"
    assert main(["report", str(show.log_path), "--html", str(html)]) == 0
    assert "<svg" in html.read_text(encoding="utf-8")
