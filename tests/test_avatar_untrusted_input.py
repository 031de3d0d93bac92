"""Hostile files and text in and around avatar packages: one line each, memory bounded
(issue 11 §4 and §5). Sizes and headers are checked before anything is allocated or decoded.
"""

from __future__ import annotations

import json
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from avatar_photos import one_face, snapshot
from cli_output import one_error_line

from studio.avatar.create import MAX_PHOTO_BYTES, create_from_photo, load_photo, make_consent
from studio.avatar.package import IMAGE, LANDMARKS, MANIFEST
from studio.cli.main import main
from studio.errors import InputError, printable

pytest_plugins = ["avatar_fixtures"]


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG whose header declares ``width`` x ``height`` RGB pixels, with almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
    return path


def npy_header_only(path: Path, shape: tuple[int, ...], descr: str = "<f4") -> None:
    with open(path, "wb") as fh:
        np.lib.format.write_array_header_1_0(fh, {"descr": descr, "fortran_order": False, "shape": shape})
        fh.write(b"\0" * 64)


# -- landmarks.npy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "descr", "shown"),
    [
        ((10**11, 3), "<f4", "(100000000000, 3) float32"),
        ((478, 3, 10**9), "<f8", "(478, 3, 1000000000) float64"),
        ((478, 3), "<i8", "(478, 3) int64"),
        ((478, 3), "|O", "(478, 3) object"),
    ],
)
def test_landmarks_header_is_checked_before_allocation(library, capfd, shape, descr, shown):
    """The reproduction: a header declaring 10^11 rows gave a traceback (or took the memory)."""
    npy_header_only(library.root / "Ana" / LANDMARKS, shape, descr)
    with pytest.raises(InputError) as info:
        library.load("Ana")
    assert info.value.problem == (
        f"the avatar at {library.root / 'Ana'} is damaged (malformed landmarks: "
        f"landmarks.npy holds {shown}, not (478, 3) float)."
    )
    argv = ["render", "--avatar", "Ana", "--text", "Hi.", "--out", "x.mp4", "--library", str(library.root)]
    assert main(argv) == 2
    assert "is damaged (malformed landmarks" in one_error_line(capfd)


def test_landmarks_file_too_large_is_refused_from_its_size(library):
    np.save(library.root / "Ana" / LANDMARKS, np.zeros((478 * 20, 3), np.float32))
    too_large = r"is damaged \(the landmarks file .*landmarks.npy is 112 KB; Studio reads at most 64 KB\)"
    with pytest.raises(InputError, match=too_large):
        library.load("Ana")


def test_landmarks_that_are_not_npy_are_damaged(library):
    (library.root / "Ana" / LANDMARKS).write_bytes(b"\x93NUMPY nonsense")
    with pytest.raises(InputError, match="is damaged"):
        library.load("Ana")


# -- manifest.json ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # deeper than Python's recursion limit
        '{"schema_version": 1, "consent": ' + "[" * 40 + "]" * 40 + "}",  # parses, then too deep
    ],
)
def test_deeply_nested_manifest_is_one_line(library, capfd, text):
    (library.root / "Ana" / MANIFEST).write_text(text)
    listed = library.list()[0]
    assert listed.is_damaged and "nested more than 32 levels deep" in listed.source_note
    with pytest.raises(InputError, match="nested more than 32 levels deep"):
        library.load("Ana")
    with pytest.raises(InputError, match="is damaged .* and cannot be renamed"):
        library.rename("Ana", "Bo")
    assert main(["avatar", "list", "--library", str(library.root)]) == 0
    assert "nested more than 32 levels deep" in capfd.readouterr().out
    assert main(["avatar", "delete", "Ana", "--library", str(library.root), "--yes"]) == 0
    assert library.names() == []


def test_nesting_in_a_known_field_is_refused_too(library):
    data = json.loads((library.root / "Ana" / MANIFEST).read_text(encoding="utf-8"))
    deep: object = 1
    for _ in range(40):
        deep = {"k": deep}
    data["face"] = {"bbox": deep}
    (library.root / "Ana" / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="nested more than 32 levels deep"):
        library.load("Ana")


