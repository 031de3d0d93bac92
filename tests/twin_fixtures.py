"""A franck twin built once per test session, for the renderer's, planner's and app's tests.

``franck_twin_avatar``: the Avatar (kind "twin") built by ``build_twin`` from franck's first
60 s (cut without re-encoding); ``franck_twin``: its ``TwinData`` as ``load_twin`` reads it;
``franck20``: his first 20 s, the shortest clip a twin builds from (15 s usable, his closed
and open mouth), for tests that build many times; ``library_state``: a function that lists
every entry of a folder, to tell that a failed or cancelled build left a library exactly as it was.
Use with ``pytest_plugins = ["twin_fixtures"]``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from footage import footage
from twin_footage_clips import trimmed

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.tasks import CancelToken, no_progress
from studio.twin.data import TwinData

FRANCK_SECONDS = 60.0
Snapshot = dict[str, tuple[bool, int, int, int]]


@pytest.fixture(scope="session")
def franck_twin_avatar(tmp_path_factory: pytest.TempPathFactory) -> Avatar:
    from studio.twin.build import TwinRequest, build_twin

    folder = tmp_path_factory.mktemp("franck_twin")
    clip = trimmed(footage("franck.webm"), folder / "franck60.webm", FRANCK_SECONDS)
    library = AvatarLibrary(folder / "library")
    return build_twin(TwinRequest(clip, "Franck", "Franck Test"), library, no_progress, CancelToken())


@pytest.fixture(scope="session")
def franck_twin(franck_twin_avatar: Avatar) -> TwinData:
    from studio.twin.store import load_twin

    return load_twin(franck_twin_avatar.path)


@pytest.fixture(scope="session")
def jon_twin_avatar(tmp_path_factory: pytest.TempPathFactory) -> Avatar:
    """A twin of a man talking with his own voice (psychopy's testMovie.mp4, 7.8 s). No registry
    clip with a voice is long enough for a real build, so the length and mouth-shape demands are
    lowered: the twin knows only 7.8 s of his mouths, but they are speech, and they open."""
    from studio.twin.build import TwinRequest, build_twin

    library = AvatarLibrary(tmp_path_factory.mktemp("jon_twin") / "library")
    request = TwinRequest(footage("testMovie.mp4"), "Jon", "Jon Peirce", min_usable_s=4.0, check_shapes=False)
    return build_twin(request, library, no_progress, CancelToken())


@pytest.fixture(scope="session")
def franck20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return trimmed(footage("franck.webm"), tmp_path_factory.mktemp("franck20") / "franck20.webm", 20.0)


@pytest.fixture(scope="session")
def library_state() -> Callable[[Path], Snapshot]:
    return snapshot


def snapshot(root: Path) -> Snapshot:
    """Every entry under ``root``, hidden ones too: kind, size, mode and modification time."""
    out: Snapshot = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            info = path.lstat()
            out[str(path.relative_to(root))] = (path.is_dir(), info.st_size, info.st_mode, info.st_mtime_ns)
    return out
