"""What the machine offers the live show: cameras, virtual cameras, microphones, speakers.

Every list may be empty on a real machine (a laptop with its lid shut, a server, a container),
so the text says what an empty list means and what to do about it.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from pathlib import Path

from studio.outputs.base import OutputError
from studio.outputs.null_sink import SINK_DESCRIPTION, SINK_NAME, list_sinks
from studio.outputs.sound_devices import (
    MIC_OPTION,
    SPEAKER_OPTION,
    Direction,
    SoundDevice,
    portaudio_fix,
    query_sound_devices,
)
from studio.outputs.vcam import STUDIO_CAMERA_LABEL, SYSFS_VIDEO, video_nodes, virtual_camera_fix
from studio.translation import tr

# pyvirtualcam's backends per system, with the device name each one shows in apps.
_VCAM_BACKENDS = {
    "Windows": (("OBS Virtual Camera", "obs"), ("Unity Video Capture", "unitycapture")),
    "Darwin": (("OBS Virtual Camera", "obs"),),
}


@dataclass(frozen=True)
class VideoDevice:
    name: str
    device: str  # /dev/videoN on Linux, an OpenCV index elsewhere, a pyvirtualcam backend for vcams


@dataclass(frozen=True)
class AudioDevice:
    name: str
    hostapi: str
    channels: int
    is_default: bool = False


@dataclass
class DeviceList:
    cameras: list[VideoDevice] = field(default_factory=list)
    virtual_cameras: list[VideoDevice] = field(default_factory=list)
    audio_inputs: list[AudioDevice] = field(default_factory=list)
    audio_outputs: list[AudioDevice] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    system: str = ""


def list_devices(
    system: str | None = None, sysfs_root: Path = SYSFS_VIDEO, camera_indices: range = range(4)
) -> DeviceList:
    """Probe the machine. ``system`` is ``platform.system()``'s name; ``camera_indices`` are
    the OpenCV indices tried where there is no sysfs (opening a camera takes a moment)."""
    system = system or platform.system()
    devices = DeviceList(system=system)
    if system == "Linux":
        devices.cameras, devices.virtual_cameras = linux_video_devices(sysfs_root)
    else:
        devices.cameras = opencv_cameras(camera_indices, devices.notes)
        devices.virtual_cameras = [
            VideoDevice(name, backend) for name, backend in _VCAM_BACKENDS.get(system, ())
        ]
        if devices.virtual_cameras:
            devices.notes.append(
                tr("Virtual cameras work once their app is installed: {fix}").format(
                    fix=virtual_camera_fix(system)
                )
            )
    devices.audio_inputs, devices.audio_outputs = _audio_devices(system, devices.notes)
    return devices


def list_cameras(
    system: str | None = None, sysfs_root: Path = SYSFS_VIDEO, camera_indices: range = range(4)
) -> list[VideoDevice]:
    """The cameras alone, without asking the sound system (the capture wizard's picker)."""
    system = system or platform.system()
    if system == "Linux":
        return linux_video_devices(sysfs_root)[0]
    return opencv_cameras(camera_indices, [])


def linux_video_devices(sysfs_root: Path = SYSFS_VIDEO) -> tuple[list[VideoDevice], list[VideoDevice]]:
    """(cameras, v4l2loopback virtual cameras) from sysfs, without opening any device."""
    cameras: list[VideoDevice] = []
    virtual: list[VideoDevice] = []
    for path, label in video_nodes(sysfs_root):
        node = sysfs_root / Path(path).name
        if _is_loopback(node, label):
            virtual.append(VideoDevice(label or Path(path).name, path))
        elif _is_capture_node(node):
            cameras.append(VideoDevice(label or Path(path).name, path))
    return cameras, virtual


def _is_loopback(node: Path, label: str) -> bool:
    # v4l2loopback adds its own sysfs attributes; its label is whatever card_label said.
    driver = node / "device" / "driver"
    driver_name = driver.resolve().name if driver.exists() else ""
    return (
        (node / "max_openers").exists()
        or "v4l2loopback" in driver_name
        or label == STUDIO_CAMERA_LABEL
        or "loopback" in label.casefold()
    )


def _is_capture_node(node: Path) -> bool:
    # A UVC webcam exposes a second node (index 1) for metadata, which shows no picture.
    try:
        return int((node / "index").read_text().strip() or 0) == 0
    except (OSError, ValueError):
        return True


def opencv_cameras(indices: range, notes: list[str]) -> list[VideoDevice]:
    if not indices:
        return []
    try:
        import cv2
    except ImportError as exc:
        notes.append(tr("Cameras were not probed: OpenCV is missing ({error}).").format(error=exc))
        return []
    cameras = []
    for index in indices:
        capture = cv2.VideoCapture(index)
        try:
            if capture.isOpened():
                cameras.append(VideoDevice(f"Camera {index}", str(index)))
        finally:
            capture.release()
    return cameras


def _audio_devices(system: str, notes: list[str]) -> tuple[list[AudioDevice], list[AudioDevice]]:
    try:
        found = query_sound_devices()
    except OutputError as exc:
        notes.append(
            tr("No audio devices listed: {problem} {fix}").format(
                problem=exc.problem, fix=portaudio_fix(system)
            )
        )
        return [], []
    outputs = _audio_list(found, "output")
    if system == "Linux" and any(d.name == "pulse" for d in outputs):
        outputs += _voice_sink_choice()
    return _audio_list(found, "input"), outputs


def _voice_sink_choice() -> list[AudioDevice]:
    """Studio Voice as an audio output while its sink exists: chosen like a device, played
    through 'pulse' and moved to the sink (``AudioDeviceOutput``)."""
    try:
        sinks = list_sinks()
    except OutputError:  # no pactl, no sound server: the readiness box says so
        return []
    return [AudioDevice(SINK_DESCRIPTION, "PulseAudio", 2)] if SINK_NAME in sinks else []


def _audio_list(found: list[SoundDevice], direction: Direction) -> list[AudioDevice]:
    return [
        AudioDevice(d.name, d.hostapi, d.channels(direction), d.is_default(direction))
        for d in found
        if d.channels(direction) > 0
    ]


def format_devices(devices: DeviceList) -> str:
    system = devices.system or platform.system()
    lines: list[str] = []

    def section(title: str, rows: list[str], when_empty: str) -> None:
        lines.append(tr("{title}:").format(title=title))
        if rows:
            lines.extend(f"  {row}" for row in rows)
        else:
            lines.append("  " + tr("none. {what_to_do}").format(what_to_do=when_empty))
        lines.append("")

    section(
        tr("Cameras"),
        [f"{c.device:<12}  {c.name}" for c in devices.cameras],
        tr(
            "No webcam was found: connect one, and check that no other app holds it "
            "(on Linux, that you are in the 'video' group)."
        ),
    )
    section(
        tr("Virtual cameras"),
        [f"{c.device:<12}  {c.name}" for c in devices.virtual_cameras],
        tr("Other apps cannot see the show as a webcam yet. {fix}").format(fix=virtual_camera_fix(system)),
    )
    section(
        tr("Audio inputs"),
        [_audio_row(d) for d in devices.audio_inputs],
        tr("No microphone: connect one or a headset to speak live (choose it with {option}).").format(
            option=MIC_OPTION
        ),
    )
    section(
        tr("Audio outputs"),
        [_audio_row(d) for d in devices.audio_outputs],
        tr(
            "No speakers or headphones: the voice still goes to recordings and streams; connect a device "
            "to hear it (choose it with {option})."
        ).format(option=SPEAKER_OPTION),
    )
    if devices.audio_inputs or devices.audio_outputs:
        lines += [tr("(* = the system default; choose a device by any unique part of its name)"), ""]
    lines += [tr("Note: {note}").format(note=note) for note in devices.notes]
    return "\n".join(lines).rstrip() + "\n"


def _audio_row(device: AudioDevice) -> str:
    mark = "*" if device.is_default else " "
    return tr("{mark} {name} [{hostapi}], {channels} ch").format(
        mark=mark, name=device.name, hostapi=device.hostapi, channels=device.channels
    )
