"""read_audio / resample / write_wav."""

from __future__ import annotations

import wave
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from audio_files import long_silent_wav

from studio.errors import InputError
from studio.media.audio import read_audio, resample, write_wav


def tone(n: int, rate: int, freq: float = 440.0, amp: float = 0.5) -> np.ndarray:
    return (amp * np.sin(2 * np.pi * freq * np.arange(n) / rate)).astype(np.float32)


def peak_hz(audio: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    return float(np.argmax(spectrum) * rate / len(audio))


def encode_with_pyav(path: Path, audio: np.ndarray, rate: int, codec: str) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate, layout="mono")
        frame_size = stream.codec_context.frame_size or 1152
        fmt = stream.codec_context.format.name
        for start in range(0, len(audio), frame_size):
            chunk = audio[start : start + frame_size]
            frame = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
            frame.sample_rate = rate
            frame.pts = start
            resampler = av.AudioResampler(format=fmt, layout="mono", rate=rate)
            for converted in resampler.resample(frame):
                for packet in stream.encode(converted):
                    container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)


def test_wav_round_trip(tmp_path: Path) -> None:
    audio = tone(22050, 22050)
    path = tmp_path / "a.wav"
    write_wav(path, audio, 22050)
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
    back, rate = read_audio(path)
    assert rate == 22050
    assert back.dtype == np.float32
    assert back.shape == audio.shape
    assert np.max(np.abs(back - audio)) < 2 / 32767
    assert [p.name for p in tmp_path.iterdir()] == ["a.wav"]


def test_stereo_wav_is_averaged_to_mono(tmp_path: Path) -> None:
    left = tone(4800, 48000)
    stereo = np.stack([left, np.zeros_like(left)], axis=1)
    write_wav(tmp_path / "s.wav", stereo, 48000)
    back, rate = read_audio(tmp_path / "s.wav")
    assert rate == 48000
    assert np.max(np.abs(back - left / 2)) < 2 / 32767


def test_write_wav_clips_and_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "c.wav"
    path.write_bytes(b"keep")
    with pytest.raises(ValueError):
        write_wav(path, np.zeros((3, 3, 3), np.float32), 48000)
    assert path.read_bytes() == b"keep"
    write_wav(path, np.array([2.0, -2.0, 0.0], np.float32), 8000)
    back, _ = read_audio(path)
    np.testing.assert_allclose(back, [1.0, -1.0, 0.0], atol=1e-4)
    assert [p.name for p in tmp_path.iterdir()] == ["c.wav"]


@pytest.mark.parametrize(
    ("src", "dst", "n"),
    [
        (44100, 48000, 44100),
        (48000, 44100, 48000),
        (22050, 48000, 12345),
        (48000, 16000, 1001),
        (16000, 48000, 7),
        (44100, 47999, 99991),
        (48000, 48000, 500),
        (48000, 44100, 0),
    ],
)
def test_resample_length_is_exact(src: int, dst: int, n: int) -> None:
    out = resample(np.zeros(n, np.float32), src, dst)
    assert out.dtype == np.float32
    assert len(out) == round(Fraction(n * dst, src))


@pytest.mark.parametrize(("src", "dst"), [(44100, 48000), (48000, 16000), (22050, 48000)])
def test_resample_keeps_pitch_and_phase(src: int, dst: int) -> None:
    seconds = 2
    out = resample(tone(seconds * src, src), src, dst)
    expected = tone(seconds * dst, dst)
    # Interior samples match the ideal tone at the new rate: no drift, no delay.
    assert np.max(np.abs(out - expected)[256:-256]) < 1e-3
    assert abs(peak_hz(out, dst) - 440) < 1


def test_resample_removes_content_above_new_nyquist() -> None:
    out = resample(tone(48000, 48000, freq=12000), 48000, 16000)
    assert np.sqrt(np.mean(out[200:-200] ** 2)) < 1e-3


def test_mp3_round_trip(tmp_path: Path) -> None:
    rate = 44100
    audio = tone(2 * rate, rate)
    path = tmp_path / "a.mp3"
    encode_with_pyav(path, audio, rate, "libmp3lame")
    back, back_rate = read_audio(path)
    assert back_rate == rate
    assert abs(len(back) - len(audio)) <= 2 * 1152
    assert abs(peak_hz(back[:rate], rate) - 440) < 1.5
    assert 0.3 < np.sqrt(np.mean(back[1000:-1000] ** 2)) * np.sqrt(2) < 0.7


