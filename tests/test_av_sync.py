"""``studio sync-check`` on real recordings: a Studio render of the demo avatar speaking, copies of it
with the audio moved by known amounts (MP4, and FLV as an RTMP push is recorded), and files with
no speech, no audio, no face or someone else's speech, which must be refused, not measured."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from studio.avatar.library import AvatarLibrary
from studio.cli import main as cli_main
from studio.errors import InputError
from studio.pipeline.av_sync import MIN_SIGNIFICANCE, SyncReport, measure_sync
from studio.pipeline.render_job import render_text
from studio.render.photo_renderer import RenderSettings

W, H, FPS = 480, 270, 30
FRAME_MS = 1000.0 / FPS
# eSpeak is deterministic (Piper's durations vary from run to run), so every run measures the same file.
VOICE = "espeak:en-us"
TEXT = (
    "Hello there. My name is Pam, and today I will tell you about our new bamboo mop. "
    "It cleans every floor, wood or stone, in half the time. Buy one now, and get a second one free!"
)
# How closely a copy's measured offset follows the shift put into it, beyond what the original
# measures: the copies differ from the original only in the audio's timestamps.
RECOVERY_MS = 3.0

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the test copies")


def ffmpeg(*args: str | Path) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *map(str, args)], check=True, timeout=120)


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = AvatarLibrary(tmp_path_factory.mktemp("lib")).load("demo")
    out = tmp_path_factory.mktemp("sync") / "speech.mp4"
    speech, _ = render_text(
        demo, TEXT, out, RenderSettings(width=W, height=H, fps=Fraction(FPS)), voice=VOICE
    )
    assert 8.0 <= speech.duration <= 14.0
    return out


@pytest.fixture(scope="module")
def measured(recording: Path) -> SyncReport:
    return measure_sync(recording)


def test_studio_render_measures_in_sync(measured: SyncReport) -> None:
    # Studio renders every mouth pose for its frame's centre from the audio clock: any offset
    # found here is the tool's own error (or a real bug in the lip-sync driver).
    assert abs(measured.offset_ms) <= FRAME_MS / 2, measured.summary()
    assert measured.fps == pytest.approx(FPS, abs=0.01)
    assert measured.confidence > 0.4
    assert measured.significance > MIN_SIGNIFICANCE + 1.0
    assert measured.frames > 250  # ~11 s at 30 fps, less the lag range at both ends
    assert measured.speech_s > 4.0


@pytest.mark.parametrize(
    ("shift_ms", "container"),
    [(100, "mp4"), (-66, "mp4"), (33, "mp4"), (33, "flv"), (-66, "flv")],
)
def test_audio_shifted_by_a_known_amount_is_measured(
    recording: Path, measured: SyncReport, tmp_path: Path, shift_ms: int, container: str
) -> None:
    copy = tmp_path / f"shifted.{container}"
    # The audio's pts move by shift_ms; the packets themselves are copied untouched.
    ffmpeg("-i", recording, "-itsoffset", f"{shift_ms / 1000:.3f}", "-i", recording,
           "-map", "0:v", "-map", "1:a", "-c", "copy", copy)  # fmt: skip
    report = measure_sync(copy)
    assert report.offset_ms - measured.offset_ms == pytest.approx(shift_ms, abs=RECOVERY_MS), report.summary()
    assert report.offset_ms == pytest.approx(shift_ms, abs=10.0), report.summary()
    assert report.fps == pytest.approx(FPS, abs=0.01)  # FLV's whole-millisecond pts included


def test_summary_says_which_way_and_how_far() -> None:
    late = SyncReport(offset_ms=12.4, fps=30.0, confidence=0.81, frames=540, significance=9.0, speech_s=12.0)
    assert late.summary() == "audio lags video by 12 ms (0.4 frame at 30 fps), confidence 0.81, 540 frames"
    early = SyncReport(
        offset_ms=-66.0, fps=30000 / 1001, confidence=0.5, frames=90, significance=6, speech_s=3
    )
    assert early.summary().startswith("audio leads video by 66 ms (2.0 frame at 29.97 fps)")
    assert (
        SyncReport(0.3, 25.0, 0.6, 100, 7.0, 5.0)
        .summary()
        .startswith("audio in sync with video (0 ms, 0.0 frame")
    )


@pytest.fixture
def silent(recording: Path, tmp_path: Path) -> Path:
    out = tmp_path / "silent.mp4"
    ffmpeg("-i", recording, "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-map", "0:v", "-map", "1:a",
           "-c:v", "copy", "-c:a", "aac", "-shortest", out)  # fmt: skip
    return out


def test_silent_audio_is_refused_not_measured(silent: Path) -> None:
    with pytest.raises(InputError, match="audio is silent") as err:
        measure_sync(silent)
    assert err.value.hint


def test_recording_without_audio_is_refused(recording: Path, tmp_path: Path) -> None:
    mute = tmp_path / "mute.mp4"
    ffmpeg("-i", recording, "-map", "0:v", "-c", "copy", mute)
    with pytest.raises(InputError, match="no audio stream") as err:
        measure_sync(mute)
    assert err.value.hint


def test_too_little_speech_is_refused(recording: Path, tmp_path: Path) -> None:
    short = tmp_path / "short.mp4"
    ffmpeg("-i", recording, "-t", "1.5", "-c:v", "copy", "-c:a", "aac", short)
    with pytest.raises(InputError, match="s of speech"):
        measure_sync(short)


def test_recording_without_a_face_is_refused(recording: Path, tmp_path: Path) -> None:
    faceless = tmp_path / "faceless.mp4"
    grey = f"color=c=gray:s={W}x{H}:r={FPS}"
    ffmpeg("-f", "lavfi", "-i", grey, "-i", recording, "-map", "0:v", "-map", "1:a",
           "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy", "-shortest", faceless)  # fmt: skip
    with pytest.raises(InputError, match="no face was found"):
        measure_sync(faceless)


def test_speech_that_does_not_belong_to_the_face_is_refused(recording: Path, tmp_path: Path) -> None:
    # The same voice, level and spectrum, played backwards: nothing in it lines up with the mouth.
    reversed_audio = tmp_path / "reversed.mp4"
    ffmpeg("-i", recording, "-af", "areverse", "-c:v", "copy", "-c:a", "aac", reversed_audio)
    with pytest.raises(InputError, match="do not match clearly enough"):
        measure_sync(reversed_audio)


# -- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def studio_main() -> Callable[[list[str]], int]:
    return cli_main.main


def test_cli_prints_the_summary(
    studio_main: Callable[[list[str]], int], recording: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = studio_main(["sync-check", str(recording)])
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 0
    assert len(out) == 1
    offset = r"(lags video by \d+ ms \(|leads video by \d+ ms \(|in sync with video \(0 ms, )"
    pattern = rf"audio {offset}\d\.\d frame at 30 fps\), confidence 0\.\d\d, \d+ frames"
    assert re.fullmatch(pattern, out[0]), out


@pytest.mark.parametrize("kind", ["not-a-video", "missing", "silent", "bad-lag"])
def test_cli_refuses_with_one_line(
    studio_main: Callable[[list[str]], int],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    kind: str,
) -> None:
    args = ["sync-check", str(tmp_path / "missing.mp4")]
    if kind == "not-a-video":
        (tmp_path / "notes.mp4").write_text("not a video\n", encoding="utf-8")
        args = ["sync-check", str(tmp_path / "notes.mp4")]
    elif kind == "silent":
        args = ["sync-check", str(request.getfixturevalue("silent"))]
    elif kind == "bad-lag":
        args = ["sync-check", str(tmp_path / "missing.mp4"), "--max-lag", "0"]
    rc = studio_main(args)
    captured = capsys.readouterr()
    assert rc == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studio: error: "), captured.err
    assert "Traceback" not in captured.err
