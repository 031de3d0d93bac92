"""AvatarLibrary: listing, lookup, the demo package and deletion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from avatar_photos import one_face, snapshot

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary, default_library_root, demo_package_path
from studio.avatar.package import IMAGE, LANDMARKS, MANIFEST
from studio.errors import InputError


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "library"
    photo = one_face(tmp_path_factory.mktemp("photos"))
    library = AvatarLibrary(root)
    create_from_photo(photo, "Ana", "Ana Lima", library)
    create_from_photo(photo, "bruno", "Bruno Costa", library)
    return root


@pytest.fixture
def library(seeded, tmp_path) -> AvatarLibrary:
    root = tmp_path / "library"
    shutil.copytree(seeded, root)
    return AvatarLibrary(root)


def test_default_root_is_user_data_folder():
    root = default_library_root()
    assert root.name == "avatars" and root.parent.name == "Studio"
    assert AvatarLibrary().root == root


def test_list_sorted_with_manifests(library):
    listed = library.list()
    assert [m.name for m in listed] == ["Ana", "bruno"]
    assert [m.consent.name for m in listed] == ["Ana Lima", "Bruno Costa"]
    assert not any(m.is_damaged for m in listed)


def test_list_of_missing_or_empty_library(tmp_path):
    assert AvatarLibrary(tmp_path / "nothing").list() == []
    assert AvatarLibrary(tmp_path).list() == []


def test_list_ignores_partial_and_hidden_entries(library):
    (library.root / ".Cleo.abc123.partial").mkdir()
    (library.root / ".Cleo.abc123.partial" / MANIFEST).write_text("{")
    (library.root / ".DS_Store").write_bytes(b"\0")
    (library.root / "stray.txt").write_text("not a package")
    assert [m.name for m in library.list()] == ["Ana", "bruno"]
    assert not library.exists("Cleo")


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda p: (p / MANIFEST).write_text("{ not json"), "unreadable manifest"),
        (lambda p: (p / MANIFEST).unlink(), "manifest.json is missing"),
        (lambda p: (p / LANDMARKS).unlink(), "landmarks.npy is missing"),
        (lambda p: (p / IMAGE).unlink(), "image.png is missing"),
        (lambda p: (p / MANIFEST).write_text('{"schema_version": 1}'), "unreadable manifest"),
        (
            lambda p: (p / MANIFEST).write_text('{"schema_version": 99, "name": "Ana"}'),
            "schema version 99",
        ),
    ],
)
def test_damaged_package_is_listed_not_fatal(library, damage, problem):
    damage(library.root / "Ana")
    listed = {m.name: m for m in library.list()}
    assert listed["Ana"].is_damaged
    assert problem in listed["Ana"].source_note
    assert not listed["bruno"].is_damaged
    with pytest.raises(InputError):
        library.load("Ana")
    library.delete("Ana")  # damaged biometric data can still be removed
    assert [m.name for m in library.list()] == ["bruno"]


def test_malformed_landmarks_fail_load(library):
    np.save(library.root / "Ana" / LANDMARKS, np.zeros((10, 3), np.float32))
    with pytest.raises(InputError, match="malformed landmarks"):
        library.load("Ana")


def test_exists_and_path_for(library):
    assert library.exists("Ana") and library.exists("ANA") and library.exists(" Ana ")
    assert not library.exists("Zoe") and not library.exists("../Ana") and not library.exists("")
    assert library.path_for("ana") == library.root / "Ana"
    assert library.path_for("Zoe") == library.root / "Zoe"
    with pytest.raises(InputError):
        library.path_for("../x")


def test_resolve_name_path_and_demo(library, tmp_path):
    assert library.resolve("Ana") == library.root / "Ana"
    assert library.resolve(str(library.root / "bruno")) == library.root / "bruno"
    assert library.resolve("demo") == demo_package_path()


def test_resolve_unknown_lists_names(library, tmp_path):
    with pytest.raises(InputError, match="no avatar called 'Zoe'") as info:
        library.resolve("Zoe")
    assert "Ana, bruno" in info.value.hint
    with pytest.raises(InputError, match="not an avatar package"):
        library.resolve(str(tmp_path))


def test_demo_package_is_committed_and_loads(library):
    avatar = library.load("demo")
    assert avatar.name == "demo"
    assert avatar.image.shape == (512, 512, 3)
    assert avatar.landmarks.shape == (478, 3)
    consent = avatar.manifest.consent
    assert consent.method == "public-domain"
    assert consent.name == "NASA (public-domain portrait of Eileen Collins)"
    assert "scikit-image" in avatar.manifest.source_note
    assert "public domain" in avatar.manifest.source_note
    assert abs(avatar.manifest.face["pose_degrees"]["yaw"]) < 5
    assert (demo_package_path().parent / "SOURCE.md").is_file()


def test_load_returns_avatar(library):
    avatar = library.load("bruno")
    assert avatar.manifest.consent.name == "Bruno Costa"
    assert avatar.path == library.root / "bruno"


def test_delete_removes_whole_folder(library):
    folder = library.root / "Ana"
    (folder / "extra-cache.bin").write_bytes(b"face data")
    assert library.delete("ana") == folder
    assert not folder.exists()
    assert snapshot(library.root) == sorted(
        ["bruno", "bruno/image.png", "bruno/landmarks.npy", "bruno/manifest.json"]
    )


def test_delete_renames_before_removing(library, monkeypatch):
    import studio.avatar.library as lib

    seen: list[str] = []
    real_rmtree = shutil.rmtree

    def spy(path, *args, **kwargs):
        seen.append(Path(path).name)
        assert not (library.root / "Ana").exists()  # already gone from the library
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(lib.shutil, "rmtree", spy)
    library.delete("Ana")
    assert len(seen) == 1 and seen[0].startswith(".Ana.") and seen[0].endswith(".partial")


@pytest.mark.parametrize("name", ["Zoe", "", "../library", "demo", "."])
def test_delete_unknown_lists_names(library, name):
    before = snapshot(library.root)
    with pytest.raises(InputError, match="no avatar called") as info:
        library.delete(name)
    assert "Existing avatars: Ana, bruno" in info.value.hint
    assert snapshot(library.root) == before


def test_delete_in_empty_library_says_none(tmp_path):
    with pytest.raises(InputError) as info:
        AvatarLibrary(tmp_path).delete("x")
    assert "none yet" in info.value.hint


def test_manifest_round_trips(library):
    data = json.loads((library.root / "Ana" / MANIFEST).read_text(encoding="utf-8"))
    m = library.load("Ana").manifest
    assert m.to_json() == data
