"""The webcam twin's mouth-shape meter on real footage: franck.webm (FG-NET talking face), 40 s
measured by the face model the camera preview uses, fed to the meter as the recording page does
(the first 10 s calibrate his rest, the rest of the talk is counted)."""

from __future__ import annotations

import pytest
from footage import footage

from studio.avatar.create import default_consent_statement
from studio.face.landmarker import FaceLandmarker
from studio.twin.footage import iter_frames, probe_footage
from studio.ui.twin_script import (
    CLASSES,
    DEFAULT_REST,
    ENOUGH_FRAMES,
    SCRIPTS,
    CoverageCount,
    MouthShape,
    RecordingPlan,
    mouth_shape,
)

SECONDS = 40
REST_S = 10


@pytest.fixture(scope="module")
def franck_shapes() -> list[MouthShape | None]:
    path = footage("franck.webm")
    info = probe_footage(path)
    shapes: list[MouthShape | None] = []
    with FaceLandmarker(max_faces=1) as landmarker:
        for index, rgb in iter_frames(path, info):
            if index >= SECONDS * 25:
                break
            faces = landmarker.detect(rgb, search=False)
            shapes.append(mouth_shape(faces[0].landmarks, faces[0].blendshapes) if len(faces) == 1 else None)
    return shapes


def test_franck_rest_is_measured_like_the_default_and_his_talk_fills_the_meter(
    franck_shapes: list[MouthShape | None],
) -> None:
    assert len(franck_shapes) == SECONDS * 25 and all(s is not None for s in franck_shapes)
    count = CoverageCount()
    for shape in franck_shapes[: REST_S * 25]:
        assert shape is not None
        count.calibrate(shape)
    # His closed mouth at rest, in inter-ocular distances, is where the meter's default sits.
    rest = count.rest
    assert rest.gap < 0.015
    for measured, default in ((rest.width, DEFAULT_REST.width), (rest.upper, DEFAULT_REST.upper)):
        assert abs(measured - default) < 0.1 * default
    assert abs(rest.lower - DEFAULT_REST.lower) < 0.1 * DEFAULT_REST.lower

    for shape in franck_shapes[REST_S * 25 :]:
        assert shape is not None
        count.add(shape)
    counts = count.counts
    # A conversation is mostly a closed or nearly closed mouth; every shape shows up at least
    # once in 30 s, and p b m and ee often enough for the meter to call them done.
    assert counts["closed"] > 10 * max(counts[name] for name in CLASSES if name != "closed")
    assert all(counts[name] > 0 for name in CLASSES), counts
    for done in ("closed", "PP", "wide"):
        assert counts[done] >= ENOUGH_FRAMES and done not in count.missing()
    assert count.advice().startswith("Still wanted: ") and "'aa'" in count.advice()
    count.reset()
    assert count.advice() == "Still wanted: a closed mouth, 'p b m', 'f v', 'aa', 'ee' and 'oo'."


def test_the_plan_shows_each_part_in_turn_for_its_time() -> None:
    statement = default_consent_statement("Ana Lima")
    plan = RecordingPlan(statement, "zh", idle_s=10.0, consent_s=12.0, script_s=18.0)
    assert plan.total_s == 40.0 and plan.consent_window == (10.0, 22.0)
    keys = [plan.at(t).key for t in (0.0, 9.9, 10.0, 21.9, 22.0, 39.9, 40.0)]
    assert keys == ["idle", "idle", "consent", "consent", "script", "script", "done"]
    assert plan.at(11.0).text == statement and plan.at(25.0).text == SCRIPTS["zh"]
    assert plan.at(5.0).seconds_left == 5.0 and plan.at(30.0).fraction == 0.75
    # Without a length of its own, the statement gets the time an unhurried reader needs.
    assert RecordingPlan(statement).consent_seconds > 10.0
