"""The app starts whatever is in its settings file: damage is set aside, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("content", [b"[" * 100_000, b'{"outputs": ' * 60_000], ids=["arrays", "objects"])
def test_the_app_starts_with_a_deeply_nested_settings_file(tmp_path: Path, content: bytes) -> None:
    settings = tmp_path / "settings.json"
    settings.write_bytes(content)  # crashed the app with RecursionError before it opened
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    code = (
        "import sys\n"
        "from studio.cli.main import main\n"
        f"sys.exit(main(['app', '--exit-when-ready', '--settings', {str(settings)!r}, "
        f"'--library', {str(tmp_path / 'avatars')!r}]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert "ready in" in result.stdout and "Traceback" not in result.stderr
    assert (tmp_path / "settings.json.damaged").read_bytes() == content  # kept for the user
