"""The voice for other apps on Linux: a PulseAudio/PipeWire null sink called Studio Voice.

A null sink is a sound device that plays nowhere; its monitor is a source that OBS, a browser
or a meeting app takes as a microphone. Studio creates it on request with ``pactl`` (PipeWire
answers the same commands through pipewire-pulse), and removes only the module it loaded
itself: a sink the user made by hand, or another app's, is never unloaded.

Nothing here is kept across a reboot or a sound-server restart; the Live page checks again and
offers the button again.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from studio.outputs.base import OutputError
from studio.translation import tr

SINK_NAME = "studio_voice"
SINK_DESCRIPTION = "Studio Voice"
PACTL_TIMEOUT_S = 10

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def install_pactl() -> str:
    return tr(
        "Install the sound tools: sudo apt install pulseaudio-utils "
        "(Fedora: sudo dnf install pulseaudio-utils), then check again."
    )


def start_server() -> str:
    return tr(
        "Log in to a desktop session with sound, or start its sound server "
        "(systemctl --user start pipewire-pulse, or pulseaudio --start), then check again."
    )


@dataclass(frozen=True)
class NullSink:
    name: str
    module: int | None  # the module Studio loaded; None when the sink was there already

    @property
    def monitor(self) -> str:
        """The source other apps record the voice from."""
        return f"{self.name}.monitor"


def run_pactl(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    # pactl's long listings are translated ("Sink Input #3" is "Eingang #3" in German): read in C.
    return subprocess.run(
        ["pactl", *args],
        capture_output=True,
        text=True,
        timeout=PACTL_TIMEOUT_S,
        check=False,
        env={**os.environ, "LC_ALL": "C"},
    )


def pactl(args: Sequence[str], runner: Runner = run_pactl) -> str:
    """pactl's output, or an OutputError saying in one line what is missing."""
    try:
        done = runner(list(args))
    except FileNotFoundError as exc:
        raise OutputError(tr("The sound tool pactl was not found."), install_pactl()) from exc
    except subprocess.TimeoutExpired as exc:
        raise OutputError(
            tr("The sound server did not answer 'pactl {command}' within {seconds} s.").format(
                command=args[0], seconds=PACTL_TIMEOUT_S
            ),
            start_server(),
        ) from exc
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout or "").splitlines() if line.strip()]
        said = (
            lines[0] if lines else tr("exit status {code}").format(code=done.returncode)
        )  # the rest repeats it
        if "connection" in said.casefold():  # "Connection failure: Connection refused"
            raise OutputError(
                tr("No PulseAudio or PipeWire sound server is running ({said}).").format(said=said),
                start_server(),
            )
        raise OutputError(
            tr("{command} failed: {said}.").format(command="pactl " + " ".join(args), said=said),
            start_server(),
        )
    return done.stdout


def list_sinks(runner: Runner = run_pactl) -> list[str]:
    """The names of the sound server's sinks (its output devices)."""
    names = []
    for line in pactl(["list", "short", "sinks"], runner).splitlines():
        fields = line.split("\t")
        if len(fields) > 1 and fields[1]:
            names.append(fields[1])
    return names


def _modules(runner: Runner) -> dict[int, tuple[str, str]]:
    found = {}
    for line in pactl(["list", "short", "modules"], runner).splitlines():
        fields = line.split("\t")
        if len(fields) > 1 and fields[0].strip().isdigit():
            found[int(fields[0])] = (fields[1], fields[2] if len(fields) > 2 else "")
    return found


def create_null_sink(
    name: str = SINK_NAME, description: str = SINK_DESCRIPTION, runner: Runner = run_pactl
) -> NullSink:
    """The sink ``name``, loaded now unless it exists already (then ``module`` is None)."""
    if name in list_sinks(runner):
        return NullSink(name, None)
    # The quotes keep the space in the name other apps show; PipeWire's pactl reads them too.
    out = pactl(
        [
            "load-module",
            "module-null-sink",
            f"sink_name={name}",
            f"sink_properties=\"device.description='{description}'\"",
        ],
        runner,
    )
    try:
        module = int(out.strip().splitlines()[-1])
    except (IndexError, ValueError) as exc:
        raise OutputError(
            tr("pactl loaded no module for {name} (it said '{said}').").format(name=name, said=out.strip()),
            start_server(),
        ) from exc
    return NullSink(name, module)


def remove_null_sink(sink: NullSink, runner: Runner = run_pactl) -> bool:
    """Unload the module Studio loaded for ``sink``; True when it was unloaded.

    Module numbers are reused after a server restart, so the module is unloaded only while it
    is still a null sink with this sink's name.
    """
    if sink.module is None:
        return False
    module = _modules(runner).get(sink.module)
    if module is None or module[0] != "module-null-sink" or f"sink_name={sink.name}" not in module[1].split():
        return False
    pactl(["unload-module", str(sink.module)], runner)
    return True


def voice_env(sink_name: str = SINK_NAME, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment that sends a process's PulseAudio/PipeWire playback (PortAudio's 'pulse'
    and 'default' devices included) to ``sink_name``."""
    return {**(base or {}), "PULSE_SINK": sink_name}


def names_voice_sink(device: str | None) -> bool:
    """Whether an audio-out choice (``--audio-out``, the Live page) means Studio Voice."""
    return device is not None and device.strip().casefold() in (SINK_NAME, SINK_DESCRIPTION.casefold())


def own_playback(pid: int, runner: Runner = run_pactl) -> list[int]:
    """The sink inputs (playback streams) the process ``pid`` has open on the sound server."""
    found, current = [], None
    for line in pactl(["list", "sink-inputs"], runner).splitlines():
        text = line.strip()
        if text.startswith("Sink Input #"):
            current = int(text.removeprefix("Sink Input #")) if text[12:].isdigit() else None
        elif (
            text.startswith("application.process.id = ")
            and current is not None
            and text.partition("=")[2].strip().strip('"') == str(pid)
        ):
            found.append(current)
    return found


def send_own_playback_to(
    sink_name: str = SINK_NAME, pid: int | None = None, wait_s: float = 2.0, runner: Runner = run_pactl
) -> int:
    """Move this process's playback to ``sink_name`` (what pavucontrol's Playback tab does by
    hand); how many streams were moved. The sound server shows a stream a moment after PortAudio
    starts it, so this waits up to ``wait_s`` for one."""
    if sink_name not in list_sinks(runner):
        raise OutputError(
            tr("There is no {sink} sink to send the voice to.").format(sink=SINK_DESCRIPTION),
            tr("Create it with 'Create {sink}' on the app's Live page, or: {command}").format(
                sink=SINK_DESCRIPTION, command=f"pactl load-module module-null-sink sink_name={SINK_NAME}"
            ),
        )
    pid = os.getpid() if pid is None else pid
    deadline = time.monotonic() + wait_s
    streams = own_playback(pid, runner)
    while not streams and time.monotonic() < deadline:
        time.sleep(0.05)
        streams = own_playback(pid, runner)
    if not streams:
        raise OutputError(
            tr("Studio's sound did not reach the sound server, so it cannot go to {sink}.").format(
                sink=SINK_DESCRIPTION
            ),
            tr("Install ALSA's PulseAudio plugin (sudo apt install libasound2-plugins), then start again."),
        )
    for stream in streams:
        pactl(["move-sink-input", str(stream), sink_name], runner)
    return len(streams)
