"""Recorded human speech as training data: a labelled folder made into corpus shards.

    python -m training.lipsync.human --labelled assets/lipsync_eval/real-aligned \
        --copies 16 --out build/lipsync-human

A labelled folder is what ``studio lipsync eval`` reads (``NAME.flac`` or ``NAME.wav`` beside
``NAME.tsv``) with a README table naming each file's speaker. Every file of a speaker not held
out becomes ``--copies`` utterances, each through its own random augmentation chain (the first
one clean), so a few minutes of people weigh more than their length in hours of synthesis.
Speakers are held out whole: ``EVALUATION_SPEAKERS`` always, others with ``--hold-out``, so a
model trained on these shards is scored only on speakers it never heard. The shards have the
corpus's format (``training.lipsync.corpus``); train on them beside a synthetic corpus with a
second ``--corpus``.
"""

from __future__ import annotations

import argparse
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.lipsync.features import log_mel, to_model_rate
from studio.lipsync.labels import frame_labels, read_labels_tsv
from studio.media.audio import read_audio
from training.lipsync import augment

ENGINE = "human"
# The speakers the real-speech scores are read on (real-independent is McAuliffe's; real-aligned
# also holds LJSpeech's 222 s): never trained on, whatever --hold-out says.
EVALUATION_SPEAKERS = frozenset({"mcauliffe", "ljspeech"})
_ROW = re.compile(r"^\| (?P<file>[\w.-]+) \| (?P<speaker>[\w.-]+) \| [\d.]+ \| (?P<package>[^|]+?) \|", re.M)
_SOURCE = re.compile(r"^- `(?P<name>[^`]+)` (?P<version>\S+) \(\w+\): (?P<licence>.+)$", re.M)


@dataclass(frozen=True)
class Recording:
    name: str
    speaker: str
    audio: Path
    labels: Path
    package: str  # the registry package it came from, "name version"
    licence: str  # of the recordings, as the folder's README states it for that package


def recordings(folder: Path) -> list[Recording]:
    """Each labelled recording in ``folder`` with its speaker, from the README's file table."""
    readme = (folder / "README.md").read_text()
    rows = {m["file"]: (m["speaker"], m["package"]) for m in _ROW.finditer(readme)}
    licences = {f"{m['name']} {m['version']}": m["licence"] for m in _SOURCE.finditer(readme)}
    found = []
    for labels in sorted(folder.glob("*.tsv")):
        beside = (labels.with_suffix(".flac"), labels.with_suffix(".wav"))
        audio = next((p for p in beside if p.exists()), None)
        if audio is None or labels.stem not in rows:
            raise SystemExit(f"{labels}: no audio beside it, or no speaker for it in {folder / 'README.md'}")
        speaker, package = rows[labels.stem]
        if package not in licences:
            raise SystemExit(f"{folder / 'README.md'}: no licence line for {package}")
        found.append(Recording(labels.stem, speaker, audio, labels, package, licences[package]))
    return found


def build(folder: Path, hold_out: set[str], copies: int, out: Path, seed: int) -> dict[str, float]:
    """Write ``out/shard-0000.npz``; returns the seconds of recording per trained speaker."""
    hold_out = set(hold_out) | EVALUATION_SPEAKERS
    rng = np.random.default_rng(seed)
    feats, labels, meta = [], [], []
    seconds: dict[str, float] = {}
    sources: dict[str, dict[str, str]] = {}
    clean: list[np.ndarray] = []
    for rec in recordings(folder):
        if rec.speaker in hold_out:
            continue
        samples, rate = read_audio(rec.audio)
        audio = to_model_rate(samples, rate)
        seconds[rec.speaker] = seconds.get(rec.speaker, 0.0) + len(samples) / rate
        sources[rec.speaker] = {"package": rec.package, "licence": rec.licence}
        segments = read_labels_tsv(rec.labels)
        for copy in range(copies):
            noisy = audio if copy == 0 else augment.augment(audio, rng, pool=clean[-8:])
            f = log_mel(noisy)
            feats.append(f.astype(np.float16))
            labels.append(frame_labels(segments, len(f)).astype(np.uint8))
            meta.append(
                {
                    "engine": ENGINE,
                    "family": f"{ENGINE}:{rec.speaker}",
                    "voice": rec.name,
                    "language": "en",
                    "split": "train",
                    "copy": copy,
                    "frames": len(f),
                }
            )
        clean.append(audio)
    if not feats:
        raise SystemExit(f"every speaker in {folder} is held out: nothing to train on")
    out.mkdir(parents=True, exist_ok=True)
    np.savez(
        out / "shard-0000.npz",
        feats=np.concatenate(feats),
        labels=np.concatenate(labels),
        meta=np.array(json.dumps(meta)),
    )
    recipe = {
        "labelled": str(folder),
        "held_out": sorted(hold_out),
        "copies": copies,
        "seed": seed,
        "seconds": {k: round(v, 1) for k, v in sorted(seconds.items())},
        "sources": dict(sorted(sources.items())),
    }
    (out / "recipe.json").write_text(json.dumps(recipe, indent=2) + "\n")
    return seconds


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--labelled", required=True, type=Path, help="labelled folder with a README speaker table")
    p.add_argument("--hold-out", action="append", default=[], help="another speaker never trained on")
    p.add_argument("--copies", type=int, default=12, help="augmented copies of each recording")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    seconds = build(args.labelled, set(args.hold_out), args.copies, args.out, args.seed)
    total = sum(seconds.values())
    minutes = total * args.copies / 60
    print(f"{args.out}: {total:.1f} s from {len(seconds)} speakers, x{args.copies} = {minutes:.1f} min")


if __name__ == "__main__":
    main()
