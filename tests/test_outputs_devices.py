"""``studio devices``: what is listed, and what an empty list tells the user to do."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest
from alsa_device import make_alsa_file_device, needs_alsa, run_python

from studio.cli import devices_cmd
from studio.outputs.devices import (
    AudioDevice,
    DeviceList,
    VideoDevice,
    format_devices,
    linux_video_devices,
    list_devices,
)


def _node(root: Path, node: str, name: str, index: int | None = None, loopback_attrs: bool = False) -> None:
    folder = root / node
    folder.mkdir(parents=True)
    (folder / "name").write_text(name + "\n")
    if index is not None:
        (folder / "index").write_text(f"{index}\n")
    if loopback_attrs:
        (folder / "max_openers").write_text("10\n")


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    root = tmp_path / "video4linux"
    _node(root, "video0", "Integrated Camera: Integrated C", index=0)
    _node(root, "video1", "Integrated Camera: Integrated C", index=1)  # its metadata node
    _node(root, "video2", "USB Webcam", index=0)
    _node(root, "video10", "Studio Camera")
    _node(root, "video11", "Dummy video device (0x0000)", loopback_attrs=True)  # v4l2loopback, no label
    _node(root, "video12", "OBS Virtual Camera", loopback_attrs=True)
    # The driver link, as a loopback device with the driver bound shows it.
    driver = root.parent / "drivers" / "v4l2loopback"
    driver.mkdir(parents=True)
    _node(root, "video13", "Anything")
    (root / "video13" / "device").mkdir()
    os.symlink(driver, root / "video13" / "device" / "driver")
    return root


def test_linux_cameras_and_virtual_cameras_come_from_sysfs(sysfs: Path) -> None:
    cameras, virtual = linux_video_devices(sysfs)
    assert cameras == [
        VideoDevice("Integrated Camera: Integrated C", "/dev/video0"),
        VideoDevice("USB Webcam", "/dev/video2"),
    ]
    assert virtual == [
        VideoDevice("Studio Camera", "/dev/video10"),
        VideoDevice("Dummy video device (0x0000)", "/dev/video11"),
        VideoDevice("OBS Virtual Camera", "/dev/video12"),
        VideoDevice("Anything", "/dev/video13"),
    ]


def test_list_devices_on_linux_reads_the_given_sysfs(sysfs: Path) -> None:
    devices = list_devices(system="Linux", sysfs_root=sysfs)
    assert [c.device for c in devices.cameras] == ["/dev/video0", "/dev/video2"]
    assert devices.virtual_cameras[0] == VideoDevice("Studio Camera", "/dev/video10")
    assert devices.system == "Linux"


def test_list_devices_without_any_video_device(tmp_path: Path) -> None:
    devices = list_devices(system="Linux", sysfs_root=tmp_path / "absent")
    assert devices.cameras == [] and devices.virtual_cameras == []
    assert "setup-virtual-camera.sh" in format_devices(devices)


@pytest.mark.parametrize(
    ("system", "expected"),
    [
        (
            "Windows",
            [VideoDevice("OBS Virtual Camera", "obs"), VideoDevice("Unity Video Capture", "unitycapture")],
        ),
        ("Darwin", [VideoDevice("OBS Virtual Camera", "obs")]),
    ],
)
def test_windows_and_macos_list_pyvirtualcams_backends_with_what_to_install(
    system: str, expected: list[VideoDevice]
) -> None:
    devices = list_devices(system=system, camera_indices=range(0))
    assert devices.virtual_cameras == expected
    assert any("OBS Studio" in note and "Start Virtual Camera" in note for note in devices.notes)


def test_format_devices_lists_every_kind_and_marks_defaults() -> None:
    devices = DeviceList(
        cameras=[VideoDevice("USB Webcam", "/dev/video2")],
        virtual_cameras=[VideoDevice("Studio Camera", "/dev/video10")],
        audio_inputs=[AudioDevice("Headset Mic", "PulseAudio", 1, is_default=True)],
        audio_outputs=[
            AudioDevice("Headset", "PulseAudio", 2),
            AudioDevice("HDMI", "ALSA", 8, is_default=True),
        ],
        notes=["a note"],
        system="Linux",
    )
    text = format_devices(devices)
    sections = text.split("\n\n")
    assert sections[0] == "Cameras:\n  /dev/video2   USB Webcam"
    assert sections[1] == "Virtual cameras:\n  /dev/video10  Studio Camera"
    assert sections[2] == "Audio inputs:\n  * Headset Mic [PulseAudio], 1 ch"
    assert sections[3] == "Audio outputs:\n    Headset [PulseAudio], 2 ch\n  * HDMI [ALSA], 8 ch"
    assert "* = the system default" in sections[4]
    assert text.endswith("Note: a note\n")


def test_format_devices_says_what_each_empty_list_means() -> None:
    text = format_devices(DeviceList(system="Windows"))
    assert text.count("none.") == 4
    assert "No webcam was found" in text
    assert "OBS Studio 26" in text  # how to get a virtual camera on this system
    assert "No microphone" in text and "--mic-device" in text
    assert "No speakers or headphones" in text
    assert "system default" not in text  # no audio rows, so no legend for them
    linux = format_devices(DeviceList(system="Linux"))
    assert "sudo bash installers/linux/setup-virtual-camera.sh" in linux


_LIST = """
import json
from studio.outputs.devices import list_devices, format_devices
devices = list_devices(camera_indices=range(0))
print(json.dumps(dict(
    inputs=[d.name for d in devices.audio_inputs],
    outputs=[d.name for d in devices.audio_outputs],
    notes=devices.notes,
    text=format_devices(devices),
)))
"""


@needs_alsa
def test_the_listing_shows_a_real_alsa_device_as_input_and_output(tmp_path: Path) -> None:
    device = make_alsa_file_device(tmp_path / "alsa")
    result = run_python(device, _LIST)
    assert "studio_file" in result["inputs"] and "studio_file" in result["outputs"]
    text = result["text"]
    inputs = text[text.index("Audio inputs:") : text.index("Audio outputs:")]
    outputs = text[text.index("Audio outputs:") :]
    assert "studio_file [ALSA], 128 ch" in inputs and "studio_file [ALSA], 128 ch" in outputs
    assert result["notes"] == []


_NO_PORTAUDIO = """
import ctypes.util, json
ctypes.util.find_library = lambda name: None  # as on a Linux without libportaudio2
from studio.outputs.devices import list_devices, format_devices
devices = list_devices(system="Linux", camera_indices=range(0))
print(json.dumps(dict(inputs=len(devices.audio_inputs), notes=devices.notes, text=format_devices(devices))))
"""


@needs_alsa
def test_without_portaudio_no_audio_is_listed_and_a_note_says_what_to_install(tmp_path: Path) -> None:
    result = run_python(make_alsa_file_device(tmp_path / "alsa"), _NO_PORTAUDIO)
    assert result["inputs"] == 0
    [note] = result["notes"]
    assert "PortAudio could not be loaded" in note and "sudo apt install libportaudio2" in note
    assert f"Note: {note}" in result["text"]


def test_the_devices_command_prints_the_listing(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    devices_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["devices"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    for title in ("Cameras:", "Virtual cameras:", "Audio inputs:", "Audio outputs:"):
        assert title in out
