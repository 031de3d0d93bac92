"""``batch-report.json`` and the summary table a batch ends with."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio import __version__
from studio.batch.jobs import shown_where
from studio.batch.runner import Outcome
from studio.errors import printable
from studio.storage.atomic import atomic_write_json
from studio.translation import tr

REPORT_NAME = "batch-report.json"
REPORT_VERSION = 1
STATES = ("done", "skipped", "failed", "stopped", "pending")


def build_report(
    outcomes: Sequence[Outcome], jobs_file: Path, mode: str, workers: int, started: float, wall: float
) -> dict[str, Any]:
    counts = Counter(o.state for o in outcomes)
    video = sum(o.seconds for o in outcomes if o.state == "done")
    rendered = counts["done"]
    return {
        "schema_version": REPORT_VERSION,
        "studio": __version__,
        "jobs_file": str(jobs_file),
        "mode": mode,
        "workers": workers,
        "started": datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds"),
        "wall_seconds": round(wall, 3),
        "totals": {state: counts[state] for state in STATES},
        "video_seconds": round(video, 3),
        # Throughput of this run: video-seconds made per wall-second, and jobs rendered per minute.
        "video_seconds_per_second": round(video / wall, 4) if wall > 0 else 0.0,
        "jobs_per_minute": round(rendered * 60 / wall, 3) if wall > 0 else 0.0,
        "jobs": [
            {
                "job": o.where,
                "out": o.name,
                "state": o.state,
                "attempts": o.attempts,
                "reason": o.reason,
                "retried_because": o.retried_because,
                "video_seconds": round(o.seconds, 3),
                "frames": o.frames,
                "voice": o.voice,
                "wall_seconds": round(o.wall, 3),
                "worker": o.worker,
            }
            for o in outcomes
        ],
    }


def write_report(out_dir: Path, report: dict[str, Any]) -> Path:
    path = out_dir / REPORT_NAME
    atomic_write_json(path, report)
    return path


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def summary_table(report: dict[str, Any]) -> str:
    """The jobs as a table, then the totals, for a terminal."""
    rows = [(tr("JOB"), tr("OUT"), tr("STATE"), tr("TRIES"), tr("VIDEO"), tr("WORKER"), tr("REASON"))]
    for job in report["jobs"]:
        video = f"{job['video_seconds']:.1f}s" if job["state"] == "done" else ""
        rows.append(
            (
                shown_where(job["job"]),
                printable(job["out"], 40),
                job["state"],
                str(job["attempts"]),
                video,
                job["worker"],
                printable(job["reason"], 70),
            )
        )
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(c + " " * (w - _width(c)) for c, w in zip(r[:-1], widths, strict=False)) + "  " + r[-1]
        for r in rows
    ]
    t = report["totals"]
    stopped = (
        tr(", {stopped} stopped (run again to finish them)").format(stopped=t["stopped"])
        if t["stopped"]
        else ""
    )
    lines.append(
        tr("{done} rendered, {skipped} skipped (already done), {failed} failed{stopped}").format(
            done=t["done"], skipped=t["skipped"], failed=t["failed"], stopped=stopped
        )
    )
    lines.append(
        tr(
            "{video:.1f} s of video in {wall:.1f} s "
            "({rate:.2f} video-s per s, {per_minute:.1f} jobs/min), {mode}"
        ).format(
            video=report["video_seconds"],
            wall=report["wall_seconds"],
            rate=report["video_seconds_per_second"],
            per_minute=report["jobs_per_minute"],
            mode=report["mode"],
        )
    )
    return "\n".join(line.rstrip() for line in lines)
