"""Renaming an avatar: the library call and ``studio avatar rename``, crashes included.

A crash is simulated for real: the rename runs in a fresh interpreter that dies with
``os._exit`` at the chosen step, and this process then reads what was left on disk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import MANIFEST
from studio.cli.main import main
from studio.errors import InputError

pytest_plugins = ["avatar_fixtures"]
SEED_AVATARS = (("Ana", "Ana Lima"), ("Bo", "Bo Chen"))
REPO = Path(__file__).resolve().parents[1]


def _manifest(folder: Path) -> dict[str, object]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def test_rename_moves_the_package_and_its_name(library: AvatarLibrary) -> None:
    before = library.load("Ana")
    data_before = _manifest(library.root / "Ana")
    path = library.rename("ana", " Eileen Collins ")  # old name in any case; new one tidied
    assert path == library.root / "Eileen Collins"
    assert library.names() == ["Bo", "Eileen Collins"]
    after = library.load("Eileen Collins")
    assert after.name == "Eileen Collins" and after.path == path
    np.testing.assert_array_equal(after.image, before.image)
    np.testing.assert_array_equal(after.landmarks, before.landmarks)
    # Only the name changed in the manifest; consent and face data are kept as written.
    assert _manifest(path) == data_before | {"name": "Eileen Collins"}
    assert [m.name for m in library.list()] == ["Bo", "Eileen Collins"]
    assert not library.exists("Ana")
    assert sorted(p.name for p in library.root.iterdir()) == ["Bo", "Eileen Collins"]
    assert sorted(p.name for p in path.iterdir()) == sorted(p.name for p in (library.root / "Bo").iterdir())


def test_a_pure_change_of_case_is_allowed(library: AvatarLibrary) -> None:
    path = library.rename("Ana", "ANA")
    assert path.name == "ANA" and library.names() == ["ANA", "Bo"]
    assert library.load("ana").name == "ANA"
    assert library.rename("ANA", "ANA") == path  # the same name: nothing to do
    assert library.names() == ["ANA", "Bo"]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("Ana", "bo", "an avatar called 'Bo' already exists"),
        ("Ana", "Demo", "reserved for the built-in demo"),
        ("demo", "Mine", "demo avatar cannot be renamed"),
        ("Ana", "a/b", "contains '/'"),
        ("Ana", "  ", "name is empty"),
        ("Nobody", "X", "no avatar called 'Nobody'"),
    ],
)
def test_rename_refusals_change_nothing(library: AvatarLibrary, old: str, new: str, message: str) -> None:
    manifests = {name: _manifest(library.root / name) for name in library.names()}
    with pytest.raises(InputError, match=message):
        library.rename(old, new)
    assert {name: _manifest(library.root / name) for name in library.names()} == manifests


def test_a_damaged_avatar_cannot_be_renamed(library: AvatarLibrary) -> None:
    (library.root / "Ana" / MANIFEST).write_text("{ not json", encoding="utf-8")
    with pytest.raises(InputError, match="'Ana' is damaged") as info:
        library.rename("Ana", "Eileen")
    assert "studio avatar delete" in info.value.hint
    assert library.names() == ["Ana", "Bo"]


def test_a_failed_folder_rename_puts_the_old_name_back(
    library: AvatarLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _manifest(library.root / "Ana")

    def busy(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")  # e.g. a file open in another program

    monkeypatch.setattr(os, "rename", busy)
    with pytest.raises(InputError, match="could not rename avatar 'Ana' to 'Eileen' \\(Permission denied\\)"):
        library.rename("Ana", "Eileen")
    monkeypatch.undo()
    assert _manifest(library.root / "Ana") == before
    assert library.names() == ["Ana", "Bo"] and library.load("Ana").name == "Ana"


_CRASH = """
import os, sys
from pathlib import Path
from studio.avatar.library import AvatarLibrary

root, step = Path(sys.argv[1]), sys.argv[2]

def crash(*args, **kwargs):
    os._exit(3)  # no cleanup of any kind, as when the power goes

# "manifest": dies after the new manifest is written beside the old one, before it replaces it;
# "folder": dies after the manifest was replaced, before the folder is renamed.
if step == "manifest":
    os.replace = crash
else:
    os.rename = crash
AvatarLibrary(root).rename("Ana", "Eileen")
"""


@pytest.mark.parametrize("step", ["manifest", "folder"])
def test_a_crash_at_any_step_leaves_a_valid_library(library: AvatarLibrary, step: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_CRASH), str(library.root), step],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3, result.stderr
    # Still the avatar Ana, complete, listed and loaded under its folder's name.
    assert library.names() == ["Ana", "Bo"]
    assert [m.name for m in library.list()] == ["Ana", "Bo"]
    assert not any(m.is_damaged for m in library.list())
    assert library.load("Ana").name == "Ana"
    written = _manifest(library.root / "Ana")["name"]
    assert written == ("Ana" if step == "manifest" else "Eileen")
    # Renaming again finishes the job.
    path = library.rename("Ana", "Eileen")
    assert library.names() == ["Bo", "Eileen"] and _manifest(path)["name"] == "Eileen"
    assert library.load("Eileen").name == "Eileen"


# -- the CLI -----------------------------------------------------------------------------------


def test_cli_rename(lib: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["avatar", "rename", "ana", "Eileen", "--library", str(lib)]) == 0
    out, err = capfd.readouterr()
    assert out == f"renamed avatar 'Ana' to 'Eileen' ({lib / 'Eileen'})\n" and err == ""
    assert AvatarLibrary(lib).names() == ["Bo", "Eileen"]
    assert main(["avatar", "list", "--library", str(lib)]) == 0
    assert "Eileen" in capfd.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Ana", "Bo"], "an avatar called 'Bo' already exists in"),
        (["Nobody", "X"], "no avatar called 'Nobody'"),
        (["demo", "X"], "the built-in demo avatar cannot be renamed."),
        (["Ana", "x" * 65], "the avatar name is 65 characters long."),
    ],
)
def test_cli_rename_errors_are_one_line(
    lib: Path, capfd: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["avatar", "rename", *args, "--library", str(lib)]) == 2
    out, err = capfd.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("studio: error: ") and message in err
    assert AvatarLibrary(lib).names() == ["Ana", "Bo"]
