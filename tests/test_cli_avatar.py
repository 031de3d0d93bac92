"""``studio avatar ...`` through studio.cli.main.main: exit codes, output, no tracebacks.

stderr is captured at the file-descriptor level (capfd), so MediaPipe's native log lines
would show up here too; a bad input must produce exactly one line.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from avatar_photos import (
    no_face,
    one_face,
    small_face,
    snapshot,
    text_as_jpg,
    tilted,
    truncated_png,
    two_faces,
)
from cli_output import one_error_line

from studio.avatar.library import AvatarLibrary
from studio.cli.main import main

pytest_plugins = ["avatar_fixtures"]


def create_args(photo: Path, lib: Path, name: str = "New One", who: str = "Ana Lima") -> list[str]:
    return ["avatar", "create", "--photo", str(photo), "--name", name, "--consent-by", who,
            "--library", str(lib)]  # fmt: skip


def test_create_prints_path_and_time(lib, photos, capfd):
    assert main(create_args(one_face(photos), lib, "Eileen")) == 0
    out, err = capfd.readouterr()
    assert "created avatar 'Eileen' in " in out and " s\n" in out
    assert str(lib / "Eileen") in out
    assert err == ""
    assert AvatarLibrary(lib).exists("Eileen")


def test_list_table(lib, capfd):
    shutil.copytree(lib / "Ana", lib / "broken")
    (lib / "broken" / "manifest.json").write_text("{ not json")
    assert main(["avatar", "list", "--library", str(lib)]) == 0
    out, _ = capfd.readouterr()
    header, *rows = out.splitlines()
    assert header.split() == ["NAME", "KIND", "CREATED", "(UTC)", "SOURCE", "CONSENT", "BY"]
    assert rows[0].split()[:2] == ["Ana", "photo"] and rows[0].endswith("Ana Lima")
    assert rows[1].split()[:4] == ["broken", "-", "-", "DAMAGED"]
    assert "studio avatar delete" in rows[2]
    assert len(rows) == 3


def test_list_empty(tmp_path, capfd):
    assert main(["avatar", "list", "--library", str(tmp_path / "none")]) == 0
    assert "no avatars in" in capfd.readouterr().out
    assert not (tmp_path / "none").exists()


BAD_PHOTOS = {
    "missing": (lambda d: d / "missing.jpg", "photo not found"),
    "not an image": (text_as_jpg, "is not an image"),
    "corrupt": (truncated_png, "is damaged or incomplete"),
    "no face": (no_face, "no face found in coffee.png"),
    "two faces": (two_faces, "2 faces found"),
    "too small": (small_face, "too small to animate"),
    "tilted": (tilted, "turned too far to animate: roll"),
}


@pytest.mark.parametrize("case", list(BAD_PHOTOS))
def test_create_bad_photo(lib, photos, capfd, case):
    make, expected = BAD_PHOTOS[case]
    before = snapshot(lib)
    assert main(create_args(make(photos), lib)) == 2
    assert expected in one_error_line(capfd)
    assert snapshot(lib) == before


@pytest.mark.parametrize(
    ("name", "who", "expected"),
    [
        ("Ana", "Ana Lima", "already exists"),
        ("demo", "Ana Lima", "reserved"),
        ("a/b", "Ana Lima", "contains '/'"),
        ("", "Ana Lima", "name is empty"),
        ("x" * 65, "Ana Lima", "65 characters"),
        ("ok", "", "who consented is empty"),
        ("ok", "   ", "who consented is empty"),
    ],
)
def test_create_bad_names(lib, photos, capfd, name, who, expected):
    before = snapshot(lib)
    assert main(create_args(one_face(photos), lib, name, who)) == 2
    assert expected in one_error_line(capfd)
    assert snapshot(lib) == before


def test_create_missing_option_is_usage_error(lib, photos, capsys):
    with pytest.raises(SystemExit) as info:
        main(["avatar", "create", "--photo", str(one_face(photos)), "--library", str(lib)])
    assert info.value.code == 2
    assert "--name" in capsys.readouterr().err


def test_delete_with_yes(lib, capfd):
    assert main(["avatar", "delete", "ana", "--library", str(lib), "--yes"]) == 0
    assert "deleted avatar 'Ana'" in capfd.readouterr().out
    assert snapshot(lib) == []


def test_delete_non_interactive_needs_yes(lib, capfd, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # a pipe, not a terminal
    before = snapshot(lib)
    assert main(["avatar", "delete", "Ana", "--library", str(lib)]) == 2
    line = one_error_line(capfd)
    assert "without confirmation" in line and "--yes" in line
    assert snapshot(lib) == before


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("answer", "code", "gone"), [("y\n", 0, True), ("yes\n", 0, True),
                                                      ("n\n", 1, False), ("\n", 1, False),
                                                      ("", 1, False)])  # fmt: skip
def test_delete_asks_on_a_terminal(lib, capfd, monkeypatch, answer, code, gone):
    monkeypatch.setattr("sys.stdin", FakeTty(answer))
    assert main(["avatar", "delete", "Ana", "--library", str(lib)]) == code
    out, _ = capfd.readouterr()
    assert "Delete avatar 'Ana'" in out
    assert (lib / "Ana").exists() is not gone
    if not gone:
        assert "nothing deleted" in out


@pytest.mark.parametrize("name", ["Zoe", "../library", "demo"])
def test_delete_unknown(lib, capfd, name):
    before = snapshot(lib)
    assert main(["avatar", "delete", name, "--library", str(lib), "--yes"]) == 2
    line = one_error_line(capfd)
    assert "no avatar called" in line and "Existing avatars: Ana" in line
    assert snapshot(lib) == before


def test_avatar_without_action_shows_help(capfd):
    assert main(["avatar"]) == 0
    assert "create" in capfd.readouterr().out


@pytest.mark.parametrize("manifest", ["[]", '"x"'])
def test_render_with_damaged_package_path_is_one_line(lib, tmp_path, capfd, manifest):
    package = tmp_path / "pkg"
    shutil.copytree(lib / "Ana", package)
    (package / "manifest.json").write_text(manifest)
    out = tmp_path / "out.mp4"
    argv = ["render", "--avatar", str(package), "--text", "Hello.", "--out", str(out), "--library", str(lib)]
    assert main(argv) == 2
    line = one_error_line(capfd)
    assert f"the avatar at {package} is damaged" in line
    assert line.endswith("Recreate the package from its photo with 'studio avatar create'.")
    assert not out.exists()


@pytest.mark.parametrize("error", [OSError, ImportError])
def test_create_without_system_gl_libraries(lib, photos, capfd, monkeypatch, error):
    """On a bare Debian, libmediapipe.so cannot find libEGL.so.1 when the landmarker is made."""
    from mediapipe.tasks.python import vision

    def missing_library(options):
        raise error("libEGL.so.1: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(vision.FaceLandmarker, "create_from_options", missing_library)
    before = snapshot(lib)
    assert main(create_args(one_face(photos), lib)) == 2
    line = one_error_line(capfd)
    assert "MediaPipe could not load a system library (libEGL.so.1: cannot open shared object" in line
    assert line.endswith(
        "On Debian/Ubuntu install it with 'apt install libegl1 libgles2'; on other systems reinstall Studio."
    )
    assert snapshot(lib) == before
