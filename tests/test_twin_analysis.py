"""The twin's analysis on real footage: usable frames, the calibrated mouth, and the refusals."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.errors import FaceError, InputError
from studio.face.landmarker import FaceLandmarker
from studio.lipsync.mouth import CLOSE, JAW
from studio.lipsync.visemes import VISEME_POSES
from studio.tasks import Cancelled, CancelToken, no_progress
from studio.twin.analysis import FootageAnalysis, Reject, analyse_footage
from studio.twin.footage import read_audio_16k
from studio.twin.mouth_features import (
    DRIVER_SPEECH,
    LIPS_APART,
    QUANTILES,
    SCALED,
    quantile_map,
    speaking_frames,
)
from tests.footage import footage
from tests.twin_footage_clips import cover_mouth, decoded, remade, side_by_side, trimmed, write_video


@pytest.fixture(scope="module")
def franck30(tmp_path_factory: pytest.TempPathFactory) -> FootageAnalysis:
    clip = trimmed(footage("franck.webm"), tmp_path_factory.mktemp("franck") / "franck30.webm", 30.0)
    seen: list[float] = []
    analysis = analyse_footage(clip, lambda f, _m: seen.append(f), CancelToken())
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    return analysis


def test_franck_is_mostly_usable(franck30: FootageAnalysis) -> None:
    a = franck30
    n = len(a.reject)
    assert n == 750 and a.times.shape == (n,) and a.times[1] == pytest.approx(0.04)
    assert a.landmarks.shape == (n, 478, 3) and a.blendshapes.shape == (n, 52) and a.mouth.shape == (n, 5)
    assert a.visemes.shape == (n, 0)  # franck is silent
    print(f"franck 30 s: {a.usable.mean():.1%} usable")
    assert a.usable.mean() > 0.8
    assert np.isfinite(a.mouth[a.usable]).all() and np.isnan(a.mouth[~a.usable]).all()
    assert np.isnan(a.landmarks[~a.usable]).all()


def test_the_mouth_is_calibrated_on_the_person(franck30: FootageAnalysis) -> None:
    mouth = franck30.mouth[franck30.usable]
    order = np.argsort(mouth[:, 0])
    closed = mouth[order[: len(order) // 5]]  # his most closed fifth
    rest = np.asarray(VISEME_POSES["sil"])
    assert np.abs(np.median(closed[:, 0]) - rest[0]) < 0.05  # jaw shut
    assert np.median(closed[:, 3]) >= 0.25  # lips together (sil's close is 0.3)
    widest = mouth[order[-max(3, len(order) // 100) :]]  # his widest hundredth
    assert np.median(widest[:, 0]) == pytest.approx(VISEME_POSES["aa"][0], abs=0.15)
    assert (mouth[:, 0] >= 0).all() and (mouth[:, 0] <= 1).all() and (np.abs(mouth[:, 1]) <= 1).all()


def test_a_silent_talker_is_on_the_drivers_scale(franck30: FootageAnalysis) -> None:
    """Franck is silent: with his lips apart his jaw reads what the drivers say for speech with
    the lips apart, and the more open the mouth the more open it reads."""
    usable = franck30.usable
    apart = usable & (franck30.mouth[:, CLOSE] < LIPS_APART)
    median = float(np.median(franck30.mouth[apart, JAW]))
    print(
        f"franck lips apart: {apart.sum()} frames, jaw median {median:.2f} (drivers' {DRIVER_SPEECH[7, 0]})"
    )
    assert median == pytest.approx(DRIVER_SPEECH[7, 0], abs=0.08)
    together = usable & (franck30.mouth[:, CLOSE] >= 0.25)
    assert np.median(franck30.mouth[together, JAW]) < 0.1


def test_the_reference_speech_is_what_the_drivers_say() -> None:
    """DRIVER_SPEECH measured again: the model driver on our own speech assets."""
    from studio.inference.lipsync_model import LipSyncModel
    from studio.lipsync.model_driver import ModelDriver
    from studio.media.audio import read_audio

    model, fps, values = LipSyncModel(), Fraction(30), []
    wavs = sorted(Path(__file__).parents[1].glob("assets/lipsync_eval/*/*.wav"))
    assert len(wavs) >= 30
    for wav in wavs:
        audio, rate = read_audio(wav)
        n = int(len(audio) * 30 // rate)
        track = ModelDriver(model).track(model.predict(audio, rate), fps, n).values
        values.append(track[speaking_frames(audio, rate, fps, n) & (track[:, CLOSE] < LIPS_APART)])
    measured = np.percentile(np.concatenate(values)[:, SCALED], QUANTILES, axis=0)
    assert np.abs(measured - DRIVER_SPEECH).max() < 0.02


def test_the_quantile_map_is_monotone_through_rest() -> None:
    rng = np.random.default_rng(3)
    source = rng.uniform(0.1, 0.8, 500)  # a person who opens wide when speaking
    target = np.percentile(rng.uniform(0.0, 0.75, 500) ** 1.5, QUANTILES)  # drivers who seldom do
    xp, fp = quantile_map(source, target, 0.0, 0.0)
    assert (np.diff(xp) > 0).all() and (np.diff(fp) >= 0).all()
    assert np.interp(0.0, xp, fp) == 0.0 and np.interp(1.0, xp, fp) == pytest.approx(target[-1])
    assert np.interp(np.median(source), xp, fp) == pytest.approx(np.median(target), abs=0.03)
    tied = quantile_map(np.zeros(100), target, 0.3, 0.3)  # a shape never made: one point
    assert np.interp(0.0, *tied) <= 0.3 and np.interp(0.5, *tied) == 0.3


@pytest.fixture(scope="module")
def test_movie() -> FootageAnalysis:
    return analyse_footage(footage("testMovie.mp4"), no_progress, CancelToken(), min_usable_s=5.0)


def test_a_speaking_mouth_reads_what_the_model_driver_says(test_movie: FootageAnalysis) -> None:
    """With his voice in the video, each mouth is calibrated on what ModelDriver says for that
    audio: over his speech the jaw has the driver's distribution and follows it frame by frame."""
    from studio.inference.lipsync_model import LipSyncModel
    from studio.lipsync.model_driver import ModelDriver

    a = test_movie
    audio = read_audio_16k(footage("testMovie.mp4"), a.info)
    assert audio is not None
    n = len(a.reject)
    driver = ModelDriver(None).track(LipSyncModel().predict(audio, 16000), a.info.fps, n).values
    speaking = a.usable & speaking_frames(audio, 16000, a.info.fps, n)
    ours, theirs = (np.percentile(m[speaking, 0], (25, 50, 75)) for m in (a.mouth, driver))
    r = float(np.corrcoef(a.mouth[a.usable, 0], driver[a.usable, 0])[0, 1])
    print(f"testMovie speech jaw quartiles {np.round(ours, 2)}, driver's {np.round(theirs, 2)}; r = {r:.2f}")
    assert np.abs(ours - theirs).max() < 0.05
    assert r > 0.4  # measured 0.55
    assert np.median(a.mouth[a.usable & ~speaking, 0]) < np.median(a.mouth[speaking, 0])


