"""The fixes Studio runs itself on Linux: the virtual camera's setup script as root through
pkexec (polkit's password dialog), and the Studio Voice null sink through pactl.

Each returns one line saying what is now there, or raises ``OutputError`` with one line for
the problem and one for the fix: pkexec missing, the password dialog cancelled, the script
failing (its own last line says why).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence

from studio.outputs.base import OutputError
from studio.outputs.null_sink import SINK_DESCRIPTION, NullSink, Runner, create_null_sink, run_pactl
from studio.outputs.readiness import Action
from studio.outputs.vcam import STUDIO_CAMERA_LABEL
from studio.translation import tr

SETUP_TIMEOUT_S = 600  # installing v4l2loopback builds a kernel module: minutes, not hours
# pkexec's own exit statuses (pkexec(1)): the dialog dismissed; not authorised or no agent.
PKEXEC_DISMISSED = 126
PKEXEC_REFUSED = 127

Which = Callable[[str], str | None]
CommandRunner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


def run_command(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, timeout=SETUP_TIMEOUT_S, check=False)


def vcam_setup_command(script: str, which: Which = shutil.which) -> list[str]:
    """The command the button runs: pkexec wants absolute paths, and runs nothing from PATH."""
    pkexec = which("pkexec")
    if pkexec is None:
        raise OutputError(
            tr("pkexec was not found: Studio cannot ask for the password to set up the {camera}.").format(
                camera=STUDIO_CAMERA_LABEL
            ),
            tr("Run this in a terminal: {command}").format(command=f"sudo bash {script}"),
        )
    return [pkexec, which("bash") or "/bin/bash", script]


def run_vcam_setup(script: str, runner: CommandRunner = run_command, which: Which = shutil.which) -> str:
    command = vcam_setup_command(script, which)
    in_terminal = f"sudo bash {script}"
    try:
        done = runner(command)
    except subprocess.TimeoutExpired as exc:
        raise OutputError(
            tr("Setting up the {camera} was stopped after {minutes} minutes.").format(
                camera=STUDIO_CAMERA_LABEL, minutes=SETUP_TIMEOUT_S // 60
            ),
            tr("To see where it stops, run this in a terminal: {command}").format(command=in_terminal),
        ) from exc
    except OSError as exc:
        raise OutputError(
            tr("pkexec could not be started ({error}).").format(error=exc),
            tr("Instead, run this in a terminal: {command}").format(command=in_terminal),
        ) from exc
    said = _last_line(done.stderr) or _last_line(done.stdout)
    if done.returncode == PKEXEC_DISMISSED:
        raise OutputError(
            tr("The password dialog was cancelled, so the {camera} was not created.").format(
                camera=STUDIO_CAMERA_LABEL
            ),
            tr("Click the button again and enter your password, or run this in a terminal: {command}").format(
                command=in_terminal
            ),
        )
    if done.returncode == PKEXEC_REFUSED:
        raise OutputError(
            tr("Permission to create the {camera} was refused ({said}).").format(
                camera=STUDIO_CAMERA_LABEL, said=said or tr("pkexec said no")
            ),
            tr("Use an administrator account, or run this in a terminal: {command}").format(
                command=in_terminal
            ),
        )
    if done.returncode != 0:
        raise OutputError(
            tr("Setting up the {camera} failed: {said}").format(
                camera=STUDIO_CAMERA_LABEL, said=said or tr("exit status {code}").format(code=done.returncode)
            ),
            tr("To see every step, run this in a terminal: {command}").format(command=in_terminal),
        )
    device = _last_line(done.stdout)
    if device.startswith("/dev/"):
        return tr("The {camera} is ready: {device}").format(camera=STUDIO_CAMERA_LABEL, device=device)
    return tr("The {camera} is ready.").format(camera=STUDIO_CAMERA_LABEL)


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1].removeprefix("setup-virtual-camera: ") if lines else ""


def create_voice_sink(runner: Runner = run_pactl) -> tuple[str, NullSink]:
    sink = create_null_sink(runner=runner)
    if sink.module is None:
        said = tr("{sink} was there already: apps take 'Monitor of {sink}' as their microphone.")
    else:
        said = tr("{sink} is ready: apps take 'Monitor of {sink}' as their microphone.")
    return said.format(sink=SINK_DESCRIPTION), sink


def run_fix(
    action: Action,
    setup_script: str | None,
    *,
    runner: CommandRunner = run_command,
    pactl_runner: Runner = run_pactl,
    which: Which = shutil.which,
) -> str:
    """Run the fix ``action`` names (one of ``readiness.Fix.action``); one line on success."""
    if action == "vcam_setup":
        if setup_script is None:
            raise OutputError(
                tr("The {camera}'s setup script is not installed with this copy of Studio.").format(
                    camera=STUDIO_CAMERA_LABEL
                ),
                tr(
                    "Install v4l2loopback with your package manager and load it "
                    "(see README, 'Install the app')."
                ),
            )
        return run_vcam_setup(setup_script, runner, which)
    if action == "voice_sink":
        return create_voice_sink(pactl_runner)[0]
    raise OutputError(
        tr("Studio cannot run the fix '{action}' itself.").format(action=action),
        tr("Follow the fix's words instead."),
    )
