"""``studio report LOG --plot FILE``: late frames over the show as a picture, with the watchdog's
stalls and restarts marked where they happened on the show clock."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from cli_output import one_error_line
from PIL import Image

from studio.cli.main import main
from studio.compliance.report_plot import LEFT, RIGHT, W, late_plot, page, png
from studio.compliance.session_log import FRAMES, SessionLog
from studio.live.watchdog import RESTART, STALL

FPS = 30
HOUR = 3600


def bad_show(folder: Path) -> Path:
    """Two hours of frame counts, every 10 s: late frames only from 0:30 to 0:40 (5 %), and a
    stall at 1:00 restarted 12 s later."""
    log = SessionLog(folder, "live", "day.toml", "Demo").open()
    late = 0
    for k in range(1, 2 * HOUR // 10 + 1):
        t = 10.0 * k
        if 1800 < t <= 2400:
            late += 15  # of 300 frames in the interval
        log.record(FRAMES, pts_s=t, frames=FPS * int(t), late=late, skipped=0)
        if t == HOUR:
            log.record(STALL, stage="frames", seconds=10.2, pts_s=t, segment=2, text="It keeps it hot.")
            log.record(RESTART, pts_s=t + 12, segment=2, text="It keeps it hot.", took_s=1.3, number=1)
    log.close(pts_s=2 * HOUR)
    return log.path


def column_of(seconds: float, end: float) -> int:
    return round(LEFT + (W - LEFT - RIGHT) * seconds / end)


def test_the_png_shows_late_frames_where_they_were_and_marks_the_restart(tmp_path: Path) -> None:
    plot = late_plot(bad_show(tmp_path))
    assert 300 <= len(plot.series) <= 600 and [kind for _, kind in plot.events] == [STALL, RESTART]
    assert plot.summary.startswith("900 of 216000 frames late (0.42 %)")
    image = np.asarray(Image.open(io.BytesIO(png(plot))).convert("RGB")).astype(int)
    assert image.shape == (340, 960, 3)
    red = np.all(np.abs(image - (196, 30, 58)) < 12, axis=2)
    columns = np.nonzero(red[:300].any(axis=0))[0]  # the bars (the legend's swatch is below)
    end = 2.0 * HOUR
    assert column_of(1800, end) - 1 <= columns.min() and columns.max() <= column_of(2400, end) + 1
    assert columns.max() - columns.min() >= column_of(2400, end) - column_of(1800, end) - 2
    # Bars of 5 % on a scale to 5 %: the full height of the plot.
    rows = np.nonzero(red[:, columns[len(columns) // 2]])[0]
    assert rows.min() < 70 and rows.max() > 280
    orange = np.all(np.abs(image - (221, 138, 0)) < 12, axis=2)[:300]
    stall_columns = np.nonzero(orange.any(axis=0))[0]
    assert abs(stall_columns.mean() - column_of(HOUR, end)) <= 1.5
    green = np.all(np.abs(image - (47, 133, 85)) < 12, axis=2)[:300]
    assert abs(np.nonzero(green.any(axis=0))[0].mean() - column_of(HOUR + 12, end)) <= 1.5


def test_the_html_page_is_self_contained_svg(tmp_path: Path) -> None:
    text = page(late_plot(bad_show(tmp_path)))
    assert text.count("<svg") == 1 and "<script" not in text
    assert not re.findall(r"(?:src|href)=", text)  # nothing fetched: it opens offline
    bars = re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="#c41e3a"', text)
    spans = [(float(x), float(x) + float(w)) for x, w in bars[:-1]]  # the last: the legend's swatch
    end = 2.0 * HOUR
    assert len(spans) >= 20
    assert all(column_of(1800, end) - 1 <= a and b <= column_of(2400, end) + 1 for a, b in spans)


def test_studio_report_writes_the_plot_and_lists_the_restart(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log = bad_show(tmp_path)
    out = tmp_path / "late.png"
    assert main(["report", str(log), "--plot", str(out)]) == 0
    text, err = capfd.readouterr()
    assert Image.open(out).size == (960, 340) and f"late frames plotted in {out}" in err
    assert "Stalls and restarts\n  1 stalls, 1 restarts\n" in text
    assert "1:00:00" in text and "stalled (frames, 10.2 s) at 'It keeps it hot.' (segment 2)" in text
    assert "restarted at 'It keeps it hot.' (segment 2) in 1.3 s" in text
    assert "records this report does not summarise" not in text


def test_a_plot_of_another_kind_is_one_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    log = bad_show(tmp_path)
    assert main(["report", str(log), "--plot", str(tmp_path / "late.txt")]) != 0
    assert "must end in .png, .svg or .html" in one_error_line(capfd)
    assert not (tmp_path / "late.txt").exists()


def test_skipped_frames_count_once_as_late(tmp_path: Path) -> None:
    """The engine counts a skipped frame as late as well: an interval of only skipped frames is
    100 % late, not 200 %."""
    log = SessionLog(tmp_path, "live", "show.toml", "Demo").open()
    log.record(FRAMES, pts_s=10.0, frames=300, late=0, skipped=0)
    log.record(FRAMES, pts_s=20.0, frames=300, late=300, skipped=300)
    log.record(FRAMES, pts_s=30.0, frames=600, late=300, skipped=300)
    log.close(pts_s=30.0)
    plot = late_plot(log.path)
    assert plot.series == ((10.0, 300, 0), (20.0, 300, 300), (30.0, 300, 0))
    assert plot.summary.startswith("300 of 900 frames late (33.33 %), 300 skipped")
    assert png(plot)[:8] == b"\x89PNG\r\n\x1a\n"