def test_the_jaw_follows_the_loudness_of_his_voice(test_movie: FootageAnalysis) -> None:
    clip = footage("testMovie.mp4")
    a = test_movie
    assert a.visemes.shape == (len(a.reject), 15)
    assert np.allclose(a.visemes.sum(axis=1), 1.0, atol=1e-3)
    audio = read_audio_16k(clip, a.info)
    assert audio is not None
    step = 16000 / float(a.info.fps)
    loud = np.array(
        [np.sqrt(np.mean(audio[int(i * step) : int((i + 1) * step)] ** 2)) for i in range(len(a.reject))]
    )
    ok = a.usable & np.isfinite(loud)
    r = float(np.corrcoef(a.mouth[ok, 0], loud[ok])[0, 1])
    print(f"testMovie: jaw vs loudness r = {r:.2f} at lag 0")
    assert r > 0.2  # measured 0.34


def test_a_covered_mouth_is_rejected(tmp_path: Path) -> None:
    frames = list(decoded(footage("franck.webm"), seconds=4.0))
    with FaceLandmarker(max_faces=1) as landmarker:
        for i in range(50, 75):  # 2 s to 3 s: his own skin over his mouth
            frames[i] = cover_mouth(frames[i], landmarker.detect(frames[i], search=False)[0].landmarks)
    clip = write_video(tmp_path / "covered.mp4", frames, fps=25)
    a = analyse_footage(clip, no_progress, CancelToken(), min_usable_s=1.0)
    covered = a.reject[50:75]
    print(f"covered frames rejected: {(covered == Reject.OCCLUDED).mean():.0%}")
    assert (covered == Reject.OCCLUDED).mean() >= 0.8
    assert (np.delete(a.reject, range(50, 75)) == Reject.USABLE).mean() > 0.9


def test_a_second_person_is_refused(tmp_path: Path) -> None:
    clip = side_by_side(footage("franck.webm"), footage("jwpIntro.mp4"), tmp_path / "two.mp4", seconds=3.0)
    with pytest.raises(FaceError, match="second person") as caught:
        analyse_footage(clip, no_progress, CancelToken())
    assert "\n" not in str(caught.value)


def test_a_dark_video_is_refused(tmp_path: Path) -> None:
    dark = remade(
        footage("franck.webm"), tmp_path / "dark.mp4", lambda rgb: (rgb * 0.2).astype(np.uint8), seconds=3.0
    )
    with pytest.raises(FaceError, match="too dark"):
        analyse_footage(dark, no_progress, CancelToken())


def test_ten_seconds_are_too_short(tmp_path: Path) -> None:
    clip = trimmed(footage("franck.webm"), tmp_path / "franck10.webm", 10.0)
    with pytest.raises(FaceError, match=r"only 1\d\.\d s .* at least 15 s|only [0-9]\.\d s .* at least 15 s"):
        analyse_footage(clip, no_progress, CancelToken())


def test_no_face_is_refused(tmp_path: Path) -> None:
    wall = remade(
        footage("franck.webm"), tmp_path / "wall.mp4", lambda rgb: rgb[:96, :96].copy(), seconds=2.0
    )
    with pytest.raises(FaceError, match="no face"):
        analyse_footage(wall, no_progress, CancelToken())


def test_audio_only_and_undecodable_files_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("not a video\n" * 100)
    with pytest.raises(InputError):
        analyse_footage(text, no_progress, CancelToken())


def test_cancel_stops_the_analysis(tmp_path: Path) -> None:
    token = CancelToken()

    def progress(fraction: float, _message: str) -> None:
        if fraction > 0.1:
            token.cancel()

    with pytest.raises(Cancelled):
        analyse_footage(footage("testMovie.mp4"), progress, token)
