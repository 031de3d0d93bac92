"""Compare lip-sync ONNX models side by side on evaluation folders, with speed, size and streaming.

    .venv/bin/python tools/lipsync_compare.py --model v1=onnx_models/lipsync.onnx \\
        --model v2=build/lipsync-v2/lipsync.onnx assets/lipsync_eval/piper-joe ...

Scores come from ``evaluate_folder`` (what ``studio lipsync eval`` prints). Speed is real time
over the process's CPU time on one thread for 60 s of speech-like audio, front end
(``log_mel``) included, best of three: CPU time, not wall time, because the machine is shared
and wall time measures the other jobs. Streaming is checked by pushing a real file in 37 ms chunks and
comparing with offline prediction.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

# "One thread" must hold for the maths libraries too: OpenBLAS and OpenMP pools spin on the
# other core, and process CPU time counted that spinning (v1 read 394-437x this way, 862x with
# the pools at one thread). Set before numpy loads them.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.lipsync.evaluate import Scores  # noqa: E402
from studio.lipsync.features import SAMPLE_RATE, to_model_rate  # noqa: E402
from studio.media.audio import read_audio  # noqa: E402
from studio.pipeline.lipsync_eval import eval_pairs, evaluate_folder  # noqa: E402

METRICS = (("7-group", "group_accuracy"), ("15-way", "accuracy"), ("PP recall", "pp_recall"),
           ("jaw r", "jaw_correlation"))  # fmt: skip


def speed(model: LipSyncModel, seconds: float = 60.0) -> float:
    """Real-time factor, front end included, on noise shaped like speech (bursts and pauses)."""
    rng = np.random.default_rng(0)
    n = int(seconds * SAMPLE_RATE)
    envelope = np.repeat(rng.random(n // 1600 + 1) < 0.7, 1600)[:n]
    audio = (rng.normal(0, 0.1, n) * envelope).astype(np.float32)
    model.predict(audio[:SAMPLE_RATE], SAMPLE_RATE)  # warm up: the first model measured read slower
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        model.predict(audio, SAMPLE_RATE)
        best = min(best, time.process_time() - started)
    return seconds / best


def streaming_gap(model: LipSyncModel, wav: Path) -> float:
    """Largest difference between streamed (37 ms chunks) and offline weights on one file."""
    audio, rate = read_audio(wav)
    mono = to_model_rate(audio, rate)
    offline = model.predict(mono, SAMPLE_RATE)
    stream = model.stream()
    chunk = int(0.037 * SAMPLE_RATE)
    parts = [stream.push_audio(mono[i : i + chunk]) for i in range(0, len(mono), chunk)]
    streamed = np.concatenate([*parts, stream.flush()])
    if streamed.shape != offline.shape:
        return float("inf")
    return float(np.abs(streamed - offline).max())


def cell(s: Scores, field: str) -> str:
    return f"{getattr(s, field):.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--model", action="append", required=True, help="NAME=PATH, repeatable")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    models = {
        name: LipSyncModel(Path(path), threads=1) for name, path in (m.split("=", 1) for m in args.model)
    }
    header = "| set | model | " + " | ".join(m for m, _ in METRICS) + " |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for folder in args.folders:
        for name, model in models.items():
            result = evaluate_folder(folder, model)
            row = " | ".join(cell(result.model, f) for _, f in METRICS)
            print(f"| {folder.name} ({result.seconds:.0f} s) | {name} | {row} |", flush=True)
        row = " | ".join(cell(result.baseline, f) for _, f in METRICS)
        print(f"| {folder.name} | energy baseline | {row} |", flush=True)
    if not args.no_speed:
        probe = eval_pairs(args.folders[0])[0][0]
        for name, model in models.items():
            size = model.path.stat().st_size / 1e6
            print(
                f"{name}: {speed(model):.0f}x real time (CPU time, 1 thread, front end included), "
                f"{size:.2f} MB, "
                f"look-ahead {model.info.lookahead_ms:.1f} ms, "
                f"streaming vs offline max |diff| {streaming_gap(model, probe):.2e}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
