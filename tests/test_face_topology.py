"""Our landmark index groups agree with MediaPipe's own FaceLandmarksConnections."""

from __future__ import annotations

import pytest
from mediapipe.tasks.python.vision import FaceLandmarksConnections as Mp

from studio.face import topology as t


def edges(connections) -> set[frozenset[int]]:
    return {frozenset((c.start, c.end)) for c in connections}


def path_edges(indices, closed: bool = False) -> set[frozenset[int]]:
    pairs = set(zip(indices, indices[1:], strict=False))
    if closed:
        pairs.add((indices[-1], indices[0]))
    return {frozenset(p) for p in pairs}


@pytest.mark.parametrize(
    ("contours", "connections"),
    [
        (
            (t.LIPS_OUTER_UPPER, t.LIPS_OUTER_LOWER, t.LIPS_INNER_UPPER, t.LIPS_INNER_LOWER),
            Mp.FACE_LANDMARKS_LIPS,
        ),
        ((t.LEFT_EYE_UPPER, t.LEFT_EYE_LOWER), Mp.FACE_LANDMARKS_LEFT_EYE),
        ((t.RIGHT_EYE_UPPER, t.RIGHT_EYE_LOWER), Mp.FACE_LANDMARKS_RIGHT_EYE),
    ],
    ids=["lips", "left_eye", "right_eye"],
)
def test_contours_trace_exactly_mediapipes_edges(contours, connections):
    ours: set[frozenset[int]] = set().union(*(path_edges(c) for c in contours))
    assert ours == edges(connections)


def test_face_oval_is_mediapipes_closed_loop_in_order():
    assert path_edges(t.FACE_OVAL, closed=True) == edges(Mp.FACE_LANDMARKS_FACE_OVAL)
    assert len(set(t.FACE_OVAL)) == len(t.FACE_OVAL) == 36
    assert t.FOREHEAD in t.FACE_OVAL and t.CHIN in t.FACE_OVAL


def test_iris_rings_match_and_centres_lead():
    for ring, connections in (
        (t.LEFT_IRIS, Mp.FACE_LANDMARKS_LEFT_IRIS),
        (t.RIGHT_IRIS, Mp.FACE_LANDMARKS_RIGHT_IRIS),
    ):
        centre, *outline = ring
        assert {i for e in edges(connections) for i in e} == set(outline)
        assert centre not in outline


def test_named_points_sit_on_their_contours():
    lips = {i for c in (t.LIPS_OUTER_UPPER, t.LIPS_OUTER_LOWER) for i in c}
    assert set(t.MOUTH_CORNERS) <= lips
    assert t.LIPS_OUTER_UPPER[0] == t.LIPS_OUTER_LOWER[0] == t.MOUTH_CORNERS[0]
    assert t.LIPS_OUTER_UPPER[-1] == t.LIPS_OUTER_LOWER[-1] == t.MOUTH_CORNERS[1]
    assert (t.RIGHT_EYE_UPPER[0], t.RIGHT_EYE_UPPER[-1]) == (t.RIGHT_EYE_OUTER, t.RIGHT_EYE_INNER)
    assert (t.LEFT_EYE_UPPER[0], t.LEFT_EYE_UPPER[-1]) == (t.LEFT_EYE_OUTER, t.LEFT_EYE_INNER)


def test_all_indices_in_range():
    groups = [v for k, v in vars(t).items() if k.isupper() and isinstance(v, tuple)]
    assert groups
    for group in groups:
        assert all(0 <= i < t.NUM_LANDMARKS for i in group)


def test_sides_are_the_subjects_on_a_real_photo():
    from avatar_photos import astronaut

    from studio.face.landmarker import FaceLandmarker

    with FaceLandmarker(max_faces=1) as landmarker:
        (face,) = landmarker.detect(astronaut())
    x = face.landmarks[:, 0]
    # Frontal photo: the subject's left eye appears on the image's right.
    assert x[list(t.LEFT_EYE_UPPER)].mean() > x[list(t.RIGHT_EYE_UPPER)].mean()
    assert x[t.LEFT_IRIS[0]] > x[t.RIGHT_IRIS[0]]
    assert face.landmarks[t.CHIN, 1] > face.landmarks[t.NOSE_TIP, 1] > face.landmarks[t.FOREHEAD, 1]
