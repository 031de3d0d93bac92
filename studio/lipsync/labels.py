"""Viseme labels and per-frame viseme weights on the lip-sync model's 10 ms frame grid.

The frame convention is shared by training, the ONNX model and evaluation:

- frame ``i`` covers ``[i * 0.01, (i + 1) * 0.01)`` seconds and its centre is ``(i + 0.5) * 0.01``;
- a labelled frame's viseme is the label span that contains the frame centre (a centre exactly on
  a boundary belongs to the later span, as spans are half-open);
- ``N`` samples at 16 kHz give ``ceil(N / 160)`` frames (``frame_count``).

Label files are TSV with the header ``start<TAB>end<TAB>viseme`` (seconds, one span a line,
in time order, no overlaps; gaps are silence; times are written exactly, so files round-trip).
Weight files are CSV with a ``t`` column (the frame centre) and one column per viseme in
``VISEMES`` order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from studio.errors import InputError
from studio.lipsync.features import HOP
from studio.lipsync.features import SAMPLE_RATE as MODEL_SAMPLE_RATE
from studio.lipsync.visemes import VISEME_INDEX, VISEMES, VisemeTiming
from studio.storage.atomic import atomic_write_bytes
from studio.storage.text_file import read_text
from studio.translation import tr

FRAME_RATE = MODEL_SAMPLE_RATE // HOP  # 100 frames a second, the front end's
LABELS_HEADER = ("start", "end", "viseme")
CSV_HEADER = ("t", *VISEMES)
_WEIGHT_SCALE = 10_000  # 4 decimals in the CSV
# A 30-minute clip's viseme CSV at 100 frames a second is about 20 MB; refuse anything past that.
_MAX_TABLE_BYTES = 32 * 1024 * 1024
_OVERLAP_TOLERANCE = 1e-6  # boundaries written with 6 decimals may differ by this much


def frame_count(num_samples: int, sample_rate: int = MODEL_SAMPLE_RATE) -> int:
    """Frames for ``num_samples`` of audio: ``ceil(num_samples / 160)`` at 16 kHz.

    Integer arithmetic, so no sample count lands one frame off through float rounding.
    """
    if num_samples < 0 or sample_rate <= 0:
        raise ValueError(f"need num_samples >= 0 and sample_rate > 0, got {num_samples}, {sample_rate}")
    return -(-num_samples * FRAME_RATE // sample_rate)


def _label_error(path: Path, line: int, problem: str, fix: str) -> InputError:
    return InputError(
        tr("{path}, line {line}: {problem}.").format(path=path, line=line, problem=problem), fix
    )


def _parse_time(path: Path, line: int, name: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise _label_error(
            path,
            line,
            tr("{name} '{text}' is not a time").format(name=name, text=text),
            tr("Write times as seconds, e.g. 1.25, never negative."),
        )
    return value


def read_labels_tsv(path: Path) -> list[VisemeTiming]:
    """The viseme spans of a label TSV, in file order.

    The file carries no phonemes, so every span has ``vowel=False`` and ``phoneme=""``. Any
    problem raises ``InputError`` naming the file, the line and the fix.
    """
    path = Path(path)
    lines = read_text(path, tr("the label file"), tr("the evaluation set"), _MAX_TABLE_BYTES).splitlines()
    header = "\t".join(LABELS_HEADER)
    if not lines or tuple(lines[0].rstrip().split("\t")) != LABELS_HEADER:
        first = lines[0].rstrip() if lines else ""
        raise _label_error(
            path,
            1,
            tr("the header is '{first}', not '{header}'").format(first=first, header=header),
            tr("Start the file with 'start<TAB>end<TAB>viseme'."),
        )
    spans: list[VisemeTiming] = []
    for number, raw in enumerate(lines[1:], start=2):
        row = raw.rstrip()
        if not row:
            continue
        fields = row.split("\t")
        if len(fields) != 3:
            raise _label_error(
                path,
                number,
                tr("expected 3 tab-separated fields, found {count}").format(count=len(fields)),
                tr("Write 'start<TAB>end<TAB>viseme'."),
            )
        start = _parse_time(path, number, "start", fields[0].strip())
        end = _parse_time(path, number, "end", fields[1].strip())
        viseme = fields[2].strip()
        if viseme not in VISEME_INDEX:
            raise _label_error(
                path,
                number,
                tr("unknown viseme '{viseme}'").format(viseme=viseme),
                tr("Use one of: {visemes}.").format(visemes=" ".join(VISEMES)),
            )
        if end < start:
            raise _label_error(
                path,
                number,
                tr("the span ends ({end:g} s) before it starts ({start:g} s)").format(end=end, start=start),
                tr("Swap or fix the times."),
            )
        if spans and start < spans[-1].end - _OVERLAP_TOLERANCE:
            raise _label_error(
                path,
                number,
                tr("the span starts at {start:g} s, before the previous one ends at {end:g} s").format(
                    start=start, end=spans[-1].end
                ),
                tr("Sort the spans by time and make each start at or after the previous end."),
            )
        spans.append(VisemeTiming(viseme, start, end))
    return spans


def _seconds(value: float) -> str:
    # The shortest text that reads back as the same float, and never in exponent notation.
    return np.format_float_positional(float(value), trim="-")


def write_labels_tsv(path: Path, segments: Sequence[VisemeTiming]) -> None:
    """Write ``segments`` as a label TSV that ``read_labels_tsv`` reads back; atomic."""
    rows = ["\t".join(LABELS_HEADER)]
    for seg in segments:
        if seg.viseme not in VISEME_INDEX:
            raise ValueError(f"unknown viseme {seg.viseme!r}")
        if not 0 <= seg.start <= seg.end:  # read_labels_tsv would refuse the file
            raise ValueError(f"bad span {seg.start}..{seg.end} s")
        rows.append(f"{_seconds(seg.start)}\t{_seconds(seg.end)}\t{seg.viseme}")
    atomic_write_bytes(Path(path), ("\n".join(rows) + "\n").encode("utf-8"))


def _frame_index(seconds: float) -> int:
    """First frame whose centre is at or after ``seconds``."""
    # Rounding to microsecond-sized frame fractions first makes a boundary written as, say,
    # 0.015 land exactly on frame 1's centre instead of a hair either side of it.
    position = round(seconds * FRAME_RATE, 4)
    return max(math.ceil(position - 0.5), 0)


def frame_labels(segments: Sequence[VisemeTiming], num_frames: int) -> np.ndarray:
    """Per-frame viseme indices (into ``VISEMES``): the span containing each frame centre.

    Frames no span covers (gaps, and everything past the last span) are ``sil``. Where spans
    overlap, the later one in ``segments`` wins.
    """
    if num_frames < 0:
        raise ValueError(f"num_frames must be >= 0, got {num_frames}")
    labels = np.full(num_frames, VISEME_INDEX["sil"], dtype=np.int64)
    for seg in segments:
        first = min(_frame_index(seg.start), num_frames)
        last = min(_frame_index(seg.end), num_frames)
        labels[first:last] = VISEME_INDEX[seg.viseme]
    return labels


def _quantised(weights: np.ndarray) -> np.ndarray:
    """Rows as integer ten-thousandths that sum to exactly 10000."""
    if weights.ndim != 2 or weights.shape[1] != len(VISEMES):
        raise ValueError(f"weights must have shape (frames, {len(VISEMES)}), got {weights.shape}")
    w = weights.astype(np.float64)
    if not np.all(np.isfinite(w)) or np.any(w < -1e-6):
        raise ValueError("weights must be finite and non-negative")
    w = np.clip(w, 0.0, None)
    sums = w.sum(axis=1, keepdims=True)
    if np.any(sums <= 0):
        raise ValueError("every frame needs a positive total weight")
    q = np.rint(w / sums * _WEIGHT_SCALE).astype(np.int64)
    # Rounding 15 entries can leave the row up to 7 units off; the largest entry absorbs it
    # because it changes the least in relative terms and can never go negative (>= 667).
    rows = np.arange(len(q))
    q[rows, np.argmax(q, axis=1)] += _WEIGHT_SCALE - q.sum(axis=1)
    return q


def write_viseme_csv(path: Path, weights: np.ndarray) -> None:
    """Write per-frame viseme weights (shape ``(frames, 15)``) as CSV; atomic.

    ``t`` is the frame centre in seconds with 3 decimals; weights have 4 decimals and each row
    sums to exactly 1 (rows are renormalised, and the rounding remainder goes to the largest).
    """
    q = _quantised(np.asarray(weights))
    lines = [",".join(CSV_HEADER)]
    for i, row in enumerate(q):
        ms = 10 * i + 5  # the centre in whole milliseconds, so t is exact
        cells = ",".join(f"{v // _WEIGHT_SCALE}.{v % _WEIGHT_SCALE:04d}" for v in row.tolist())
        lines.append(f"{ms // 1000}.{ms % 1000:03d},{cells}")
    atomic_write_bytes(Path(path), ("\n".join(lines) + "\n").encode("utf-8"))


def read_viseme_csv(path: Path) -> np.ndarray:
    """The ``(frames, 15)`` float64 weights of a CSV written by ``write_viseme_csv``.

    The ``t`` column must be the frame centres ``0.005, 0.015, ...``: a file on another frame
    grid would silently misalign with the labels, so it is refused.
    """
    path = Path(path)
    lines = read_text(path, tr("the viseme CSV"), tr("the evaluation set"), _MAX_TABLE_BYTES).splitlines()
    header = ",".join(CSV_HEADER)
    if not lines or lines[0].strip() != header:
        raise _label_error(
            path,
            1,
            tr("the header is not the viseme CSV header"),
            tr("Start the file with '{header}'.").format(header=header),
        )
    rows: list[list[float]] = []
    for number, raw in enumerate(lines[1:], start=2):
        if not raw.strip():
            continue
        fields = raw.strip().split(",")
        if len(fields) != len(CSV_HEADER):
            raise _label_error(
                path,
                number,
                tr("expected {expected} fields, found {count}").format(
                    expected=len(CSV_HEADER), count=len(fields)
                ),
                tr("Write t and 15 weights."),
            )
        try:
            values = [float(f) for f in fields]
        except ValueError as exc:
            raise _label_error(
                path,
                number,
                tr("a value is not a number ({error})").format(error=exc),
                tr("Write plain decimals."),
            ) from exc
        expected = (len(rows) + 0.5) / FRAME_RATE
        if abs(values[0] - expected) > 0.0006:
            raise _label_error(
                path,
                number,
                tr("t is {t}, not the frame centre {expected:.3f}").format(t=fields[0], expected=expected),
                tr("Write one row per 10 ms frame."),
            )
        rows.append(values[1:])
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(VISEMES))
