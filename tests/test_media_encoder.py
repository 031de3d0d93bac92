"""Mp4Writer: stream layout, timing, content, metadata and atomicity."""

from __future__ import annotations

import threading
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio.errors import StudioError
from studio.media.clock import frame_start_sample
from studio.media.encoder import Mp4Writer
from studio.media.probe import ffprobe

W, H, FPS, RATE = 1280, 720, Fraction(30), 48000
SECONDS = 3
METADATA = {
    "title": "Test clip",
    "comment": "made by the test suite",
    "description": "synthetic pattern",
    "ai_generated": "true",
    "generator": "studio-test",
    "avatar": "alice",
}


def pattern(i: int, width: int = W, height: int = H) -> np.ndarray:
    """Smooth moving gradient plus a bright square that travels right."""
    yy, xx = np.mgrid[0:height, 0:width]
    frame = np.empty((height, width, 3), np.uint8)
    frame[..., 0] = ((xx + 8 * i) % width) * 255 // width
    frame[..., 1] = yy * 255 // height
    frame[..., 2] = 128
    x0 = (40 + 12 * i) % (width - 160)
    frame[200:360, x0 : x0 + 160] = (250, 220, 30)
    return frame


def tone(n: int, freq: float = 440.0) -> np.ndarray:
    return (0.5 * np.sin(2 * np.pi * freq * np.arange(n) / RATE)).astype(np.float32)


def write_clip(path: Path, *, threaded: bool, chunked_audio: bool = True) -> None:
    frames = SECONDS * int(FPS)
    audio = tone(SECONDS * RATE)
    with Mp4Writer(path, W, H, FPS, RATE, metadata=METADATA, threaded=threaded) as out:
        for i in range(frames):
            a, b = frame_start_sample(i, RATE, FPS), frame_start_sample(i + 1, RATE, FPS)
            if chunked_audio:
                # Per-frame chunks (1600 samples) exercise re-cutting into 1024-sample AAC frames.
                out.write_audio(audio[a:b], a)
            out.write_video(pattern(i), i)
        if not chunked_audio:
            out.write_audio(audio, 0)


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return float(10 * np.log10(255.0**2 / max(mse, 1e-12)))


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("enc") / "clip.mp4"
    write_clip(path, threaded=True)
    return path


def test_streams_timing_and_metadata(clip: Path) -> None:
    info = ffprobe(clip)
    streams = info["streams"]
    assert sorted(s["codec_type"] for s in streams) == ["audio", "video"]
    video = next(s for s in streams if s["codec_type"] == "video")
    audio = next(s for s in streams if s["codec_type"] == "audio")
    assert video["codec_name"] == "h264"
    assert video["pix_fmt"] == "yuv420p"
    assert (video["width"], video["height"]) == (W, H)
    assert video["r_frame_rate"] == "30/1"
    assert video["avg_frame_rate"] == "30/1"
    assert video["time_base"] == f"1/{RATE}"
    assert int(video["nb_frames"]) == SECONDS * 30
    assert float(video["duration"]) == pytest.approx(SECONDS, abs=0.05)
    assert audio["codec_name"] == "aac"
    assert int(audio["sample_rate"]) == RATE
    assert int(audio["channels"]) == 1
    assert float(audio["duration"]) == pytest.approx(SECONDS, abs=0.05)
    assert float(info["format"]["duration"]) == pytest.approx(SECONDS, abs=0.05)
    tags = info["format"]["tags"]
    for key, value in METADATA.items():
        assert tags.get(key) == value, key
    assert "software" in tags


def test_video_pts_follow_the_audio_clock(clip: Path) -> None:
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        pts = sorted(p.pts for p in container.demux(stream) if p.pts is not None)
    expected = [frame_start_sample(i, RATE, FPS) for i in range(SECONDS * 30)]
    offset = pts[0]  # an edit list may shift all pts by a constant (B-frame delay)
    assert [p - offset for p in pts] == expected


