"""create_from_photo: real photos in, a complete package or one clear error out.

Every failure must leave the library folder exactly as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from avatar_photos import (
    astronaut,
    no_face,
    one_face,
    save,
    small_face,
    snapshot,
    text_as_jpg,
    tilted,
    truncated_png,
    two_faces,
)
from PIL import Image

from studio.avatar.create import create_from_photo, default_consent_statement
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import IMAGE, LANDMARKS, MANIFEST, MAX_IMAGE_SIDE
from studio.errors import FaceError, InputError

pytest_plugins = ["avatar_fixtures"]


def test_creates_complete_package(library, photos):
    avatar = create_from_photo(one_face(photos), "Eileen C", "Eileen Collins", library)
    assert avatar.path == library.root / "Eileen C"
    assert sorted(p.name for p in avatar.path.iterdir()) == sorted([IMAGE, LANDMARKS, MANIFEST])
    assert avatar.image.shape == (512, 512, 3) and avatar.image.dtype == np.uint8
    assert avatar.landmarks.shape == (478, 3) and avatar.landmarks.dtype == np.float32
    m = avatar.manifest
    assert (m.name, m.source_kind, m.image_size) == ("Eileen C", "photo", (512, 512))
    assert m.consent.name == "Eileen Collins"
    assert m.consent.method == "attestation"
    assert m.consent.statement == default_consent_statement("Eileen Collins")
    assert m.consent.statement.startswith("I, Eileen Collins, consent to Studio")
    assert m.consent.recorded_at.endswith("+00:00")
    assert set(m.face) == {"bbox", "pose_degrees", "landmarker"}
    x0, y0, x1, y1 = m.face["bbox"]
    assert 150 < x0 < x1 < 300 and 50 < y0 < y1 < 200
    assert m.face["pose_degrees"]["yaw"] == pytest.approx(0.6, abs=3)
    assert "mediapipe" in m.face["landmarker"]
    on_disk = json.loads((avatar.path / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["consent"]["name"] == "Eileen Collins"
    assert not [p for p in library.root.iterdir() if p.name.startswith(".")]


def test_custom_statement_and_note(library, photos):
    avatar = create_from_photo(
        one_face(photos), "b", " Bea  Ruiz ", library, statement="Ok for demos.", source_note="x"
    )
    assert avatar.manifest.consent.name == "Bea Ruiz"
    assert avatar.manifest.consent.statement == "Ok for demos."
    assert avatar.manifest.source_note == "x"


def test_creates_library_folder_when_missing(tmp_path, photos):
    library = AvatarLibrary(tmp_path / "new" / "avatars")
    create_from_photo(one_face(photos), "x", "X Y", library)
    assert library.exists("x")


@pytest.mark.parametrize("fmt", ["JPEG", "WEBP", "BMP", "TIFF"])
def test_reads_other_formats(library, photos, fmt):
    path = save(astronaut(), photos / f"a.{fmt.lower()}", format=fmt)
    assert create_from_photo(path, f"a {fmt}", "A B", library).manifest.image_size == (512, 512)


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK"])
def test_converts_modes_to_rgb(library, photos, mode):
    im = Image.fromarray(astronaut()).convert(mode)
    path = save(im, photos / f"a_{mode}.{'jpg' if mode == 'CMYK' else 'png'}")
    assert create_from_photo(path, f"m {mode}", "A B", library).image.shape == (512, 512, 3)


def test_exif_orientation_is_applied(library, photos):
    # Stored rotated on its side, with EXIF saying "rotate 90 CW to display" (orientation 6).
    sideways = Image.fromarray(astronaut()).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    path = save(sideways, photos / "phone.jpg", exif=exif, quality=95)
    avatar = create_from_photo(path, "phone", "A B", library)
    assert abs(avatar.manifest.face["pose_degrees"]["roll"]) < 10
    # Without the tag the same pixels are a face lying on its side.
    plain = save(sideways, photos / "sideways.jpg", quality=95)
    with pytest.raises(FaceError, match="roll"):
        create_from_photo(plain, "sideways", "A B", library)


def test_large_photo_is_downscaled(library, photos):
    big = Image.fromarray(astronaut()).resize((3000, 3000), Image.Resampling.BICUBIC)
    avatar = create_from_photo(save(big, photos / "big.png"), "big", "A B", library)
    assert avatar.manifest.image_size == (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)
    assert avatar.image.shape == (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, 3)
    assert avatar.landmarks[:, :2].max() < MAX_IMAGE_SIDE


# -- every bad input: one clear error, library untouched -----------------------------------


def _bad_photo_cases():
    return [
        ("missing", lambda d: d / "nope.jpg", InputError, r"^photo not found: .*nope\.jpg"),
        ("folder", lambda d: d, InputError, r"is a folder, not a photo"),
        ("empty", lambda d: save_bytes(d / "empty.png", b""), InputError, r"is an empty file"),
        ("text", text_as_jpg, InputError, r"notes\.jpg is not an image Studio can read"),
        ("corrupt", truncated_png, InputError, r"truncated\.png is damaged or incomplete"),
        ("no face coffee", no_face, FaceError, r"^no face found in coffee\.png"),
        # The cameraman's face is real but tiny; the window search finds it and says why it fails.
        ("tiny face camera", lambda d: no_face(d, "camera.png"), FaceError, r"camera\.png is too small"),
        ("no face cat", lambda d: no_face(d, "chelsea.png"), FaceError, r"^no face found"),
        ("two faces", two_faces, FaceError, r"^2 faces found in two\.png"),
        ("too small", small_face, FaceError, r"too small to animate: \d+ px tall"),
        ("tilted", tilted, FaceError, r"turned too far to animate: roll .* over the 25 deg"),
    ]


def save_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [case[1:] for case in _bad_photo_cases()],
    ids=[case[0] for case in _bad_photo_cases()],
)
def test_bad_photo(library, photos, make, error, pattern):
    before = snapshot(library.root)
    with pytest.raises(error, match=pattern) as info:
        create_from_photo(make(photos), "New One", "Ana Lima", library)
    assert type(info.value) is error
    assert info.value.hint
    assert "\n" not in str(info.value)
    assert snapshot(library.root) == before


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("", "name is empty"),
        ("   ", "name is empty"),
        ("a/b", "contains '/'"),
        ("a\\b", r"contains '\\\\'"),
        ("..", "contains '.'"),
        ("../escape", "contains"),
        ("x" * 65, "65 characters long"),
        ("tab\there", "contains"),
        ("demo", "reserved"),
        ("DEMO", "reserved"),
        ("con", "Windows"),
        ("Ana", "already exists"),
        ("ana", "already exists"),  # same folder on macOS/Windows
    ],
)
def test_bad_avatar_name(library, photos, name, pattern):
    before = snapshot(library.root)
    with pytest.raises(InputError, match=pattern):
        create_from_photo(one_face(photos), name, "Ana Lima", library)
    assert snapshot(library.root) == before


@pytest.mark.parametrize("name", ["José", "Ana-2", "my_twin 3", "x" * 64])
def test_good_avatar_names(library, photos, name):
    assert create_from_photo(one_face(photos), name, "A B", library).name == name


@pytest.mark.parametrize("who", ["", "   ", "\n\t"])
def test_empty_consent_name(library, photos, who):
    before = snapshot(library.root)
    with pytest.raises(InputError, match="who consented is empty"):
        create_from_photo(one_face(photos), "New One", who, library)
    assert snapshot(library.root) == before


def test_empty_statement(library, photos):
    with pytest.raises(InputError, match="consent statement is empty"):
        create_from_photo(one_face(photos), "New One", "A B", library, statement="  ")


def test_failure_leaves_missing_library_absent(tmp_path, photos):
    library = AvatarLibrary(tmp_path / "never")
    with pytest.raises(FaceError):
        create_from_photo(two_faces(photos), "x", "A B", library)
    assert not library.root.exists()


def test_write_failure_leaves_no_partial(library, photos, monkeypatch):
    import studio.avatar.create as create

    def boom(folder, *args):
        (folder / "manifest.json").write_text("{}")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(create, "write_package", boom)
    before = snapshot(library.root)
    with pytest.raises(InputError, match="could not write the avatar"):
        create_from_photo(one_face(photos), "New One", "A B", library)
    assert snapshot(library.root) == before
