"""Coverage of mouth shapes: the classes from the drivers' poses, the report, the refusal, franck."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from studio.errors import InputError
from studio.lipsync.visemes import VISEME_INDEX, VISEME_POSES
from studio.tasks import CancelToken, no_progress
from studio.twin.analysis import analyse_footage
from studio.twin.coverage import CLASSES, CoverageReport, check_coverage, classify, coverage_report
from tests.footage import footage
from tests.twin_footage_clips import trimmed


def test_the_drivers_poses_fall_in_their_classes() -> None:
    names = ("sil", "PP", "FF", "aa", "ih", "ou", "oh", "E")
    expected = ("closed", "PP", "FF", "open", "wide", "rounded", "rounded", "open")
    poses = np.array([VISEME_POSES[name] for name in names], np.float32)
    assert [CLASSES[i] for i in classify(poses)] == list(expected)
    assert classify(np.full((1, 5), np.nan, np.float32))[0] == -1


def test_heard_visemes_help_a_borderline_mouth() -> None:
    lips_nearly_pressed = np.array([[0.05, 0.0, 0.0, 0.5, 0.0]], np.float32)
    heard = np.zeros((1, 15), np.float32)
    assert CLASSES[classify(lips_nearly_pressed, heard)[0]] == "closed"
    heard[0, VISEME_INDEX["PP"]] = 0.8
    assert CLASSES[classify(lips_nearly_pressed, heard)[0]] == "PP"


def _report(**counts: int) -> CoverageReport:
    return CoverageReport({name: counts.get(name, 0) for name in CLASSES}, sum(counts.values()))


def test_report_round_trips_through_json() -> None:
    report = _report(closed=40, PP=5, open=12, wide=4, rounded=1)
    data = json.loads(json.dumps(report.to_json()))
    assert data["missing"] == ["FF", "rounded"] and data["counts"]["closed"] == 40
    again = CoverageReport.from_json(data)
    assert again.counts == report.counts and again.units == report.units
    assert "'f' and 'v'" in report.sentence() and "'oo'" in report.sentence()
    for bad in ({}, {"counts": {"closed": -1}, "units": 3}, {"counts": [], "units": 1}, []):
        with pytest.raises(ValueError):
            CoverageReport.from_json(bad)  # type: ignore[arg-type]


def test_too_few_mouth_shapes_are_refused_in_one_line() -> None:
    check_coverage(_report(closed=40, PP=5, open=12, wide=4))  # four with closed and open: enough
    with pytest.raises(InputError) as caught:
        check_coverage(_report(closed=40, PP=5, FF=5, wide=4, rounded=9), Path("me.mp4"))
    line = str(caught.value)
    assert "me.mp4 has too few mouth shapes" in line and "open" in line and "father parks" in line
    assert "\n" not in line
    with pytest.raises(InputError, match=r"missing FF .*, wide .*, rounded"):
        check_coverage(_report(closed=40, PP=5, open=12, wide=2))


def test_franck_covers_what_a_twin_needs(tmp_path: Path) -> None:
    clip = trimmed(footage("franck.webm"), tmp_path / "franck60.webm", 60.0)
    analysis = analyse_footage(clip, no_progress, CancelToken())
    usable = analysis.usable
    report = coverage_report(analysis.mouth[usable], analysis.visemes[usable])
    print(f"franck 60 s: {report.to_json()['counts']} -- {report.sentence()}")
    check_coverage(report, clip)
    assert report.counts["closed"] > report.counts["open"] > 0
