"""RecordingOutput on real data: demo-avatar frames and recorded speech, sent in the live
engine's order (audio a few frames ahead), read back with ffprobe and PyAV. Recordings are
fragmented MP4, so a failure or a kill keeps what was written."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.lipsync.visemes import VISEME_POSES
from studio.media.audio import read_audio, resample
from studio.media.avstreams import AvEncoder
from studio.media.clock import frame_start_sample
from studio.media.mp4_fragments import fragments_end, recover_partials
from studio.media.probe import ffprobe
from studio.outputs.base import AudioChunk, OutputError, StreamFormat, VideoFrame
from studio.outputs.recording import RecordingOutput
from studio.render.photo_renderer import PhotoRenderer, RenderSettings

W, H, RATE = 320, 180, 48000
FPS = Fraction(30)
LEAD = 3  # audio goes out this many frames ahead of video, as in the engine
SPEECH = Path(__file__).resolve().parents[1] / "assets" / "lipsync_eval" / "piper-joe"
MARK, STEP = 20, 10  # a white square at x = (index * STEP) % (W - MARK): which frame this is
PERIOD = (W - MARK) // STEP  # the mark tells frames apart modulo this (30: one second)


def stamp(image: np.ndarray, index: int) -> np.ndarray:
    out = image.copy()
    x = (index * STEP) % (W - MARK)
    out[:MARK, :] //= 4  # a dark band so the mark stands out after compression
    out[:MARK, x : x + MARK] = 255
    return out


def read_stamp(image: np.ndarray) -> int:
    """The frame index modulo PERIOD, from where the mark is."""
    band = image[2 : MARK - 2, :, :].mean(axis=(0, 2))
    return int(round(np.argmax(np.convolve(band, np.ones(MARK), "valid")) / STEP))


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    """8 s of the demo avatar talking (mouth poses cycling), each frame stamped with its index."""
    avatar = load_avatar(demo_package_path(), "")
    renderer = PhotoRenderer(avatar.image, avatar.landmarks, RenderSettings(W, H, FPS))
    poses = [np.array(p, np.float32) for p in VISEME_POSES.values()]
    return [stamp(renderer.render(i, poses[(i // 3) % len(poses)]), i) for i in range(240)]


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """Real speech at 48 kHz on the show clock (sample 0 = frame 0), 8 s long."""
    parts = [read_audio(SPEECH / f"00{i}.wav") for i in (1, 2, 3)]
    audio = np.concatenate([resample(a, rate, RATE) for a, rate in parts])
    return audio[: 8 * RATE].astype(np.float32)


def play(
    out: RecordingOutput,
    frames: Sequence[np.ndarray],
    indices: Sequence[int],
    audio: np.ndarray,
    fps: Fraction,
) -> None:
    """Send ``indices`` (frame i shows ``frames[i]``) with contiguous audio from the first frame
    on, each frame's span of audio ``LEAD`` frames early. Waits for the output to take each
    frame, as a real-time engine would leave it time to, so none is dropped here."""
    next_audio = indices[0]
    for n, i in enumerate(indices):
        while next_audio <= i + LEAD:
            a, b = frame_start_sample(next_audio, RATE, fps), frame_start_sample(next_audio + 1, RATE, fps)
            out.send_audio(AudioChunk(a, audio[a:b]))
            next_audio += 1
        deadline = time.monotonic() + 10
        while out.stats.frames < n - 1 and not out.stats.state.startswith("failed"):
            assert time.monotonic() < deadline, "the recording stopped taking frames"
            time.sleep(0.001)
        out.send_video(VideoFrame(i, frame_start_sample(i, RATE, fps), frames[i % len(frames)]))


def streams(path: Path) -> tuple[dict, dict, dict]:
    info = ffprobe(path)
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    audio = next(s for s in info["streams"] if s["codec_type"] == "audio")
    return video, audio, info["format"]


def decode(path: Path) -> tuple[list[np.ndarray], list[float], np.ndarray]:
    with av.open(str(path)) as container:
        decoded = [(f.to_ndarray(format="rgb24"), float(f.time)) for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        sound = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    return [d[0] for d in decoded], [d[1] for d in decoded], sound


def end_of(stream: dict) -> float:
    return float(stream["start_time"]) + float(stream["duration"])


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


def test_recording_reads_back_as_the_show(
    tmp_path: Path, frames: list[np.ndarray], speech: np.ndarray
) -> None:
    target = tmp_path / "show.mp4"
    out = RecordingOutput(target, metadata={"title": "Live show", "ai_generated": "true"})
    out.start(StreamFormat(W, H, FPS))
    play(out, frames, range(90), speech, FPS)
    assert target.exists(), "the recording is written where the user asked for it"
    stats = out.close()

    assert (stats.state, stats.frames, stats.dropped, stats.errors) == ("closed", 90, 0, 0)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["show.mp4"], "no temporary file is left"
    video, audio, fmt = streams(target)
    assert (video["codec_name"], video["pix_fmt"], video["width"], video["height"]) == (
        "h264",
        "yuv420p",
        W,
        H,
    )
    assert (audio["codec_name"], int(audio["sample_rate"]), int(audio["channels"])) == ("aac", RATE, 1)
    assert fragments_end(target)[1] >= 2, "fragmented: one fragment per keyframe, at most 2 s each"
    assert float(video["start_time"]) == pytest.approx(0, abs=1e-3)
    assert float(video["duration"]) == pytest.approx(3.0, abs=1e-3)
    # Audio was sent 3 frames past the last frame: it is cut there, so both end at 3 s. (AAC's
    # priming frame shows as a start just before 0; the edit list keeps it out of the sound.)
    assert -0.03 < float(audio["start_time"]) <= 0
    assert end_of(audio) == pytest.approx(3.0, abs=1e-3)
    assert fmt["tags"]["ai_generated"] == "true" and fmt["tags"]["title"] == "Live show"

    images, times, sound = decode(target)
    assert len(images) == 90
    assert times[45] == pytest.approx(1.5, abs=1e-3)
    assert psnr(images[45], frames[45]) > 30
    assert psnr(images[45], frames[45]) > psnr(images[45], frames[42]) + 2
    # The speech comes back in place: the decoded audio lines up with what was sent.
    seg = slice(RATE // 2, 5 * RATE // 2)
    assert np.corrcoef(sound[seg], speech[seg])[0, 1] > 0.95


def test_skipped_frame_indices_keep_exact_pts(
    tmp_path: Path, frames: list[np.ndarray], speech: np.ndarray
) -> None:
    fps = Fraction(30000, 1001)  # frames alternate 1601 and 1602 samples
    indices = [i for i in range(76) if i % 7 not in (3, 4)]  # 0 1 2 5 6 7 ... 72 75
    target = tmp_path / "skips.mp4"
    out = RecordingOutput(target)
    out.start(StreamFormat(W, H, fps))
    play(out, frames, indices, speech, fps)
    assert out.close().frames == len(indices)

    with av.open(str(target)) as container:
        stream = container.streams.video[0]
        pts = sorted(p.pts for p in container.demux(stream) if p.pts is not None)
    assert [p - pts[0] for p in pts] == [frame_start_sample(i, RATE, fps) for i in indices]
    video, audio, _ = streams(target)
    end = frame_start_sample(indices[-1] + 1, RATE, fps) / RATE  # the last frame's own end
    assert float(video["duration"]) == pytest.approx(end, abs=1e-3)
    assert end_of(audio) == pytest.approx(end, abs=1e-3)
    images, _, _ = decode(target)
    # Each picture is the frame that was sent for its time, not its neighbour.
    assert [read_stamp(img) for img in images] == [i % PERIOD for i in indices]


def test_recording_started_mid_show_starts_at_zero(
    tmp_path: Path, frames: list[np.ndarray], speech: np.ndarray
) -> None:
    target = tmp_path / "late.mp4"
    out = RecordingOutput(target)
    out.start(StreamFormat(W, H, FPS))
    play(out, frames, range(150, 210), speech, FPS)  # Record pressed 5 s into the show
    out.close()
    video, audio, _ = streams(target)
    assert float(video["start_time"]) == pytest.approx(0, abs=1e-3)
    assert -0.03 < float(audio["start_time"]) <= 0
    assert float(video["duration"]) == pytest.approx(2.0, abs=1e-3)
    assert end_of(audio) == pytest.approx(2.0, abs=1e-3)
    images, _, sound = decode(target)
    assert psnr(images[0], frames[150]) > 30
    assert np.corrcoef(sound[: RATE // 2], speech[5 * RATE : 5 * RATE + RATE // 2])[0, 1] > 0.95


@pytest.mark.parametrize("fail_at", [100, 20])  # after the first fragment and before it
@pytest.mark.parametrize("older", [None, b"yesterday's show"])
def test_a_failure_mid_recording_keeps_what_was_written(
    tmp_path: Path,
    frames: list[np.ndarray],
    speech: np.ndarray,
    monkeypatch: pytest.MonkeyPatch,
    older: bytes | None,
    fail_at: int,
) -> None:
    target = tmp_path / "show.mp4"
    if older is not None:
        target.write_bytes(older)
    original = AvEncoder.encode_video
    calls = []

    def failing(self: AvEncoder, yuv: np.ndarray, pts: int, duration: int) -> None:
        calls.append(pts)
        if len(calls) == fail_at:
            raise OSError(28, "No space left on device")
        original(self, yuv, pts, duration)

    monkeypatch.setattr(AvEncoder, "encode_video", failing)
    out = RecordingOutput(target)
    out.start(StreamFormat(W, H, FPS))
    play(out, frames, range(fail_at + 20), speech, FPS)  # the engine goes on: sends are not refused
    stats = out.close()

    assert stats.errors == 1 and stats.frames == fail_at - 1
    assert stats.state.startswith("failed: cannot write") and "the disk is full" in stats.state
    # What the muxer had is kept, at the target, replacing an older file as a finished take would.
    assert [p.name for p in tmp_path.iterdir()] == ["show.mp4"]
    assert f"what was recorded until then is kept in {target}" in stats.state
    video, _, _ = streams(target)
    images, _, sound = decode(target)
    assert 0 < len(images) < fail_at
    assert float(video["duration"]) == pytest.approx(len(images) / 30, abs=1e-3)
    assert psnr(images[0], frames[0]) > 30
    # They are the show's first frames, in order.
    assert [read_stamp(img) for img in images[:PERIOD]] == list(range(min(len(images), PERIOD)))


KILLED_RECORDER = f"""
import sys, numpy as np
from fractions import Fraction
from pathlib import Path
from studio.outputs.base import AudioChunk, StreamFormat, VideoFrame
from studio.outputs.recording import RecordingOutput
out = RecordingOutput(Path(sys.argv[1]))
out.start(StreamFormat({W}, {H}, Fraction(30)))
rng = np.random.default_rng(0)
for i in range(100000):
    out.send_audio(AudioChunk(i * 1600, rng.uniform(-0.5, 0.5, 1600).astype(np.float32)))
    out.send_video(VideoFrame(i, i * 1600, rng.integers(0, 255, ({H}, {W}, 3), dtype=np.uint8)))
    while out.stats.frames < i - 1:  # as a real-time engine would, give it time to write
        pass