def test_decoded_content_matches_pattern(clip: Path) -> None:
    with av.open(str(clip)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == SECONDS * 30
    for i in (0, 17, 45, 89):
        assert frames[i].shape == (H, W, 3)
        assert psnr(frames[i], pattern(i)) > 30, i
    # Frames are in the right order: frame 45 matches pattern 45 better than pattern 44.
    assert psnr(frames[45], pattern(45)) > psnr(frames[45], pattern(44)) + 3


def test_audio_is_a_440_hz_tone(clip: Path) -> None:
    with av.open(str(clip)) as container:
        chunks = [f.to_ndarray().reshape(-1) for f in container.decode(audio=0)]
    audio = np.concatenate(chunks)
    assert abs(len(audio) - SECONDS * RATE) <= 1024
    seg = audio[RATE // 2 : RATE // 2 + RATE]  # 1 s in the middle: 1 Hz bins
    spectrum = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    assert abs(int(np.argmax(spectrum)) - 440) <= 1
    assert 0.3 < np.sqrt(np.mean(seg**2)) * np.sqrt(2) < 0.7


def test_unthreaded_whole_audio_at_once(tmp_path: Path) -> None:
    path = tmp_path / "sync.mp4"
    write_clip(path, threaded=False, chunked_audio=False)
    info = ffprobe(path)
    assert float(info["format"]["duration"]) == pytest.approx(SECONDS, abs=0.05)
    assert len(info["streams"]) == 2


def test_ntsc_rate_and_stereo(tmp_path: Path) -> None:
    fps = Fraction(30000, 1001)
    path = tmp_path / "ntsc.mp4"
    with Mp4Writer(path, 320, 240, fps, audio_channels=2) as out:
        out.write_audio(tone(2 * RATE), 0)
        for i in range(60):
            out.write_video(pattern(i, 320, 240), i)
    video, audio = sorted(ffprobe(path)["streams"], key=lambda s: s["codec_type"] != "video")
    assert video["r_frame_rate"] == "30000/1001"
    assert int(audio["channels"]) == 2
    assert float(video["duration"]) == pytest.approx(60 * 1001 / 30000, abs=0.01)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


class Boom(Exception):
    pass


@pytest.mark.parametrize("threaded", [False, True])
@pytest.mark.parametrize("error", [Boom, KeyboardInterrupt])
def test_exception_mid_write_leaves_nothing(tmp_path: Path, threaded: bool, error: type) -> None:
    target = tmp_path / "out.mp4"
    with pytest.raises(error), Mp4Writer(target, 320, 240, FPS, threaded=threaded) as out:
        for i in range(20):
            out.write_audio(tone(1600), i * 1600)
            out.write_video(pattern(i, 320, 240), i)
        raise error()
    assert _leftovers(tmp_path) == []
    assert not any(t.name.startswith("Mp4Writer") for t in threading.enumerate())


@pytest.mark.parametrize("threaded", [False, True])
def test_existing_target_is_left_intact_on_error(tmp_path: Path, threaded: bool) -> None:
    target = tmp_path / "out.mp4"
    target.write_bytes(b"previous render")
    with pytest.raises(Boom), Mp4Writer(target, 320, 240, FPS, threaded=threaded) as out:
        out.write_video(pattern(0, 320, 240), 0)
        raise Boom()
    assert target.read_bytes() == b"previous render"
    assert _leftovers(tmp_path) == ["out.mp4"]


def test_worker_error_is_reraised_and_thread_ends(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = Mp4Writer._encode_video

    def failing(self: Mp4Writer, yuv: np.ndarray, frame_index: int) -> None:
        if frame_index == 5:
            raise Boom("encoder failed")
        original(self, yuv, frame_index)

    monkeypatch.setattr(Mp4Writer, "_encode_video", failing)
    target = tmp_path / "out.mp4"
    with pytest.raises(Boom), Mp4Writer(target, 320, 240, FPS, threaded=True) as out:
        # Far more frames than the queue holds: the producer must not block forever.
        for i in range(200):
            out.write_video(pattern(i, 320, 240), i)
    assert _leftovers(tmp_path) == []
    assert not any(t.name.startswith("Mp4Writer") for t in threading.enumerate())


@pytest.mark.parametrize("threaded", [False, True])
def test_a_full_disk_is_one_line_naming_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threaded: bool
) -> None:
    original = Mp4Writer._encode_video

    def failing(self: Mp4Writer, yuv: np.ndarray, frame_index: int) -> None:
        if frame_index == 5:  # what the muxer raises when a write finds no space
            raise av.error.OSError(28, "No space left on device")
        original(self, yuv, frame_index)

    monkeypatch.setattr(Mp4Writer, "_encode_video", failing)
    target = tmp_path / "out.mp4"
    with pytest.raises(StudioError) as err, Mp4Writer(target, 320, 240, FPS, threaded=threaded) as out:
        for i in range(200):
            out.write_video(pattern(i, 320, 240), i)
    assert err.value.problem == f"cannot write {target}: the disk is full."
    assert "Free some space" in err.value.hint
    assert _leftovers(tmp_path) == []


def test_success_replaces_existing_target(tmp_path: Path) -> None:
    target = tmp_path / "out.mp4"
    target.write_bytes(b"old")
    with Mp4Writer(target, 320, 240, FPS) as out:
        out.write_video(pattern(0, 320, 240), 0)
    assert _leftovers(tmp_path) == ["out.mp4"]
    assert ffprobe(target)["streams"][0]["codec_name"] == "h264"


def test_invalid_input_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        Mp4Writer(tmp_path / "x.mp4", 321, 240, FPS)
    with pytest.raises(ValueError), Mp4Writer(tmp_path / "x.mp4", 320, 240, FPS) as out:
        out.write_video(np.zeros((240, 320, 3), np.uint8), 3)
        out.write_video(np.zeros((240, 320, 3), np.uint8), 3)
    with pytest.raises(ValueError), Mp4Writer(tmp_path / "x.mp4", 320, 240, FPS) as out:
        out.write_video(np.zeros((240, 320), np.uint8), 0)
    with pytest.raises(ValueError), Mp4Writer(tmp_path / "x.mp4", 320, 240, FPS) as out:
        out.write_audio(np.zeros(2048, np.float32), 1000)
        out.write_audio(np.zeros(10, np.float32), 1500)
    assert _leftovers(tmp_path) == []


def test_probe_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from studio.errors import InputError, StudioError
    from studio.media import probe

    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 100)
    with pytest.raises(InputError):
        ffprobe(junk)
    with pytest.raises(InputError):
        ffprobe(tmp_path / "missing.mp4")
    monkeypatch.setattr(probe.shutil, "which", lambda _name: None)
    with pytest.raises(StudioError, match="ffmpeg"):
        ffprobe(junk)


@pytest.mark.parametrize("threaded", [False, True])
def test_ctrl_c_in_a_real_process_leaves_nothing(tmp_path: Path, threaded: bool) -> None:
    import signal
    import subprocess
    import sys
    import time

    script = f"""
import sys, numpy as np
from fractions import Fraction
from pathlib import Path
from studio.media.encoder import Mp4Writer
frame = np.random.default_rng(0).integers(0, 255, (720, 1280, 3), dtype=np.uint8)
with Mp4Writer(Path(sys.argv[1]), 1280, 720, Fraction(30), threaded={threaded}) as out:
    for i in range(100000):
        out.write_video(frame, i)
        if i == 3:
            print("started", flush=True)
"""
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path / "out.mp4")],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "started"
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "KeyboardInterrupt" in err
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("fps", [Fraction(30), Fraction(30000, 1001), Fraction(25)])
def test_a_click_and_a_flash_written_together_play_together(tmp_path: Path, fps: Fraction) -> None:
    """A/V sync end to end: a white frame and an audio click placed at the same sample of the
    audio clock are decoded at the same moment (the edit list and encoder delay included)."""
    w, h, flash = 320, 180, 37
    n_frames = 60
    total = frame_start_sample(n_frames, RATE, fps)
    audio = np.zeros(total, np.float32)
    click = frame_start_sample(flash, RATE, fps)
    audio[click : click + 96] = 0.9
    path = tmp_path / "sync.mp4"
    with Mp4Writer(path, w, h, fps, RATE) as out:
        for i in range(n_frames):
            a, b = frame_start_sample(i, RATE, fps), frame_start_sample(i + 1, RATE, fps)
            out.write_audio(audio[a:b], a)
            out.write_video(np.full((h, w, 3), 255 if i == flash else 0, np.uint8), i)

    with av.open(str(path)) as container:
        flashes = [f.time for f in container.decode(video=0) if f.to_ndarray(format="gray").mean() > 128]
    with av.open(str(path)) as container:
        onset = None
        for f in container.decode(audio=0):
            hits = np.nonzero(np.abs(f.to_ndarray().reshape(-1)) > 0.45)[0]
            if hits.size:
                onset = f.time + hits[0] / RATE
                break
    assert len(flashes) == 1 and onset is not None
    assert flashes[0] == pytest.approx(click / RATE, abs=1e-3)
    assert onset == pytest.approx(flashes[0], abs=0.004), "audio and video are out of step"
