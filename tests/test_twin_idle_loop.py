"""The idle loop on real footage: franck's closed-mouth stretch, looped without a visible jump."""

from __future__ import annotations

import av
import numpy as np
import pytest
from footage import footage

from studio.face.landmarker import FaceLandmarker
from studio.twin import idle_loop as L

FPS = 25.0
FIRST, LAST = 500, 800  # franck listens here, mouth closed, from 21 s to 31 s


@pytest.fixture(scope="module")
def stretch() -> tuple[dict[int, np.ndarray], np.ndarray]:
    frames: dict[int, np.ndarray] = {}
    marks = np.full((LAST, 478, 3), np.nan, np.float32)
    container = av.open(str(footage("franck.webm")))
    with container, FaceLandmarker(max_faces=1) as landmarker:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= LAST:
                break
            if i >= FIRST:
                rgb = frame.to_ndarray(format="rgb24")
                frames[i] = rgb
                faces = landmarker.detect(rgb, search=False)
                if faces:
                    marks[i] = faces[0].landmarks
    return frames, marks


def _jaw(marks: np.ndarray) -> np.ndarray:
    eyes = np.linalg.norm(marks[:, 33, :2] - marks[:, 263, :2], axis=1)
    mouth = np.zeros((len(marks), 5), np.float32)
    mouth[:, 0] = (marks[:, 14, 1] - marks[:, 13, 1]) / eyes * 4  # ~1 wide open, ~0 shut
    return mouth


def test_the_loop_joins_without_a_jump_and_its_landmarks_do_not_swim(stretch) -> None:  # type: ignore[no-untyped-def]
    frames, marks = stretch
    mouth = _jaw(marks)
    usable = np.isfinite(marks).all(axis=(1, 2))
    lo, hi = L.closed_stretch(mouth, usable, FPS)
    assert lo >= FIRST and hi - lo >= 2 * FPS
    assert np.nanmax(mouth[lo:hi, 0]) < L.JAW_CLOSED
    measure = L.LoopMeasure(lo, hi, marks)
    for i in range(lo, hi):
        measure.add(i, frames[i])
    plan = L.choose_loop(marks, measure, FPS)
    assert plan.mode in ("cut", "crossfade", "pingpong")
    assert L.MIN_LOOP_S * FPS <= len(plan) <= 2 * L.MAX_LOOP_S * FPS
    assert plan.source.min() >= lo and plan.source.max() < hi
    loop = list(L.loop_frames(sorted(frames.items()), plan))
    assert len(loop) == len(plan)
    # The join (last frame, then the first) differs no more than the loop's ordinary steps.
    grey = np.stack([f.mean(axis=2) for f in loop])
    steps = np.abs(np.diff(grey, axis=0)).mean(axis=(1, 2))
    join = np.abs(grey[0] - grey[-1]).mean()
    assert join <= np.percentile(steps, 95) * 1.5
    smooth = L.loop_landmarks(marks, plan, FPS)
    assert smooth.shape == (len(plan), 478, 3)
    # Smoothed lips move less jerkily than the raw ones, round the join too.
    raw = marks[plan.source[:, 0]][:, 13, :2]
    wrapped = np.concatenate([smooth[-2:, 13, :2], smooth[:, 13, :2], smooth[:2, 13, :2]])
    assert np.abs(np.diff(wrapped, 2, axis=0)).mean() < np.abs(np.diff(raw, 2, axis=0)).mean() * 0.7
    assert np.abs(np.diff(wrapped, 2, axis=0)).max() < 1.0  # pixels per frame², at 360x288


def test_a_crossfade_blends_into_the_frames_before_the_start(stretch) -> None:  # type: ignore[no-untyped-def]
    frames, _marks = stretch
    n, fade = 40, 5
    src = np.stack([np.arange(FIRST + 10, FIRST + 10 + n)] * 2, axis=1)
    weight = np.zeros(n, np.float32)
    k = np.arange(n - fade, n)
    src[k, 1] = FIRST + 10 - fade + (k - (n - fade))
    weight[k] = (k - (n - fade) + 1) / (fade + 1)
    plan = L.LoopPlan("crossfade", src, weight, 0.0, {})
    loop = list(L.loop_frames(sorted(frames.items()), plan))
    last = loop[-1].astype(np.float32)
    expected = frames[src[-1, 0]] * (1 - weight[-1]) + frames[src[-1, 1]] * weight[-1]
    assert np.abs(last - expected).max() <= 1.0
    assert np.array_equal(loop[0], frames[FIRST + 10])


def test_no_closed_mouth_is_refused() -> None:
    mouth = np.full((100, 5), 0.5, np.float32)
    with pytest.raises(ValueError):
        L.closed_stretch(mouth, np.ones(100, bool), FPS)
