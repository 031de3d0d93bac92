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
            f"pkexec was not found: Studio cannot ask for the password to set up the {STUDIO_CAMERA_LABEL}.",
            f"Run this in a terminal: sudo bash {script}",
        )
    return [pkexec, which("bash") or "/bin/bash", script]


def run_vcam_setup(script: str, runner: CommandRunner = run_command, which: Which = shutil.which) -> str:
    command = vcam_setup_command(script, which)
    in_terminal = f"run this in a terminal: sudo bash {script}"
    try:
        done = runner(command)
    except subprocess.TimeoutExpired as exc:
        raise OutputError(
            f"Setting up the {STUDIO_CAMERA_LABEL} was stopped after {SETUP_TIMEOUT_S // 60} minutes.",
            f"To see where it stops, {in_terminal}",
        ) from exc
    except OSError as exc:
        raise OutputError(f"pkexec could not be started ({exc}).", f"Instead, {in_terminal}") from exc
    said = _last_line(done.stderr) or _last_line(done.stdout)
    if done.returncode == PKEXEC_DISMISSED:
        raise OutputError(
            f"The password dialog was cancelled, so the {STUDIO_CAMERA_LABEL} was not created.",
            f"Click the button again and enter your password, or {in_terminal}",
        )
    if done.returncode == PKEXEC_REFUSED:
        raise OutputError(
            f"Permission to create the {STUDIO_CAMERA_LABEL} was refused ({said or 'pkexec said no'}).",
            f"Use an administrator account, or {in_terminal}",
        )
    if done.returncode != 0:
        raise OutputError(
            f"Setting up the {STUDIO_CAMERA_LABEL} failed: {said or f'exit status {done.returncode}'}",
            f"To see every step, {in_terminal}",
        )
    device = _last_line(done.stdout)
    return f"The {STUDIO_CAMERA_LABEL} is ready{f': {device}' if device.startswith('/dev/') else '.'}"


def _last_line(text: str | None) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1].removeprefix("setup-virtual-camera: ") if lines else ""


def create_voice_sink(runner: Runner = run_pactl) -> tuple[str, NullSink]:
    sink = create_null_sink(runner=runner)
    made = "was there already" if sink.module is None else "is ready"
    return f"{SINK_DESCRIPTION} {made}: apps take 'Monitor of {SINK_DESCRIPTION}' as their microphone.", sink


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
                f"The {STUDIO_CAMERA_LABEL}'s setup script is not installed with this copy of Studio.",
                "Install v4l2loopback with your package manager and load it (see README, 'Install the app').",
            )
        return run_vcam_setup(setup_script, runner, which)
    if action == "voice_sink":
        return create_voice_sink(pactl_runner)[0]
    raise OutputError(f"Studio cannot run the fix '{action}' itself.", "Follow the fix's words instead.")