def test_m4a_and_flac_are_read(tmp_path: Path) -> None:
    rate = 48000
    audio = tone(rate, rate)
    for name, codec in (("a.m4a", "aac"), ("a.flac", "flac")):
        encode_with_pyav(tmp_path / name, audio, rate, codec)
        back, back_rate = read_audio(tmp_path / name)
        assert back_rate == rate
        assert abs(peak_hz(back, rate) - 440) < 1.5


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_audio(tmp_path / "nope.wav")
    assert "not found" in str(info.value)
    assert "\n" not in str(info.value)


def test_non_audio_file_is_an_input_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.wav"
    junk.write_text("this is not audio\n" * 50)
    with pytest.raises(InputError) as info:
        read_audio(junk)
    assert "\n" not in str(info.value)


def test_video_without_audio_is_an_input_error(tmp_path: Path) -> None:
    from studio.media.encoder import Mp4Writer

    path = tmp_path / "silent.mp4"
    with Mp4Writer(path, 64, 64, Fraction(25), audio_channels=None) as out:
        out.write_video(np.zeros((64, 64, 3), np.uint8), 0)
    with pytest.raises(InputError, match="no audio"):
        read_audio(path)


def test_a_ten_hour_file_is_refused_from_its_header_before_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.media import audio

    path = tmp_path / "ten_hours.wav"
    long_silent_wav(path, 10 * 3600)
    assert audio.audio_duration(path) == pytest.approx(10 * 3600)

    def never(*args: object) -> None:
        raise AssertionError("decoded a file its header already refused")

    monkeypatch.setattr(audio, "_decode_mono", never)
    with pytest.raises(InputError) as info:
        read_audio(path)
    message = str(info.value)
    assert "is 10:00:00 long" in message and "at most 0:30:00" in message and "Split it" in message
    assert "\n" not in message and audio.MAX_AUDIO_SECONDS == 30 * 60


def test_a_file_whose_header_gives_no_length_is_counted_while_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from studio.media import audio

    path = tmp_path / "four_seconds.wav"
    write_wav(path, tone(4 * 8000, 8000), 8000)
    monkeypatch.setattr(audio, "_header_seconds", lambda container, stream: None)
    with pytest.raises(InputError, match="is longer than that; Studio reads at most 0:00:02"):
        read_audio(path, max_seconds=2)
    assert len(read_audio(path, max_seconds=4)[0]) == 4 * 8000


def test_streamed_audio_matches_the_file_block_by_block(tmp_path: Path) -> None:
    from studio.media.audio import stream_audio

    rate = 44100
    left = tone(3 * rate + 123, rate)
    write_wav(tmp_path / "s.wav", np.stack([left, np.zeros_like(left)], axis=1), rate)
    blocks = list(stream_audio(tmp_path / "s.wav", 48000, block_samples=10_000))
    assert all(len(b) == 10_000 for b in blocks[:-1]) and 0 < len(blocks[-1]) <= 10_000
    joined = np.concatenate(blocks)
    assert abs(len(joined) - round(len(left) * 48000 / rate)) <= 2  # nothing lost or repeated
    whole = resample(left / 2, rate, 48000)  # stereo averaged, as read_audio does
    middle = slice(2000, len(whole) - 2000)
    assert np.max(np.abs(joined[middle] - whole[middle])) < 0.01
    assert abs(peak_hz(joined, 48000) - 440) < 1.5


def test_streaming_refuses_what_reading_refuses(tmp_path: Path) -> None:
    from studio.media.audio import stream_audio

    with pytest.raises(InputError, match="not found"):
        stream_audio(tmp_path / "none.wav", 48000)
    with pytest.raises(InputError, match="is a device"):
        stream_audio(Path("/dev/zero"), 48000)
    junk = tmp_path / "notes.wav"
    junk.write_text("this is not audio\n" * 50)
    with pytest.raises(InputError, match="Cannot decode"):
        list(stream_audio(junk, 48000))
