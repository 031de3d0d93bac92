"""Whether each live output can work on this machine, and the one fix when it cannot.

``readiness`` decides from what the probes found, and nothing else: the probes (the Windows
registry, macOS's system extensions, PortAudio's devices, pactl, sysfs) are injected, so every
system's answer is tested on any machine. The real probes are in ``readiness_probes``; the
fixes that Studio runs itself (Linux) are in ``readiness_fixes``.

A fix is one of: a page to open (Windows, macOS: the download or instructions page), an
action Studio runs (Linux: the virtual camera's setup script with pkexec, the Studio Voice
sink with pactl), or only words (the CLI prints the words of every fix).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from studio.outputs.base import OutputError
from studio.outputs.null_sink import SINK_DESCRIPTION, SINK_NAME
from studio.outputs.vcam import STUDIO_CAMERA_LABEL, virtual_camera_fix
from studio.translation import tr

OutputKind = Literal["vcam", "voice", "rtmp", "record"]
Action = Literal["", "vcam_setup", "voice_sink"]

# The DirectShow filters pyvirtualcam's Windows backends open, as their installers register them.
OBS_VCAM_CLSID = "{A3FCE0F5-3493-419F-958A-ABA1250EC20B}"
UNITY_CAPTURE_CLSID = "{5C2CD55C-92AD-4999-8666-912BD3E70010}"  # the 64-bit filter
# OBS 30+ on macOS: a camera system extension; OBS 26-29: a DAL plug-in.
OBS_MAC_EXTENSION = "com.obsproject.obs-studio.mac-camera-extension"
OBS_MAC_DAL_PLUGIN = "/Library/CoreMediaIO/Plug-Ins/DAL/obs-mac-virtualcam.plugin"
BLACKHOLE_DRIVERS = "/Library/Audio/Plug-Ins/HAL/BlackHole*.driver"
VB_CABLE_OUTPUT = "CABLE Input"  # the device Studio plays into; apps record "CABLE Output"

OBS_URL = "https://obsproject.com/download"
UNITY_CAPTURE_URL = "https://github.com/schellingb/UnityCapture"
VB_CABLE_URL = "https://vb-audio.com/Cable/"
BLACKHOLE_URL = "https://existential.audio/blackhole/"


@dataclass(frozen=True)
class Fix:
    words: str  # the whole fix in words: the CLI's line, the button's tooltip
    button: str = ""  # the button's text; "" when there is nothing to click
    url: str = ""  # a page the button opens in the browser
    action: Action = ""  # what the button runs (Linux)


@dataclass(frozen=True)
class OutputReadiness:
    output: OutputKind
    ready: bool
    detail: str  # what was found, or what is missing
    fix: Fix | None = None

    @property
    def title(self) -> str:
        titles: dict[OutputKind, str] = {
            "vcam": tr("Virtual camera"),
            "voice": tr("Voice to other apps"),
            "rtmp": tr("RTMP stream"),
            "record": tr("Recording"),
        }
        return titles[self.output]

    def line(self) -> str:
        """One line for the CLI: the output, ready or not, what was found, the fix in words."""
        state = tr("ready") if self.ready else tr("NOT READY")
        if self.fix and not self.ready:
            return tr("{title}: {state}. {detail} Fix: {fix}").format(
                title=self.title, state=state, detail=self.detail, fix=self.fix.words
            )
        return tr("{title}: {state}. {detail}").format(title=self.title, state=state, detail=self.detail)


def _none() -> list[str]:
    return []


@dataclass(frozen=True)
class Probes:
    """What the machine has, each asked only on the system it belongs to. Each may raise
    ``OutputError`` (PortAudio or pactl missing); that becomes the output's detail."""

    sound_outputs: Callable[[], list[str]] = _none  # PortAudio's output device names
    loopback_cameras: Callable[[], list[str]] = _none  # Linux: "label (/dev/videoN)"
    pulse_sinks: Callable[[], list[str]] = _none  # Linux: the sound server's sink names
    setup_script: Callable[[], str | None] = lambda: None  # Linux: setup-virtual-camera.sh
    registry_has: Callable[[str], bool] = lambda _key: False  # Windows: a key under HKEY_CLASSES_ROOT
    system_extensions: Callable[[], str] = lambda: ""  # macOS: `systemextensionsctl list`
    paths_matching: Callable[[str], list[str]] = lambda _pattern: []  # a glob over the disk
    missing_encoders: Callable[[], list[str]] = _none  # the encoders recording and RTMP need
    folder_writable: Callable[[Path], bool] = lambda _folder: True


