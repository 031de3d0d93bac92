"""Quality measured, not claimed: a twin built from one recording of a man, driven by the voice
of another recording of him that it never saw, is compared with that recording's real frames.

No registry package ships a long voiced clip of one person (see ../shared/notes/twin-footage.md),
so the twin is built from psychopy's testMovie.mp4 (7.8 s, his own voice) with the length and
mouth-shape demands lowered, and driven by jwpIntro.mp4 (5.8 s, another day, another shirt). That
limits the twin to the mouth shapes of 7.8 s of speech; a creator's 60 s do better.

A photo avatar made from the same recording's best frame, driven the same way, is the baseline
the twin must beat: it is what Studio made before twins existed.
"""

from __future__ import annotations

import pytest
from footage import footage

from studio.avatar.create import analyse_image, make_consent, write_avatar
from studio.avatar.package import Avatar, load_avatar
from studio.capture.video_import import best_frame
from studio.pipeline.resynthesis import ResynthesisReport, resynthesize
from studio.tasks import CancelToken, no_progress

# Measured here (docs/BENCHMARKS.md, "video twin"): the twin gives r 0.50-0.51 and SSIM
# 0.516-0.521 from run to run (the cause not yet found), the photo avatar r 0.41
# and SSIM 0.512. The bars sit between the two, nearer the photo's.
MIN_TWIN_R = 0.45
MIN_TWIN_SSIM = 0.514
MAX_OFFSET_MS = 67.0  # two frames


pytest_plugins = ["twin_fixtures"]


@pytest.fixture(scope="module")
def reports(
    tmp_path_factory: pytest.TempPathFactory, jon_twin_avatar: Avatar
) -> dict[str, ResynthesisReport]:
    folder = tmp_path_factory.mktemp("resynthesis")
    built, driving = footage("testMovie.mp4"), footage("jwpIntro.mp4")
    twin = jon_twin_avatar
    frame, _ = best_frame(built, no_progress, CancelToken())
    write_avatar(analyse_image(frame, built.name), folder / "photo", "Photo", make_consent("Jon Peirce"))
    photo: Avatar = load_avatar(folder / "photo")
    out = {}
    for name, avatar in (("twin", twin), ("photo", photo)):
        out[name] = resynthesize(avatar, driving, folder / f"{name}.mp4")
        print(name, out[name].summary())
    return out


def test_the_twin_opens_its_mouth_when_the_real_man_did_and_looks_like_his_mouth(
    reports: dict[str, ResynthesisReport],
) -> None:
    twin = reports["twin"]
    assert twin.frames >= 170  # every frame of the 5.8 s clip found a face in both
    assert twin.mouth_r >= MIN_TWIN_R, twin.summary()
    assert twin.mouth_ssim >= MIN_TWIN_SSIM, twin.summary()


def test_the_photo_avatar_does_not_pass_the_twins_bar(reports: dict[str, ResynthesisReport]) -> None:
    photo, twin = reports["photo"], reports["twin"]
    assert photo.mouth_r < MIN_TWIN_R or photo.mouth_ssim < MIN_TWIN_SSIM, photo.summary()
    assert twin.mouth_ssim > photo.mouth_ssim and twin.mouth_r > photo.mouth_r


def test_the_twins_voice_and_mouth_are_in_sync(reports: dict[str, ResynthesisReport]) -> None:
    sync = reports["twin"].sync
    assert sync is not None, "sync-check could not measure the twin's render"
    assert abs(sync.offset_ms) <= MAX_OFFSET_MS, sync.summary()
