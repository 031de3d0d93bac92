"""Unit selection on a twin built from real footage (franck): target cost, joins, Viterbi."""

from __future__ import annotations

import numpy as np

from studio.twin.data import TwinData
from studio.twin.select import UnitIndex, atlas_tag, viterbi, viterbi_track

pytest_plugins = ["twin_fixtures"]


def _run(index: UnitIndex, length: int) -> np.ndarray:
    """The longest stretch of units cut from consecutive frames of the footage (capped)."""
    best: list[int] = []
    for start in range(len(index)):
        run = [start]
        while len(run) < length and index.successor[run[-1]] >= 0:
            run.append(int(index.successor[run[-1]]))
        if len(run) > len(best):
            best = run
        if len(best) >= length:
            break
    return np.array(best)


def test_the_cheapest_candidate_is_the_unit_whose_mouth_it_is(franck_twin: TwinData) -> None:
    index = UnitIndex(franck_twin.atlas)
    units = np.array([0, len(index) // 2, len(index) - 1])
    cand, cost = index.candidates(franck_twin.atlas.mouth[units])
    assert cand.shape == (3, index.k) and np.all(np.diff(cost, axis=1) >= 0)
    assert np.allclose(cost[:, 0], 0.0, atol=1e-3)
    assert np.allclose(franck_twin.atlas.mouth[cand[:, 0]], franck_twin.atlas.mouth[units], atol=1e-5)


def test_a_successor_is_the_footage_s_next_frame(franck_twin: TwinData) -> None:
    index = UnitIndex(franck_twin.atlas)
    src = franck_twin.atlas.source_frame
    has = np.nonzero(index.successor >= 0)[0]
    assert len(has) > len(index) // 2  # the atlas keeps runs of consecutive frames
    assert np.all(src[index.successor[has]] == src[has] + 1)
    joins = index.join(has[:5], index.successor[has[:5]])
    assert np.allclose(np.diag(joins), 0.0)  # a natural continuation costs nothing
    assert np.all(index.join(has[:5], has[:5]).diagonal() < index.costs.concat)  # a hold is cheap


def test_driving_with_a_stretch_of_the_footage_replays_that_stretch(franck_twin: TwinData) -> None:
    index = UnitIndex(franck_twin.atlas)
    run = _run(index, 40)
    assert len(run) >= 20
    path = viterbi(index, franck_twin.atlas.mouth[run])
    natural = [index.natural(int(a), int(b)) for a, b in zip(path[:-1], path[1:], strict=True)]
    assert np.mean(natural) >= 0.9
    assert np.abs(franck_twin.atlas.mouth[path] - franck_twin.atlas.mouth[run]).max() < 0.1


def test_a_fixed_start_carries_its_run_on(franck_twin: TwinData) -> None:
    index = UnitIndex(franck_twin.atlas)
    run = _run(index, 10)
    # The run's own mouths ahead, starting after its first unit: the natural path is free.
    path = viterbi(index, franck_twin.atlas.mouth[run[1:]], start=int(run[0]))
    assert path[0] == run[1]


def test_whole_track_in_chunks_matches_one_pass(franck_twin: TwinData) -> None:
    index = UnitIndex(franck_twin.atlas)
    rng = np.random.default_rng(3)
    track = franck_twin.atlas.mouth[rng.integers(0, len(index), 60)]
    one = viterbi(index, track)
    chunked = viterbi_track(index, track, chunk=30)
    assert len(chunked) == 60 and np.mean(chunked == one) > 0.8  # only near the seam may they differ
    assert np.array_equal(viterbi_track(index, track), one)


def test_the_atlas_tag_survives_a_float32(franck_twin: TwinData) -> None:
    tag = atlas_tag(franck_twin.atlas)
    assert 0 <= tag < 2**24 and int(np.float32(tag)) == tag
