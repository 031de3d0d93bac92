"""Photo checks that say what to do: a photo too small to hold a face says so (and what size
is needed) instead of "no face found", and a group photo can be cropped to the chosen person
(issue 11). Real photos: the astronaut portrait shrunk, and two copies of it side by side."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from avatar_photos import astronaut, save, thumbnail, tiny_face, two_faces

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary
from studio.capture.checklist import ONE_FACE, SIZE
from studio.capture.face_crop import crop_box, left_to_right
from studio.capture.sources import check_photo, crop_photo, read_photo
from studio.errors import FaceError
from studio.face.quality import min_photo_side


def test_a_thumbnail_too_small_to_find_a_face_in_says_it_is_too_small(tmp_path: Path) -> None:
    picture = read_photo(thumbnail(tmp_path))
    assert picture.faces == []
    assert picture.refusal is not None
    assert picture.refusal.problem.startswith("thumb.png is too small: 48x56 px.")
    assert "80 px from forehead to chin" in picture.refusal.problem
    side = min_photo_side()
    assert f"at least {side}x{side} px" in picture.refusal.hint
    item = picture.checklist.item(ONE_FACE)
    assert (item.ok, item.state) == (False, "Picture too small")
    assert f"needs at least {side}x{side} px" in item.detail


def test_a_tiny_photo_the_face_fills_says_the_face_is_too_small_and_what_is_needed(tmp_path: Path) -> None:
    picture = read_photo(tiny_face(tmp_path))
    assert len(picture.faces) == 1
    assert picture.refusal is not None
    assert "too small to animate" in picture.refusal.problem and "48x56" in picture.refusal.problem
    side = min_photo_side()
    assert (
        picture.refusal.hint
        == f"Use a larger photo, at least {side}x{side} px with the face filling most of it."
    )
    assert picture.checklist.item(SIZE).state == "Face too small"


@pytest.mark.parametrize("make", [thumbnail, tiny_face])
def test_avatar_create_refuses_a_tiny_photo_as_too_small(tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    library = AvatarLibrary(tmp_path / "library")
    with pytest.raises(FaceError, match="too small") as info:
        create_from_photo(make(tmp_path), "Tiny", "Ana Lima", library)
    assert "no face" not in str(info.value).lower()
    assert "px" in info.value.hint


def test_a_large_photo_without_a_face_still_says_no_face(tmp_path: Path) -> None:
    blank = np.full((400, 400, 3), 128, np.uint8)
    picture = check_photo(blank, "grey.png")
    assert picture.refusal is not None and picture.refusal.problem == "no face found in grey.png."
    assert picture.checklist.item(ONE_FACE).state == "No face found"


@pytest.fixture(scope="module")
def group(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return read_photo(two_faces(tmp_path_factory.mktemp("group")))


def test_a_group_photo_crops_to_each_person_and_the_crop_passes(group) -> None:  # type: ignore[no-untyped-def]
    assert group.refusal is not None and len(group.faces) == 2
    faces = left_to_right(group.faces)
    assert faces[0].bbox[0] < faces[1].bbox[0]
    width = group.image.shape[1]
    for chosen in (0, 1):
        x0, y0, x1, y1 = crop_box((width, group.image.shape[0]), faces, chosen)
        other = faces[1 - chosen].bbox
        # The crop holds the whole chosen face with room around it, and none of the other face.
        fx0, fy0, fx1, fy1 = faces[chosen].bbox
        assert x0 <= fx0 and fx1 <= x1 and y0 <= fy0 and fy1 <= y1
        assert x1 <= other[0] or x0 >= other[2]
        crop = crop_photo(group, chosen, "two.png")
        assert crop.refusal is None, crop.refusal
        assert len(crop.faces) == 1
        assert crop.image.shape[:2] == (y1 - y0, x1 - x0)
        # The chosen person, pixel for pixel.
        assert np.array_equal(crop.image, group.image[y0:y1, x0:x1])


def test_the_crop_of_a_person_builds_an_avatar(group, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    crop = crop_photo(group, 1, "two.png")
    library = AvatarLibrary(tmp_path / "library")
    photo = save(crop.image, tmp_path / "person2.png")
    avatar = create_from_photo(photo, "Person", "Eileen Collins", library)
    assert avatar.image.shape == crop.image.shape


def test_a_crop_stops_short_of_a_close_neighbour(tmp_path: Path) -> None:
    # Two heads almost touching: the crop of each is narrower than its usual margin.
    head = astronaut()[20:280, 140:320]
    picture = read_photo(save(np.concatenate([head, head], axis=1), tmp_path / "close.png"))
    assert len(picture.faces) == 2
    faces = left_to_right(picture.faces)
    x0, _, x1, _ = crop_box((picture.image.shape[1], picture.image.shape[0]), faces, 0)
    assert x1 <= faces[1].bbox[0]
    assert crop_photo(picture, 0, "close.png").refusal is None
