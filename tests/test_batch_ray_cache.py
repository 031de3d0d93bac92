"""A Ray worker's avatar cache lives in the shared temporary folder under a name anyone can
guess: a folder another user made there first (or a link) is refused, never written into."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from studio.avatar.library import demo_package_path
from studio.batch.manifest import package_hash, package_parts
from studio.batch.ray_cluster import _cached_package
from studio.errors import InputError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and owners are POSIX's")


@pytest.fixture
def parts() -> tuple[str, dict[str, bytes]]:
    folder = demo_package_path()
    return package_hash(folder), {p.name: p.read_bytes() for p in package_parts(folder)}


def test_the_package_is_cached_in_a_private_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: tuple[str, dict[str, bytes]]
) -> None:
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    folder = _cached_package(*parts)
    assert package_hash(folder) == parts[0]
    assert folder.parent.stat().st_mode & 0o077 == 0 and folder.parent.stat().st_uid == os.getuid()
    assert _cached_package(*parts) == folder  # the second job of the node finds it


@pytest.mark.parametrize("planted", ["open folder", "link"])
def test_a_cache_folder_planted_by_someone_else_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: tuple[str, dict[str, bytes]], planted: str
) -> None:
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path))
    root = tmp_path / f"studio-batch-avatars-{os.getuid()}"
    if planted == "link":
        (tmp_path / "elsewhere").mkdir()
        root.symlink_to(tmp_path / "elsewhere")
    else:
        root.mkdir()
        root.chmod(0o777)  # as another user's folder would be, writable by all
    with pytest.raises(InputError, match="not private"):
        _cached_package(*parts)
    assert not any((tmp_path / "elsewhere").iterdir()) if planted == "link" else not any(root.iterdir())
