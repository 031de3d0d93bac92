"""The real probes behind ``readiness``: each asks the machine one question, quickly, and
opens no device (a camera light or a permission prompt for a check would be wrong).

``winreg`` exists only on Windows and ``systemextensionsctl`` only on macOS: each is imported
or run where it belongs, and every probe here takes its library or command as an argument so
the tests drive it with a fake.
"""

from __future__ import annotations

import glob
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.outputs.base import OutputError
from studio.outputs.devices import linux_video_devices
from studio.outputs.null_sink import Runner, list_sinks, run_pactl
from studio.outputs.readiness import Probes
from studio.outputs.sound_devices import query_sound_devices
from studio.outputs.vcam import SYSFS_VIDEO
from studio.translation import tr

SETUP_SCRIPT_NAME = "setup-virtual-camera.sh"
_REPO_ROOT = Path(__file__).resolve().parents[2]
# Where the script is: a checkout (installers/linux), the Linux bundle (beside the executable,
# /opt/studio for the .deb).
SETUP_SCRIPT_PLACES = (
    _REPO_ROOT / "installers" / "linux" / SETUP_SCRIPT_NAME,
    Path(sys.executable).resolve().parent / SETUP_SCRIPT_NAME,
    Path("/opt/studio") / SETUP_SCRIPT_NAME,
)


def find_setup_script(places: tuple[Path, ...] = SETUP_SCRIPT_PLACES) -> str | None:
    return next((str(place) for place in places if place.is_file()), None)


def sound_output_names(sd: Any = None) -> list[str]:
    return [d.name for d in query_sound_devices(sd) if d.max_output_channels > 0]


def loopback_camera_names(sysfs_root: Path = SYSFS_VIDEO) -> list[str]:
    return [f"{camera.name} ({camera.device})" for camera in linux_video_devices(sysfs_root)[1]]


def registry_probe(winreg: Any) -> Callable[[str], bool]:
    """Whether a key exists under HKEY_CLASSES_ROOT (machine-wide and per-user registrations)."""

    def has(key: str) -> bool:
        try:
            winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, key))
        except OSError:
            return False
        return True

    return has


def system_extensions(runner: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run) -> str:
    """``systemextensionsctl list``; "" where it cannot run (it then tells nothing)."""
    try:
        done = runner(
            ["systemextensionsctl", "list"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return str(done.stdout or "")


def missing_encoders(codec_open: Callable[[str], Any] | None = None) -> list[str]:
    """The encoders recording and RTMP use (H.264 by libx264, AAC) that PyAV cannot open."""
    if codec_open is None:
        try:
            import av
        except ImportError as exc:
            raise OutputError(
                tr("The video library PyAV could not be loaded ({error}).").format(error=exc),
                tr("Reinstall it: pip install --force-reinstall av."),
            ) from exc

        def codec_open(name: str) -> Any:
            return av.codec.Codec(name, "w")

    missing = []
    for name in ("libx264", "aac"):
        try:
            codec_open(name)
        except Exception:  # noqa: BLE001 - PyAV raises several kinds for an unknown codec
            missing.append(name)
    return missing


def folder_writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def real_probes(system: str | None = None, pactl_runner: Runner = run_pactl, winreg: Any = None) -> Probes:
    """The probes for this machine; ``winreg`` is imported on Windows unless one is given."""
    system = system or platform.system()
    if system == "Windows" and winreg is None:
        import winreg  # type: ignore[import-not-found,no-redef,unused-ignore]  # noqa: PLC0415
    return Probes(
        sound_outputs=sound_output_names,
        loopback_cameras=loopback_camera_names,
        pulse_sinks=lambda: list_sinks(pactl_runner),  # no pactl: list_sinks says what to install
        setup_script=find_setup_script,
        registry_has=registry_probe(winreg) if winreg is not None else (lambda _key: False),
        system_extensions=system_extensions if system == "Darwin" else (lambda: ""),
        paths_matching=glob.glob,
        missing_encoders=missing_encoders,
        folder_writable=folder_writable,
    )
