"""The twin's footage reader on real clips: rotation, variable frame rate, containers, refusals."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio.errors import InputError
from studio.twin.footage import iter_frames, probe_footage, read_audio_16k
from tests.footage import footage
from tests.twin_footage_clips import decoded, remade, write_video


def _frames(path: Path) -> list[np.ndarray]:
    info = probe_footage(path)
    out = []
    for index, rgb in iter_frames(path, info):
        assert index == len(out)
        assert rgb.shape == (info.height, info.width, 3) and rgb.dtype == np.uint8
        out.append(rgb)
    return out


def _diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean())


def test_the_real_clips_probe_as_the_note_says() -> None:
    franck = probe_footage(footage("franck.webm"))
    assert (franck.width, franck.height, franck.fps, franck.has_audio) == (360, 288, 25, False)
    assert franck.duration_s == pytest.approx(199.9, abs=0.1) and franck.frame_count == 4998
    jwp = probe_footage(footage("jwpIntro.mp4"))
    assert (jwp.width, jwp.height, jwp.has_audio, jwp.rotation) == (640, 480, True, 0)
    assert jwp.fps == Fraction(2997, 100) and jwp.frame_count == 173
    movie = probe_footage(footage("testMovie.mp4"))
    assert movie.fps == 30  # 30.12 fps capped at 30
    assert len(_frames(footage("testMovie.mp4"))) == movie.frame_count


def test_a_display_matrix_turns_the_frames_upright(tmp_path: Path) -> None:
    source = footage("jwpIntro.mp4")
    # Stored as shot (landscape), shown turned: -90 is a phone held upright (90 deg clockwise).
    path = remade(source, tmp_path / "phone.mp4", seconds=3.0, rotation=-90)
    info = probe_footage(path)
    assert info.rotation == 90 and (info.width, info.height) == (480, 640)
    stored = next(decoded(path))
    first = _frames(path)[0]
    assert _diff(first, np.rot90(stored, k=-1)) < 1.0
    assert _diff(first, np.rot90(stored, k=1)) > 20.0


def test_the_old_rotate_tag_is_honoured(tmp_path: Path) -> None:
    path = remade(footage("jwpIntro.mp4"), tmp_path / "tagged.mkv", seconds=1.0, metadata={"rotate": "180"})
    info = probe_footage(path)
    assert info.rotation == 180 and (info.width, info.height) == (640, 480)
    assert _diff(_frames(path)[0], np.rot90(next(decoded(path)), k=2)) < 1.0


def test_variable_frame_rate_maps_onto_a_constant_timeline(tmp_path: Path) -> None:
    # Nine distinct grey frames at uneven times (ms): each timeline step must show the frame
    # a player shows at that moment, the last frame before or at the step's time.
    times = [0.0, 0.020, 0.110, 0.130, 0.300, 0.310, 0.500, 0.560, 0.700]
    greys = [20 + 25 * i for i in range(len(times))]
    frames = [np.full((96, 128, 3), g, np.uint8) for g in greys]
    path = write_video(tmp_path / "vfr.mp4", frames, fps=Fraction(25), times=times)
    info = probe_footage(path)
    assert 1 <= info.fps <= 30
    got = _frames(path)
    assert len(got) == info.frame_count
    for index, rgb in enumerate(got):
        t = index / info.fps
        expected = max(i for i, start in enumerate(times) if start <= t + 1e-3)
        assert abs(float(rgb.mean()) - greys[expected]) < 6, (index, float(t), float(rgb.mean()))


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [("mp4", "h264"), ("mov", "h264"), ("mkv", "h264"), ("webm", "vp8"), ("webm", "vp9"), ("mkv", "vp9")],
)
def test_common_containers_and_codecs(tmp_path: Path, suffix: str, codec: str) -> None:
    source = footage("testMovie.mp4")
    path = remade(source, tmp_path / f"clip.{suffix}", seconds=1.0, codec=codec, fps=30)
    frames = _frames(path)
    assert 28 <= len(frames) <= 31
    assert _diff(frames[10], next(decoded(source, start_s=10 / 30.12))) < 8.0


def test_large_video_is_scaled_to_720p(tmp_path: Path) -> None:
    import cv2

    big = remade(
        footage("jwpIntro.mp4"),
        tmp_path / "big.mp4",
        lambda rgb: cv2.resize(rgb, (1920, 1440), interpolation=cv2.INTER_CUBIC),
        seconds=0.5,
    )
    info = probe_footage(big)
    assert (info.width, info.height) == (1280, 960)
    assert _frames(big)[0].shape == (960, 1280, 3)


def test_audio_is_read_as_mono_16k(tmp_path: Path) -> None:
    jwp = footage("jwpIntro.mp4")
    audio = read_audio_16k(jwp, probe_footage(jwp))
    assert audio is not None and audio.dtype == np.float32 and audio.ndim == 1
    assert len(audio) / 16000 == pytest.approx(5.78, abs=0.05)
    assert 0.01 < float(np.sqrt(np.mean(audio**2))) < 0.5  # his voice, not silence
    franck = footage("franck.webm")
    assert read_audio_16k(franck, probe_footage(franck)) is None


def test_audio_only_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "voice.m4a"
    tone = (0.2 * np.sin(np.arange(16000) * 2 * np.pi * 220 / 16000)).astype(np.float32)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=16000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(tone[None, :], format="flt", layout="mono")
        frame.sample_rate = 16000
        for piece in av.AudioResampler(format=stream.format.name, layout="mono", rate=16000).resample(frame):
            for packet in stream.encode(piece):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    with pytest.raises(InputError, match="no video in it"):
        probe_footage(path)


def test_undecodable_files_are_refused(tmp_path: Path) -> None:
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    with pytest.raises(InputError) as caught:
        probe_footage(noise)
    assert "\n" not in str(caught.value)
    # Real headers with the frames after them overwritten: they open, then cannot be decoded.
    damaged = tmp_path / "damaged.webm"
    data = bytearray(footage("franck.webm").read_bytes()[:200_000])
    data[4_000:] = bytes(len(data) - 4_000)
    damaged.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        _frames(damaged)
    damaged = tmp_path / "damaged.mp4"
    data = bytearray(footage("jwpIntro.mp4").read_bytes())
    data[len(data) // 4 :] = bytes(len(data) - len(data) // 4)
    damaged.write_bytes(bytes(data))
    with pytest.raises(InputError, match="damaged"):
        _frames(damaged)


def test_too_long_a_video_is_refused(tmp_path: Path) -> None:
    frames = (np.full((32, 32, 3), i % 255, np.uint8) for i in range(612))
    path = write_video(tmp_path / "long.mp4", frames, fps=1)
    with pytest.raises(InputError, match="10 minutes"):
        probe_footage(path)
