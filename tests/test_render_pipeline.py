"""End to end on real data: demo avatar + offline voice -> MP4, and the ``studio render`` CLI."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.cli.main import main
from studio.face import topology as T
from studio.lipsync.visemes import VISEME_POSES
from studio.media.probe import ffprobe
from studio.pipeline.render_job import render_text
from studio.render.framing import frame_photo
from studio.render.photo_renderer import PhotoRenderer, RenderSettings
from studio.voice import Speech

W, H, FPS = 640, 360, 30
TEXT = "Hello, my name is Pam. Buy the bamboo mop, it's amazing!"
# Piper's joe, not the default voice (Kokoro's af_heart once fetched): the mouth test below
# measures the lip sync by the audio's loudness, which works only for a voice whose loudness
# follows the mouth. Kokoro's barely does: on this sentence its m/n/ng are as loud as its vowels
# (median -5.4 vs -5.3 dB, Piper -16.8 vs -10.0), and while it sounds, loudness and mouth do not
# correlate (r -0.07, Piper 0.49). Its whole-clip correlation is 0.28 (Piper 0.67) with no
# timing bias behind it: the best lag is within one frame, and its p/b and vowel timings fit
# the sound best shifted 5-20 ms earlier, Piper's 0-25 ms. Kokoro's timings are tested against
# its own sound in tests/test_voice_kokoro.py (pauses, p/b closures, in step with the sound).
VOICE = "piper:en_US-joe-medium"
LIPS_OUTER = np.array(T.LIPS_OUTER_UPPER + T.LIPS_OUTER_LOWER)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Avatar:
    return AvatarLibrary(tmp_path_factory.mktemp("lib")).load("demo")


@pytest.fixture(scope="module")
def settings() -> RenderSettings:
    return RenderSettings(width=W, height=H, fps=Fraction(FPS))


@pytest.fixture(scope="module")
def clip(
    tmp_path_factory: pytest.TempPathFactory, demo: Avatar, settings: RenderSettings
) -> tuple[Path, Speech]:
    out = tmp_path_factory.mktemp("render") / "clip.mp4"
    speech, times = render_text(demo, TEXT, out, settings, voice=VOICE)
    assert times.frames > 0 and out.is_file()
    return out, speech


@pytest.fixture(scope="module")
def decoded(clip: tuple[Path, Speech]) -> tuple[list[np.ndarray], np.ndarray, int]:
    path, _ = clip
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        rate = container.streams.audio[0].sample_rate
        audio = np.concatenate([f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)])
    return frames, audio.astype(np.float32), rate


def test_clip_is_h264_aac_at_the_requested_size_rate_and_length(clip: tuple[Path, Speech]) -> None:
    path, speech = clip
    info = ffprobe(path)
    video = [s for s in info["streams"] if s["codec_type"] == "video"]
    audio = [s for s in info["streams"] if s["codec_type"] == "audio"]
    assert len(video) == 1 and len(audio) == 1
    v, a = video[0], audio[0]
    assert v["codec_name"] == "h264" and a["codec_name"] == "aac"
    assert (v["width"], v["height"]) == (W, H)
    assert v["r_frame_rate"] == "30/1"
    assert 2.5 <= speech.duration <= 6.0
    assert abs(float(info["format"]["duration"]) - speech.duration) < 0.1
    assert abs(float(v["duration"]) - speech.duration) < 0.1
    assert abs(float(a["duration"]) - speech.duration) < 0.1
    # Audio is padded to the last frame's end: both streams stop together.
    assert float(v["duration"]) == pytest.approx(float(a["duration"]), abs=0.002)
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o644 & ~umask, "a finished video is as readable as any file"


def test_clip_metadata_marks_it_ai_generated(clip: tuple[Path, Speech]) -> None:
    from studio import GENERATOR

    path, speech = clip
    tags = {k.lower(): v for k, v in ffprobe(path)["format"].get("tags", {}).items()}
    assert tags.get("ai_generated") == "true"
    assert tags.get("generator") == GENERATOR
    assert tags.get("avatar") == "demo"
    assert tags.get("voice") == speech.voice_id


def test_clip_frames_carry_the_visible_label(
    decoded: tuple[list[np.ndarray], np.ndarray, int], demo: Avatar, settings: RenderSettings
) -> None:
    frames, _, _ = decoded
    renderer = PhotoRenderer(demo.image, demo.landmarks, settings)
    x0, y0, x1, y1 = renderer.label.box
    box = (slice(y0, y1), slice(x0, x1))
    # The dark, semi-transparent tile is visibly darker than the photo under it, in every frame.
    for frame in frames[:: max(1, len(frames) // 6)]:
        assert frame[box].mean() < renderer.canvas[box].mean() - 10


def test_mouth_motion_follows_the_speech(
    clip: tuple[Path, Speech],
    decoded: tuple[list[np.ndarray], np.ndarray, int],
    demo: Avatar,
    settings: RenderSettings,
) -> None:
    _, speech = clip
    frames, audio, rate = decoded
    assert abs(len(frames) - speech.duration * FPS) <= 2

    framing = frame_photo(demo.image, demo.landmarks, W, H)
    lips = framing.landmarks[LIPS_OUTER]
    (x0, y0), (x1, y1) = np.floor(lips.min(0)).astype(int) - 4, np.ceil(lips.max(0)).astype(int) + 5
    box = (slice(y0, y1), slice(x0, x1))

    # Reference: the same frame (same idle head pose and blink) with the mouth at rest, so what
    # remains of the difference is the mouth itself (plus codec noise).
    renderer = PhotoRenderer(demo.image, demo.landmarks, settings)
    rest = np.array(VISEME_POSES["sil"], np.float32)
    motion = np.array(
        [
            np.abs(f[box].astype(np.float64) - renderer.render(i, rest)[box].astype(np.float64)).mean()
            for i, f in enumerate(frames)
        ]
    )
    per_frame = rate / FPS
    envelope = np.array(
        [
            np.sqrt(np.mean(audio[int(i * per_frame) : int((i + 1) * per_frame)] ** 2))
            if int(i * per_frame) < len(audio)
            else 0.0
            for i in range(len(frames))
        ]
    )
    r = float(np.corrcoef(motion, envelope)[0, 1])
    assert r > 0.5, f"mouth motion / audio RMS correlation {r:.2f}"
    # In step, not just alike: the best match is at a lag of at most one frame either way.
    lags = range(-6, 7)
    scores = [float(np.corrcoef(np.roll(motion, -k)[6:-6], envelope[6:-6])[0, 1]) for k in lags]
    best = list(lags)[int(np.argmax(scores))]
    assert abs(best) <= 1, f"the mouth is {best} frames off the audio (scores {np.round(scores, 2)})"
    assert motion.max() > 20.0  # the mouth really opens

    # Silences: frames well inside a pause (and the last frame) show a closed mouth.
    closed_limit = 0.25 * motion.max()
    assert motion[-1] < closed_limit
    assert speech.phonemes
    quiet = []
    for p in speech.phonemes:
        if p.phoneme == "" and p.end - p.start >= 0.2:
            quiet += [i for i in range(len(frames)) if p.start + 0.08 <= i / FPS and (i + 1) / FPS <= p.end]
    assert quiet, "the script's pauses should give some silent frames"
    assert motion[quiet].max() < closed_limit, motion[quiet]
    assert np.median(motion[envelope > 0.5 * envelope.max()]) > 3 * np.median(motion[quiet])


# -- CLI ----------------------------------------------------------------------------------------


def test_cli_render_writes_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.mp4"
    rc = main(["render", "--avatar", "demo", "--text", "Hi there.", "--size", "320x180", "--out", str(out)])
    assert rc == 0
    assert out.is_file() and out.stat().st_size > 0
    assert str(out) in capsys.readouterr().out
    info = ffprobe(out)
    v = next(s for s in info["streams"] if s["codec_type"] == "video")
    assert (v["width"], v["height"]) == (320, 180)
    assert not [p for p in tmp_path.iterdir() if ".partial" in p.name]


@pytest.mark.parametrize(
    ("extra", "out_name"),
    [
        pytest.param(["--text", "Hi.", "--size", "13x7"], "x.mp4", id="tiny-odd-size"),
        pytest.param(["--text", "Hi.", "--fps", "0"], "x.mp4", id="fps-0"),
        pytest.param(["--text", "Hi."], "x.avi", id="not-mp4"),
        pytest.param(["--text", ""], "x.mp4", id="empty-text"),
        pytest.param(["--text", "   \n "], "x.mp4", id="blank-text"),
        pytest.param(["--script", "{tmp}/missing.txt"], "x.mp4", id="missing-script"),
        pytest.param(
            ["--text", "Hi.", "--library", "{tmp}/lib", "--avatar", "nobody"], "x.mp4", id="unknown"
        ),
    ],
)
def test_cli_bad_input_fails_with_one_line_and_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], out_name: str
) -> None:
    out = tmp_path / "out" / out_name
    args = ["render", "--avatar", "demo", "--size", "320x180", "--out", str(out)]
    args += [a.replace("{tmp}", str(tmp_path)) for a in extra]  # a later --avatar/--size wins
    rc = main(args)
    captured = capsys.readouterr()
    assert rc == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("studio: error: ")
    assert "Traceback" not in captured.err
    assert not out.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_cli_interrupt_mid_render_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    original = PhotoRenderer.render
    seen: list[int] = []

    def render(self: PhotoRenderer, frame_index: int, mouth: np.ndarray, idle: object = None) -> np.ndarray:
        seen.append(frame_index)
        if frame_index == 5:
            raise KeyboardInterrupt
        return original(self, frame_index, mouth, idle)  # type: ignore[arg-type]

    monkeypatch.setattr(PhotoRenderer, "render", render)
    out = tmp_path / "x.mp4"
    rc = main(["render", "--avatar", "demo", "--text", "Hi there.", "--size", "320x180", "--out", str(out)])
    assert rc == 130
    assert 5 in seen
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no *.partial* (hidden) leftovers either
    assert "interrupted" in capsys.readouterr().err


def test_cli_error_mid_render_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = PhotoRenderer.render

    def render(self: PhotoRenderer, frame_index: int, mouth: np.ndarray, idle: object = None) -> np.ndarray:
        if frame_index == 5:
            raise RuntimeError("renderer crashed")
        return original(self, frame_index, mouth, idle)  # type: ignore[arg-type]

    monkeypatch.setattr(PhotoRenderer, "render", render)
    out = tmp_path / "x.mp4"
    with pytest.raises(RuntimeError, match="renderer crashed"):
        main(["render", "--avatar", "demo", "--text", "Hi there.", "--size", "320x180", "--out", str(out)])
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == []


def test_cli_output_folder_that_cannot_hold_the_file_is_refused_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder is expected\n", encoding="utf-8")
    spoke = []
    monkeypatch.setattr("studio.pipeline.render_job.synthesize", lambda *a, **k: spoke.append(a))
    rc = main(["render", "--avatar", "demo", "--text", "Hi.", "--out", str(blocker / "x.mp4")])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "is a file" in err, err
    assert spoke == [], "the script must not be spoken before the output is known to be writable"
