"""Late frames over a show, as a picture: ``studio report LOG --plot FILE`` (PNG, SVG or HTML).

Made from the same ``frames`` records as the report's "Late frames" section (``report_frames``):
one bar per interval, the share of its frames that were late or skipped, against the show clock.
The watchdog's stalls and restarts are drawn as marks on the time axis, and the 1 % line is the
room's target. The picture is described once as shapes (``_shapes``) and drawn either by Pillow
(PNG) or as SVG text (an ``.svg`` file, or an ``.html`` page holding it: self-contained, nothing
fetched); memory is bounded as the section's series is (``MAX_POINTS`` bars at most).
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.compliance.report import log_parts, read_records
from studio.compliance.report_frames import RESTART, STALL, FramesSection
from studio.compliance.report_types import Record, clock
from studio.errors import InputError
from studio.storage.atomic import atomic_write_bytes
from studio.translation import tr

W, H = 960, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 58, 52
TARGET_PERCENT = 1.0  # the room's target: fewer than 1 % of frames late
BINS = 300  # bars across the plot at most (3 px each)
MAX_EVENTS = 200  # stall and restart marks drawn at most (a week of restarts draws as a week's first)
SUFFIXES = (".png", ".svg", ".html", ".htm")
_BAR, _TARGET, _STALL, _RESTART, _INK, _GRID = (
    "#c41e3a",
    "#2b6cb0",
    "#dd8a00",
    "#2f855a",
    "#222222",
    "#dddddd",
)
_TICKS_S = (60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400)


@dataclass(frozen=True)
class LatePlot:
    source: str
    series: tuple[tuple[float, int, int], ...]  # (end of interval s, frames in it, late or skipped)
    events: tuple[tuple[float, str], ...]  # (show time s, STALL or RESTART)
    summary: str  # the section's first line: "N of M frames late (p %), K skipped"


def late_plot(path: Path) -> LatePlot:
    """The plot of the log ``path`` is part of (every part still on disk), read line by line."""
    paths = log_parts(path)
    frames, events = FramesSection(), list[tuple[float, str]]()
    for record in read_records(paths, []):
        frames.take(record)
        if record["type"] in (STALL, RESTART) and len(events) < MAX_EVENTS:
            at = _seconds(record)
            if at is not None:
                events.append((at, str(record["type"])))
    return LatePlot(str(paths[0]), tuple(frames.series), tuple(events), frames.summary_in_english())


def _seconds(record: Record) -> float | None:
    value = record.get("pts_s")
    return float(value) if isinstance(value, int | float) and value == value and abs(value) < 1e9 else None


def write_plot(plot: LatePlot, path: Path) -> None:
    """Write ``plot`` to ``path`` as its suffix says (atomically: a kill leaves no half picture)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            tr("--plot {path} must end in .png, .svg or .html.").format(path=path),
            tr("Name it e.g. late-frames.png."),
        )
    data = png(plot) if suffix == ".png" else (svg(plot) if suffix == ".svg" else page(plot)).encode("utf-8")
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise InputError(
            tr("cannot write {path} ({reason}).").format(path=path, reason=exc.strerror or exc),
            tr("Choose a writable folder for --plot."),
        ) from None


# -- the picture, as shapes -------------------------------------------------------------------
# ("rect", x0, y0, x1, y1, fill) | ("line", x0, y0, x1, y1, colour, dashed)
# | ("text", x, y, words, colour, anchor, size)
Shape = tuple[Any, ...]


def binned(series: tuple[tuple[float, int, int], ...], end: float) -> list[tuple[int, int]]:
    """(frames, late) in ``BINS`` equal spans of the show: the log's intervals differ in length
    (10 s, or 1 s while frames are late), and a bar per interval would draw a second's hiccup as
    tall as a minute's."""
    bins = [(0, 0)] * min(BINS, max(len(series), 1))
    for at, n, bad in series:
        k = min(max(math.ceil(len(bins) * at / end) - 1, 0), len(bins) - 1)  # the bin it ends in
        frames, late = bins[k]
        bins[k] = (frames + n, late + bad)
    return bins


def _tick(end: float) -> int:
    """A time step giving at most about eight labelled ticks."""
    return next((t for t in _TICKS_S if end / t <= 8), _TICKS_S[-1])


