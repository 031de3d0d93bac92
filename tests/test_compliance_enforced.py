"""No prohibited claim reaches the avatar's mouth: `render` refuses it before any voice speaks, a
live show refuses a plain-text script that makes one, and a typed interjection that makes one is
not said while the show goes on."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import pytest
from cli_output import one_error_line

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.cli.main import main
from studio.errors import InputError
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings


def test_render_refuses_a_claim_in_one_line_and_writes_nothing(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "pitch.txt"
    script.write_text("Welcome back, everyone!\n这款精华全网最低价，还能治疗痘痘。\n", encoding="utf-8")
    out = tmp_path / "out.mp4"
    assert main(["render", "--avatar", "demo", "--script", str(script), "--out", str(out)]) == 2
    line = one_error_line(capfd)
    assert f"{script}:2:" in line and "ZH-ABS" in line and "1 more" in line
    assert not out.exists() and list(tmp_path.iterdir()) == [script]


def test_a_live_script_with_a_claim_is_refused_before_the_show(tmp_path: Path) -> None:
    script = tmp_path / "show.txt"
    script.write_text("Hello and welcome!\nI'm not an AI, I'm a real person.\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"show.txt, segment 2: EN-IMP"):
        LiveShow(
            load_avatar(demo_package_path(), ""),
            RenderSettings(160, 96, Fraction(30)),
            LiveOptions(script=script, duration_s=1.0),
        )


def test_a_typed_claim_is_not_said_and_the_show_goes_on(tmp_path: Path) -> None:
    script = tmp_path / "show.txt"
    script.write_text("Hello and welcome to the live room!\n", encoding="utf-8")
    out = tmp_path / "show.mp4"
    show = LiveShow(
        load_avatar(demo_package_path(), ""),
        RenderSettings(160, 96, Fraction(30)),
        LiveOptions(script=script, record=out, duration_s=8.0),
    )
    show.start()
    try:
        time.sleep(1.0)
        with pytest.raises(InputError, match="not said: .*guarantee"):
            show.interject("Guaranteed results in seven days or your money back!")
        assert show.interject("Thanks for the follow, Lina!")
        assert show.wait(30)
    finally:
        stats = show.stop()
    assert show.engine.error is None and stats["record"].frames > 100
    assert len(show.engine.stats.interjection_delays) == 1  # the clean line only
