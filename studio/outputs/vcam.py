"""The virtual camera: the show as a webcam that Zoom, Meet, OBS and browsers can pick.

pyvirtualcam drives OBS's virtual camera (Windows, macOS), Unity Capture (Windows) and
v4l2loopback (Linux). It is imported when the camera opens, so importing this module costs
nothing on a machine without any of them.
"""

from __future__ import annotations

import platform
import re
from pathlib import Path
from typing import Any

import numpy as np

from studio.outputs.base import AudioChunk, OutputError, StreamFormat, ThreadedOutput, VideoFrame
from studio.translation import tr

STUDIO_CAMERA_LABEL = "Studio Camera"  # what installers/linux/setup-virtual-camera.sh names it
LINUX_SETUP = "sudo bash installers/linux/setup-virtual-camera.sh"
SYSFS_VIDEO = Path("/sys/class/video4linux")
_VIDEO_NODE = re.compile(r"video(\d+)")


def virtual_camera_fix(system: str) -> str:
    """What to install or run on ``system`` (``platform.system()``) to get a virtual camera."""
    if system == "Windows":
        return tr(
            "Install OBS Studio 26 or newer and click 'Start Virtual Camera' once, "
            "or install Unity Capture (github.com/schellingb/UnityCapture)."
        )
    if system == "Darwin":
        return tr(
            "Install OBS Studio 30 or newer and click 'Start Virtual Camera' once, "
            "so macOS installs its camera extension (allow it in System Settings if asked)."
        )
    if system == "Linux":
        return tr("Create one with: {command}").format(command=LINUX_SETUP)
    return tr("Studio has no virtual camera for {system}.").format(system=system or tr("this system"))


def video_nodes(sysfs_root: Path = SYSFS_VIDEO) -> list[tuple[str, str]]:
    """(``/dev/videoN``, label) for every video4linux node, in node order."""
    nodes: list[tuple[int, str, str]] = []
    if not sysfs_root.is_dir():
        return []
    for entry in sysfs_root.iterdir():
        match = _VIDEO_NODE.fullmatch(entry.name)
        if not match:
            continue
        try:
            label = (entry / "name").read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            label = ""
        nodes.append((int(match.group(1)), f"/dev/{entry.name}", label))
    return [(path, label) for _, path, label in sorted(nodes)]


def resolve_linux_device(name: str | None, sysfs_root: Path = SYSFS_VIDEO) -> str | None:
    """The ``/dev/videoN`` path pyvirtualcam needs, from a path, ``videoN`` or a label.

    With no name, the Studio Camera when the setup script made one, else None (pyvirtualcam
    then takes the first v4l2loopback device it finds).
    """
    nodes = video_nodes(sysfs_root)
    if name is None:
        return next((path for path, label in nodes if label == STUDIO_CAMERA_LABEL), None)
    wanted = name.strip()
    if wanted.startswith("/"):
        return wanted
    if _VIDEO_NODE.fullmatch(wanted):
        return f"/dev/{wanted}"
    folded = wanted.casefold()
    matches = [path for path, label in nodes if label.casefold() == folded]
    matches = matches or [path for path, label in nodes if folded in label.casefold()]
    if matches:
        return matches[0]  # several nodes with one label: the lowest, as v4l2 lists them
    found = ", ".join(f"{path} '{label}'" for path, label in nodes) or tr("none")
    hint = (
        tr("Give a /dev/videoN path or one of those names, or create the {camera} with: {command}")
        if nodes
        else tr("Create the {camera} with: {command}")
    )
    raise OutputError(
        tr("No video device is called '{name}' (video devices: {found}).").format(name=name, found=found),
        hint.format(camera=STUDIO_CAMERA_LABEL, command=LINUX_SETUP),
    )


def no_camera_error(errors: str, system: str) -> OutputError:
    # pyvirtualcam joins one line per backend tried; the CLI shows a single line.
    detail = "; ".join(line.strip() for line in errors.splitlines() if line.strip()) or tr("no backend")
    return OutputError(
        tr("No virtual camera could be opened ({detail}).").format(detail=detail), virtual_camera_fix(system)
    )


def fit_image(image: np.ndarray, width: int, height: int) -> np.ndarray:
    """``image`` as a C-contiguous (height, width, 3) uint8 array, nearest-neighbour scaled
    if the engine's frame is another size (a camera must get exactly the size it opened)."""
    image = np.asarray(image, dtype=np.uint8)
    if image.ndim == 2:
        image = np.repeat(image[:, :, np.newaxis], 3, axis=2)
    image = image[:, :, :3]
    in_h, in_w = image.shape[:2]
    if (in_h, in_w) != (height, width):
        rows = np.arange(height) * in_h // height
        cols = np.arange(width) * in_w // width
        image = image[rows[:, np.newaxis], cols[np.newaxis, :]]
    return np.ascontiguousarray(image)


class VirtualCameraOutput(ThreadedOutput):
    """Frames go to the camera on a thread of its own; only the newest waiting frame is kept,
    because a camera shows now: a frame that missed its moment is worth nothing."""

    name = "vcam"

    def __init__(
        self, device: str | None = None, backend: str | None = None, sysfs_root: Path = SYSFS_VIDEO
    ) -> None:
        super().__init__(video_slots=1)
        self.device = device
        self.backend = backend
        self.sysfs_root = sysfs_root
        self.device_in_use = ""
        self._camera: Any = None

    def send_audio(self, chunk: AudioChunk) -> None:
        """A camera carries no sound; nothing is queued for it."""

    def _open(self, fmt: StreamFormat) -> None:
        system = platform.system()
        try:
            import pyvirtualcam
        except ImportError as exc:  # e.g. a wheel built for another macOS or Python
            raise OutputError(
                tr("The virtual camera library pyvirtualcam could not be loaded ({error}).").format(
                    error=exc
                ),
                tr("Reinstall it: pip install --force-reinstall pyvirtualcam."),
            ) from exc
        device = resolve_linux_device(self.device, self.sysfs_root) if system == "Linux" else self.device
        if self.backend is not None and self.backend not in pyvirtualcam.camera.BACKENDS:
            known = ", ".join(sorted(pyvirtualcam.camera.BACKENDS)) or tr("none")
            raise OutputError(
                tr("Unknown virtual camera backend '{backend}' (on this system: {known}).").format(
                    backend=self.backend, known=known
                ),
                tr("Leave the backend out to try them all."),
            )
        try:
            self._camera = pyvirtualcam.Camera(
                fmt.width,
                fmt.height,
                float(fmt.fps),
                fmt=pyvirtualcam.PixelFormat.RGB,
                device=device,
                backend=self.backend,
                print_fps=False,
            )
        except RuntimeError as exc:
            raise no_camera_error(str(exc), system) from exc
        self.device_in_use = str(self._camera.device)

    def _write_video(self, frame: VideoFrame) -> None:
        assert self.fmt is not None and self._camera is not None
        self._camera.send(fit_image(frame.image, self.fmt.width, self.fmt.height))

    def _write_audio(self, chunk: AudioChunk) -> None:
        """Never called: ``send_audio`` queues nothing."""

    def _close(self) -> None:
        camera, self._camera = self._camera, None
        if camera is not None:
            camera.close()
