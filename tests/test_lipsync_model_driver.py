"""From model weights to a mouth track: sharpening, per-video-frame pooling, closures kept."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.cli.main import main
from studio.lipsync.model_driver import ModelDriver, sharpen, video_frame_weights
from studio.lipsync.mouth import CLOSE, JAW, ROUND
from studio.lipsync.visemes import VISEMES
from studio.media.probe import ffprobe
from studio.resources import asset_path

V = {name: i for i, name in enumerate(VISEMES)}


def one_hot(names: list[str]) -> np.ndarray:
    out = np.zeros((len(names), len(VISEMES)), np.float32)
    out[np.arange(len(names)), [V[n] for n in names]] = 1.0
    return out


def test_sharpen_favours_the_likeliest_and_keeps_rows_normalised() -> None:
    w = np.array([[0.6, 0.4] + [0.0] * 13])
    s = sharpen(w, 2.0)
    np.testing.assert_allclose(s.sum(axis=1), 1.0)
    assert s[0, 0] == pytest.approx(0.36 / 0.52)


def test_video_frames_pool_the_model_frames_under_them() -> None:
    w = one_hot(["sil"] * 10 + ["aa"] * 10 + ["sil"] * 10)  # aa from 0.10 s to 0.20 s
    per = video_frame_weights(w, Fraction(10), 3)  # video frames of 0.1 s
    assert per[0].argmax() == V["sil"] and per[1].argmax() == V["aa"] and per[2].argmax() == V["sil"]
    np.testing.assert_allclose(per.sum(axis=1), 1.0)
    # Past the audio, frames hold the last state instead of inventing one.
    assert video_frame_weights(w, Fraction(10), 5)[4].argmax() == V["sil"]


def test_a_brief_confident_closure_is_shown_shut() -> None:
    # 20 ms of PP between vowels: shorter than a 33 ms video frame.
    names = ["aa"] * 20 + ["PP"] * 2 + ["aa"] * 20
    track = ModelDriver(model=None).track(one_hot(names), Fraction(30), 13)
    assert track.values[:, CLOSE].max() >= 0.95
    assert track.values[:3, JAW].min() > 0.4  # open on the vowel either side
    assert track.values[-3:, JAW].min() > 0.4


def test_rounded_vowels_round_the_lips() -> None:
    names = ["sil"] * 10 + ["ou"] * 30 + ["ih"] * 30
    track = ModelDriver(model=None).track(one_hot(names), Fraction(25), 17)
    assert track.values[6, ROUND] > 0.8  # inside "ou"
    assert track.values[14, ROUND] < 0.2  # inside "ih"


def test_render_from_an_audio_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.mp4"
    wav = asset_path("lipsync_eval", "piper-joe", "005.wav")
    rc = main(["render", "--avatar", "demo", "--audio", str(wav), "--size", "320x180", "--out", str(out)])
    assert rc == 0, capsys.readouterr().err
    info = ffprobe(out)
    from studio.media.audio import read_audio

    audio, rate = read_audio(wav)
    assert abs(float(info["format"]["duration"]) - len(audio) / rate) < 0.1
    assert "file:005.wav" in info["format"]["tags"].get("voice", "")
    assert "lip sync: model on CPUExecutionProvider" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--lipsync", "phonemes"], "phoneme timings"),
        (["--voice", "espeak:en"], "--voice"),
    ],
)
def test_render_audio_refuses_options_that_need_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    wav = asset_path("lipsync_eval", "piper-joe", "005.wav")
    out = tmp_path / "a.mp4"
    rc = main(["render", "--avatar", "demo", "--audio", str(wav), "--out", str(out), *extra])
    assert rc == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("fps", [Fraction(30), Fraction(30000, 1001), Fraction(25), Fraction(60)])
def test_pooling_equals_the_plain_weighted_mean_over_all_model_frames(fps: Fraction) -> None:
    weights = np.random.default_rng(3).dirichlet(np.ones(len(VISEMES)), size=300)
    frames = 95  # a few frames past the audio's end, too
    centres = (np.arange(frames) + 0.5) / float(fps) / 0.01 - 0.5
    half = 0.5 / float(fps) / 0.01 + 1.0
    taps = np.clip(half - np.abs(np.arange(300)[None, :] - centres[:, None]), 0.0, 1.0)
    inside = taps.sum(axis=1) > 0
    expected = (taps[inside] @ weights) / taps[inside].sum(axis=1, keepdims=True)
    got = video_frame_weights(weights, fps, frames)
    np.testing.assert_allclose(got[inside], expected, atol=1e-12)
    np.testing.assert_allclose(got[~inside], np.repeat(weights[-1:], (~inside).sum(), axis=0))


@pytest.mark.parametrize("fps", [Fraction(30), Fraction(30000, 1001), Fraction(120)])
def test_a_closure_shuts_the_video_frame_its_centre_falls_in(fps: Fraction) -> None:
    for k in range(5, 295, 7):  # one 10 ms PP frame among vowels, at many phases
        names = ["aa"] * 300
        names[k] = "PP"
        track = ModelDriver(model=None, max_speed=1e9).track(one_hot(names), fps, int(3 * fps))
        expected = int((k + 0.5) / 100 * fps)
        assert int(np.argmax(track.values[:, CLOSE])) == expected, (k, fps)


def test_provider_without_the_model_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.mp4"
    rc = main(["render", "--avatar", "demo", "--text", "Hi.", "--provider", "cpu", "--out", str(out)])
    assert rc == 2
    assert "--lipsync model" in capsys.readouterr().err
    assert not out.exists()
