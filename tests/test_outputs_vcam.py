"""The virtual camera output, through pyvirtualcam's real Camera with a recording backend.

The backend is where pyvirtualcam would hand the frame to OBS or v4l2loopback: the one
place a fake stands in.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import pyvirtualcam
from alsa_device import REPO

from studio.outputs.base import AudioChunk, OutputError, StreamFormat, VideoFrame
from studio.outputs.vcam import (
    LINUX_SETUP,
    VirtualCameraOutput,
    fit_image,
    no_camera_error,
    resolve_linux_device,
    virtual_camera_fix,
)

FMT = StreamFormat(width=32, height=24, fps=Fraction(30))
SETUP_SCRIPT = REPO / "installers" / "linux" / "setup-virtual-camera.sh"


class RecordingBackend:
    """Keeps every frame pyvirtualcam sends; ``gate`` (when set up) holds a send to make it slow."""

    instances: list[RecordingBackend] = []
    gate: threading.Event | None = None

    def __init__(
        self, *, width: int, height: int, fps: float, fourcc: int, device: str | None, **kw: Any
    ) -> None:
        self.args: dict[str, Any] = dict(width=width, height=height, fps=fps, fourcc=fourcc, device=device)
        self.frames: list[np.ndarray] = []
        self.sending = threading.Event()
        self.arrived = threading.Condition()
        self.closed = False
        RecordingBackend.instances.append(self)

    def send(self, frame: np.ndarray) -> None:
        self.sending.set()
        if RecordingBackend.gate is not None:
            RecordingBackend.gate.wait(5)
        with self.arrived:
            self.frames.append(frame.copy())
            self.arrived.notify_all()

    def wait_for(self, count: int) -> None:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.frames) >= count, timeout=5)

    def close(self) -> None:
        self.closed = True

    def device(self) -> str:
        return str(self.args["device"] or "recording")

    def native_fourcc(self) -> int | None:
        return None


class BrokenBackend:
    def __init__(self, **kw: Any) -> None:
        raise RuntimeError("OBS Virtual Camera is not installed")


@pytest.fixture
def backend() -> Iterator[type[RecordingBackend]]:
    RecordingBackend.instances = []
    RecordingBackend.gate = None
    pyvirtualcam.register_backend("studio-recording", RecordingBackend)
    pyvirtualcam.register_backend("studio-broken", BrokenBackend)
    yield RecordingBackend
    RecordingBackend.gate = None
    for name in ("studio-recording", "studio-broken"):
        pyvirtualcam.camera.BACKENDS.pop(name, None)


def _frame(index: int, fmt: StreamFormat = FMT) -> VideoFrame:
    rng = np.random.default_rng(index)
    image = rng.integers(0, 256, (fmt.height, fmt.width, 3), dtype=np.uint8)
    return VideoFrame(index=index, pts=index * 1600, image=image)


def _as_image(sent: np.ndarray, fmt: StreamFormat = FMT) -> np.ndarray:
    return sent.reshape(fmt.height, fmt.width, 3)


def test_frames_reach_the_camera_unchanged_and_in_order(backend: type[RecordingBackend]) -> None:
    out = VirtualCameraOutput(backend="studio-recording")
    out.start(FMT)
    camera = backend.instances[0]
    frames = [_frame(i) for i in range(5)]
    for i, frame in enumerate(frames):
        out.send_video(frame)
        camera.wait_for(i + 1)
    out.send_audio(AudioChunk(0, np.ones(1600, np.float32)))  # a camera has no use for it
    stats = out.close()
    assert camera.args["width"] == FMT.width and camera.args["height"] == FMT.height
    assert camera.args["fps"] == 30.0
    assert camera.args["fourcc"] == pyvirtualcam.util.encode_fourcc(pyvirtualcam.PixelFormat.RGB.value)
    assert len(camera.frames) == 5
    for sent, frame in zip(camera.frames, frames, strict=True):
        np.testing.assert_array_equal(_as_image(sent), frame.image)
    assert (stats.frames, stats.dropped, stats.audio_chunks, stats.errors) == (5, 0, 0, 0)
    assert stats.state == "closed" and camera.closed


def test_a_slow_camera_gets_the_latest_frame_and_never_holds_up_the_engine(
    backend: type[RecordingBackend],
) -> None:
    backend.gate = threading.Event()
    out = VirtualCameraOutput(backend="studio-recording")
    out.start(FMT)
    camera = backend.instances[0]
    frames = [_frame(i) for i in range(10)]
    out.send_video(frames[0])
    assert camera.sending.wait(5)  # frame 0 is now stuck in the camera
    started = time.monotonic()
    for frame in frames[1:]:
        out.send_video(frame)
    engine_time = time.monotonic() - started
    backend.gate.set()
    camera.wait_for(2)
    stats = out.close()
    # Nine sends while the camera is stuck until the gate opens: a send that waited would never
    # have returned; the bound (10x a frame's 33 ms) only catches a stall.
    assert engine_time < 0.5
    assert len(camera.frames) == 2
    np.testing.assert_array_equal(_as_image(camera.frames[0]), frames[0].image)
    np.testing.assert_array_equal(_as_image(camera.frames[1]), frames[9].image)
    assert (stats.frames, stats.dropped) == (2, 8)


def test_frames_of_another_size_or_layout_are_fitted_to_the_camera(backend: type[RecordingBackend]) -> None:
    out = VirtualCameraOutput(backend="studio-recording")
    out.start(FMT)
    camera = backend.instances[0]
    mirrored = _frame(1).image[:, ::-1]  # a view, not C-contiguous
    out.send_video(VideoFrame(1, 0, mirrored))
    camera.wait_for(1)
    double = np.repeat(np.repeat(_frame(2).image, 2, axis=0), 2, axis=1)  # 64x48
    out.send_video(VideoFrame(2, 0, double))
    camera.wait_for(2)
    stats = out.close()
    np.testing.assert_array_equal(_as_image(camera.frames[0]), mirrored)
    np.testing.assert_array_equal(_as_image(camera.frames[1]), _frame(2).image)
    assert stats.errors == 0


def test_fit_image() -> None:
    image = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    np.testing.assert_array_equal(fit_image(image, 6, 4), image)
    np.testing.assert_array_equal(fit_image(image, 3, 2), image[::2, ::2])
    gray = np.full((2, 3), 7, np.uint8)
    np.testing.assert_array_equal(fit_image(gray, 3, 2), np.full((2, 3, 3), 7, np.uint8))
    assert fit_image(image[:, ::-1], 6, 4).flags.c_contiguous


def test_no_virtual_camera_is_an_error_with_pyvirtualcams_reason_and_the_fix(
    backend: type[RecordingBackend],
) -> None:
    out = VirtualCameraOutput(backend="studio-broken")
    with pytest.raises(OutputError) as exc:
        out.start(FMT)
    assert "'studio-broken' backend: OBS Virtual Camera is not installed" in exc.value.problem
    assert exc.value.hint == virtual_camera_fix(platform.system())
    assert out.close().frames == 0


def test_an_unknown_backend_names_the_ones_there_are(backend: type[RecordingBackend]) -> None:
    with pytest.raises(OutputError, match="Unknown virtual camera backend 'obs-nope'") as exc:
        VirtualCameraOutput(backend="obs-nope").start(FMT)
    assert "studio-recording" in exc.value.problem


def test_the_fix_says_what_to_install_on_each_system() -> None:
    windows, mac, linux = (virtual_camera_fix(s) for s in ("Windows", "Darwin", "Linux"))
    assert "OBS Studio 26" in windows and "Start Virtual Camera" in windows and "Unity Capture" in windows
    assert "OBS Studio 30" in mac and "Start Virtual Camera" in mac and "camera extension" in mac
    assert "Unity" not in mac
    assert linux == f"Create one with: {LINUX_SETUP}"
    assert LINUX_SETUP == "sudo bash installers/linux/setup-virtual-camera.sh"


def test_every_backends_error_is_kept_on_one_line() -> None:
    error = no_camera_error("'obs' backend: not installed\n'unitycapture' backend: not registered", "Windows")
    assert error.problem == (
        "No virtual camera could be opened "
        "('obs' backend: not installed; 'unitycapture' backend: not registered)."
    )
    assert "\n" not in str(error) and "OBS Studio 26" in str(error)


# -- Linux: a camera label becomes the /dev/videoN path pyvirtualcam needs -----------------------


def _sysfs(root: Path, nodes: dict[str, str]) -> Path:
    for node, label in nodes.items():
        (root / node).mkdir(parents=True)
        (root / node / "name").write_text(label + "\n")
    return root


def test_resolve_a_label_a_path_or_a_node_name(tmp_path: Path) -> None:
    sysfs = _sysfs(
        tmp_path,
        {
            "video0": "Integrated Camera",
            "video2": "OBS Virtual Camera",
            "video10": "Studio Camera",
            "video11": "x",
        },
    )
    assert resolve_linux_device("Studio Camera", sysfs) == "/dev/video10"
    assert resolve_linux_device("studio camera ", sysfs) == "/dev/video10"
    assert resolve_linux_device("obs", sysfs) == "/dev/video2"
    assert resolve_linux_device("camera", sysfs) == "/dev/video0"  # lowest node when several fit
    assert resolve_linux_device("/dev/video5", sysfs) == "/dev/video5"
    assert resolve_linux_device("video3", sysfs) == "/dev/video3"
    assert resolve_linux_device(None, sysfs) == "/dev/video10"  # the setup script's camera
    with pytest.raises(OutputError, match="No video device is called 'Zoom Cam'") as exc:
        resolve_linux_device("Zoom Cam", sysfs)
    assert "/dev/video2 'OBS Virtual Camera'" in exc.value.problem
    assert LINUX_SETUP in exc.value.hint


def test_without_a_studio_camera_pyvirtualcam_chooses(tmp_path: Path) -> None:
    assert resolve_linux_device(None, _sysfs(tmp_path, {"video0": "Integrated Camera"})) is None
    assert resolve_linux_device(None, tmp_path / "missing") is None
    with pytest.raises(OutputError, match=r"\(video devices: none\)") as exc:
        resolve_linux_device("Studio Camera", tmp_path / "missing")
    assert exc.value.hint == f"Create the Studio Camera with: {LINUX_SETUP}"


@pytest.mark.skipif(platform.system() != "Linux", reason="device labels are resolved on Linux")
def test_the_camera_opens_the_resolved_device(backend: type[RecordingBackend], tmp_path: Path) -> None:
    sysfs = _sysfs(tmp_path, {"video10": "Studio Camera"})
    out = VirtualCameraOutput(device="Studio Camera", backend="studio-recording", sysfs_root=sysfs)
    out.start(FMT)
    stats = out.close()
    assert backend.instances[0].args["device"] == "/dev/video10"
    assert out.device_in_use == "/dev/video10"
    assert stats.state == "closed"


# -- the Linux setup script --------------------------------------------------------------------


def test_setup_script_parses_and_asks_v4l2loopback_for_the_studio_camera() -> None:
    subprocess.run(["bash", "-n", str(SETUP_SCRIPT)], check=True)
    text = SETUP_SCRIPT.read_text()
    assert "set -euo pipefail" in text
    assert "exclusive_caps=1" in text  # Chrome and WebRTC apps list only capture-only devices
    assert 'LABEL="Studio Camera"' in text and 'card_label="$LABEL"' in text
    assert "/etc/modules-load.d/" in text and "/etc/modprobe.d/" in text


@pytest.mark.skipif(platform.system() != "Linux", reason="the script is for Linux")
def test_setup_script_refuses_to_run_without_root() -> None:
    command = ["bash", str(SETUP_SCRIPT)]
    if os.geteuid() == 0:
        # Only ever run it unprivileged: as root it would install and load a kernel module.
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv to drop privileges")
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1
    assert "needs root" in result.stderr and "sudo bash" in result.stderr
    assert result.stdout == ""
