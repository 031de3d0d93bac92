"""Real pictures, videos and speech for the capture tests (``pytest_plugins = ["capture_fixtures"]``).

``demo_video`` is Studio's own render of the demo avatar saying a line at 640x480, made once
per session: the camera fake plays it. The other videos are written frame by frame from the
astronaut portrait with PyAV. ``consent_speech`` is the offline eSpeak voice reading a line.

Test modules also import its helpers, before pytest loads it as a plugin; it holds no asserts,
so it is marked PYTEST_DONT_REWRITE (pytest would otherwise warn that it cannot rewrite it).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from avatar_photos import astronaut
from PIL import Image, ImageFilter

from studio.avatar.library import AvatarLibrary
from studio.pipeline.render_job import render_text
from studio.render.photo_renderer import RenderSettings
from studio.voice.registry import resolve

DEMO_SIZE = (640, 480)
VOICE = "espeak:en-us"


def darkened(image: np.ndarray, gain: float = 0.3) -> np.ndarray:
    return (image.astype(np.float32) * gain).astype(np.uint8)


def brightened(image: np.ndarray, offset: float = 120.0) -> np.ndarray:
    return np.clip(image.astype(np.float32) + offset, 0, 255).astype(np.uint8)


def blurred(image: np.ndarray, radius: float = 2.0) -> np.ndarray:
    return np.asarray(Image.fromarray(image).filter(ImageFilter.GaussianBlur(radius)))


def off_centre(image: np.ndarray) -> np.ndarray:
    # The astronaut's face (x 181-270 of 512) ends up at ~21 % of the width.
    return np.ascontiguousarray(image[:, 150:])


def small_in_frame(image: np.ndarray) -> np.ndarray:
    # Half size on a grey canvas, still centred: a ~54 px face (the minimum is 80 px).
    half = Image.fromarray(image).resize((256, 256), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (356, 356), (128, 128, 128))
    canvas.paste(half, (50, 50))
    return np.asarray(canvas)


def on_canvas(image: np.ndarray, size: tuple[int, int] = DEMO_SIZE) -> np.ndarray:
    """``image`` centred on a grey canvas of ``size`` (width, height)."""
    width, height = size
    canvas = np.full((height, width, 3), 128, np.uint8)
    h, w = image.shape[:2]
    y, x = (height - h) // 2, (width - w) // 2
    canvas[y : y + h, x : x + w] = image
    return canvas


def write_video(path: Path, frames: Iterable[np.ndarray], fps: int = 10) -> Path:
    """An H.264 MP4 of RGB frames (even sizes), keyframe every second."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.pix_fmt = "yuv420p"
        stream.options = {"g": str(fps), "crf": "18", "preset": "ultrafast"}
        for i, rgb in enumerate(frames):
            if i == 0:
                stream.height, stream.width = rgb.shape[:2]
            for packet in stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="session")
def demo_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = AvatarLibrary(tmp_path_factory.mktemp("capture_lib")).load("demo")
    out = tmp_path_factory.mktemp("capture_video") / "demo_hello.mp4"
    width, height = DEMO_SIZE
    render_text(demo, "Hello there.", out, RenderSettings(width, height, Fraction(30)), voice=VOICE)
    return out


@pytest.fixture(scope="session")
def demo_frames(demo_video: Path) -> list[np.ndarray]:
    with av.open(str(demo_video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


@pytest.fixture(scope="session")
def small_face_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 s of the astronaut too small to animate."""
    frame = on_canvas(small_in_frame(astronaut()), (512, 384))
    return write_video(tmp_path_factory.mktemp("capture_video") / "far_away.mp4", [frame] * 30)


@pytest.fixture(scope="session")
def late_face_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 s at 5 fps: 12 s of a blurred astronaut, then 8 s of the sharp one, so the best
    frame is found only by sampling (and seeking) into the second part."""
    sharp = on_canvas(astronaut(), (640, 512))
    soft = blurred(sharp, 3.0)
    frames = [soft] * 60 + [sharp] * 40
    return write_video(tmp_path_factory.mktemp("capture_video") / "late.mp4", frames, fps=5)


@pytest.fixture(scope="session")
def consent_speech() -> tuple[np.ndarray, int]:
    """eSpeak reading a short consent line: (mono float32, sample rate)."""
    engine, voice = resolve(VOICE)
    speech = engine.synthesize("I, Ana Lima, consent to Studio making my digital twin.", voice)
    return np.asarray(speech.audio, np.float32), speech.sample_rate
