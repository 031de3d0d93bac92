"""Shared avatar-library fixtures, loaded with ``pytest_plugins = ["avatar_fixtures"]``.

``seeded`` builds a library once per test module: avatar "Ana" (consent by Ana Lima) from
the astronaut photo, or the (name, consent_by) pairs a module lists in ``SEED_AVATARS``.
``library`` (and ``lib``, its root folder) is a fresh copy of it for each test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from avatar_photos import one_face

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary

DEFAULT_SEED = (("Ana", "Ana Lima"),)


@pytest.fixture(scope="module")
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library built once per module and copied per test."""
    root = tmp_path_factory.mktemp("seed") / "library"
    photo = one_face(tmp_path_factory.mktemp("seed_photos"))
    library = AvatarLibrary(root)
    for name, consent_by in getattr(request.module, "SEED_AVATARS", DEFAULT_SEED):
        create_from_photo(photo, name, consent_by, library)
    return root


@pytest.fixture
def library(seeded: Path, tmp_path: Path) -> AvatarLibrary:
    root = tmp_path / "library"
    shutil.copytree(seeded, root)
    return AvatarLibrary(root)


@pytest.fixture
def lib(library: AvatarLibrary) -> Path:
    """The root folder of ``library`` (what the CLI's --library takes)."""
    return library.root


@pytest.fixture
def photos(tmp_path: Path) -> Path:
    folder = tmp_path / "photos"
    folder.mkdir()
    return folder
