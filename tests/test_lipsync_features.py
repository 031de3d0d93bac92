"""The shared log-mel front end: framing, the mel scale, and streaming equal to offline."""

from __future__ import annotations

import numpy as np
import pytest

from studio.lipsync import features as F
from studio.voice.espeak_lib import synth_with_events


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    synth = synth_with_events("Sales start at nine. Shop now!", "en-us")
    return F.to_model_rate(synth.audio, synth.sample_rate)


def test_frame_count_and_centres() -> None:
    assert [F.num_frames(n) for n in (0, 1, 160, 161, 16000)] == [0, 1, 1, 2, 100]
    assert F.log_mel(np.zeros(0)).shape == (0, F.N_MELS)
    assert F.log_mel(np.zeros(16001)).shape == (101, F.N_MELS)
    np.testing.assert_allclose(F.frame_centres(3), [0.005, 0.015, 0.025])


def test_silence_is_the_floor_everywhere() -> None:
    feats = F.log_mel(np.zeros(8000, np.float32))
    np.testing.assert_allclose(feats, F.SILENCE, atol=1e-5)


def test_a_tone_lands_in_the_mel_bin_of_its_frequency() -> None:
    t = np.arange(16000) / F.SAMPLE_RATE
    bank = F.mel_filterbank()
    for freq in (300.0, 1000.0, 4000.0):
        feats = F.log_mel(0.5 * np.sin(2 * np.pi * freq * t))
        peak = int(np.argmax(feats[50]))
        fft_bin = int(round(freq * F.N_FFT / F.SAMPLE_RATE))
        assert bank[fft_bin, peak] > 0.4, (freq, peak)
        assert feats[50, peak] - np.median(feats[50]) > 20  # a clear, narrow peak


def test_a_click_shows_in_the_frames_whose_window_holds_it() -> None:
    audio = np.zeros(16000, np.float32)
    click = 5010  # frame 31 spans [4960, 5120)
    audio[click] = 1.0
    energy = F.log_mel(audio).max(axis=1)
    loud = np.flatnonzero(energy > F.SILENCE + 1)
    # windows [i*160-120, i*160+280) contain sample 5010 for i in 30..32
    assert loud.tolist() == [30, 31, 32]


def test_louder_audio_shifts_features_by_the_gain_in_log_power(speech: np.ndarray) -> None:
    quiet, loud = F.log_mel(speech * 0.1), F.log_mel(speech)
    speaking = loud.max(axis=1) > 0
    np.testing.assert_allclose((loud - quiet)[speaking].mean(), 2 * np.log(10), atol=0.05)


@pytest.mark.parametrize("chunk", [1, 37, 160, 441, 3000])
def test_streaming_equals_offline(speech: np.ndarray, chunk: int) -> None:
    clip = speech[: 16000 + 77]
    stream = F.LogMelStream()
    pieces = [stream.push(clip[i : i + chunk]) for i in range(0, len(clip), chunk)]
    pieces.append(stream.flush())
    streamed = np.concatenate(pieces)
    offline = F.log_mel(clip)
    assert streamed.shape == offline.shape
    np.testing.assert_allclose(streamed, offline, atol=1e-4)


def test_stream_returns_a_frame_once_its_window_is_complete() -> None:
    stream = F.LogMelStream()
    assert len(stream.push(np.zeros(F.WINDOW_AFTER - 1))) == 0
    assert len(stream.push(np.zeros(1))) == 1  # frame 0 needs samples up to 280
    assert len(stream.push(np.zeros(F.HOP))) == 1
    assert stream.frames_emitted == 2
    assert len(stream.flush()) == F.num_frames(F.WINDOW_AFTER + F.HOP) - 2
    assert stream.frames_emitted == 0  # reset for the next utterance


def test_resampling_to_the_model_rate_keeps_duration() -> None:
    audio = np.zeros((44100, 2), np.float32)
    assert F.to_model_rate(audio, 44100).shape == (16000,)
