"""The live microphone: streamed sound drives the mouth like the offline model does."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.inference.lipsync_model import LipSyncModel
from studio.lipsync.model_driver import ModelDriver
from studio.lipsync.mouth import JAW
from studio.lipsync.stream_poser import last_model_frame, video_frame_of
from studio.live.mic_source import Decimator, MicSource
from studio.media.audio import read_audio, resample
from studio.media.clock import frame_start_sample
from studio.outputs.base import StreamFormat

EVAL = Path(__file__).resolve().parents[1] / "assets" / "lipsync_eval" / "piper-joe"


@pytest.fixture(scope="module")
def model() -> LipSyncModel:
    return LipSyncModel(provider="cpu")


@pytest.fixture(scope="module")
def speech48k() -> np.ndarray:
    parts = [read_audio(p)[0] for p in sorted(EVAL.glob("*.wav"))[:3]]
    return resample(np.concatenate(parts), 16000, 48000)


@pytest.mark.parametrize("fps", [Fraction(30), Fraction(30000, 1001), Fraction(25), Fraction(60)])
def test_model_frames_belong_to_the_video_frame_their_centre_falls_in(fps: Fraction) -> None:
    for i in range(500):
        last = last_model_frame(i, fps)
        assert video_frame_of(last + 1, fps) > i
        assert last < 0 or video_frame_of(last, fps) <= i


def test_decimation_is_the_same_in_any_chunks_and_keeps_speech_not_aliases() -> None:
    t = np.arange(48_000) / 48_000
    tone = (np.sin(2 * np.pi * 1000 * t) + np.sin(2 * np.pi * 11_000 * t)).astype(np.float32)
    whole = Decimator(3).push(tone)
    d = Decimator(3)
    cuts = [0, 1, 7, 480, 481, 5000, 23_999, 48_000]
    parts = np.concatenate([d.push(tone[a:b]) for a, b in zip(cuts, cuts[1:], strict=False)])
    np.testing.assert_allclose(parts, whole, atol=1e-6)
    assert len(whole) == 16_000
    spectrum = np.abs(np.fft.rfft(whole[1000:]))
    freqs = np.fft.rfftfreq(len(whole) - 1000, 1 / 16_000)
    at = lambda f: spectrum[np.argmin(np.abs(freqs - f))]  # noqa: E731
    # 11 kHz would fold to 5 kHz at 16 kHz: it must be gone, 1 kHz kept.
    assert at(5000) < 0.01 * at(1000)


def test_the_microphone_drives_the_mouth_like_the_offline_model(
    model: LipSyncModel, speech48k: np.ndarray
) -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    source = MicSource(fmt, model.stream, model.info.lookahead_ms / 1000)
    # Latency budget: one frame, the model's look-ahead, and the render budget; under 150 ms.
    assert source.delay_samples / 48_000 < 0.150
    assert source.frame(0, timeout=0.0) is None  # nothing heard yet
    frames, block, t0 = [], 480, 1000.0
    for start in range(0, len(speech48k) - block, block):
        source.feed(speech48k[start : start + block], t0 + start / 48_000)
        while (content := source.frame(len(frames), 0.0)) is not None:
            frames.append(content)
    n = len(frames)
    assert n > 0.95 * len(speech48k) / 1600
    audio = np.concatenate([f.audio for f in frames])
    np.testing.assert_array_equal(audio, speech48k[: len(audio)])  # the voice goes out untouched
    assert [f.pts for f in frames] == [frame_start_sample(i, 48_000, fmt.fps) for i in range(n)]
    assert frames[90].captured_at == pytest.approx(t0 + 3.0)
    live = np.array([f.mouth[JAW] for f in frames])
    offline = ModelDriver(model).track(model.predict(speech48k, 48_000), fmt.fps, n).values[:, JAW]
    assert live.std() > 0.1  # the mouth moves
    assert np.corrcoef(live, offline)[0, 1] > 0.9
    assert np.abs(live - offline).mean() < 0.05


def test_a_microphone_that_goes_quiet_leaves_the_show_idling_then_drives_it_again(
    model: LipSyncModel, speech48k: np.ndarray
) -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    now = [0.0]
    source = MicSource(fmt, model.stream, model.info.lookahead_ms / 1000, time_fn=lambda: now[0])
    frames: list = []

    def play(audio: np.ndarray) -> None:
        for first in range(0, len(audio) - 480 + 1, 480):
            now[0] += 0.01
            source.feed(audio[first : first + 480], now[0])
            while (content := source.frame(len(frames), 0.0)) is not None:
                frames.append(content)

    play(speech48k[: 2 * 48_000])
    heard = len(frames)
    assert source.frame(heard, 0.0) is None  # waiting for sound, not yet stalled
    now[0] += 0.6  # unplugged: nothing for 600 ms
    idle = [source.frame(heard + k, 0.0) for k in range(30)]
    assert all(f is not None and f.label == "microphone (no sound)" and not f.audio.any() for f in idle)
    assert all((f.mouth == 0).all() for f in idle if f is not None) and source.stalls == 1
    position, _ = source.position()
    now[0] += 1.0
    assert source.position()[0] - position == 48_000  # the clock runs on while it is quiet
    frames += idle
    resumed_at = len(frames)
    play(speech48k[2 * 48_000 : 5 * 48_000])
    back = frames[resumed_at:]
    assert back and back[0].label == "microphone" and back[0].index == resumed_at
    assert [f.pts for f in frames] == [frame_start_sample(i, 48_000, fmt.fps) for i in range(len(frames))]
    # The returning sound starts exactly on the frame after the idle ones, and moves the mouth.
    audio = np.concatenate([f.audio for f in back])
    np.testing.assert_array_equal(audio, speech48k[2 * 48_000 : 2 * 48_000 + len(audio)])
    assert np.array([f.mouth[JAW] for f in back]).std() > 0.1


def test_sound_that_returns_under_frames_already_planned_idle_is_dropped_and_time_runs_on(
    model: LipSyncModel, speech48k: np.ndarray
) -> None:
    fmt = StreamFormat(64, 64, Fraction(30))
    now = [0.0]
    source = MicSource(fmt, model.stream, model.info.lookahead_ms / 1000, time_fn=lambda: now[0])
    for first in range(0, 48_000, 480):
        now[0] += 0.01
        source.feed(speech48k[first : first + 480], now[0])
    frames = []
    while (content := source.frame(len(frames), 0.0)) is not None:
        frames.append(content)
    now[0] += 0.6  # quiet: stalled
    frames += [source.frame(len(frames) + k, 0.0) for k in range(20)]  # planned ahead, idle
    idle_end = len(frames)
    before = source.position()[0]
    now[0] += 0.1
    returning = speech48k[48_000 : 3 * 48_000]
    source.feed(returning[:480], now[0])
    assert source.frame(len(frames), 0.0) is None  # takes the sound in; its frame needs more
    # No jump: the returning sound's first sample sits where the clock had got to...
    assert source.position()[0] - before == pytest.approx(0.1 * 48_000 + 480, abs=1)
    for first in range(480, len(returning) - 480, 480):
        now[0] += 0.01
        source.feed(returning[first : first + 480], now[0])
        while (content := source.frame(len(frames), 0.0)) is not None:
            frames.append(content)
    # ...and what it said under the idle frames already planned is dropped, not replayed late.
    resumed = frames[idle_end]
    assert resumed is not None and resumed.label == "microphone" and resumed.index == idle_end
    dropped = resumed.pts - (before + int(0.1 * 48_000))
    assert dropped > 0
    audio = np.concatenate([f.audio for f in frames if f is not None and f.index >= resumed.index])
    np.testing.assert_array_equal(audio, returning[dropped : dropped + len(audio)])
