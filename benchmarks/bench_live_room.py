"""A live room under questions: late frames, and how soon an approved answer goes on air.

    python benchmarks/bench_live_room.py [SECONDS] [WIDTHxHEIGHT] [EVERY_S]

Runs the demo avatar live on a rundown made from the demo catalogue (eSpeak, recorded to a
temporary MP4, cards on), a viewer's question every EVERY_S seconds (6 by default), every kind
approved without a person. From the session log: late frames, and for each answer the time from
its approval to its first frame on air. An answer waits for the next clause pause of the sentence
being said (or its end), and for the answers approved before it, so the time includes both.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import threading
from datetime import datetime
from fractions import Fraction
from pathlib import Path

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.commerce import load_catalog
from studio.commerce.show_script import load_templates, show_from_catalog
from studio.pipeline.live_room import RoomOptions
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings
from studio.room import make_comment

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "assets" / "demo_catalog" / "catalog.toml"
QUESTIONS = ["How much is it?", "How long does shipping take?", "Is it microwave safe?",
             "Does the lid leak?", "What is it made of?", "Who designed it?"]  # fmt: skip


ALL_KINDS = ("price", "shipping", "faq", "fact", "declined", "none")


def _wall(record: dict) -> float:
    return datetime.fromisoformat(record["t"].replace("Z", "+00:00")).timestamp()


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 120.0
    width, height = (int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else "1280x720").split("x"))
    every = float(sys.argv[3]) if len(sys.argv) > 3 else 6.0
    rundown = show_from_catalog(load_catalog(CATALOG), load_templates("en"))
    with tempfile.TemporaryDirectory() as folder:
        options = LiveOptions(
            rundown=rundown, voice="espeak:en-us", record=Path(folder) / "room.mp4", duration_s=seconds,
            log_dir=Path(folder), room=RoomOptions(CATALOG, auto=ALL_KINDS),
        )  # fmt: skip
        show = LiveShow(
            load_avatar(demo_package_path(), ""), RenderSettings(width, height, Fraction(30)), options
        )
        show.start()
        stop = threading.Event()

        def ask() -> None:
            n = 0
            while not stop.wait(every):
                assert show.room is not None
                comment = make_comment(f"viewer{n}", f"{QUESTIONS[n % len(QUESTIONS)]} #{n}", "bench")
                if comment is not None:
                    show.room.queue.submit(comment)
                n += 1

        asker = threading.Thread(target=ask)
        asker.start()
        try:
            show.wait(seconds + 60)
        finally:
            stop.set()
            asker.join()
            show.stop()
        records = [json.loads(line) for line in show.log_path.read_text(encoding="utf-8").splitlines()]
    approved = {r["id"]: r for r in records if r["type"] == "moderation" and r["decision"] == "approved"}
    said = [r for r in records if r["type"] == "said"]
    delays = [_wall(r) - _wall(approved[r["answers"]]) for r in said if r.get("answers") in approved]
    frames = [r for r in records if r["type"] == "frames"][-1]
    total = frames["frames"] + frames["skipped"]
    print(f"{seconds:g} s at {width}x{height}: {len(approved)} approved, {len(delays)} said")
    print(f"late frames: {frames['late']} of {total} ({100 * frames['late'] / max(total, 1):.2f} %), "
          f"{frames['skipped']} skipped")  # fmt: skip
    if delays:
        print(
            f"approval to first frame on air: median {statistics.median(delays):.2f} s, "
            f"max {max(delays):.2f} s; {sum(d <= 1.5 for d in delays)} of {len(delays)} within 1.5 s"
        )
    if show.program is not None:
        print(f"answers cut into a sentence at a pause: {show.program.cut_ins}")


if __name__ == "__main__":
    main()
