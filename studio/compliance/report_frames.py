"""The report's late frames: the total, when they came, and (on the HTML page) a plot over time.

The log has the engine's counts every few seconds (``frames`` records). The plot is made from them
as bars, one per interval: the share of that interval's frames that were late or skipped. Its
points are bounded: past ``MAX_POINTS`` the series is halved by merging neighbours, so a week's
log plots in the same memory as an hour's.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from studio.compliance.report_types import Record, Section, _at, _text, clock
from studio.translation import tr

MAX_POINTS = 600
_W, _H, _PAD = 640, 160, 28
# The first line of the section in English, for the plot (Pillow's own font has no CJK).
_NO_FRAMES = "no frame counts (a render, or a show that ended at once)"
_SUMMARY = "{late} of {total} frames late ({percent:.2f} %), {skipped} skipped"


def _well_formed(record: Record) -> bool:
    """Whether a ``frames`` record's counts are whole numbers and its time a finite one (a log
    edited by hand, or cut, may hold anything: such a record counts for nothing)."""
    try:
        for key in ("frames", "late", "skipped"):
            int(record.get(key, 0))
        return math.isfinite(float(record.get("pts_s", 0)))
    except (TypeError, ValueError, OverflowError):
        return False


@dataclass
class FramesSection(Section):
    title: str = "Late frames"
    last: Record = field(default_factory=dict)
    late_at: list[tuple[float, int]] = field(default_factory=list)
    # (end of interval s, frames in it, late or skipped in it)
    series: list[tuple[float, int, int]] = field(default_factory=list)

    def take(self, record: Record) -> None:
        if record["type"] != "frames" or not _well_formed(record):
            return
        before = int(self.last.get("late", 0))
        if int(record.get("late", 0)) > before and len(self.late_at) < 10:
            self.late_at.append((float(record.get("pts_s", 0)), int(record["late"]) - before))
        frames = int(record.get("frames", 0)) + int(record.get("skipped", 0))
        bad = int(record.get("late", 0))  # the engine counts a skipped frame as late too
        was = int(self.last.get("frames", 0)) + int(self.last.get("skipped", 0))
        was_bad = int(self.last.get("late", 0))
        if frames > was:
            self.series.append((float(record.get("pts_s", 0)), frames - was, max(0, bad - was_bad)))
            if len(self.series) > MAX_POINTS:
                pairs = zip(self.series[::2], self.series[1::2], strict=False)
                merged = [(b[0], a[1] + b[1], a[2] + b[2]) for a, b in pairs]
                self.series = merged + ([self.series[-1]] if len(self.series) % 2 else [])
        self.last = record

    def finish(self) -> list[str]:
        if not self.last:
            return [tr("no frame counts (a render, or a show that ended at once)")]
        lines = [
            tr("{late} of {total} frames late ({percent:.2f} %), {skipped} skipped").format(**self._totals())
        ]
        lines += ["  " + tr("+{n} by {clock}").format(n=n, clock=clock(t)) for t, n in self.late_at]
        return lines

    def summary_in_english(self) -> str:
        """The first line of ``finish`` in English, for the plot (Pillow's own font has no CJK)."""
        return _SUMMARY.format(**self._totals()) if self.last else _NO_FRAMES

    def _totals(self) -> dict[str, float]:
        shown, late = int(self.last.get("frames", 0)), int(self.last.get("late", 0))
        skipped = int(self.last.get("skipped", 0))
        percent = 100.0 * late / max(shown + skipped, 1)
        return {"late": late, "total": shown + skipped, "percent": percent, "skipped": skipped}

    def figure(self) -> str:
        """Late or skipped frames per interval, in % of its frames, as an SVG bar chart."""
        if len(self.series) < 2:
            return ""
        end = self.series[-1][0] or 1.0
        top = max(1.0, max(100.0 * bad / n for _, n, bad in self.series))
        plot_w, plot_h = _W - 2 * _PAD, _H - 2 * _PAD
        bars, start = [], 0.0
        for at, n, bad in self.series:
            x0, x1 = _PAD + plot_w * start / end, _PAD + plot_w * at / end
            h = plot_h * (100.0 * bad / n) / top
            if h > 0:
                bars.append(
                    f'<rect x="{x0:.1f}" y="{_PAD + plot_h - h:.1f}" width="{max(x1 - x0, 1.0):.1f}" '
                    f'height="{h:.1f}" fill="#c41e3a"/>'
                )
            start = at
        caption = html.escape(tr("late or skipped, up to {top:.1f} % of frames").format(top=top))
        label = html.escape(tr("late frames over time"))
        axis = (
            f'<line x1="{_PAD}" y1="{_PAD + plot_h}" x2="{_W - _PAD}" y2="{_PAD + plot_h}" stroke="#555"/>'
            f'<text x="{_PAD}" y="{_H - 8}" font-size="11">0:00:00</text>'
            f'<text x="{_W - _PAD}" y="{_H - 8}" font-size="11" text-anchor="end">{clock(end)}</text>'
            f'<text x="{_PAD}" y="{_PAD - 8}" font-size="11">'
            f"{caption}</text>"
        )
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" role="img" '
            f'aria-label="{label}">{axis}{"".join(bars)}</svg>'
        )


STALL, RESTART = "stall", "restart"  # studio.live.watchdog's record types (compliance does not import live)
_LISTED = 10


@dataclass
class WatchdogSection(Section):
    """The watchdog's stalls and restarts: when, which stage, and the line the show resumed at."""

    title: str = "Stalls and restarts"
    stalls: int = 0
    restarts: int = 0

    def take(self, record: Record) -> None:
        kind = record["type"]
        if kind not in (STALL, RESTART):
            return
        self.stalls += kind == STALL
        self.restarts += kind == RESTART
        if len(self.lines) < 2 * _LISTED:
            line = tr("{text!r} (segment {segment})").format(
                text=_text(record.get("text", ""), 60), segment=record.get("segment", "?")
            )
            if kind == STALL:
                stage, seconds = _text(record.get("stage", "?")), record.get("seconds", "?")
                self.lines.append(
                    tr("{at} stalled ({stage}, {seconds} s) at {line}").format(
                        at=_at(record), stage=stage, seconds=seconds, line=line
                    )
                )
            else:
                self.lines.append(
                    tr("{at} restarted at {line} in {seconds} s").format(
                        at=_at(record), line=line, seconds=record.get("took_s", "?")
                    )
                )

    def finish(self) -> list[str]:
        if not self.stalls and not self.restarts:
            return [tr("none")]
        return [
            tr("{stalls} stalls, {restarts} restarts").format(stalls=self.stalls, restarts=self.restarts),
            *self.lines,
        ]
