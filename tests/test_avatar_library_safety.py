"""The library touches only the avatar packages Studio made (issue 11 §2), keeps names unique
in any case even when creates race, counts name limits in bytes, and keeps its files private.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path

import numpy as np
import pytest
from avatar_photos import one_face, snapshot
from cli_output import one_error_line

from studio.avatar import create as create_module
from studio.avatar.create import (
    analyse_photo,
    check_new_avatar,
    create_from_photo,
    make_consent,
    write_avatar,
)
from studio.avatar.library import AvatarLibrary, demo_package_path
from studio.avatar.names import MAX_NAME_BYTES
from studio.avatar.package import IMAGE, LANDMARKS, MANIFEST, looks_like_package
from studio.cli.main import main
from studio.errors import InputError

pytest_plugins = ["avatar_fixtures"]


def user_folder(root: Path, name: str = "Documents") -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "tax return.pdf").write_bytes(b"%PDF-1.4 precious")
    (folder / "photos").mkdir()
    return folder


# -- only packages are avatars ------------------------------------------------------------


def test_delete_refuses_an_ordinary_folder(tmp_path, capfd):
    """The reproduction: `studio avatar delete Documents --library ~/ --yes`."""
    home = tmp_path / "home"
    user_folder(home)
    before = snapshot(home)
    assert main(["avatar", "delete", "Documents", "--library", str(home), "--yes"]) == 2
    line = one_error_line(capfd)
    assert f"'Documents' in {home} is not an avatar made by Studio; Studio leaves it alone." in line
    assert snapshot(home) == before
    with pytest.raises(InputError, match="not an avatar made by Studio"):
        AvatarLibrary(home).delete("documents")
    with pytest.raises(InputError, match="not an avatar made by Studio"):
        AvatarLibrary(home).rename("Documents", "Mine")
    assert snapshot(home) == before


def test_list_leaves_other_folders_alone(lib, capfd):
    user_folder(lib)
    (lib / "empty").mkdir()
    (lib / "notes").mkdir()
    (lib / "notes" / MANIFEST).write_text('{"manifest_version": 3, "name": "an extension"}')
    assert main(["avatar", "list", "--library", str(lib)]) == 0
    out, _ = capfd.readouterr()
    assert "DAMAGED" not in out and "studio avatar delete" not in out
    lines = out.splitlines()
    assert lines[1].split()[0] == "Ana"
    assert lines[2] == f"other folders in {lib}, which Studio does not touch:"
    assert [line.split()[0] for line in lines[3:]] == ["Documents", "empty", "notes"]
    assert all(line.endswith("not an avatar (left alone)") for line in lines[3:])
    assert AvatarLibrary(lib).names() == ["Ana"]


def test_packages_made_by_this_code_are_recognised(library):
    # The fixture's packages come from create_from_photo; the demo package was committed long ago.
    assert looks_like_package(library.root / "Ana") and looks_like_package(demo_package_path())
    on_disk = json.loads((library.root / "Ana" / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["schema_version"] == 2 and on_disk["kind"] == "photo"
    shutil.copytree(demo_package_path(), library.root / "Eileen")  # a package written before this change
    assert library.names() == ["Ana", "Eileen"] and library.load("Eileen").name == "Eileen"
    library.delete("Eileen")
    assert library.names() == ["Ana"]


def test_package_with_damaged_manifest_is_still_deletable(library):
    (library.root / "Ana" / MANIFEST).write_text("{ not json")
    assert library.list()[0].is_damaged
    library.delete("Ana")
    assert library.names() == []
    # ...but not once something that is not a package file sits in the folder.
    shutil.copytree(demo_package_path(), library.root / "Bo")
    (library.root / "Bo" / MANIFEST).write_text("{ not json")
    (library.root / "Bo" / "my notes.txt").write_text("mine")
    assert library.names() == [] and [o.name for o in library.left_alone()] == ["Bo"]
    with pytest.raises(InputError, match="not an avatar made by Studio"):
        library.delete("Bo")
    assert (library.root / "Bo" / "my notes.txt").is_file()


@pytest.mark.parametrize("folder", ["Ana.bak", "Ana (copy)", "demo", ".x", " Ana2 x\x1b"])
def test_packages_under_names_studio_cannot_use_are_listed_apart(library, capfd, folder):
    if folder.startswith("."):  # hidden: a package being written or deleted, never listed
        shutil.copytree(library.root / "Ana", library.root / folder)
        assert library.names() == ["Ana"] and library.left_alone() == []
        return
    shutil.copytree(library.root / "Ana", library.root / folder)
    assert library.names() == ["Ana"]
    assert [(o.name, o.is_package) for o in library.left_alone()] == [(folder, True)]
    assert main(["avatar", "list", "--library", str(library.root)]) == 0
    out, _ = capfd.readouterr()
    assert "an avatar package under a folder name Studio cannot use (left alone)" in out
    assert "\x1b" not in out
    assert main(["avatar", "delete", folder, "--library", str(library.root), "--yes"]) == 2
    line = one_error_line(capfd)
    assert "no avatar called" not in line and "folder name Studio cannot use" in line
    assert (library.root / folder).is_dir()


def test_unusable_name_says_why_not_not_found(library, capfd):
    shutil.copytree(library.root / "Ana", library.root / "Mia.bak")
    assert main(["avatar", "delete", "Mia.bak", "--library", str(library.root), "--yes"]) == 2
    line = one_error_line(capfd)
    assert "'Mia.bak' in" in line and "folder name Studio cannot use" in line
    assert "Rename the folder by hand" in line
    with pytest.raises(InputError, match="folder name Studio cannot use"):
        library.load("Mia.bak")


def test_create_refuses_the_name_of_a_folder_that_is_not_an_avatar(library, photos):
    user_folder(library.root, "mia")
    with pytest.raises(InputError, match="'mia' in .* already exists and is not an avatar"):
        create_from_photo(one_face(photos), "Mia", "Mia Wong", library)
    assert sorted(p.name for p in library.root.iterdir()) == ["Ana", "mia"]


# -- name limits in bytes -----------------------------------------------------------------


def test_name_limit_counts_bytes(library, photos):
    with pytest.raises(InputError, match="takes 232 bytes on disk; at most 200 fit"):
        check_new_avatar("𠀀" * 58, library)
    longest = "𠀀" * (MAX_NAME_BYTES // 4)
    avatar = create_from_photo(one_face(photos), longest, "A B", library)
    assert library.names() == ["Ana", longest]
    library.delete(avatar.name)
    assert library.names() == ["Ana"] and not [p for p in library.root.iterdir() if p.name != "Ana"]


def test_a_long_name_made_before_the_limit_can_still_be_deleted(library):
    old = "𠀀" * 58  # 232 bytes: ".NAME.xxxxxxxx.deleting.partial" would not fit in 255
    os.rename(library.root / "Ana", library.root / old)
    assert library.names() == [old] and library.load(old).name == old
    library.delete(old)
    assert list(library.root.iterdir()) == []


# -- names stay unique in any case when creates race -----------------------------------------


def test_racing_creates_of_names_differing_in_case_let_exactly_one_win(library, photos, monkeypatch):
    analysed = analyse_photo(one_face(photos))
    consent = make_consent("Mia Wong")
    real_write = create_module.write_package
    both_checked = threading.Barrier(2)

    def slow_write(*args, **kwargs):
        threading.Event().wait(0.3)  # widen the window between the name check and the rename
        real_write(*args, **kwargs)

    monkeypatch.setattr(create_module, "write_package", slow_write)
    results: dict[str, object] = {}

    def create(name: str) -> None:
        try:
            clean = check_new_avatar(name, library)  # both pass: neither exists yet
            both_checked.wait(timeout=30)
            results[name] = write_avatar(analysed, library.path_for(clean), clean, consent).name
        except InputError as exc:
            results[name] = exc

    threads = [threading.Thread(target=create, args=(n,)) for n in ("Mia", "mia")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    winners = [v for v in results.values() if isinstance(v, str)]
    losers = [v for v in results.values() if isinstance(v, InputError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "already exists" in losers[0].problem and "\n" not in str(losers[0])
    assert library.names() == ["Ana", winners[0]]
    assert not [p for p in library.root.iterdir() if p.name.startswith(".")]


RACER = """
import sys, threading, time
from pathlib import Path
from studio.avatar import create
from studio.avatar.create import AnalysedPhoto, make_consent, write_avatar
from studio.avatar.library import AvatarLibrary
from studio.errors import InputError

