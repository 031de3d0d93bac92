"""Ship a trained lip-sync model: int8 variant, scores on held-out speech, model card, manifest.

    python -m training.lipsync.export --model build/lipsync/lipsync.onnx --eval build/lipsync-eval

Every figure in the card comes from ``studio lipsync eval`` (``evaluate_folder``) on folders of
speech the model never trained on, next to the no-learning energy baseline. The int8 variant
ships only if its 7-group accuracy on the Piper voice stays within ``INT8_TOLERANCE``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import time
from datetime import date
from pathlib import Path

# The card's speed is on one thread: the maths libraries' pools too (see tools/lipsync_compare.py).
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.lipsync.evaluate import Scores  # noqa: E402
from studio.lipsync.features import FEATURE_VERSION, SAMPLE_RATE  # noqa: E402
from studio.pipeline.lipsync_eval import FolderScores, evaluate_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "onnx_models"
PIPER_SET = ROOT / "assets" / "lipsync_eval" / "piper-joe"
INT8_TOLERANCE = 0.01
LICENCE = "LicenseRef-Proprietary"  # Studio's own weights, trained here
ENGINE_LICENCES = {
    "espeak": "espeak-ng (GPL-3.0 program; its audio output is not a derivative work)",
    "flite": "flite and its CMU voices (BSD-style CMU licence)",
    "festival": "festival with festvox kal/ked diphone and CMU ARCTIC slt HTS voices (free licences)",
}


def _role(name: str, summary: dict) -> str:
    if name.startswith("real-"):
        return "real human speech, never trained on"
    family = name.removesuffix("-aug").removesuffix("-corrected").replace("-", ":", 1)
    if family in summary.get("excluded_families", []):
        return "held-out voice family" + (", consonant onsets corrected" if "-corrected" in name else "")
    engine = name.split("-")[0]
    if engine in summary["engines"]:
        return "trained engine, unseen sentences"
    return "held-out voice" if engine == "piper" else "held-out engine"


def quantize(source: Path, target: Path) -> None:
    from studio.inference.runtime import import_onnxruntime

    import_onnxruntime()  # telemetry off before onnxruntime loads
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8)


def speed(model: LipSyncModel, seconds: float = 60.0) -> float:
    """Real time over CPU time, front end (``log_mel``) included, on a minute of speech-like noise.

    CPU time of this process, not wall time: the machine is shared, and wall time would measure
    the other jobs. Best of three.
    """
    rng = np.random.default_rng(0)
    n = int(seconds * SAMPLE_RATE)
    envelope = np.repeat(rng.random(n // 1600 + 1) < 0.7, 1600)[:n]
    audio = (rng.normal(0.0, 0.1, n) * envelope).astype(np.float32)
    model.predict(audio[:SAMPLE_RATE], SAMPLE_RATE)  # warm up
    best = float("inf")
    for _ in range(3):
        t = time.process_time()
        model.predict(audio, SAMPLE_RATE)
        best = min(best, time.process_time() - t)
    return seconds / best


def _row(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.accuracy:.3f} | {s.accuracy_tol2:.3f} | {s.group_accuracy:.3f} | "
        f"{s.pp_recall:.3f} | {s.pp_event_recall:.3f} | {s.jaw_correlation:.3f} |"
    )


def card(
    summary: dict, results: dict[str, FolderScores], int8: dict[str, object], model: LipSyncModel
) -> str:
    net = summary["net"]
    lines = [
        "# lipsync.onnx: Studio's own audio-to-viseme model",
        "",
        "Written by `python -m training.lipsync.export`; the figures below come from",
        "`studio lipsync eval` on sentences the model never trained on, read by voices it never",
        "heard and by the engines it trained on, and on real recorded speech it never heard.",
        "",
        "## What it does",
        "16 kHz speech → 15 viseme weights (sil PP FF TH DD kk CH SS nn RR aa E ih oh ou) per 10 ms.",
        f"Input: `studio.lipsync.features.log_mel` (80 log-mel bins, `{FEATURE_VERSION}`).",
        f"A causal dilated TCN: {summary['parameters']:,} parameters, receptive field "
        f"{net['receptive_field']} frames ({net['context']} past, {net['lookahead']} ahead).",
        f"Look-ahead: {model.info.lookahead_ms:.1f} ms of audio past the frame's centre "
        f"({net['lookahead']} frames plus the analysis window).",
        "",
        "## Data",
        f"{summary['hours']:.2f} h of speech ({summary['utterances']} utterances"
        + _by_engine(summary)
        + "), augmented (room, noise, babble, music, microphone bands, "
        "compression, codecs, gain). Recipe: `python -m training.lipsync.corpus`"
        + (" and `python -m training.lipsync.human`." if summary.get("human") else "."),
        *_human_lines(summary),
        "Held out entirely: the Piper voice en_US-joe-medium (evaluation)"
        + (f", the engine(s) {', '.join(summary['excluded_engines'])}" if summary["excluded_engines"] else "")
        + (
            f", the voice families {', '.join(summary['excluded_families'])}"
            if summary["excluded_families"]
            else ""
        )
        + ".",
        (
            f"Fine-tuned from `{summary['initialised_from']}`"
            + (
                f" (sha256 {summary['initialised_from_sha256'][:16]})"
                if summary.get("initialised_from_sha256")
                else ""
            )
            + " (its card's data first, then this). "
            if summary.get("initialised_from")
            else ""
        )
        + f"Training: `python -m training.lipsync.train`, seed {summary['train']['seed']}, "
        f"{summary['train']['steps']} steps, {summary['minutes']} min on "
        f"{platform.processor() or 'this CPU'} ({os.cpu_count()} cores).",
        "",
        "## Scores (model, then the energy baseline)",
        "",
        "Each set is read by `studio lipsync eval`. '-aug' sets are the same speech under the training",
        "augmentation chain (room, noise, music, bands, codecs). Sentences of every set are held out.",
        "",
        "| set | 15-way | ±2 frames | 7-group | PP recall | PP events | jaw r |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(_row(f"{name} ({r.seconds:.0f} s)", r.model))
        lines.append(_row(f"{name}: baseline", r.baseline))
    lines += [
        "",
        f"Speed: {int8['fp32_speed']:.0f}x real time in CPU time on one thread, front end included "
        "(fp32, the default); "
        f"int8 weights: {int8['int8_speed']:.0f}x, 7-group accuracy on Piper {int8['int8_group']:.3f} "
        f"({'shipped as lipsync-int8.onnx' if int8['shipped'] else 'not shipped: it lost accuracy'}). "
        f"Sizes: {(MODELS / 'lipsync.onnx').stat().st_size / 1e6:.2f} MB fp32.",
        "",
        "## Licence",
        f"The weights: {LICENCE} (Studio's own). Synthetic training audio was made on this machine by "
        + "; ".join(ENGINE_LICENCES[e] for e in summary["engines"] if e in ENGINE_LICENCES)
        + "."
        + (" No recorded human speech was used." if not summary.get("human") else ""),
        *_human_licences(summary),
        "",
    ]
    return "\n".join(lines)


def _by_engine(summary: dict) -> str:
    hours = summary.get("hours_by_engine")
    if not hours:
        return f" from {' and '.join(summary['engines'])}"
    return ": " + ", ".join(f"{engine} {h:.2f} h" for engine, h in hours.items())


def _human_lines(summary: dict) -> list[str]:
    """Who the recorded people are, how much of each, and who was held out."""
    lines = []
    for recipe in summary.get("human", []):
        seconds = recipe["seconds"]
        people = ", ".join(f"{speaker} {s:.0f} s" for speaker, s in seconds.items())
        lines.append(
            f"Recorded people ({len(seconds)} speakers, {sum(seconds.values()):.0f} s from "
            f"`{recipe['labelled']}`, labels aligned by v1, each recording in {recipe['copies']} "
            f"copies, all but one augmented): {people}. Never trained on, whole speakers: "
            f"{', '.join(recipe['held_out'])}, and everything in `assets/lipsync_eval/real-independent`."
        )
    return lines


def _human_licences(summary: dict) -> list[str]:
    """Each recorded source's licence, as the labelled folder's README states it."""
    by_package: dict[str, tuple[list[str], str]] = {}
    for recipe in summary.get("human", []):
        for speaker, source in recipe.get("sources", {}).items():
            by_package.setdefault(source["package"], ([], source["licence"]))[0].append(speaker)
    if not by_package:
        return []
    lines = ["Recorded speech trained on, by package:"]
    for package, (speakers, licence) in by_package.items():
        lines.append(f"- {package} ({', '.join(speakers)}): {licence}")
    return lines


def manifest_line(path: Path, source: str) -> str:
    data = path.read_bytes()
    return "\t".join([path.name, hashlib.sha256(data).hexdigest(), str(len(data)), LICENCE, source])


def update_manifest(lines: dict[str, str]) -> None:
    """Replace or add entries, keeping them above the notes on models that packages ship."""
    manifest = MODELS / "MANIFEST"
    kept = [ln for ln in manifest.read_text().splitlines() if ln.split("\t")[0] not in lines]
    notes = next((i for i, ln in enumerate(kept) if ln.startswith("# Shipped by a package")), len(kept))
    manifest.write_text("\n".join(kept[:notes] + list(lines.values()) + kept[notes:]) + "\n")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", type=Path, required=True, help="ONNX file written by training.lipsync.train")
    p.add_argument("--eval", type=Path, required=True, help="folder of evaluation sets (corpus --eval-out)")
    p.add_argument("--notes", type=Path, help="markdown to append to the card (report tables)")
    args = p.parse_args()
    summary = json.loads(args.model.with_suffix(".json").read_text())
    int8_path = args.model.with_name(args.model.stem + "-int8.onnx")
    quantize(args.model, int8_path)

    model = LipSyncModel(args.model, provider="cpu", threads=1)
    small = LipSyncModel(int8_path, provider="cpu", threads=1)
    sets = {"piper-joe (held-out voice)": PIPER_SET}
    for folder in sorted(p for p in args.eval.iterdir() if p.is_dir()):
        sets[f"{folder.name} ({_role(folder.name, summary)})"] = folder
    results = {name: evaluate_folder(folder, model) for name, folder in sets.items()}
    int8_group = evaluate_folder(PIPER_SET, small).model.group_accuracy
    fp32_group = results["piper-joe (held-out voice)"].model.group_accuracy
    int8 = {
        "fp32_speed": speed(model),
        "int8_speed": speed(small),
        "int8_group": int8_group,
        "shipped": int8_group >= fp32_group - INT8_TOLERANCE,
    }
    shutil.copyfile(args.model, MODELS / "lipsync.onnx")
    source = f"Studio's own, trained {date.today().isoformat()}; card: lipsync.md"
    lines = {"lipsync.onnx": manifest_line(MODELS / "lipsync.onnx", source)}
    if int8["shipped"]:
        shutil.copyfile(int8_path, MODELS / "lipsync-int8.onnx")
        lines["lipsync-int8.onnx"] = manifest_line(MODELS / "lipsync-int8.onnx", source + " (int8 weights)")
    else:
        (MODELS / "lipsync-int8.onnx").unlink(missing_ok=True)
    update_manifest(lines)
    notes = args.notes.read_text() if args.notes else ""
    (MODELS / "lipsync.md").write_text(card(summary, results, int8, model) + notes)
    print((MODELS / "lipsync.md").read_text())


if __name__ == "__main__":
    main()
