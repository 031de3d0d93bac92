"""A day of the live room at an accelerated clock: the schedule on time, the log bounded, memory flat.

    python benchmarks/bench_room_24h.py [--hours 24] [--start 18:00] [--fps 2] [--speed 200]
        [--every 300] [--part-kb 1024] [--out DIR]

The real show runs: ``LiveShow`` with the demo avatar's renderers (320x180, product cards on),
the rundown made from the demo catalogue with a day's ``[[slot]]`` schedule, eSpeak speaking it,
the room answering viewers' questions from the catalogue (every kind approved without a person),
the watchdog, and the session log rotating. Only the clock and the devices are fakes: the master
clock (``PacedClock``) runs ``--speed`` times faster than real time, or as fast as the engine
goes if that is slower, and the slots read the time of day from it; a comment arrives every
``--every`` simulated seconds (the comment source is a device); there is no output device.

It prints, per simulated hour: the products said, the questions asked and answered, the log's
size on disk and the process's RSS (and Python's own heap, ``tracemalloc``, with ``--trace``).
``simulate`` is also what ``tests/test_room_24h.py`` runs, over a shorter span.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import time as day_time
from fractions import Fraction
from pathlib import Path

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.commerce import load_catalog
from studio.commerce.show_script import load_templates, show_from_catalog
from studio.live.clips import Clip
from studio.live.clock import FreeRunClock
from studio.live.schedule import Slot
from studio.pipeline.live_room import RoomOptions
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings
from studio.room import make_comment

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "assets" / "demo_catalog" / "catalog.toml"
ALL_KINDS = ("price", "shipping", "faq", "fact", "declined", "none")
QUESTIONS = (
    "How much is it?", "How long does shipping take?", "Is it dishwasher safe?", "What is it made of?",
    "Does it come in blue?", "How big is it?", "Is there a discount today?", "Who designed it?",
)  # fmt: skip
RATE = 48_000
DAY_SLOTS = (  # the evening's hero product, a late-night hour for the lamp, a lunch half-hour
    Slot(day_time(20, 0), day_time(22, 0), ("mug",)),
    Slot(day_time(2, 0), day_time(3, 0), ("lamp",)),
    Slot(day_time(12, 0), day_time(12, 30), ("board", "stand")),
)


class PacedClock(FreeRunClock):
    """A virtual clock that goes where the engine next wants it, but no faster than ``speed`` times
    real time, and (``ready``) not while the voice has no sentence made ahead: live, the voice works
    seconds ahead of the show, so the simulated show must not outrun it either (it would idle in
    silence where a real one speaks). A voice not ready within ``READY_WAIT_S`` is let be."""

    READY_WAIT_S = 10.0

    def __init__(self, sample_rate: int, speed: float) -> None:
        super().__init__(sample_rate)
        self.speed = speed
        self.ready: Callable[[], bool] | None = None
        self._t0 = time.monotonic()

    def start(self, preroll_s: float = 0.0) -> None:
        self._t0 = time.monotonic()

    def wait_until(self, sample: float, stop: threading.Event) -> bool:
        due = self._t0 + sample / self.sample_rate / self.speed
        while (left := due - time.monotonic()) > 0:
            if stop.wait(min(left, 0.05)):
                return False
        given_up = time.monotonic() + self.READY_WAIT_S
        while self.ready is not None and not self.ready() and time.monotonic() < given_up:
            if stop.wait(0.002):
                return False
        return super().wait_until(sample, stop)


@dataclass
class Day:
    """What a simulated run saw, kept bounded: tallies per minute of the day, samples per hour."""

    said: dict[int, set[str]] = field(default_factory=dict)  # minute of the day -> products said
    asked: int = 0
    answered: int = 0
    hours: list[tuple[float, int, float, float | None]] = field(default_factory=list)  # h, log B, RSS, heap
    log_parts: list[tuple[str, int]] = field(default_factory=list)  # (name, bytes) at the end
    parts_written: int = 0
    restarts: int = 0
    late: int = 0
    frames: int = 0
    error: BaseException | None = None
    wall_s: float = 0.0


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def simulate(
    folder: Path,
    hours: float,
    start: day_time,
    *,
    slots: tuple[Slot, ...] = DAY_SLOTS,
    fps: int = 2,
    speed: float = 200.0,
    every_s: float = 300.0,
    part_bytes: int = 1 << 20,
    trace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Day:
    """Run the room for ``hours`` of simulated time from ``start`` (a time of day)."""
    clock = PacedClock(RATE, speed)
    midnight = datetime(2026, 1, 1)
    began = datetime.combine(midnight.date(), start)

    def time_of_day() -> day_time:
        return (began + timedelta(seconds=clock.now() / RATE)).time()

    rundown = show_from_catalog(load_catalog(CATALOG), load_templates("en"))
    rundown = dataclasses.replace(rundown, slots=slots, day_clock=time_of_day)
    options = LiveOptions(
        rundown=rundown, voice="espeak:en-us", room=RoomOptions(CATALOG, auto=ALL_KINDS), log_dir=folder,
        log_part_bytes=part_bytes, duration_s=hours * 3600,
    )  # fmt: skip
    show = LiveShow(
        load_avatar(demo_package_path(), ""), RenderSettings(320, 180, Fraction(fps)), options, clock=clock
    )
    day = Day()
    clock.ready = lambda: show.supply is None or show.supply.ahead_seconds > 0
    products = [s.product for s in rundown.segments]

    def said(clip: Clip) -> None:  # the presenter thread: a set add, nothing more
        if clip.kind == "rundown" and 0 < clip.segment <= len(products) and products[clip.segment - 1]:
            minute = int((began - midnight).total_seconds() + show.engine.stats.last_pts / RATE) // 60
            day.said.setdefault(minute % 1440, set()).add(str(products[clip.segment - 1]))

    stop = threading.Event()

    def comments() -> None:  # the comment source, on the simulated clock
        assert show.room is not None
        n = 0
        while not stop.is_set():
            if clock.now() / RATE >= (n + 1) * every_s:
                comment = make_comment(f"viewer{n}", f"{QUESTIONS[n % len(QUESTIONS)]} ({n})", "simulated")
                if comment is not None and show.room.queue.submit(comment) is not None:
                    day.asked += 1
                n += 1
            else:
                stop.wait(0.002)

    if trace:
        tracemalloc.start()
    wall = time.monotonic()
    show.on_said(said)
    show.start()
    asker = threading.Thread(target=comments, name="simulated-comments", daemon=True)
    asker.start()
    next_hour = 1
    try:
        while not show.wait(0.2):
            if clock.now() / RATE >= next_hour * 3600:
                gc.collect()
                heap = tracemalloc.get_traced_memory()[0] / 2**20 if trace else None
                size = sum(p.stat().st_size for p in show.log.parts if p.exists())
                day.hours.append((next_hour, size, rss_mb(), heap))
                if progress is not None:
                    progress(f"hour {next_hour}: log {size / 1024:.0f} KB, RSS {rss_mb():.0f} MB")
                next_hour += 1
    finally:
        stop.set()
        asker.join()
        show.stop()
        if trace:
            tracemalloc.stop()
    day.wall_s = time.monotonic() - wall
    day.error = show.error
    day.answered = show.room.answered if show.room else 0
    day.log_parts = [(p.name, p.stat().st_size) for p in show.log.parts]
    newest = day.log_parts[-1][0].split(".") if day.log_parts else []
    day.parts_written = int(newest[-2]) if len(newest) > 2 and newest[-2].isdigit() else len(day.log_parts)
    day.restarts = show.watchdog.restarts if show.watchdog else 0
    status = show.status()
    day.late, day.frames = status.late, status.frames + status.skipped
    return day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0)
    parser.add_argument("--start", default="18:00")
    parser.add_argument("--fps", type=int, default=2)
    parser.add_argument("--speed", type=float, default=200.0)
    parser.add_argument("--every", type=float, default=300.0, help="a comment every this many simulated s")
    parser.add_argument("--part-kb", type=int, default=1024)
    parser.add_argument(
        "--trace", action="store_true", help="also follow Python's heap (tracemalloc; slower)"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    folder = args.out or Path(tempfile.mkdtemp(prefix="bench-room-24h-"))
    hh, mm = (int(v) for v in args.start.split(":"))
    day = simulate(
        folder, args.hours, day_time(hh, mm), fps=args.fps, speed=args.speed, every_s=args.every,
        part_bytes=args.part_kb * 1024, trace=args.trace, progress=lambda line: print(line, flush=True),
    )  # fmt: skip
    print(f"{args.hours:g} simulated hours from {args.start} in {day.wall_s / 60:.1f} min of wall time "
          f"({args.hours * 3600 / day.wall_s:.0f}x), {day.frames} frames at {args.fps} fps")  # fmt: skip
    print(f"error: {day.error!r}; watchdog restarts: {day.restarts}")
    print(f"questions asked {day.asked}, answered on air {day.answered}")
    print(f"log: {day.parts_written} parts written, {len(day.log_parts)} kept, "
          f"{sum(b for _, b in day.log_parts) / 1024:.0f} KB on disk")  # fmt: skip
    for hour in range(24):
        minutes = [day.said.get(hour * 60 + m, set()) for m in range(60)]
        products = sorted(set().union(*minutes))
        print(f"  {hour:02d}:00-{hour:02d}:59 said: {', '.join(products) or '-'}")
    for slot in DAY_SLOTS:
        first, last = slot.start.hour * 60 + slot.start.minute, slot.end.hour * 60 + slot.end.minute
        span = [m % 1440 for m in range(first, last if last > first else last + 1440)]
        off = [m for m in span if day.said.get(m, set()) - set(slot.products)]
        quiet = sum(not day.said.get(m) for m in span)
        where = ", ".join(f"{m // 60:02d}:{m % 60:02d}" for m in off[:5]) or "none"
        print(f"  slot {slot.start:%H:%M}-{slot.end:%H:%M} {'/'.join(slot.products)}: {len(span)} minutes, "
              f"minutes with another product: {where}; minutes with no product line: {quiet}")  # fmt: skip
    for hour, size, rss, heap in day.hours:
        extra = f", Python heap {heap:.1f} MB" if heap is not None else ""
        print(f"  after {hour:>4.0f} h: log {size / 1024:>6.0f} KB, RSS {rss:.0f} MB{extra}")
    print(f"kept in {folder}", file=sys.stderr)


if __name__ == "__main__":
    main()