root, name, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
ana = AvatarLibrary(root).load("Ana")
analysed = AnalysedPhoto(ana.image, ana.landmarks, dict(ana.manifest.face))
real_write = create.write_package
create.write_package = lambda *a, **k: (time.sleep(0.5), real_write(*a, **k))
while not go.exists():
    time.sleep(0.01)
try:
    print(write_avatar(analysed, root / name, name, make_consent("Mia Wong")).name)
except InputError as exc:
    print("refused:", exc)
"""


def test_racing_processes_creating_names_differing_in_case_let_exactly_one_win(library, tmp_path):
    import subprocess
    import sys

    go = tmp_path / "go"
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(library.root), name, str(go)], stdout=subprocess.PIPE, text=True
        )
        for name in ("Mia", "mia")
    ]
    go.touch()
    outputs = [racer.communicate(timeout=120)[0].strip() for racer in racers]
    assert [racer.returncode for racer in racers] == [0, 0]
    winners = [out for out in outputs if out in ("Mia", "mia")]
    losers = [out for out in outputs if out.startswith("refused: an avatar called '")]
    assert len(winners) == 1 and len(losers) == 1 and "\n" not in losers[0], outputs
    assert library.names() == ["Ana", winners[0]]


# -- private files --------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_library_and_packages_are_private(tmp_path, photos):
    library = AvatarLibrary(tmp_path / "new" / "avatars")
    avatar = create_from_photo(one_face(photos), "Ana", "Ana Lima", library)
    assert mode(library.root) == 0o700 and mode(avatar.path) == 0o700
    assert {p.name: mode(p) for p in avatar.path.iterdir()} == {
        IMAGE: 0o600,
        LANDMARKS: 0o600,
        MANIFEST: 0o600,
    }
    renamed = library.rename("Ana", "Eileen")
    assert mode(renamed) == 0o700 and all(mode(p) == 0o600 for p in renamed.iterdir())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_an_existing_library_is_tightened_on_write(library, photos):
    os.chmod(library.root, 0o755)
    os.chmod(library.root / "Ana", 0o755)
    for p in (library.root / "Ana").iterdir():
        os.chmod(p, 0o644)
    library.rename("Ana", "Eileen")
    assert mode(library.root) == 0o700
    assert mode(library.root / "Eileen") == 0o700
    assert all(mode(p) == 0o600 for p in (library.root / "Eileen").iterdir())


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_holding_other_things_keeps_its_permissions(tmp_path, photos):
    home = tmp_path / "home"
    user_folder(home)
    os.chmod(home, 0o755)
    create_from_photo(one_face(photos), "Ana", "Ana Lima", AvatarLibrary(home))
    assert mode(home) == 0o755 and mode(home / "Ana") == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_holding_only_a_plain_file_keeps_its_permissions(tmp_path, photos):
    """The reproduction: a folder holding only report.pdf went 0755 -> 0700 on create."""
    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "report.pdf").write_bytes(b"%PDF-1.4 mine")
    os.chmod(documents, 0o755)
    library = AvatarLibrary(documents)
    create_from_photo(one_face(photos), "Ana", "Ana Lima", library)
    library.rename("Ana", "Eileen")
    assert mode(documents) == 0o755 and mode(documents / "Eileen") == 0o700
    assert (documents / "report.pdf").read_bytes() == b"%PDF-1.4 mine"
    (documents / "report.pdf").unlink()  # now it holds avatars only: the next write tightens it
    library.rename("Eileen", "Ana")
    assert mode(documents) == 0o700


def test_landmarks_survive_the_package_round_trip(library):
    # Permissions and the header check change nothing about what is read back.
    avatar = library.load("Ana")
    assert np.array_equal(avatar.landmarks, np.load(library.root / "Ana" / LANDMARKS))


def test_a_file_where_the_library_should_be_is_one_clear_error(tmp_path, photos):
    root = tmp_path / "not_a_folder"
    root.write_text("mine")
    with pytest.raises(InputError, match=r"^could not create the avatar library folder .*not_a_folder \("):
        create_from_photo(one_face(photos), "Ana", "Ana Lima", AvatarLibrary(root))
    assert root.read_text() == "mine"
