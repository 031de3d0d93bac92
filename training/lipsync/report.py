"""Score several trained models on several held-out sets: the look-ahead sweep and the
leave-one-out runs in the model card come from here.

    python -m training.lipsync.report --model L0=build/sweep/L0/lipsync.onnx ... \\
        --set piper=assets/lipsync_eval/piper-joe --set flite=build/lipsync-eval/flite

Prints one markdown table row per (model, set), plus each model's own validation accuracy.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from studio.inference.lipsync_model import LipSyncModel
from studio.pipeline.lipsync_eval import evaluate_folder


def _pairs(values: list[str]) -> list[tuple[str, Path]]:
    out = []
    for value in values:
        name, _, path = value.partition("=")
        out.append((name, Path(path)))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", action="append", required=True, help="NAME=path/to/model.onnx")
    p.add_argument("--set", action="append", required=True, help="NAME=folder of NAME.wav + NAME.tsv")
    args = p.parse_args()
    print("| model | trained on | look-ahead | val 15-way | set | 15-way | 7-group | PP recall | jaw r |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, path in _pairs(args.model):
        summary = json.loads(path.with_suffix(".json").read_text())
        val = summary["history"][-1]["accuracy"] if summary.get("history") else float("nan")
        model = LipSyncModel(path, provider="cpu")
        for set_name, folder in _pairs(args.set):
            s = evaluate_folder(folder, model).model
            print(
                f"| {name} | {'+'.join(summary['engines'])} | {model.info.lookahead_ms:.1f} ms | {val:.3f} | "
                f"{set_name} | {s.accuracy:.3f} | {s.group_accuracy:.3f} | {s.pp_recall:.3f} | "
                f"{s.jaw_correlation:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