def readiness(
    system: str, probes: Probes, record_dir: Path, rtmp_url: str | None = None
) -> list[OutputReadiness]:
    """Each output's readiness on ``system`` (``platform.system()``), in the Live page's order.

    ``rtmp_url`` is the address typed on the Live page; None where there is none to check (the
    CLI, which takes it with --rtmp).
    """
    encoders = _ask(probes.missing_encoders)
    return [
        vcam_readiness(system, probes),
        voice_readiness(system, probes),
        rtmp_readiness(encoders, rtmp_url),
        record_readiness(encoders, record_dir, probes),
    ]


def _ask(probe: Callable[[], list[str]]) -> list[str] | OutputError:
    try:
        return probe()
    except OutputError as exc:
        return exc


def vcam_readiness(system: str, probes: Probes) -> OutputReadiness:
    if system == "Linux":
        found = _ask(probes.loopback_cameras)
        if isinstance(found, list) and found:
            return OutputReadiness(
                "vcam", True, tr("Apps can pick {cameras} as their camera.").format(cameras=", ".join(found))
            )
        return OutputReadiness(
            "vcam", False, tr("There is no virtual camera yet."), _linux_camera_fix(probes)
        )
    if system == "Windows":
        found = [
            name
            for name, clsid in (
                ("OBS Virtual Camera", OBS_VCAM_CLSID),
                ("Unity Video Capture", UNITY_CAPTURE_CLSID),
            )
            if probes.registry_has(f"CLSID\\{clsid}")
        ]
        if found:
            return OutputReadiness(
                "vcam",
                True,
                tr("Apps can pick {cameras} as their camera.").format(cameras=_both(found, "or")),
            )
        fix = Fix(virtual_camera_fix("Windows"), tr("Get OBS Studio"), OBS_URL)
        return OutputReadiness(
            "vcam", False, tr("Neither OBS Virtual Camera nor Unity Capture is installed."), fix
        )
    if system == "Darwin":
        extensions = probes.system_extensions()
        ours = [line for line in extensions.splitlines() if OBS_MAC_EXTENSION in line]
        if any("activated enabled" in line for line in ours) or probes.paths_matching(OBS_MAC_DAL_PLUGIN):
            return OutputReadiness("vcam", True, tr("Apps can pick OBS Virtual Camera as their camera."))
        fix = Fix(virtual_camera_fix("Darwin"), tr("Get OBS Studio"), OBS_URL)
        if ours:  # installed, but macOS has not let it run yet
            detail = tr("OBS's camera extension is installed but not enabled yet.")
            fix = Fix(
                tr(
                    "Open System Settings > General > Login Items & Extensions > Camera Extensions, allow "
                    "OBS Virtual Camera, then start and stop OBS's virtual camera once."
                ),
                tr("How to allow it"),
                OBS_URL,
            )
            return OutputReadiness("vcam", False, detail, fix)
        return OutputReadiness("vcam", False, tr("OBS's camera extension is not installed."), fix)
    return OutputReadiness("vcam", False, virtual_camera_fix(system))


def _linux_camera_fix(probes: Probes) -> Fix:
    script = probes.setup_script()
    if script is None:  # a pip install: no installers/ folder beside the code
        return Fix(
            tr(
                "Install v4l2loopback (Debian/Ubuntu: sudo apt install v4l2loopback-dkms), "
                "then run: {command}"
            ).format(
                command="sudo modprobe v4l2loopback devices=1 video_nr=10 exclusive_caps=1 "
                f"card_label='{STUDIO_CAMERA_LABEL}'"
            )
        )
    return Fix(
        tr("Create the {camera} (asks for your password): {command}").format(
            camera=STUDIO_CAMERA_LABEL, command=f"sudo bash {script}"
        ),
        tr("Set up the {camera}").format(camera=STUDIO_CAMERA_LABEL),
        action="vcam_setup",
    )


