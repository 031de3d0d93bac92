"""The Linux fixes Studio runs: the setup script through pkexec (here a stand-in pkexec on
PATH that answers as the real one does: 126 for a dismissed dialog, 127 for a refusal, else
the script's own status), and what each outcome tells the user in one line."""

from __future__ import annotations

import shutil
import stat
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from studio.outputs.base import OutputError
from studio.outputs.readiness_fixes import run_fix, run_vcam_setup, vcam_setup_command

REPO = Path(__file__).resolve().parents[1]
SCRIPT = str(REPO / "installers" / "linux" / "setup-virtual-camera.sh")


def _fake_pkexec(folder: Path, status: int, stdout: str = "", stderr: str = "") -> Path:
    """A pkexec that writes its arguments to args.txt, prints what it is told, and exits."""
    folder.mkdir(exist_ok=True)
    exe = folder / "pkexec"
    exe.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{folder}/args.txt"\n'
        f"printf '%s' '{stdout}'\n"
        f"printf '%s' '{stderr}' >&2\n"
        f"exit {status}\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return folder


def _which_in(folder: Path) -> object:
    def which(name: str) -> str | None:
        return shutil.which(name, path=f"{folder}:/usr/bin:/bin")

    return which


def test_the_button_runs_the_script_as_root_through_pkexec_with_absolute_paths(tmp_path: Path) -> None:
    folder = _fake_pkexec(
        tmp_path / "bin", 0, "setup-virtual-camera: the Studio Camera is ready: /dev/video10\n/dev/video10\n"
    )

    said = run_vcam_setup(SCRIPT, which=_which_in(folder))  # type: ignore[arg-type]

    assert said == "The Studio Camera is ready: /dev/video10"
    bash = shutil.which("bash", path="/usr/bin:/bin")
    assert (folder / "args.txt").read_text().splitlines() == [bash, SCRIPT]
    assert vcam_setup_command(SCRIPT, _which_in(folder)) == [str(folder / "pkexec"), bash, SCRIPT]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "stderr", "problem", "hint_start"),
    [
        (
            126,
            "",
            "The password dialog was cancelled, so the Studio Camera was not created.",
            "Click the button again",
        ),
        (
            127,
            "Error executing command as another user: No authentication agent found.",
            "Permission to create the Studio Camera was refused (Error executing command as another user: "
            "No authentication agent found.).",
            "Use an administrator account",
        ),
        (
            1,
            "setup-virtual-camera: could not load v4l2loopback. With Secure Boot on, sign it",
            "Setting up the Studio Camera failed: could not load v4l2loopback. With Secure Boot on, sign it",
            "To see every step",
        ),
    ],
)
def test_each_way_the_setup_can_fail_is_one_line(
    tmp_path: Path, status: int, stderr: str, problem: str, hint_start: str
) -> None:
    folder = _fake_pkexec(tmp_path / "bin", status, stderr=stderr)

    with pytest.raises(OutputError) as exc:
        run_fix("vcam_setup", SCRIPT, which=_which_in(folder))  # type: ignore[arg-type]

    assert exc.value.problem == problem
    assert exc.value.hint.startswith(hint_start)
    assert exc.value.hint.endswith(f"sudo bash {SCRIPT}")
    assert "\n" not in exc.value.problem + exc.value.hint


def test_without_pkexec_the_line_gives_the_terminal_command() -> None:
    calls: list[Sequence[str]] = []

    def runner(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        calls.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")

    with pytest.raises(OutputError) as exc:
        run_fix("vcam_setup", SCRIPT, runner=runner, which=lambda _name: None)

    assert (
        exc.value.problem
        == "pkexec was not found: Studio cannot ask for the password to set up the Studio Camera."
    )
    assert exc.value.hint == f"Run this in a terminal: sudo bash {SCRIPT}"
    assert calls == []  # nothing ran


def test_a_setup_that_hangs_is_stopped_with_one_line() -> None:
    def runner(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        raise subprocess.TimeoutExpired(list(command), 600)

    with pytest.raises(OutputError) as exc:
        run_vcam_setup(SCRIPT, runner, which=lambda name: f"/usr/bin/{name}")

    assert exc.value.problem == "Setting up the Studio Camera was stopped after 10 minutes."


def test_without_the_script_the_fix_says_what_to_install() -> None:
    with pytest.raises(OutputError) as exc:
        run_fix("vcam_setup", None)
    assert "setup script is not installed" in exc.value.problem
    with pytest.raises(OutputError):
        run_fix("", SCRIPT)
