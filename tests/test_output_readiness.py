"""Each output's readiness per system, decided from injected probes, and the real probes
driven through their own hooks (a fake winreg, a fake systemextensionsctl, a sysfs folder)."""

from __future__ import annotations

import argparse
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from studio.cli import devices_cmd
from studio.outputs.base import OutputError
from studio.outputs.readiness import (
    BLACKHOLE_DRIVERS,
    BLACKHOLE_URL,
    OBS_MAC_DAL_PLUGIN,
    OBS_MAC_EXTENSION,
    OBS_URL,
    OBS_VCAM_CLSID,
    UNITY_CAPTURE_CLSID,
    VB_CABLE_URL,
    Fix,
    OutputReadiness,
    Probes,
    format_readiness,
    readiness,
    record_readiness,
    rtmp_readiness,
    vcam_readiness,
    voice_readiness,
)
from studio.outputs.readiness_probes import (
    find_setup_script,
    loopback_camera_names,
    missing_encoders,
    real_probes,
    registry_probe,
    system_extensions,
)

REPO = Path(__file__).resolve().parents[1]
SCRIPT = str(REPO / "installers" / "linux" / "setup-virtual-camera.sh")
KEY = "s3cr3t-key"


class FakeWinreg:
    """winreg's calls as registry_probe makes them, over a set of existing keys."""

    HKEY_CLASSES_ROOT = object()

    def __init__(self, keys: set[str]) -> None:
        self.keys = keys
        self.opened: list[tuple[object, str]] = []
        self.closed = 0

    def OpenKey(self, root: object, key: str) -> str:  # noqa: N802 - winreg's name
        self.opened.append((root, key))
        if key not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return key

    def CloseKey(self, handle: str) -> None:  # noqa: N802 - winreg's name
        self.closed += 1


def _raise(problem: str, hint: str) -> Any:
    def probe(*_args: object) -> Any:
        raise OutputError(problem, hint)

    return probe


# -- Windows -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("keys", "names"),
    [
        ({f"CLSID\\{OBS_VCAM_CLSID}"}, "OBS Virtual Camera"),
        ({f"CLSID\\{UNITY_CAPTURE_CLSID}"}, "Unity Video Capture"),
        (
            {f"CLSID\\{OBS_VCAM_CLSID}", f"CLSID\\{UNITY_CAPTURE_CLSID}"},
            "OBS Virtual Camera or Unity Video Capture",
        ),
    ],
)
def test_windows_camera_is_ready_when_a_pyvirtualcam_filter_is_registered(keys: set[str], names: str) -> None:
    winreg = FakeWinreg(keys)
    result = vcam_readiness("Windows", Probes(registry_has=registry_probe(winreg)))
    assert result == OutputReadiness("vcam", True, f"Apps can pick {names} as their camera.")
    assert all(root is FakeWinreg.HKEY_CLASSES_ROOT for root, _ in winreg.opened)
    assert winreg.closed == len(keys)  # every key opened is closed again


def test_windows_camera_without_obs_or_unity_opens_obs_download() -> None:
    winreg = FakeWinreg({"CLSID\\{00000000-0000-0000-0000-000000000000}"})
    result = vcam_readiness("Windows", Probes(registry_has=registry_probe(winreg)))
    assert not result.ready
    assert result.fix is not None and result.fix.url == OBS_URL and result.fix.button == "Get OBS Studio"
    assert "Unity Capture" in result.fix.words
    assert [key for _, key in winreg.opened] == [f"CLSID\\{OBS_VCAM_CLSID}", f"CLSID\\{UNITY_CAPTURE_CLSID}"]


def test_windows_voice_needs_vb_cable_among_the_outputs() -> None:
    ready = voice_readiness(
        "Windows",
        Probes(sound_outputs=lambda: ["Speakers (Realtek)", "CABLE Input (VB-Audio Virtual Cable)"]),
    )
    assert ready.ready and "'CABLE Input (VB-Audio Virtual Cable)'" in ready.detail
    assert "CABLE Output" in ready.detail
    missing = voice_readiness("Windows", Probes(sound_outputs=lambda: ["Speakers (Realtek)"]))
    assert not missing.ready
    assert (
        missing.fix is not None and missing.fix.url == VB_CABLE_URL and missing.fix.button == "Get VB-CABLE"
    )


def test_a_sound_library_failure_becomes_the_voice_detail() -> None:
    probes = Probes(sound_outputs=_raise("PortAudio could not be loaded (x).", "Reinstall sounddevice."))
    result = voice_readiness("Windows", probes)
    assert result == OutputReadiness(
        "voice", False, "PortAudio could not be loaded (x).", Fix("Reinstall sounddevice.")
    )


