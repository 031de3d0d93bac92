"""A real live room for minutes on end: late frames, and approval to the answer's first sound.

    python benchmarks/bench_room_live.py [--seconds 1800] [--size 1280x720] [--every 5]
        [--approve-after 0.5 | --auto] [--out DIR]

The real engine goes live with the demo avatar on a rundown made from the demo catalogue (eSpeak,
product cards on, the watchdog on), recorded to an MP4. Viewers' comments arrive every ``--every``
seconds through the file source (``studio.room.FileTail``: another program appends ``user: text``
lines, as ``studio live --comments FILE`` reads them). A scripted operator approves each question
``--approve-after`` seconds after it appears (``--auto``: every kind approved without a person).

Measured, from the run itself and its session log:

* late frames: shown after their time or skipped, in % of all frames (target < 1 %);
* approval to first sound: from the approval, on the show's master clock, to the pts of the
  answer's first audio sample (target 1.5 s). An answer waits for the next clause pause of the
  sentence on air (or its end) and for answers approved before it, so this includes both;
* the load average and the process's RSS at the start and the end.

With ``--out`` the session log, the report and the late-frames plot are kept there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from fractions import Fraction
from pathlib import Path

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.commerce import load_catalog
from studio.commerce.show_script import load_templates, show_from_catalog
from studio.compliance.report import build_report
from studio.compliance.report_plot import late_plot, write_plot
from studio.pipeline.live_room import RoomOptions
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings
from studio.room.lines import FileTail

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "assets" / "demo_catalog" / "catalog.toml"
QUESTIONS = (
    "How much is it?", "How long does shipping take?", "Is it microwave safe?", "Does the lid leak?",
    "What is it made of?", "Is it dishwasher safe?", "Who designed it?", "How big is it?",
)  # fmt: skip
ALL_KINDS = ("price", "shipping", "faq", "fact", "declined", "none")


def rss_mb() -> float:
    with open(f"/proc/{os.getpid()}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1800.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--every", type=float, default=5.0, help="a comment every this many seconds")
    parser.add_argument("--approve-after", type=float, default=0.5, help="the scripted operator's delay")
    parser.add_argument("--auto", action="store_true", help="approve every kind without a person")
    parser.add_argument("--out", type=Path, help="keep the log, report and plot here")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="each minute, what grew since the first (slows the show)"
    )
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    folder = args.out or Path(tempfile.mkdtemp(prefix="bench-room-live-"))
    folder.mkdir(parents=True, exist_ok=True)
    comments = folder / "comments.txt"
    comments.write_text("")
    rundown = show_from_catalog(load_catalog(CATALOG), load_templates("en"))
    options = LiveOptions(
        rundown=rundown, voice="espeak:en-us", record=folder / "room.mp4", duration_s=args.seconds,
        log_dir=folder, room=RoomOptions(CATALOG, auto=ALL_KINDS if args.auto else ()),
    )  # fmt: skip
    show = LiveShow(
        load_avatar(demo_package_path(), ""), RenderSettings(width, height, Fraction(30)), options
    )
    load_start, rss_start = os.getloadavg(), rss_mb()
    if args.tracemalloc:
        tracemalloc.start(1)
    first_snapshot: tracemalloc.Snapshot | None = None
    show.start()
    assert show.room is not None
    queue = show.room.queue
    source = FileTail(comments)
    source.start(queue.submit)
    stop = threading.Event()
    approved_at: dict[str, float] = {}  # reply id -> show seconds at the approval

    def write_comments() -> None:
        n = 0
        with open(comments, "a", encoding="utf-8") as out:
            while not stop.wait(args.every):
                out.write(f"viewer{n}: {QUESTIONS[n % len(QUESTIONS)]} ({n})\n")
                out.flush()
                n += 1

    def approve() -> None:
        seen: dict[str, float] = {}
        while not stop.wait(0.05):
            now = time.monotonic()
            for item in queue.pending():
                first = seen.setdefault(item.comment.id, now)
                if now - first >= args.approve_after:
                    reply = queue.approve(item.comment.id, "bench operator")
                    approved_at[reply.id] = show.status().seconds
                    seen.pop(item.comment.id, None)

    threads = [threading.Thread(target=write_comments, daemon=True)]
    if not args.auto:
        threads.append(threading.Thread(target=approve, daemon=True))
    for thread in threads:
        thread.start()
    rss_peak, rss_each_minute = rss_start, []
    try:
        while not show.wait(5.0):
            rss_peak = max(rss_peak, rss_mb())
            if show.status().seconds >= 60 * (len(rss_each_minute) + 1):
                rss_each_minute.append(rss_mb())
                if args.tracemalloc:
                    first_snapshot = _grown(first_snapshot, len(rss_each_minute), folder)
    finally:
        stop.set()
        source.stop()
        for thread in threads:
            thread.join()
        show.stop()
    load_end, rss_end = os.getloadavg(), rss_mb()
    records = [
        json.loads(line) for part in show.log.parts for line in part.read_text(encoding="utf-8").splitlines()
    ]
    if args.auto:  # approved in the queue's thread: the show time of the approval from its wall time
        approvals = {
            r["id"]: r for r in records if r["type"] == "moderation" and r.get("decision") == "approved"
        }
        said_wall = {r["answers"]: r for r in records if r["type"] == "said" and r.get("answers")}
        delays = [_wall(said_wall[i]) - _wall(a) for i, a in approvals.items() if i in said_wall]
    else:
        said = {r["answers"]: r["pts_s"] for r in records if r["type"] == "said" and r.get("answers")}
        delays = [said[i] - at for i, at in approved_at.items() if i in said]
    status = show.status()
    total = status.frames + status.skipped
    report = build_report(show.log_path)
    (folder / "report.txt").write_text(report.text(), encoding="utf-8")
    write_plot(late_plot(show.log_path), folder / "late-frames.png")
    asked = sum(r["type"] == "question" for r in records)
    print(f"{args.seconds:g} s at {width}x{height}, a comment every {args.every:g} s, "
          f"{'auto approval' if args.auto else f'approved after {args.approve_after:g} s'}")  # fmt: skip
    print(
        f"questions asked {asked}, approved {len(approved_at) or len(delays)}, answers on air {len(delays)}"
    )
    print(f"late frames: {status.late} of {total} ({status.late_percent:.2f} %), {status.skipped} skipped; "
          f"watchdog restarts {show.watchdog.restarts if show.watchdog else 0}")  # fmt: skip
    if delays:
        delays.sort()
        within = sum(d <= 1.5 for d in delays)
        print(
            f"approval to the answer's first audio pts: median {statistics.median(delays):.2f} s, "
            f"p90 {delays[int(0.9 * (len(delays) - 1))]:.2f} s, max {delays[-1]:.2f} s; "
            f"{within} of {len(delays)} within 1.5 s"
        )
    if show.program is not None and show.supply is not None:
        prepared = show.supply.prepared
        print(f"answers cut into a sentence at a pause: {show.program.cut_ins}; prepared before approval "
              f"and used: {prepared.used}, dropped for newer: {prepared.dropped}")  # fmt: skip
    print(f"load average at start {load_start[0]:.2f}, at end {load_end[0]:.2f} (1 min); "
          f"RSS {rss_start:.0f} MB at start, peak {rss_peak:.0f} MB, {rss_end:.0f} MB at end")  # fmt: skip
    print("RSS each minute (MB): " + " ".join(f"{v:.0f}" for v in rss_each_minute))
    print(f"log, report and plot in {folder}", file=sys.stderr)


def _grown(first: tracemalloc.Snapshot | None, minute: int, folder: Path) -> tracemalloc.Snapshot:
    """Python's allocations that grew since the first minute's snapshot, the top 8 appended to
    ``tracemalloc.txt``: what keeps growing, if anything does."""
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    if first is None:
        return snapshot
    with open(folder / "tracemalloc.txt", "a", encoding="utf-8") as out:
        out.write(f"minute {minute}: traced {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MB\n")
        for stat in snapshot.compare_to(first, "lineno")[:8]:
            out.write(f"  {stat.size_diff / 2**20:+.2f} MB ({stat.count_diff:+d}) {stat.traceback[-1]}\n")
    return first


def _wall(record: dict) -> float:
    from datetime import datetime  # noqa: PLC0415

    return datetime.fromisoformat(record["t"].replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    main()
