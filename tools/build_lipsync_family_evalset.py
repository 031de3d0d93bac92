"""Evaluation folders for a held-out voice family (default: the kal speaker of flite and festival).

    PYTHONPATH=. .venv/bin/python tools/build_lipsync_family_evalset.py [--speaker kal] [--out DIR]

Every line of training/lipsync/texts/eval_en.txt is spoken by each English voice of that
speaker (flite kal16, festival kal_diphone; flite's 8 kHz kal is the same speaker and left out)
and written twice: ``<engine>-<speaker>/`` with the engine's own labels and
``<engine>-<speaker>-corrected/`` with consonant onsets moved to the audio
(``training.lipsync.label_fix``). Training with ``--exclude-family <engine>:<speaker>`` keeps the
speaker unheard. The energy baseline, which only hears loudness, scores higher on the corrected
labels: the check that the correction moves labels toward the acoustics.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studio.lipsync.align import labels_to_spans
from studio.lipsync.features import SAMPLE_RATE, num_frames
from studio.lipsync.labels import frame_labels, write_labels_tsv
from studio.media.audio import write_wav
from training.lipsync import engines, texts
from training.lipsync.corpus import Job, _synth
from training.lipsync.label_fix import correct_labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--speaker", default="kal")
    parser.add_argument("--out", type=Path, default=Path("build/lipsync-eval-v2"))
    args = parser.parse_args(argv)
    lines = texts.load_lines("eval_en")
    specs = [
        s
        for engine in ("flite", "festival")
        for s in engines.voices(engine)
        if s.language == "en" and s.speaker == args.speaker and s.voice != "kal"
    ]
    for spec in specs:
        name = spec.family.replace(":", "-")
        for i, line in enumerate(lines):
            audio, segments, family = _synth(Job(spec.engine, spec.voice, "en", line, 1.0, 1.0, "eval", 0))
            raw = frame_labels(segments, num_frames(len(audio)))
            for folder, labels in ((name, raw), (f"{name}-corrected", correct_labels(raw, family))):
                (args.out / folder).mkdir(parents=True, exist_ok=True)
                write_wav(args.out / folder / f"{i:03d}.wav", audio, SAMPLE_RATE)
                write_labels_tsv(args.out / folder / f"{i:03d}.tsv", labels_to_spans(labels))
        print(f"{spec.family}: {len(lines)} sentences in {args.out / name}(-corrected)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
