"""Atomic writes: readers see the old file or the new one, never a half-written one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from studio.storage.atomic import atomic_dir, atomic_file, atomic_write_json, try_lock


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "settings.json"
    atomic_write_json(target, {"version": 1})
    with pytest.raises(RuntimeError), atomic_file(target) as tmp:
        tmp.write_text('{"version": 2, "trunc', encoding="utf-8")
        raise RuntimeError("crash mid-write")
    assert target.read_text(encoding="utf-8").strip() == '{\n  "version": 1\n}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_a_folder_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "avatar"
    with pytest.raises(KeyboardInterrupt), atomic_dir(target) as tmp:
        (tmp / "image.png").write_bytes(b"half")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with atomic_dir(target) as tmp:
        (tmp / "image.png").write_bytes(b"whole")
    assert (target / "image.png").read_bytes() == b"whole"


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600)])
def test_finished_files_follow_the_users_umask(tmp_path: Path, umask: int, mode: int) -> None:
    target = tmp_path / "out.mp4"
    code = (
        "import os, sys\n"
        f"os.umask({umask})\n"
        "from pathlib import Path\n"
        "from studio.storage.atomic import atomic_write_bytes\n"
        "atomic_write_bytes(Path(sys.argv[1]), b'x')\n"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", code, str(target)], cwd=root, check=True)
    assert target.stat().st_mode & 0o777 == mode


@pytest.mark.skipif(os.name != "posix", reason="an open file cannot be removed on Windows anyway")
def test_the_temporary_file_is_locked_while_it_is_written(tmp_path: Path) -> None:
    target = tmp_path / "out.mp4"
    with atomic_file(target, ".mp4") as tmp:
        tmp.write_bytes(b"being written")
        with pytest.raises(BlockingIOError):
            try_lock(tmp)  # what a second writer's clean-up tries before it removes a leftover
    os.close(try_lock(target))  # let go once it is the target
    assert target.read_bytes() == b"being written"
