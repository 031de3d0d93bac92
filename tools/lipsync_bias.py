"""Timing bias by boundary kind, and how far a model moves the twin's DRIVER_SPEECH calibration.

    .venv/bin/python tools/lipsync_bias.py --model v1=onnx_models/lipsync.onnx \\
        --model v2=build/lipsync-v2s/lipsync.onnx assets/lipsync_eval/real-independent ...

Bias: each reference boundary (viseme a to b) is matched to the nearest predicted (argmax)
boundary from a to b within 10 frames, as ``studio.lipsync.align.boundary_error`` does; the
mean and median of predicted minus reference (ms, + = the model is late) are printed per kind:
vowel→consonant, consonant→vowel, to/from silence, other.

Driver shift: the measurement of ``tests/test_twin_analysis.py``
(``test_the_reference_speech_is_what_the_drivers_say``) with the given model: the model
driver's mouth quantiles on our speech assets, largest |difference| from ``DRIVER_SPEECH``
(the test allows < 0.02).
"""

from __future__ import annotations

import argparse
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.inference.lipsync_model import LipSyncModel
from studio.lipsync.features import SAMPLE_RATE, num_frames, to_model_rate
from studio.lipsync.labels import FRAME_RATE, frame_labels, read_labels_tsv
from studio.lipsync.visemes import VISEMES
from studio.media.audio import read_audio
from studio.pipeline.lipsync_eval import eval_pairs

VOWELS = frozenset(VISEMES.index(v) for v in ("aa", "E", "ih", "oh", "ou"))
SIL = VISEMES.index("sil")
KINDS = ("vowel→consonant", "consonant→vowel", "to/from silence", "other")


def kind(a: int, b: int) -> str:
    if SIL in (a, b):
        return KINDS[2]
    if a in VOWELS and b not in VOWELS:
        return KINDS[0]
    if a not in VOWELS and b in VOWELS:
        return KINDS[1]
    return KINDS[3]


def offsets(pred: np.ndarray, ref: np.ndarray, window: int = 10) -> dict[str, list[int]]:
    """Signed frame offsets (predicted minus reference) of matched boundaries, by kind."""
    found: dict[tuple[int, int], list[int]] = {}
    for i in np.flatnonzero(pred[1:] != pred[:-1]) + 1:
        found.setdefault((int(pred[i - 1]), int(pred[i])), []).append(int(i))
    out: dict[str, list[int]] = {k: [] for k in KINDS}
    for i in np.flatnonzero(ref[1:] != ref[:-1]) + 1:
        a, b = int(ref[i - 1]), int(ref[i])
        near = [j - int(i) for j in found.get((a, b), []) if abs(j - int(i)) <= window]
        if near:
            out[kind(a, b)].append(min(near, key=abs))
    return out


def bias(model: LipSyncModel, folder: Path) -> dict[str, list[int]]:
    total: dict[str, list[int]] = {k: [] for k in KINDS}
    for wav, tsv in eval_pairs(folder):
        audio, rate = read_audio(wav)
        mono = to_model_rate(audio, rate)
        ref = frame_labels(read_labels_tsv(tsv), num_frames(len(mono)))
        pred = model.predict(mono, SAMPLE_RATE).argmax(axis=1)
        n = min(len(pred), len(ref))
        for k, v in offsets(pred[:n], np.asarray(ref[:n])).items():
            total[k] += v
    return total


def driver_shift(model: LipSyncModel) -> float:
    """Largest |measured - DRIVER_SPEECH| as tests/test_twin_analysis.py measures it."""
    from studio.lipsync.model_driver import ModelDriver
    from studio.lipsync.mouth import CLOSE
    from studio.twin.mouth_features import DRIVER_SPEECH, LIPS_APART, QUANTILES, SCALED, speaking_frames

    fps, values = Fraction(30), []
    for wav in sorted(Path(__file__).parents[1].glob("assets/lipsync_eval/*/*.wav")):
        audio, rate = read_audio(wav)
        n = int(len(audio) * 30 // rate)
        track = ModelDriver(model).track(model.predict(audio, rate), fps, n).values
        values.append(track[speaking_frames(audio, rate, fps, n) & (track[:, CLOSE] < LIPS_APART)])
    measured = np.percentile(np.concatenate(values)[:, SCALED], QUANTILES, axis=0)
    return float(np.abs(measured - DRIVER_SPEECH).max())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--model", action="append", required=True, help="NAME=PATH, repeatable")
    parser.add_argument("--no-driver", action="store_true", help="skip the DRIVER_SPEECH shift")
    args = parser.parse_args(argv)
    models = {name: LipSyncModel(Path(p), threads=1) for name, p in (m.split("=", 1) for m in args.model)}
    ms = 1000 / FRAME_RATE
    print("| set | model | " + " | ".join(f"{k} mean / median ms (n)" for k in KINDS) + " |")
    print("|" + "---|" * (len(KINDS) + 2))
    for folder in args.folders:
        for name, model in models.items():
            cells = []
            for v in bias(model, folder).values():
                x = np.array(v, np.float64) * ms
                cells.append(f"{x.mean():+.1f} / {np.median(x):+.0f} ({len(x)})" if len(x) else "-")
            print(f"| {folder.name} | {name} | " + " | ".join(cells) + " |", flush=True)
    if not args.no_driver:
        for name, model in models.items():
            print(f"{name}: DRIVER_SPEECH shift {driver_shift(model):.3f} (tolerance 0.02)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
