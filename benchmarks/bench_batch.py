"""Throughput of ``studio batch``: local mode with 1 and 2 workers and Ray with 2 CPUs, on the
same jobs in one run, and a projection of how a Ray cluster scales with nodes.

Run: .venv/bin/python benchmarks/bench_batch.py [--jobs 8] [--voice kokoro:af_heart]
     [--size 320x320] [--fps 25] [--bandwidth-mbit 1000]

Each mode runs the ``studio batch`` command (a fresh process, as a user runs it) into a fresh
folder, so nothing is skipped. Reported per mode: the command's wall time (pool or Ray start
included), the batch loop's wall time from ``batch-report.json``, jobs per minute, and
video-seconds made per wall-second. Ray's per-job overhead is its loop time less local mode's
with as many workers, per job. The projection uses those measurements, the size of the avatar
package shipped to each node once, and the size of the videos sent back, over a link of
``--bandwidth-mbit``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINES = (
    "Welcome to the live room! Today we look at a travel mug.",
    "This cutting board is made of bamboo. It has a juice groove.",
    "Here is a cotton T-shirt. It comes in six colours.",
    "This desk lamp has five brightness levels. It charges over USB-C.",
    "The phone stand folds flat. It fits in a pocket.",
    "Thanks for watching. Tap the cart below to order.",
)


def write_jobs(folder: Path, count: int, voice: str, size: str, fps: str) -> Path:
    body = f'[defaults]\nvoice = "{voice}"\nsize = "{size}"\nfps = "{fps}"\n\n'
    for i in range(count):
        body += f'[[job]]\ntext = "{LINES[i % len(LINES)]}"\nout = "clip-{i + 1}.mp4"\n\n'
    path = folder / "jobs.toml"
    path.write_text(body, encoding="utf-8")
    return path


def run_mode(jobs: Path, out: Path, options: list[str]) -> dict[str, float]:
    env = {**os.environ, "STUDIO_SESSION_LOGS": str(out.parent / "logs")}
    cmd = [sys.executable, "-m", "studio", "batch", str(jobs), "--out", str(out), *options]
    t0 = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - t0
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(options)} failed (rc {result.returncode}):\n{result.stderr}")
    report = json.loads((out / "batch-report.json").read_text("utf-8"))
    videos = sorted(out.glob("*.mp4"))
    return {
        "command_s": wall,
        "loop_s": report["wall_seconds"],
        "jobs": report["totals"]["done"],
        "video_s": report["video_seconds"],
        "video_bytes": sum(p.stat().st_size for p in videos) / max(1, len(videos)),
    }


def package_bytes() -> int:
    from studio.avatar.library import demo_package_path
    from studio.batch.manifest import package_parts

    return sum(p.stat().st_size for p in package_parts(demo_package_path()))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--voice", default="kokoro:af_heart")
    parser.add_argument("--size", default="320x320")
    parser.add_argument("--fps", default="25")
    parser.add_argument("--bandwidth-mbit", type=float, default=1000.0)
    parser.add_argument("--no-ray", action="store_true")
    args = parser.parse_args()

    modes = [("local, 1 worker", ["--workers", "1"]), ("local, 2 workers", ["--workers", "2"])]
    if not args.no_ray:
        modes.append(("ray local, 2 CPUs", ["--ray", "local", "--workers", "2"]))
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        jobs = write_jobs(Path(tmp), args.jobs, args.voice, args.size, args.fps)
        for i, (name, options) in enumerate(modes):
            results[name] = run_mode(jobs, Path(tmp) / f"out{i}", options)
    print(f"{args.jobs} jobs, voice {args.voice}, {args.size} at {args.fps} fps, spoken AI notice on")
    print(f"{'mode':<20}{'command s':>10}{'loop s':>9}{'jobs/min':>10}{'video-s/s':>11}")
    for name, r in results.items():
        per_min = r["jobs"] * 60 / r["command_s"]
        speed = r["video_s"] / r["command_s"]
        print(f"{name:<20}{r['command_s']:>10.1f}{r['loop_s']:>9.1f}{per_min:>10.1f}{speed:>11.2f}")
    one, two = results["local, 1 worker"], results["local, 2 workers"]
    video_per_job = one["video_s"] / one["jobs"]
    print(f"video per job: {video_per_job:.1f} s; 2 workers vs 1: {one['command_s'] / two['command_s']:.2f}x")
    if "ray local, 2 CPUs" not in results:
        return
    ray = results["ray local, 2 CPUs"]
    overhead = (ray["loop_s"] - two["loop_s"]) / ray["jobs"]
    start = ray["command_s"] - ray["loop_s"] - (two["command_s"] - two["loop_s"])
    print(f"Ray: {start:.1f} s more to start than a local pool; {overhead:+.2f} s per job against local mode")

    # Projection: N nodes like this one (2 cores, local mode's measured 2-worker rate, which
    # already pays for the cores' contention), fed by one driver over a link of the given bandwidth.
    link = args.bandwidth_mbit * 1e6 / 8  # bytes per second
    slot_s = 2 * two["loop_s"] / two["jobs"]  # one worker slot's time per job on a 2-core node
    back_s = ray["video_bytes"] / link  # the video's bytes, worker to driver
    avatar_s = package_bytes() / link  # once per node
    per_job = slot_s + max(0.0, overhead) + back_s
    print(
        f"projection ({args.bandwidth_mbit:g} Mbit/s link; "
        f"avatar {package_bytes() / 1e6:.2f} MB once per node, "
        f"video {ray['video_bytes'] / 1e6:.2f} MB back per job):"
    )
    for nodes in (1, 2, 4, 8, 16):
        rate = nodes * 2 / per_job  # jobs per second
        print(
            f"  {nodes:>2} node(s): {rate * 60:6.1f} jobs/min, {rate * video_per_job:6.2f} video-s/s "
            f"(+{avatar_s:.3f} s per node to ship the avatar)"
        )
    seconds_per_video_s = slot_s / video_per_job
    for nodes in (2, 4, 8):
        # N nodes through Ray beat this one machine alone when N*2/(t+o) > 2/t, i.e. t > o/(N-1).
        t_min = max(0.0, overhead + back_s) / (nodes - 1)
        print(
            f"  break-even on {nodes} nodes: jobs over {t_min:.2f} s of work "
            f"({t_min / seconds_per_video_s:.2f} s of video) gain from the cluster"
        )


if __name__ == "__main__":
    main()
