"""The mouth atlas on real footage: franck's lower faces cut in one canonical frame."""

from __future__ import annotations

import av
import numpy as np
import pytest
from footage import footage

from studio.face.landmarker import FaceLandmarker
from studio.face.topology import CHIN, NOSE_TIP
from studio.tasks import CancelToken, no_progress
from studio.twin import atlas as A
from studio.twin.data import STABLE_POINTS

FRAMES = 150  # 6 s of franck


@pytest.fixture(scope="module")
def franck_marks() -> tuple[list[np.ndarray], np.ndarray]:
    container = av.open(str(footage("franck.webm")))
    frames, marks = [], []
    with container, FaceLandmarker(max_faces=1) as landmarker:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= FRAMES:
                break
            rgb = frame.to_ndarray(format="rgb24")
            faces = landmarker.detect(rgb, search=False)
            frames.append(rgb)
            marks.append(faces[0].landmarks if faces else np.full((478, 3), np.nan, np.float32))
    return frames, np.stack(marks)


def _mouth(marks: np.ndarray) -> np.ndarray:
    """A crude jaw opening from the inner-lip gap; the rest stays 0 (enough to rank units)."""
    eyes = np.linalg.norm(marks[:, 33, :2] - marks[:, 263, :2], axis=1)
    gap = (marks[:, 14, 1] - marks[:, 13, 1]) / eyes
    mouth = np.zeros((len(marks), 5), np.float32)
    mouth[:, 0] = np.clip(gap / np.nanpercentile(gap, 95), 0, 1)
    return mouth


def test_similarity_fit_recovers_a_known_transform() -> None:
    rng = np.random.default_rng(1)
    src = rng.uniform(0, 300, (8, 2))
    angle, scale = 0.3, 0.7
    rot = scale * np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    dst = src @ rot.T + [12.0, -30.0]
    m = A.fit_similarity(src, dst)
    np.testing.assert_allclose(A.apply(m, src), dst, atol=1e-3)


def test_units_are_aligned_crops_of_the_lower_face(franck_marks) -> None:  # type: ignore[no-untyped-def]
    frames, marks = franck_marks
    usable = np.isfinite(marks).all(axis=(1, 2))
    assert usable.sum() > FRAMES * 0.9
    mouth = _mouth(marks)
    visemes = np.zeros((len(marks), 0), np.float32)
    atlas, canonical = A.build_atlas(
        enumerate(frames), marks, mouth, visemes, usable, no_progress, CancelToken()
    )
    width, height = canonical.size
    assert width <= A.MAX_CROP_WIDTH and width % 2 == 0 and height % 2 == 0
    assert atlas.crops.shape[1:] == (height, width, 3)
    assert atlas.embedding.shape == (len(atlas), A.EMBEDDING_DIMS)
    assert np.all(np.diff(atlas.source_frame) > 0)
    # The stable points land where the canonical frame puts them (a few pixels at most).
    stable = atlas.landmarks[:, list(STABLE_POINTS)]
    assert np.abs(stable - canonical.points).max(axis=(1, 2)).mean() < 2.5
    # Nose tip inside the crop near its top; the chin inside with room below for the jaw.
    assert 0 < atlas.landmarks[:, NOSE_TIP, 1].max() < height * 0.35
    assert atlas.landmarks[:, CHIN, 1].max() < height * 0.85
    # Cheek to cheek: the mouth corners lie well inside.
    assert atlas.landmarks[:, [61, 291], 0].min() > width * 0.15
    assert atlas.landmarks[:, [61, 291], 0].max() < width * 0.85
    # A crop shows the face: mostly skin-toned (red above blue) around the mouth.
    centre = atlas.crops[:, height // 2 - 5 : height // 2 + 5, width // 2 - 10 : width // 2 + 10].astype(int)
    assert (centre[..., 0] > centre[..., 2]).mean() > 0.9
    rest = A.rest_unit(atlas)
    assert atlas.mouth[rest, 0] <= np.percentile(atlas.mouth[:, 0], 10)


def test_duplicates_go_runs_stay_and_the_cap_holds(franck_marks) -> None:  # type: ignore[no-untyped-def]
    _frames, marks = franck_marks
    usable = np.isfinite(marks).all(axis=(1, 2))
    canonical = A.canonical_frame(marks, usable)
    crop_marks = A.unit_landmarks(marks, canonical)
    mouth = _mouth(marks)
    # The same 6 s twice: the second copy adds nothing.
    twice = A.choose_units(np.concatenate([crop_marks, crop_marks]), np.concatenate([mouth, mouth]),
                           np.concatenate([usable, usable]), canonical, duplicate=1e-6)  # fmt: skip
    assert twice.size <= usable.sum() + A.RUN_PIECE
    capped = A.choose_units(crop_marks, mouth, usable, canonical, cap=40, duplicate=0.0)
    assert 40 - A.RUN_PIECE < capped.size <= 40
    # Kept frames come in runs of consecutive frames, not scattered singles.
    runs = np.split(capped, np.flatnonzero(np.diff(capped) != 1) + 1)
    assert np.mean([len(r) for r in runs]) >= 4


def test_cancel_stops_the_cutting(franck_marks) -> None:  # type: ignore[no-untyped-def]
    from studio.tasks import Cancelled

    frames, marks = franck_marks
    usable = np.isfinite(marks).all(axis=(1, 2))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        A.build_atlas(enumerate(frames), marks, _mouth(marks), np.zeros((len(marks), 0), np.float32),
                      usable, no_progress, token)  # fmt: skip
