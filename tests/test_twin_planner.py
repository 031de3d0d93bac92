"""The twin's planner on a twin built from real footage (franck): live and whole-track plans."""

from __future__ import annotations

import numpy as np

from studio.lipsync.mouth import CLOSE, JAW, ROUND
from studio.lipsync.visemes import VISEME_POSES
from studio.twin import plan as P
from studio.twin.data import TwinData
from studio.twin.planner import TwinPlanner, face_amount
from studio.twin.select import UnitIndex

pytest_plugins = ["twin_fixtures"]


def _poses(*names_and_counts: tuple[str, int]) -> np.ndarray:
    return np.array([VISEME_POSES[n] for n, k in names_and_counts for _ in range(k)], np.float32)


def _speech(frames: int, seed: int = 1) -> np.ndarray:
    """A speech-like driver track: visemes held 2-5 frames, eased into each other."""
    rng = np.random.default_rng(seed)
    names = list(VISEME_POSES)
    rows: list[tuple[str, int]] = []
    while sum(k for _, k in rows) < frames:
        rows.append((names[rng.integers(len(names))], int(rng.integers(2, 6))))
    track = _poses(*rows)[:frames]
    eased = track.copy()
    for i in range(1, frames):
        eased[i] = 0.5 * eased[i - 1] + 0.5 * track[i]
    return eased


def _live(planner: TwinPlanner, track: np.ndarray, ahead: int = 6) -> np.ndarray:
    planner.reset()
    return np.stack([planner.plan(i, track[i], track[i + 1 : i + 1 + ahead]) for i in range(len(track))])


def test_the_drivers_poses_pick_units_that_make_them(franck_twin: TwinData) -> None:
    planner = TwinPlanner(franck_twin)
    mouth = franck_twin.atlas.mouth
    track = _poses(("sil", 4), ("aa", 6), ("sil", 4), ("ou", 6), ("sil", 4), ("PP", 6))
    for plans in (planner.plan_track(track), _live(planner, track)):
        shown = mouth[plans[:, P.UNIT_A].astype(int)]
        aa, ou, pp = shown[4:10], shown[14:20], shown[24:30]
        # Each held shape shows units high in that feature among all the footage's mouths.
        assert np.median(aa[:, JAW]) >= np.percentile(mouth[:, JAW], 90)
        assert np.median(ou[:, ROUND]) >= np.percentile(mouth[:, ROUND], 90)
        assert np.median(pp[:, CLOSE]) >= np.percentile(mouth[:, CLOSE], 90)
        assert np.median(aa[:, JAW]) > np.median(pp[:, JAW]) + 0.3


def test_silence_shows_the_person_s_own_mouth(franck_twin: TwinData) -> None:
    planner = TwinPlanner(franck_twin)
    silent = np.concatenate([np.zeros((10, 5), np.float32), _poses(("sil", 10))])
    assert np.all(face_amount(silent) == 0.0)
    for plans in (planner.plan_track(silent), _live(planner, silent)):
        assert np.all(plans[:, P.FACE] == 0.0)
        assert np.array_equal(plans[:, : P.N_MOUTH], silent)  # the driver's mouth travels untouched


def test_speech_shows_the_atlas_and_fades_back_after_it(franck_twin: TwinData) -> None:
    plans = TwinPlanner(franck_twin).plan_track(_poses(("aa", 5), ("sil", 8)))
    assert np.all(plans[:5, P.FACE] == 1.0)
    assert np.all(np.diff(plans[5:, P.FACE]) <= 0) and plans[-1, P.FACE] == 0.0
    assert 0.0 < plans[5, P.FACE] < 1.0  # the person's own mouth comes back over a few frames


def test_natural_runs_are_preferred_to_joins(franck_twin: TwinData) -> None:
    planner = TwinPlanner(franck_twin)
    index = UnitIndex(franck_twin.atlas)
    track = _speech(200)
    greedy = index.candidates(track)[0][:, 0]  # target cost alone
    for plans in (planner.plan_track(track), _live(planner, track)):
        units = plans[:, P.UNIT_A].astype(int)
        joins = sum(not index.natural(int(a), int(b)) for a, b in zip(units[:-1], units[1:], strict=True))
        greedy_joins = sum(
            not index.natural(int(a), int(b)) for a, b in zip(greedy[:-1], greedy[1:], strict=True)
        )
        assert joins < 0.6 * greedy_joins
        # The shown mouth still follows the driver: the jaw tracks correlate.
        shown = franck_twin.atlas.mouth[units, JAW]
        assert np.corrcoef(shown, track[:, JAW])[0, 1] > 0.8


def test_a_join_blends_with_the_unit_before_and_a_natural_step_does_not(franck_twin: TwinData) -> None:
    planner = TwinPlanner(franck_twin)
    index = planner.index
    plans = planner.plan_track(_speech(120, seed=2))
    units = plans[:, P.UNIT_A].astype(int)
    assert np.array_equal(plans[1:, P.UNIT_B].astype(int), units[:-1])
    for i in range(1, len(plans)):
        natural = index.natural(int(units[i - 1]), int(units[i]))
        assert (plans[i, P.MIX_B] == 0.0) == natural
    assert np.all(plans[:, P.TAG] == planner.tag)
    decoded = P.decode(plans[7])
    assert decoded is not None and decoded.unit_a == units[7] and decoded.tag == planner.tag


def test_plans_are_deterministic(franck_twin: TwinData) -> None:
    track = _speech(90, seed=5)
    a, b = TwinPlanner(franck_twin), TwinPlanner(franck_twin)
    assert np.array_equal(a.plan_track(track), b.plan_track(track))
    assert np.array_equal(_live(a, track), _live(b, track))
    assert np.array_equal(_live(a, track), _live(a, track))  # reset() forgets the previous unit


def test_live_frames_may_come_with_gaps_and_no_look_ahead(franck_twin: TwinData) -> None:
    planner = TwinPlanner(franck_twin)
    track = _speech(30, seed=7)
    plans = [planner.plan(i * 3, track[i], np.zeros((0, 5), np.float32)) for i in range(30)]
    assert all(p.shape == (P.PLAN_WIDTH,) for p in plans)
    assert all(0 <= int(p[P.UNIT_A]) < len(franck_twin.atlas) for p in plans)
