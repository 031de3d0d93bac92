"""best_frame: the sharpest passing frame of a real video, or one clear error."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from avatar_photos import text_as_jpg

from studio.capture.analyzer import FrameAnalyzer
from studio.capture.video_import import best_frame, sample_times
from studio.errors import FaceError, InputError
from studio.tasks import Cancelled, CancelToken, no_progress

pytest_plugins = ["capture_fixtures"]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, message: str) -> None:
        self.calls.append((fraction, message))


def test_picks_the_sharpest_passing_frame_of_the_demo_render(demo_video, demo_frames):
    progress = Recorder()
    frame, checklist = best_frame(demo_video, progress, CancelToken())
    assert checklist.all_ok
    assert frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    # It is one of the file's frames, and none of the others is sharper.
    index = next(i for i, f in enumerate(demo_frames) if np.array_equal(f, frame))
    assert checklist.measures["time_s"] == pytest.approx(index / 30, abs=0.02)
    with FrameAnalyzer() as analyzer:
        scores = [analyzer.analyse(f)[0].measures["sharpness"] for f in demo_frames]
    assert checklist.measures["sharpness"] == pytest.approx(max(scores), abs=1e-4)
    fractions = [f for f, _ in progress.calls]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert "Looking for the best frame" in progress.calls[1][1]


def test_samples_across_a_long_file(late_face_video):
    # 20 s; the first 12 s are blurred: only samples (seeks) into the last 8 s can pass.
    frame, checklist = best_frame(late_face_video, no_progress, CancelToken(), samples=10)
    assert checklist.all_ok
    assert checklist.measures["time_s"] >= 12.0
    assert frame.shape == (512, 640, 3)


def test_sample_times_spread_over_the_file():
    assert sample_times(20.0, 4) == [2.5, 7.5, 12.5, 17.5]
    assert sample_times(0.0, 3) == [0.0, 0.0, 0.0]


def test_no_passing_frame_names_the_most_common_problem(small_face_video):
    with pytest.raises(FaceError) as info:
        best_frame(small_face_video, no_progress, CancelToken(), samples=8)
    problem, hint = info.value.problem, info.value.hint
    assert problem.startswith("none of the 8 frames sampled from far_away.mp4 can become an avatar")
    assert "most often (8 of 8) the check 'Big enough' fails" in problem
    assert "px tall" in problem
    assert "arm's length" in hint and "record the video again" in hint


def test_cancel_between_samples(demo_video):
    token = CancelToken()
    seen: list[float] = []

    def progress(fraction: float, _message: str) -> None:
        seen.append(fraction)
        if len(seen) == 4:
            token.cancel()

    with pytest.raises(Cancelled, match="the video import was cancelled"):
        best_frame(demo_video, progress, token)
    assert len(seen) == 4


@pytest.mark.parametrize(
    ("make", "pattern"),
    [
        (lambda d: d / "gone.mp4", r"^video not found"),
        (lambda d: _write(d / "empty.mov", b""), r"is an empty file"),
        (text_as_jpg, r"notes\.jpg could not be decoded"),
        (
            lambda d: _write(d / "junk.mkv", bytes(range(256)) * 64),
            r"junk\.mkv is not a video Studio can read",
        ),
    ],
    ids=["missing", "empty", "text", "junk"],
)
def test_bad_files(tmp_path, make, pattern):
    with pytest.raises(InputError, match=pattern) as info:
        best_frame(make(tmp_path), no_progress, CancelToken())
    assert type(info.value) is InputError and info.value.hint


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
