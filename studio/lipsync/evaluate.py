"""Scoring per-frame viseme predictions against labels, and the no-learning baseline to beat.

Predictions are ``(frames, 15)`` weights on the 10 ms grid of ``studio.lipsync.labels``;
labels are per-frame viseme indices (``labels.frame_labels``) or viseme spans. The predicted
viseme of a frame is the argmax of its weights. Metrics pool frames over all files, so a long
file counts for more than a short one, as it does for a viewer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from studio.lipsync.energy_driver import EnergyDriver
from studio.lipsync.labels import FRAME_RATE, frame_count, frame_labels
from studio.lipsync.mouth import JAW
from studio.lipsync.visemes import VISEME_INDEX, VISEME_POSES, VISEMES, VisemeTiming, pose_matrix
from studio.voice.base import Speech

# Visemes that look alike from the front; confusing two inside a group barely shows.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("sil",),
    ("PP",),
    ("FF",),
    ("TH", "DD", "kk", "CH", "SS", "nn", "RR"),
    ("aa",),
    ("E", "ih"),
    ("oh", "ou"),
)
_GROUP_OF = np.array([next(g for g, names in enumerate(GROUPS) if v in names) for v in VISEMES])
_SIL = VISEME_INDEX["sil"]
_PP = VISEME_INDEX["PP"]
_JAW = pose_matrix()[:, JAW].astype(np.float64)
TOLERANCE_FRAMES = 2  # accuracy_tol2: +-20 ms, about the audio-video offset viewers accept
EVENT_SLACK_FRAMES = 1  # a closure one frame early or late still reads as the closure

# The baseline's vowel ladder, from closed to open; see energy_baseline.
BASELINE_LADDER = ("sil", "ih", "E", "aa")


@dataclass(frozen=True)
class Scores:
    """Frame-level agreement between predicted and labelled visemes, pooled over files.

    A metric with nothing to measure (no PP in the labels, a constant jaw) is ``nan``.
    """

    frames: int
    accuracy: float  # 15-way
    accuracy_tol2: float  # the predicted viseme is labelled somewhere within +-2 frames
    group_accuracy: float  # 7-way, over GROUPS
    pp_recall: float  # share of PP-labelled frames predicted PP
    pp_event_recall: float  # share of labelled PP runs with a PP prediction within the run +-1 frame
    jaw_correlation: float  # Pearson r of weights @ pose jaw against the label viseme's jaw
    per_viseme_recall: dict[str, float]  # every viseme; nan where it is never labelled
    viseme_frames: dict[str, int]  # labelled frames per viseme, to judge each recall by


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else math.nan


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[first, last)`` of each run of True."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def _aligned(
    weights: np.ndarray, labels: np.ndarray | Sequence[VisemeTiming]
) -> tuple[np.ndarray, np.ndarray]:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2 or w.shape[1] != len(VISEMES):
        raise ValueError(f"weights must have shape (frames, {len(VISEMES)}), got {w.shape}")
    if isinstance(labels, np.ndarray):
        lab = labels.astype(np.int64).reshape(-1)
        if lab.size and (lab.min() < 0 or lab.max() >= len(VISEMES)):
            raise ValueError("labels must be indices into VISEMES")
    else:
        lab = frame_labels(labels, len(w))
    if len(w) > len(lab):
        w = w[: len(lab)]
    elif len(w) < len(lab):
        rest = np.zeros((len(lab) - len(w), len(VISEMES)))
        rest[:, _SIL] = 1.0
        w = np.concatenate([w, rest])
    return w, lab


def score(
    weights_list: Sequence[np.ndarray], labels_list: Sequence[np.ndarray | Sequence[VisemeTiming]]
) -> Scores:
    """Score predictions against labels, pooling the frames of all files.

    ``weights_list[k]`` is file k's ``(frames, 15)`` prediction; ``labels_list[k]`` its labels,
    either per-frame viseme indices or viseme spans (turned into indices with ``frame_labels``
    at the prediction's length). The labels define a file's frames: a longer prediction is
    trimmed to them, and a shorter one is padded with ``sil`` (one-hot), i.e. the model is taken
    to show the rest pose where it said nothing. A frame or two of mismatch is normal (padding
    of the last frame); more usually means the audio and labels do not belong together.
    """
    if len(weights_list) != len(labels_list):
        raise ValueError(f"{len(weights_list)} predictions but {len(labels_list)} label sets")
    n_frames = correct = tol_correct = group_correct = 0
    pp_frames = pp_hits = pp_events = pp_event_hits = 0
    labelled = np.zeros(len(VISEMES), np.int64)
    recalled = np.zeros(len(VISEMES), np.int64)
    jaw_pred: list[np.ndarray] = []
    jaw_true: list[np.ndarray] = []
    for weights, labels in zip(weights_list, labels_list, strict=True):
        w, lab = _aligned(weights, labels)
        pred = np.argmax(w, axis=1)
        hit = pred == lab
        n_frames += len(lab)
        correct += int(hit.sum())
        group_correct += int((_GROUP_OF[pred] == _GROUP_OF[lab]).sum())
        near = np.zeros(len(lab), bool)
        for shift in range(-TOLERANCE_FRAMES, TOLERANCE_FRAMES + 1):
            # pred[i] against lab[i + shift]; the edge repeats, so no frame is checked against
            # a label from outside the file
            idx = np.clip(np.arange(len(lab)) + shift, 0, max(len(lab) - 1, 0))
            near |= pred == lab[idx]
        tol_correct += int(near.sum())
        np.add.at(labelled, lab, 1)
        np.add.at(recalled, lab[hit], 1)
        is_pp = lab == _PP
        pp_frames += int(is_pp.sum())
        pp_hits += int((hit & is_pp).sum())
        for first, last in _runs(is_pp):
            pp_events += 1
            lo, hi = max(first - EVENT_SLACK_FRAMES, 0), last + EVENT_SLACK_FRAMES
            pp_event_hits += int(bool(np.any(pred[lo:hi] == _PP)))
        jaw_pred.append(w @ _JAW)
        jaw_true.append(_JAW[lab])
    return Scores(
        frames=n_frames,
        accuracy=_ratio(correct, n_frames),
        accuracy_tol2=_ratio(tol_correct, n_frames),
        group_accuracy=_ratio(group_correct, n_frames),
        pp_recall=_ratio(pp_hits, pp_frames),
        pp_event_recall=_ratio(pp_event_hits, pp_events),
        jaw_correlation=_pearson(
            np.concatenate([np.zeros(0), *jaw_pred]), np.concatenate([np.zeros(0), *jaw_true])
        ),
        per_viseme_recall={v: _ratio(int(recalled[i]), int(labelled[i])) for i, v in enumerate(VISEMES)},
        viseme_frames={v: int(labelled[i]) for i, v in enumerate(VISEMES)},
    )


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2:
        return math.nan
    dx, dy = x - x.mean(), y - y.mean()
    denominator = math.sqrt(float(dx @ dx) * float(dy @ dy))
    return float(dx @ dy) / denominator if denominator > 1e-12 else math.nan


def energy_baseline(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Viseme weights ``(frames, 15)`` from loudness alone, on the 10 ms frame grid.

    The jaw is exactly the energy driver's (``EnergyDriver().drive`` at 100 fps: RMS level
    gated above the noise floor, smoothed, ``0.65 * level``, rate-limited). Each frame's weights
    are the convex blend of the two neighbouring rungs of the ladder ``sil`` (jaw 0) < ``ih``
    (0.25) < ``E`` (0.45) < ``aa`` (0.75) whose pose jaw equals that jaw, so ``weights @ jaw``
    reproduces the driver. The argmax is therefore ``sil`` below jaw 0.125 (silence and the
    quietest sounds), ``ih`` up to 0.35, ``E`` up to 0.6, ``aa`` above (loud vowels only, as the
    driver stops at 0.65). It never predicts a consonant and uses no labels.
    """
    samples = np.asarray(audio, dtype=np.float32)
    num_frames = frame_count(samples.shape[0], sample_rate)
    speech = Speech(samples, sample_rate)
    jaw = EnergyDriver().drive(speech, Fraction(FRAME_RATE), num_frames).values[:, JAW].astype(np.float64)
    rung_jaws = np.array([VISEME_POSES[v][JAW] for v in BASELINE_LADDER])
    weights = np.zeros((num_frames, len(VISEMES)))
    for k, name in enumerate(BASELINE_LADDER):
        # Hat functions over the rungs: a partition of unity, linear in the jaw between rungs.
        weights[:, VISEME_INDEX[name]] = np.interp(jaw, rung_jaws, np.eye(len(BASELINE_LADDER))[k])
    return weights


def _cell(value: float, width: int) -> str:
    return f"{'n/a':>{width}}" if math.isnan(value) else f"{value:>{width}.3f}"


_METRICS = (
    ("accuracy (15 visemes)", "accuracy"),
    ("accuracy +-2 frames", "accuracy_tol2"),
    ("group accuracy (7)", "group_accuracy"),
    ("PP frame recall", "pp_recall"),
    ("PP event recall", "pp_event_recall"),
    ("jaw correlation (r)", "jaw_correlation"),
)


def format_report(rows: list[tuple[str, Scores]]) -> str:
    """A fixed-width table: metrics as rows, one column per ``(model name, scores)``.

    Per-viseme recall follows; the labelled frame count is shown beside each viseme when every
    column was scored on the same labels.
    """
    width = max([9, *(len(name) for name, _ in rows)])
    label_width = 24
    lines = [f"{'metric':<{label_width}}" + "".join(f"  {name:>{width}}" for name, _ in rows)]
    lines.append("-" * len(lines[0]))
    lines.append(f"{'frames (10 ms)':<{label_width}}" + "".join(f"  {s.frames:>{width}d}" for _, s in rows))
    for label, field in _METRICS:
        lines.append(
            f"{label:<{label_width}}" + "".join(f"  {_cell(getattr(s, field), width)}" for _, s in rows)
        )
    lines.append("")
    lines.append("recall per viseme")
    same_labels = len({tuple(s.viseme_frames.values()) for _, s in rows}) <= 1
    for v in VISEMES:
        label = f"  {v}" + (f" ({rows[0][1].viseme_frames[v]} frames)" if rows and same_labels else "")
        lines.append(
            f"{label:<{label_width}}" + "".join(f"  {_cell(s.per_viseme_recall[v], width)}" for _, s in rows)
        )
    return "\n".join(lines) + "\n"