def voice_readiness(system: str, probes: Probes) -> OutputReadiness:
    if system == "Linux":
        sinks = _ask(probes.pulse_sinks)
        if isinstance(sinks, OutputError):
            return OutputReadiness("voice", False, sinks.problem, Fix(sinks.hint))
        if SINK_NAME in sinks:
            return OutputReadiness(
                "voice",
                True,
                tr(
                    "The {sink} sink is there: choose {sink} as the audio output, "
                    "and apps take 'Monitor of {sink}' as their microphone."
                ).format(sink=SINK_DESCRIPTION),
            )
        return OutputReadiness(
            "voice",
            False,
            tr("No {sink} sink: other apps cannot take the voice as a microphone yet.").format(
                sink=SINK_DESCRIPTION
            ),
            Fix(
                tr("Create it: {command}").format(
                    command=f"pactl load-module module-null-sink sink_name={SINK_NAME} "
                    f"sink_properties=\"device.description='{SINK_DESCRIPTION}'\""
                ),
                tr("Create {sink}").format(sink=SINK_DESCRIPTION),
                action="voice_sink",
            ),
        )
    outputs = _ask(probes.sound_outputs)
    if isinstance(outputs, OutputError):
        return OutputReadiness("voice", False, outputs.problem, Fix(outputs.hint))
    if system == "Windows":
        cable = next((name for name in outputs if VB_CABLE_OUTPUT.casefold() in name.casefold()), None)
        if cable:
            return OutputReadiness(
                "voice",
                True,
                tr(
                    "Choose '{device}' as the audio device; apps take 'CABLE Output' as their microphone."
                ).format(device=cable),
            )
        words = tr(
            "Install VB-CABLE (vb-audio.com/Cable) and restart Studio, then choose 'CABLE Input' as the "
            "audio device; apps take 'CABLE Output' as their microphone."
        )
        return OutputReadiness(
            "voice",
            False,
            tr("No virtual audio cable (VB-CABLE) is installed."),
            Fix(words, tr("Get VB-CABLE"), VB_CABLE_URL),
        )
    if system == "Darwin":
        blackhole = next((name for name in outputs if "blackhole" in name.casefold()), None)
        if blackhole or probes.paths_matching(BLACKHOLE_DRIVERS):
            name = blackhole or "BlackHole 2ch"
            return OutputReadiness(
                "voice",
                True,
                tr("Choose '{device}' as the audio device; apps take '{device}' as their microphone.").format(
                    device=name
                ),
            )
        words = tr(
            "Install BlackHole 2ch (brew install blackhole-2ch, or existential.audio/blackhole) and restart "
            "Studio, then choose 'BlackHole 2ch' as the audio device and as the other app's microphone."
        )
        return OutputReadiness(
            "voice",
            False,
            tr("No virtual audio device (BlackHole) is installed."),
            Fix(words, tr("Get BlackHole"), BLACKHOLE_URL),
        )
    return OutputReadiness(
        "voice",
        False,
        tr("Studio knows no virtual audio device for {system}.").format(system=system or tr("this system")),
    )


def _both(names: list[str], word: Literal["and", "or"]) -> str:
    """One name, or two joined by "and"/"or" (as ``' and '.join`` would, in the chosen language)."""
    if len(names) != 2:
        return (" and " if word == "and" else " or ").join(names)
    if word == "and":
        return tr("{first} and {second}").format(first=names[0], second=names[1])
    return tr("{first} or {second}").format(first=names[0], second=names[1])


def _encoder_problem(encoders: list[str] | OutputError) -> OutputReadiness | None:
    if isinstance(encoders, OutputError):
        return OutputReadiness("record", False, encoders.problem, Fix(encoders.hint))
    if encoders:
        return OutputReadiness(
            "record",
            False,
            tr("The video library PyAV lacks the {encoders} encoder.").format(
                encoders=_both(encoders, "and")
            ),
            Fix(tr("Reinstall it, whose wheel carries them: pip install --force-reinstall av.")),
        )
    return None


def rtmp_readiness(encoders: list[str] | OutputError, url: str | None) -> OutputReadiness:
    problem = _encoder_problem(encoders)
    if problem is not None:
        return OutputReadiness("rtmp", False, problem.detail, problem.fix)
    if url is None:
        return OutputReadiness(
            "rtmp", True, tr("Give the address your platform shows with --rtmp rtmp://host/app/key.")
        )
    if not url.strip():
        return OutputReadiness(
            "rtmp",
            False,
            tr("No stream address yet."),
            Fix(tr("Paste the address your platform shows (rtmp://host/app/key) under RTMP stream.")),
        )
    from studio.outputs.rtmp import parse_rtmp_url  # noqa: PLC0415 - loads PyAV

    try:
        target = parse_rtmp_url(url)
    except OutputError as exc:
        return OutputReadiness("rtmp", False, exc.problem, Fix(exc.hint))
    return OutputReadiness("rtmp", True, tr("Streams to {address}.").format(address=target.masked))


def record_readiness(encoders: list[str] | OutputError, folder: Path, probes: Probes) -> OutputReadiness:
    problem = _encoder_problem(encoders)
    if problem is not None:
        return problem
    # The default folder is made at the first recording: the nearest folder that exists decides.
    existing = folder
    while not existing.is_dir() and existing != existing.parent:
        existing = existing.parent
    if not probes.folder_writable(existing):
        return OutputReadiness(
            "record",
            False,
            tr("The folder {folder} cannot be written.").format(folder=folder),
            Fix(tr("Choose a folder you can write to (Folder… on the Live page, or --record FILE).")),
        )
    return OutputReadiness("record", True, tr("Records into {folder}.").format(folder=folder))


def format_readiness(items: list[OutputReadiness]) -> str:
    """The CLI's block: a heading, then one line per output."""
    lines = [tr("Live outputs:")] + [f"  {item.line()}" for item in items]
    return "\n".join(lines) + "\n"
