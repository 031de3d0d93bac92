"""``studio`` alone and ``studio app`` open the app; no other verb loads Qt; headless says why."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.cli.app_cmd import display_problem

ROOT = Path(__file__).resolve().parent.parent


def _env(**changes: str | None) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(key, None)
    for key, value in changes.items():
        if value is not None:
            env[key] = value
    return env


def _run(code: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


@pytest.mark.parametrize(
    ("env", "system", "ok"),
    [
        ({}, "Linux", False),
        ({"DISPLAY": ":0"}, "Linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "Linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "Linux", True),
        ({}, "Windows", True),
        ({}, "Darwin", True),
        ({}, "FreeBSD", False),
    ],
)
def test_display_problem(env: dict[str, str], system: str, ok: bool) -> None:
    problem = display_problem(env, system)
    assert (problem is None) is ok
    if problem:
        assert "DISPLAY" in problem


def test_studio_alone_on_a_headless_machine_says_what_to_run_without_loading_qt() -> None:
    result = _run(
        "import sys\n"
        "from studio.cli.main import main\n"
        "code = main([])\n"
        "print('QT LOADED' if 'PySide6' in sys.modules else 'qt not loaded')\n"
        "sys.exit(code)",
        _env(),
    )
    assert result.returncode == 2
    assert "no display found" in result.stderr
    assert "studio render --avatar demo" in result.stderr
    assert "Traceback" not in result.stderr
    assert "qt not loaded" in result.stdout


@pytest.mark.parametrize("argv", [["--help"], ["voices", "--offline"], ["avatar", "list"], ["devices"]])
def test_other_verbs_never_import_qt(argv: list[str], tmp_path: Path) -> None:
    if argv[0] == "avatar":
        argv = [*argv, "--library", str(tmp_path)]
    result = _run(
        "import sys, contextlib, io\n"
        "from studio.cli.main import main\n"
        f"argv = {argv!r}\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'studio.ui'))))",
        _env(DISPLAY=":99"),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_studio_app_opens_a_window_and_is_ready(tmp_path: Path) -> None:
    settings = tmp_path / "config" / "settings.json"
    result = _run(
        "import sys\n"
        "from studio.cli.main import main\n"
        f"sys.exit(main(['app', '--exit-when-ready', '--settings', {str(settings)!r}, "
        f"'--library', {str(tmp_path / 'avatars')!r}]))",
        _env(QT_QPA_PLATFORM="offscreen"),
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "ready in" in result.stdout
    assert settings.is_file()  # the first run writes its defaults (the demo avatar selected)
