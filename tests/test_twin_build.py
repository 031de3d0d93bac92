"""build_twin on real footage: the package a franck twin becomes, and Cancel at every step
leaving the library exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import TWIN_FILES, Avatar, load_avatar
from studio.errors import InputError
from studio.tasks import Cancelled, CancelToken, no_progress
from studio.twin.build import TwinRequest, build_twin
from studio.twin.coverage import CLASSES, CoverageReport
from studio.twin.idle_loop import MAX_LOOP_S
from studio.twin.store import COVERAGE, load_twin

pytest_plugins = ["twin_fixtures", "avatar_fixtures"]


def test_franck_becomes_a_twin_package(franck_twin_avatar: Avatar) -> None:
    avatar = load_avatar(franck_twin_avatar.path)
    manifest = avatar.manifest
    assert manifest.kind == "twin" and manifest.source_kind == "video"
    assert manifest.name == "Franck" and manifest.consent.name == "Franck Test"
    assert manifest.source_note == "franck60.webm"
    for part in TWIN_FILES:
        assert (avatar.path / part).is_file(), part

    twin = load_twin(avatar.path)
    summary = manifest.twin
    assert summary["fps"] == [25, 1] and twin.idle.fps == 25
    assert summary["idle_frames"] == len(twin.idle) and summary["atlas_units"] == len(twin.atlas)
    assert summary["idle_mode"] in ("cut", "crossfade", "pingpong")
    # The loop: at least a second, at most MAX_LOOP_S of footage (played there and back: twice).
    assert 25 <= len(twin.idle) <= 2 * MAX_LOOP_S * 25
    assert 200 <= len(twin.atlas) <= 800
    assert 0 <= twin.rest_unit < len(twin.atlas)
    # The thumbnail is one of the loop's frames, and its landmarks lie on his face.
    assert avatar.image.shape[:2] == (twin.idle.size[1], twin.idle.size[0])
    assert manifest.image_size == twin.idle.size
    assert np.allclose(avatar.landmarks[:, :2], twin.idle.landmarks[0, :, :2], atol=3.0)

    # coverage.json names what franck covers, as the manifest's summary does.
    stored = json.loads((avatar.path / COVERAGE).read_text(encoding="utf-8"))
    assert stored == summary["coverage"]
    report = CoverageReport.from_json(stored)
    assert set(stored["counts"]) == set(CLASSES) and report.ok
    for name in ("closed", "PP", "open", "wide"):  # what his first minute shows plainly
        assert name in report.present, stored
    assert report.counts["closed"] > report.counts["open"]
    assert stored["sentence"].startswith("Your video has")
    size = sum(p.stat().st_size for p in avatar.path.iterdir())
    print(f"franck 60 s twin: {size / 1e6:.1f} MB, {summary}")
    assert size < 80e6


def test_name_and_consent_are_checked_before_the_video(
    library: AvatarLibrary, franck20: Path, library_state: Callable[[Path], object]
) -> None:
    before = library_state(library.root)
    with pytest.raises(InputError, match="already"):
        build_twin(TwinRequest(franck20, "ana", "Ana Lima"), library, no_progress, CancelToken())
    with pytest.raises(InputError):
        build_twin(TwinRequest(franck20, "Franck", "  "), library, no_progress, CancelToken())
    assert library_state(library.root) == before


POINTS: dict[str, Callable[[float, str], bool]] = {
    "at the start": lambda fraction, message: True,
    "during the analysis": lambda fraction, message: fraction >= 0.3,
    "while cutting the atlas": lambda fraction, message: message.startswith("Cutting mouth units"),
    "just before the write": lambda fraction, message: message.startswith("Writing the twin"),
}


@pytest.mark.parametrize("point", list(POINTS))
def test_cancel_leaves_the_library_as_it_was(
    library: AvatarLibrary, franck20: Path, library_state: Callable[[Path], dict[str, object]], point: str
) -> None:
    token = CancelToken()
    seen: list[tuple[float, str]] = []

    def progress(fraction: float, message: str) -> None:
        seen.append((fraction, message))
        if POINTS[point](fraction, message):
            token.cancel()

    before = library_state(library.root)
    with pytest.raises(Cancelled):
        build_twin(TwinRequest(franck20, "Franck", "Franck Test"), library, progress, token)
    assert token.cancelled and seen, point
    after = library_state(library.root)
    assert after == before
    assert not any(".partial" in name or "Franck" in name for name in after)
    assert [m.name for m in library.list()] == ["Ana"]
