"""AvatarLibrary: listing, lookup, the demo package and deletion."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from avatar_photos import snapshot
from consent_helpers import reseal

from studio.avatar.library import AvatarLibrary, default_library_root, demo_package_path
from studio.avatar.package import IMAGE, LANDMARKS, MANIFEST
from studio.errors import InputError

pytest_plugins = ["avatar_fixtures"]
SEED_AVATARS = [("Ana", "Ana Lima"), ("bruno", "Bruno Costa")]


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
        (lambda p: (p / MANIFEST).write_text("[]"), "manifest.json holds a list, not an object"),
        (lambda p: (p / MANIFEST).write_text('"x"'), "manifest.json holds a string, not an object"),
        (lambda p: (p / MANIFEST).write_text("null"), "manifest.json holds null, not an object"),
        (lambda p: edit_manifest(p, name=7), "'name' is a number, not a string"),
        (lambda p: edit_manifest(p, consent=[]), "'consent' is a list, not an object"),
        (lambda p: edit_manifest(p, consent={"name": "Ana"}), "has no 'consent.statement'"),
        (lambda p: edit_manifest(p, image_size="512x512"), "'image_size' is '512x512'"),
        (lambda p: edit_manifest(p, image_size=[512]), "not [width, height]"),
        (lambda p: edit_manifest(p, face=[1, 2]), "'face' is a list, not an object"),
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


def edit_manifest(folder: Path, **changes: object) -> None:
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    data.update(changes)
    (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")


def test_load_error_is_one_line_with_fix(library):
    (library.root / "Ana" / MANIFEST).write_text("[]")
    with pytest.raises(InputError) as info:
        library.load("Ana")
    assert "\n" not in str(info.value)
    assert info.value.problem.startswith(f"the avatar at {library.root / 'Ana'} is damaged (")
    assert info.value.hint == "Delete it with 'studio avatar delete' and create it again."


def scale_landmarks(folder: Path, factor: float) -> None:
    np.save(folder / LANDMARKS, np.load(folder / LANDMARKS) * factor)


def set_landmark(folder: Path, value: float) -> None:
    marks = np.load(folder / LANDMARKS)
    marks[17, 1] = value
    np.save(folder / LANDMARKS, marks)


def resize_image(folder: Path, size: tuple[int, int]) -> None:
    from PIL import Image

    with Image.open(folder / IMAGE) as im:
        im.resize(size).save(folder / IMAGE)


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda p: set_landmark(p, np.nan), "malformed landmarks (1 of 478 are not finite numbers)"),
        (lambda p: set_landmark(p, np.inf), "malformed landmarks (1 of 478 are not finite numbers)"),
        (lambda p: scale_landmarks(p, 100), "lie outside its 512x512 image"),
        (lambda p: scale_landmarks(p, -1), "lie outside its 512x512 image"),
        (lambda p: set_landmark(p, 512 * 1.2), "(1 of 478 lie outside its 512x512 image, e.g. #17"),
        (lambda p: resize_image(p, (256, 256)), "image.png is 256x256, its manifest says 512x512"),
        (lambda p: resize_image(p, (512, 400)), "image.png is 512x400, its manifest says 512x512"),
        (lambda p: edit_manifest(p, image_size=[1024, 1024]), "its manifest says 1024x1024"),
        (lambda p: np.save(p / LANDMARKS, np.array(["a"] * 3)), "is damaged"),
        (lambda p: (p / IMAGE).write_bytes(b"not a png"), "is damaged"),
    ],
)
def test_inconsistent_package_fails_load(library, damage, problem):
    """Data that would crash the renderer deep inside, or render a garbled face."""
    damage(library.root / "Ana")
    with pytest.raises(InputError) as info:
        library.load("Ana")
    assert problem in info.value.problem
    assert "\n" not in str(info.value)


def test_landmarks_just_outside_the_image_still_load(library):
    # MediaPipe puts landmarks of a face cut by the frame edge slightly beyond it.
    set_landmark(library.root / "Ana", 512 * 1.05)
    reseal(library.root / "Ana")  # as MediaPipe placed them when the package was made
    assert library.load("Ana").landmarks[17, 1] == pytest.approx(512 * 1.05)


def test_damaged_hint_fits_how_the_avatar_was_given(library, tmp_path):
    package = tmp_path / "elsewhere" / "pkg"
    shutil.copytree(library.root / "Ana", package)
    for folder in (package, library.root / "Ana"):
        (folder / MANIFEST).write_text('"x"')
    with pytest.raises(InputError) as info:
        library.load(str(package))  # a folder outside the library cannot be 'avatar delete'd
    assert info.value.hint == "Recreate the package from its photo with 'studio avatar create'."
    for ref in ("Ana", "ana", str(library.root / "Ana")):
        with pytest.raises(InputError) as info:
            library.load(ref)
        assert info.value.hint == "Delete it with 'studio avatar delete' and create it again.", ref


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