def _shapes(plot: LatePlot) -> list[Shape]:
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    end = max((at for at, _, _ in plot.series), default=0.0) or 1.0
    bins = binned(plot.series, end)
    peak = max((100.0 * bad / n for n, bad in bins if n), default=0.0)
    top = next((v for v in (2.0, 5.0, 10.0, 20.0, 50.0) if v >= peak), 100.0)

    def x(seconds: float) -> float:
        return LEFT + plot_w * min(max(seconds, 0.0), end) / end

    def y(percent: float) -> float:
        return TOP + plot_h * (1.0 - min(percent, top) / top)

    span = end / len(bins)
    every = f"{span:.0f} s" if span < 120 else f"{span / 60:.0f} min"
    title = f"Late or skipped frames over the show (% of the frames in each {every})"
    shapes: list[Shape] = [
        ("text", LEFT, 22, title, _INK, "start", 15),
        ("text", LEFT, 42, f"{plot.summary}  |  {Path(plot.source).name[-70:]}", "#555555", "start", 11),
    ]
    for k in range(5):
        percent = top * k / 4
        shapes.append(("line", LEFT, y(percent), W - RIGHT, y(percent), _GRID, False))
        shapes.append(("text", LEFT - 6, y(percent) + 4, f"{percent:g} %", _INK, "end", 11))
    step = _tick(end)
    for k in range(int(end // step) + 1):
        tick = float(k * step)
        label = clock(tick)[:-3] if step >= 60 else clock(tick)
        shapes.append(("line", x(tick), TOP + plot_h, x(tick), TOP + plot_h + 5, _INK, False))
        shapes.append(("text", x(tick), TOP + plot_h + 18, label, _INK, "middle", 11))
    width = end / len(bins)
    for k, (n, bad) in enumerate(bins):
        percent = 100.0 * bad / n if n else 0.0
        if percent > 0:
            shapes.append(("rect", x(k * width), y(percent), x((k + 1) * width), TOP + plot_h, _BAR))
    if top >= TARGET_PERCENT:
        shapes.append(("line", LEFT, y(TARGET_PERCENT), W - RIGHT, y(TARGET_PERCENT), _TARGET, True))
    for at, kind in plot.events:
        colour = _STALL if kind == STALL else _RESTART
        shapes.append(("line", x(at), TOP, x(at), TOP + plot_h, colour, kind == STALL))
    shapes.append(("line", LEFT, TOP + plot_h, W - RIGHT, TOP + plot_h, _INK, False))
    shapes.append(("line", LEFT, TOP, LEFT, TOP + plot_h, _INK, False))
    legend = [(_BAR, "late or skipped"), (_TARGET, "1 % target"), (_STALL, "stall"), (_RESTART, "restart")]
    lx = LEFT
    for colour, words in legend:
        shapes.append(("rect", lx, H - 16, lx + 12, H - 6, colour))
        shapes.append(("text", lx + 16, H - 6, words, _INK, "start", 11))
        lx += 28 + 7 * len(words)
    shapes.append(("text", W - RIGHT, H - 6, "show time (h:mm)", _INK, "end", 11))
    return shapes


# -- drawn as SVG -----------------------------------------------------------------------------
def svg(plot: LatePlot) -> str:
    parts = [f'<rect width="{W}" height="{H}" fill="white"/>']
    for shape in _shapes(plot):
        kind = shape[0]
        if kind == "rect":
            _, x0, y0, x1, y1, fill = shape
            parts.append(
                f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                f'height="{y1 - y0:.1f}" fill="{fill}"/>'
            )
        elif kind == "line":
            _, x0, y0, x1, y1, colour, dashed = shape
            dash = ' stroke-dasharray="5 4"' if dashed else ""
            parts.append(
                f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="{colour}"{dash}/>'
            )
        else:
            _, x0, y0, words, colour, anchor, size = shape
            parts.append(
                f'<text x="{x0:.1f}" y="{y0:.1f}" fill="{colour}" font-size="{size}" text-anchor="{anchor}" '
                f'font-family="sans-serif">{html.escape(words)}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="late frames over time">{"".join(parts)}</svg>\n'
    )


def page(plot: LatePlot) -> str:
    """A self-contained HTML page holding the SVG."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Late frames</title>'
        "<style>body{margin:1em;font:14px sans-serif}</style></head>"
        f"<body>{svg(plot)}</body></html>\n"
    )


# -- drawn by Pillow --------------------------------------------------------------------------
def png(plot: LatePlot) -> bytes:
    from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415 - only for a PNG

    image = Image.new("RGB", (W, H), "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[int, Any] = {}
    for shape in _shapes(plot):
        kind = shape[0]
        if kind == "rect":
            _, x0, y0, x1, y1, fill = shape
            draw.rectangle((x0, y0, max(x0, x1 - 1), y1), fill=fill)
        elif kind == "line":
            _, x0, y0, x1, y1, colour, dashed = shape
            _line(draw, (x0, y0, x1, y1), colour, dashed)
        else:
            _, x0, y0, words, colour, anchor, size = shape
            font = fonts.setdefault(size, ImageFont.load_default(size))
            draw.text(
                (x0, y0),
                words,
                fill=colour,
                font=font,
                anchor={"start": "ls", "middle": "ms", "end": "rs"}[anchor],
            )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _line(draw: Any, box: tuple[float, float, float, float], colour: str, dashed: bool) -> None:
    x0, y0, x1, y1 = box
    if not dashed:
        draw.line(box, fill=colour, width=1)
        return
    length = max(abs(x1 - x0), abs(y1 - y0))
    for k in range(0, int(length), 9):
        a, b = k / length, min(k + 5, length) / length
        draw.line(
            (x0 + (x1 - x0) * a, y0 + (y1 - y0) * a, x0 + (x1 - x0) * b, y0 + (y1 - y0) * b), fill=colour
        )
