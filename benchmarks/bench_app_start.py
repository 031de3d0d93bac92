"""How long the desktop app takes to open a usable window (target: 3 s), and how fast the
capture wizard's live checklist analyses camera frames.

Run: .venv/bin/python benchmarks/bench_app_start.py [--runs 5] [--studio EXE ...]

``--studio`` times another ``studio`` executable instead, e.g. the Linux bundle
(``installers/linux/build.sh``), started with a bare environment as a desktop entry would;
give it more than once, or with ``--studio venv`` for this checkout, to interleave them in one run.

Each run starts a fresh ``studio app --exit-when-ready`` process with a fresh settings file
and an empty library (the first-launch case: the demo avatar and the demo show are loaded),
and measures from spawning the process to the window being shown with its first event-loop
turn done, i.e. ready for input. With no display it runs Qt off-screen (set DISPLAY, e.g.
under ``xvfb-run``, to include a real X server). Also prints the import time of each heavy
package in a separate process, so a regression can be traced.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0


def one_start(tmp: Path, run: int, studio: str = "venv") -> tuple[float, float]:
    env = dict(os.environ)
    if studio != "venv":  # a bundle gets what a desktop entry gives it, nothing of this venv
        env = {k: env[k] for k in ("DISPLAY", "WAYLAND_DISPLAY", "XAUTHORITY", "HOME", "LANG") if k in env}
        env["PATH"] = "/usr/bin:/bin"
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    command = [sys.executable, "-m", "studio"] if studio == "venv" else [studio]
    args = [
        *command, "app", "--exit-when-ready",
        "--settings", str(tmp / f"run{run}" / "settings.json"), "--library", str(tmp / f"lib{run}"),
    ]  # fmt: skip
    t0 = time.perf_counter()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    wall = time.perf_counter() - t0
    if result.returncode != 0 or "ready in" not in result.stdout:
        raise SystemExit(f"run {run} failed (rc {result.returncode}):\n{result.stderr}")
    inner = float(result.stdout.split("ready in", 1)[1].split()[0])
    return wall, inner


def import_times() -> dict[str, float]:
    out = {}
    for module in ("PySide6.QtWidgets", "studio.pipeline.live_show", "studio.ui.main_window"):
        code = f"import time; t=time.perf_counter(); import {module}; print(time.perf_counter()-t)"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
        out[module] = float(r.stdout.strip() or "nan")
    return out


def checklist_speed(frames: int = 90) -> None:
    """The capture wizard analyses every camera frame it can (face landmarks + checklist); at
    30 fps it has 33 ms a frame. A 1280x720 frame of the demo photo, shrunk to 640 px as live."""
    import numpy as np
    from PIL import Image

    sys.path.insert(0, str(ROOT))
    from studio.capture.analyzer import FrameAnalyzer
    from studio.resources import asset_path

    photo = Image.open(asset_path("demo", "astronaut.png")).convert("RGB").resize((720, 720))
    frame = np.zeros((720, 1280, 3), np.uint8)
    frame[:, 280:1000] = np.asarray(photo)  # the face as a webcam frames it
    with FrameAnalyzer() as analyzer:
        analyzer.analyse(frame)  # model warm-up, not timed below
        analyzer.frames, analyzer.total_ms = 0, 0.0
        for _ in range(frames):
            checklist, _faces = analyzer.analyse(frame)
        assert checklist.all_ok, checklist.first_problem
        print(f"live checklist: {analyzer.mean_ms:.1f} ms a 1280x720 frame (mean of {frames}; budget 33 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--studio", action="append", metavar="EXE", help="a studio executable to time ('venv': this checkout)"
    )
    args = parser.parse_args()
    studios = args.studio or ["venv"]
    where = "X server " + os.environ["DISPLAY"] if os.environ.get("DISPLAY") else "Qt off-screen"
    print(
        f"app start-up, {args.runs} fresh processes ({where}), first launch (fresh settings, empty library)"
    )
    walls: dict[str, list[float]] = {studio: [] for studio in studios}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for n, studio in enumerate(studios):
                wall, inner = one_start(Path(tmp), run * len(studios) + n, studio)
                walls[studio].append(wall)
                print(
                    f"  run {run + 1} {studio}: {wall:.2f} s from spawn to a usable window"
                    f" ({inner:.2f} s inside the app)"
                )
    for studio, times in walls.items():
        median = statistics.median(times)
        verdict = "meets" if median <= TARGET_S else "MISSES"
        print(
            f"{studio}: median {median:.2f} s, worst {max(times):.2f} s:"
            f" {verdict} the {TARGET_S:.0f} s target"
        )
    print("import times (fresh process each):")
    for module, seconds in import_times().items():
        print(f"  {module:28s} {seconds:.2f} s")
    checklist_speed()


if __name__ == "__main__":
    main()