"""


@pytest.mark.parametrize("older", [b"yesterday's show", None])
def test_a_kill_mid_recording_leaves_a_file_that_plays(tmp_path: Path, older: bytes | None) -> None:
    target = tmp_path / "show.mp4"
    if older is not None:
        target.write_bytes(older)
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-c", KILLED_RECORDER, str(target)], cwd=root)
    try:
        written = target if older is None else None
        deadline = time.monotonic() + 60
        while written is None or not written.exists() or fragments_end(written)[1] < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "the recording never got going"
            time.sleep(0.1)
            if written is None:
                written = next(iter(tmp_path.glob(".show.mp4.*.partial.mp4")), None)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    if older is None:
        assert [p.name for p in tmp_path.iterdir()] == ["show.mp4"], "it is where the user asked for it"
        playable = target
    else:
        # The older file is untouched; the take beside it is recovered at the next start.
        assert target.read_bytes() == older
        notice = recover_partials(target)
        (playable,) = tmp_path.glob("show-recovered-*.mp4")
        assert notice is not None and f"it is kept as {playable.name}" in notice
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["show.mp4", playable.name])
        assert recover_partials(target) is None, "nothing is left to recover"
    video, audio, _ = streams(playable)
    images, _, sound = decode(playable)
    # At least the two whole fragments seen on disk (about 2 s each), each frame decoded.
    assert len(images) >= 90 and -0.01 < float(video["duration"]) - len(images) / 30 < 0.1
    assert len(sound) > RATE and audio["codec_name"] == "aac"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing/show.mp4", "does not exist"),
        ("a_file/show.mp4", "does not exist"),
        ("show.mov", "must be an .mp4"),
        ("folder.mp4", "is a folder"),
    ],
)
def test_a_target_that_cannot_work_is_refused_at_start(tmp_path: Path, name: str, problem: str) -> None:
    (tmp_path / "a_file").write_text("not a folder")
    (tmp_path / "folder.mp4").mkdir()
    out = RecordingOutput(tmp_path / name)
    with pytest.raises(OutputError, match=problem) as err:
        out.start(StreamFormat(W, H, FPS))
    assert ".mp4" in err.value.hint
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file", "folder.mp4"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into any folder")
def test_a_read_only_folder_is_refused_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="not writable"):
            RecordingOutput(folder / "show.mp4").start(StreamFormat(W, H, FPS))
    finally:
        folder.chmod(0o700)


def test_closing_before_any_frame_records_nothing(tmp_path: Path, speech: np.ndarray) -> None:
    target = tmp_path / "show.mp4"
    target.write_bytes(b"older")
    out = RecordingOutput(target)
    out.start(StreamFormat(W, H, FPS))
    for j in range(10):
        out.send_audio(AudioChunk(j * 1600, speech[j * 1600 : (j + 1) * 1600]))
    stats = out.close()
    assert "nothing recorded" in stats.state and stats.audio_chunks == 10
    assert target.read_bytes() == b"older"