def test_huge_manifest_is_refused_from_its_size(library):
    data = json.loads((library.root / "Ana" / MANIFEST).read_text(encoding="utf-8"))
    data["source_note"] = "x" * (2 * 1024 * 1024)
    (library.root / "Ana" / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    assert "Studio reads at most 1.0 MB" in library.list()[0].source_note
    with pytest.raises(InputError, match=r"is damaged \(the manifest .* Studio reads at most 1.0 MB\)"):
        library.load("Ana")


# -- images -------------------------------------------------------------------------------


def test_package_image_size_is_checked_before_decode(library):
    png_header_only(library.root / "Ana" / IMAGE, 3000, 3000)
    expected = r"is damaged \(image.png is 3000x3000, its manifest says 512x512\)"
    with pytest.raises(InputError, match=expected):
        library.load("Ana")
    data = json.loads((library.root / "Ana" / MANIFEST).read_text(encoding="utf-8"))
    (library.root / "Ana" / MANIFEST).write_text(json.dumps(data | {"image_size": [3000, 3000]}))
    with pytest.raises(InputError, match="larger than the 2048 pixels a package holds"):
        library.load("Ana")
    png_header_only(library.root / "Ana" / IMAGE, 60_000, 60_000)  # Pillow refuses it on open
    with pytest.raises(InputError, match=r"^the avatar at .* is damaged \(.*decompression bomb"):
        library.load("Ana")


@pytest.mark.parametrize(
    ("width", "height", "shown"),
    [
        (12_000, 10_001, "12000x10001 pixels (120 megapixels)"),
        (1, 150_000_000, "1x150000000 pixels (150 megapixels)"),
        (60_000, 60_000, "over 120 megapixels"),  # past Pillow's own limit: refused as it opens
    ],
)
def test_photo_dimensions_are_checked_before_decode(library, photos, capfd, width, height, shown):
    photo = png_header_only(photos / "bomb.png", width, height)
    with pytest.raises(InputError) as info:
        load_photo(photo)
    assert info.value.problem == f"{photo} is {shown}; Studio opens photos of at most 120 megapixels."
    before = snapshot(library.root)
    argv = ["avatar", "create", "--photo", str(photo), "--name", "X", "--consent-by", "A B"]
    assert main([*argv, "--library", str(library.root)]) == 2
    assert "Studio opens photos of at most 120 megapixels" in one_error_line(capfd)
    assert snapshot(library.root) == before


def test_photo_file_size_is_checked_before_reading(photos):
    photo = photos / "huge.jpg"
    with open(photo, "wb") as fh:  # sparse: takes no disk space
        fh.truncate(MAX_PHOTO_BYTES + 1)
    with pytest.raises(InputError, match=r"huge.jpg is 200.0 MB; Studio reads at most 200.0 MB"):
        load_photo(photo)


def test_a_large_jpeg_is_decoded_scaled_down(library, photos):
    from PIL import Image

    from studio.avatar.package import MAX_IMAGE_SIDE

    big = Image.open(one_face(photos)).resize((6000, 6000), Image.Resampling.BICUBIC)
    photo = photos / "big.jpg"
    big.save(photo, quality=90)
    image = load_photo(photo)
    assert image.shape == (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, 3)
    assert create_from_photo(photo, "Big", "A B", library).manifest.image_size == (MAX_IMAGE_SIDE,) * 2


# -- control characters ---------------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;owned\x07\u202eevil\x9b\x7f"


def test_printable_escapes_controls_and_bidi_overrides():
    assert printable(ESCAPES) == "\\x1b[2J\\x1b]0;owned\\x07\\u202eevil\\x9b\\x7f"
    assert printable("Zoë 李 😀 a-b_c") == "Zoë 李 😀 a-b_c"  # letters of any script pass


def test_names_and_consent_from_a_package_are_escaped_in_list(library, capfd):
    data = json.loads((library.root / "Ana" / MANIFEST).read_text(encoding="utf-8"))
    data["consent"]["name"] = f"Ana{ESCAPES}"
    data["source_kind"] = "photo\x1b[31m"
    (library.root / "Ana" / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    shutil.copytree(library.root / "Ana", library.root / "Bo\u202e")
    assert main(["avatar", "list", "--library", str(library.root)]) == 0
    out, _ = capfd.readouterr()
    assert "Ana\\x1b[2J\\x1b]0;owned\\x07\\u202eevil\\x9b\\x7f" in out
    assert "photo\\x1b[31m" in out and "Bo\\u202e" in out
    assert not any(ch in out for ch in "\x1b\x07\u202e\x9b\x7f")


@pytest.mark.parametrize("name", ["Zo\x1b[2J", "Zo\u202eë", "Zo\x7f"])
def test_control_characters_in_new_names_are_refused_and_escaped(lib, photos, capfd, name):
    argv = ["avatar", "create", "--photo", str(one_face(photos)), "--name", name, "--consent-by", "A B"]
    assert main([*argv, "--library", str(lib)]) == 2
    line = one_error_line(capfd)
    assert f"the avatar name '{printable(name)}' contains" in line
    assert not any(ch in line for ch in "\x1b\u202e\x7f")
    assert main(["avatar", "delete", name, "--library", str(lib), "--yes"]) == 2
    line = one_error_line(capfd)
    assert f"no avatar called '{printable(name)}'" in line


@pytest.mark.parametrize(
    ("who", "statement", "expected"),
    [
        ("Ana\x1b[2J", None, r"the name of the person who consented contains control characters \(\\x1b\)"),
        ("Ana\u202eLima", None, r"contains control characters \(\\u202e\)"),
        ("Ana", "I agree.\x1b[8m hidden", r"the consent statement contains control characters \(\\x1b\)"),
    ],
)
def test_control_characters_in_consent_are_refused(who, statement, expected):
    with pytest.raises(InputError, match=expected):
        make_consent(who, statement)


def test_a_multi_line_statement_is_still_accepted():
    assert make_consent("Ana Lima", "Line one.\n\tLine two.").statement == "Line one.\n\tLine two."


def test_a_package_named_with_control_characters_is_damaged(library, tmp_path, capfd):
    package = tmp_path / "pkg"
    shutil.copytree(library.root / "Ana", package)
    data = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
    (package / MANIFEST).write_text(json.dumps(data | {"name": "Ana\x1b]0;owned\x07"}), encoding="utf-8")
    with pytest.raises(InputError, match=r"'name' contains control characters \(\\x07 \\x1b\)"):
        library.load(str(package))
    argv = ["render", "--avatar", str(package), "--text", "Hi.", "--out", str(tmp_path / "x.mp4")]
    assert main([*argv, "--library", str(library.root)]) == 2
    line = one_error_line(capfd)
    assert "is damaged" in line and "\x1b" not in line and "\x07" not in line