# -- macOS ----------------------------------------------------------------------------------
SYSEXT = """1 extension(s)
--- com.apple.system_extension.cmio (Go to 'System Settings > General > Login Items & Extensions')
enabled\tactive\tteamID\tbundleID (version)\tname\t[state]
*\t*\t2MMRE5MTB8\t{ext} (30.1.2/30.1.2)\tOBS Virtual Camera\t[{state}]
"""


def _mac(text: str = "", paths: Sequence[str] = ()) -> Probes:
    return Probes(system_extensions=lambda: text, paths_matching=lambda p: [p] if p in paths else [])


def test_macos_camera_extension_enabled_is_ready() -> None:
    probes = _mac(SYSEXT.format(ext=OBS_MAC_EXTENSION, state="activated enabled"))
    assert vcam_readiness("Darwin", probes).ready


def test_macos_camera_extension_waiting_for_approval_says_where_to_allow_it() -> None:
    result = vcam_readiness(
        "Darwin", _mac(SYSEXT.format(ext=OBS_MAC_EXTENSION, state="activated waiting for user"))
    )
    assert not result.ready and result.detail == "OBS's camera extension is installed but not enabled yet."
    assert result.fix is not None and "Camera Extensions" in result.fix.words


def test_macos_older_obs_dal_plugin_is_ready_and_nothing_opens_obs_download() -> None:
    assert vcam_readiness("Darwin", _mac(paths=[OBS_MAC_DAL_PLUGIN])).ready
    other = SYSEXT.format(ext="com.example.camera", state="activated enabled")
    missing = vcam_readiness("Darwin", _mac(other))
    assert not missing.ready and missing.fix is not None and missing.fix.url == OBS_URL


def test_macos_voice_is_blackhole_by_device_or_driver() -> None:
    by_device = voice_readiness(
        "Darwin", Probes(sound_outputs=lambda: ["MacBook Speakers", "BlackHole 16ch"])
    )
    assert by_device.ready and "'BlackHole 16ch'" in by_device.detail
    by_driver = Probes(
        sound_outputs=lambda: [], paths_matching=lambda p: [p] if p == BLACKHOLE_DRIVERS else []
    )
    assert voice_readiness("Darwin", by_driver).ready
    missing = voice_readiness("Darwin", Probes(sound_outputs=lambda: ["MacBook Speakers"]))
    assert not missing.ready and missing.fix is not None and missing.fix.url == BLACKHOLE_URL


def test_macos_extension_listing_through_its_command() -> None:
    calls: list[list[str]] = []

    def runner(args: list[str], **_kw: object) -> subprocess.CompletedProcess[str]:
        calls.append(args)
        return subprocess.CompletedProcess(args, 0, "listing", "")

    assert system_extensions(runner) == "listing"
    assert calls == [["systemextensionsctl", "list"]]

    def missing(args: list[str], **_kw: object) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError(args[0])

    assert system_extensions(missing) == ""


# -- Linux ----------------------------------------------------------------------------------
def test_linux_camera_is_ready_with_a_loopback_device_from_sysfs(tmp_path: Path) -> None:
    (tmp_path / "video0").mkdir()
    (tmp_path / "video0" / "name").write_text("USB Webcam\n")
    (tmp_path / "video0" / "index").write_text("0\n")
    probes = Probes(loopback_cameras=lambda: loopback_camera_names(tmp_path))
    assert not vcam_readiness("Linux", probes).ready  # a webcam is not a virtual camera
    (tmp_path / "video10").mkdir()
    (tmp_path / "video10" / "name").write_text("Studio Camera\n")
    result = vcam_readiness("Linux", probes)
    assert result == OutputReadiness(
        "vcam", True, "Apps can pick Studio Camera (/dev/video10) as their camera."
    )


def test_linux_camera_fix_is_the_setup_script_or_modprobe_words() -> None:
    with_script = vcam_readiness("Linux", Probes(setup_script=lambda: SCRIPT))
    assert with_script.fix == Fix(
        f"Create the Studio Camera (asks for your password): sudo bash {SCRIPT}",
        "Set up the Studio Camera",
        action="vcam_setup",
    )
    without = vcam_readiness("Linux", Probes())
    assert without.fix is not None and without.fix.action == "" and without.fix.button == ""
    assert "card_label='Studio Camera'" in without.fix.words


def test_linux_voice_offers_to_create_the_studio_voice_sink() -> None:
    missing = voice_readiness("Linux", Probes(pulse_sinks=lambda: ["alsa_output.pci.analog-stereo"]))
    assert not missing.ready and missing.fix is not None
    assert missing.fix.action == "voice_sink" and missing.fix.button == "Create Studio Voice"
    assert "pactl load-module module-null-sink sink_name=studio_voice" in missing.fix.words
    assert voice_readiness("Linux", Probes(pulse_sinks=lambda: ["studio_voice"])).ready


def test_the_setup_script_is_found_in_the_checkout(tmp_path: Path) -> None:
    assert find_setup_script() == SCRIPT
    assert find_setup_script((tmp_path / "nowhere.sh",)) is None


def test_an_unknown_system_has_no_fix() -> None:
    assert readiness("Plan9", Probes(), Path.home())[0].ready is False
    assert voice_readiness("Plan9", Probes()).fix is None


# -- RTMP and recording ---------------------------------------------------------------------
def test_rtmp_readiness_checks_the_address_without_showing_the_key() -> None:
    assert rtmp_readiness([], None).ready  # the CLI: no address to check
    empty = rtmp_readiness([], "  ")
    assert not empty.ready and empty.fix is not None and "rtmp://host/app/key" in empty.fix.words
    bad = rtmp_readiness([], f"rtmp://a.example/{''}")
    assert not bad.ready and bad.detail.startswith("The stream address has no app")
    good = rtmp_readiness([], f"rtmp://a.rtmp.youtube.com/live2/{KEY}")
    assert good.ready and "a.rtmp.youtube.com" in good.detail and KEY not in good.detail


def test_missing_encoders_stop_rtmp_and_recording(tmp_path: Path) -> None:
    for result in (
        rtmp_readiness(["libx264"], "rtmp://h/app/k"),
        record_readiness(["libx264"], tmp_path, Probes()),
    ):
        assert not result.ready and "libx264" in result.detail
        assert result.fix is not None and "pip install --force-reinstall av" in result.fix.words


def test_the_real_encoder_probe(tmp_path: Path) -> None:
    assert missing_encoders() == []  # the installed PyAV carries both

    def only_aac(name: str) -> object:
        if name != "aac":
            raise ValueError(name)
        return name

    assert missing_encoders(only_aac) == ["libx264"]


def test_recording_folder_that_does_not_exist_yet_is_judged_by_its_parent(tmp_path: Path) -> None:
    asked: list[Path] = []

    def writable(folder: Path) -> bool:
        asked.append(folder)
        return folder == tmp_path

    assert record_readiness([], tmp_path / "Videos" / "Studio", Probes(folder_writable=writable)).ready
    assert asked == [tmp_path]
    stuck = record_readiness([], tmp_path, Probes(folder_writable=lambda _f: False))
    assert not stuck.ready and stuck.detail == f"The folder {tmp_path} cannot be written."


# -- the whole list and the CLI -------------------------------------------------------------
def test_readiness_lists_every_output_in_order_and_formats_one_line_each(tmp_path: Path) -> None:
    probes = Probes(
        loopback_cameras=lambda: ["Studio Camera (/dev/video10)"],
        pulse_sinks=lambda: [],
        setup_script=lambda: SCRIPT,
    )
    items = readiness("Linux", probes, tmp_path, f"rtmp://live.example/app/{KEY}")
    assert [item.output for item in items] == ["vcam", "voice", "rtmp", "record"]
    assert [item.ready for item in items] == [True, False, True, True]
    lines = format_readiness(items).splitlines()
    assert lines[0] == "Live outputs:"
    assert lines[1] == "  Virtual camera: ready. Apps can pick Studio Camera (/dev/video10) as their camera."
    assert lines[2].startswith("  Voice to other apps: NOT READY. No Studio Voice sink")
    assert "Fix: Create it: pactl load-module module-null-sink" in lines[2]
    assert KEY not in format_readiness(items)
    assert len(lines) == 5


def test_real_probes_take_winreg_on_windows() -> None:
    probes = real_probes("Windows", winreg=FakeWinreg({f"CLSID\\{UNITY_CAPTURE_CLSID}"}))
    assert probes.registry_has(f"CLSID\\{UNITY_CAPTURE_CLSID}")
    assert not probes.registry_has(f"CLSID\\{OBS_VCAM_CLSID}")
    assert real_probes("Linux").registry_has(f"CLSID\\{OBS_VCAM_CLSID}") is False


def test_studio_devices_prints_the_readiness_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/native")  # no sound server: a clear line
    parser = argparse.ArgumentParser()
    devices_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["devices"])
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    block = out[out.index("Live outputs:") :].splitlines()
    assert [line.split(":")[0].strip() for line in block[1:]] == [
        "Virtual camera",
        "Voice to other apps",
        "RTMP stream",
        "Recording",
    ]
    voice = block[2]
    assert "NOT READY" in voice and "Fix: " in voice
    assert "Traceback" not in out
