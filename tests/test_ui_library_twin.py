"""The library with a real twin (built from franck.webm's first 60 s): the tile says TWIN, a
photo's says PHOTO, and the pointer on the twin's tile plays its idle loop until it leaves."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.ui.library_page import LibraryPage
from studio.ui.twin_hover import MAX_FRAMES

pytest_plugins = ["twin_fixtures"]


class FakeWizard(QObject):
    avatar_created = Signal(str)
    finished = Signal(int)

    def open(self) -> None: ...


def badge_colour(page: LibraryPage, row: int) -> tuple[int, int, int]:
    image = page.grid.item(row).icon().pixmap(148, 148).toImage()
    colour = image.pixelColor(9, 13)
    return colour.red(), colour.green(), colour.blue()


def test_twin_tile_is_marked_and_plays_its_idle_loop_on_hover(
    qtbot, tmp_path: Path, franck_twin_avatar: Avatar
) -> None:  # type: ignore[no-untyped-def]
    library = AvatarLibrary(tmp_path / "library")
    name = franck_twin_avatar.name
    shutil.copytree(franck_twin_avatar.path, library.path_for(name))
    page = LibraryPage(library, lambda mode, source: FakeWizard())
    qtbot.addWidget(page)
    page.show()
    assert page.names() == ["demo", name]
    assert page.tiles.kind_of(name) == "twin" and page.tiles.kind_of("demo") == "photo"
    qtbot.waitUntil(lambda: page.thumbs.image(library.path_for(name) / "image.png") is not None)
    assert badge_colour(page, 1) == (0x6D, 0x4A, 0xFF)  # the TWIN pill
    assert badge_colour(page, 0) == (0x4B, 0x55, 0x63)  # the PHOTO pill
    still = page.grid.item(1).icon().pixmap(148, 148).toImage()

    page.tiles.enter(page.grid.item(1))
    qtbot.waitUntil(lambda: page.tiles.preview.playing, timeout=20000)
    frames = page.tiles.preview.frames
    assert 1 < len(frames) <= MAX_FRAMES
    qtbot.waitUntil(lambda: page.grid.item(1).icon().pixmap(148, 148).toImage() != still, timeout=3000)

    leave = QEvent(QEvent.Type.Leave)
    page.tiles.eventFilter(page.grid.viewport(), leave)
    assert not page.tiles.preview.playing and page.tiles.preview.frames == []
    assert page.grid.item(1).icon().pixmap(148, 148).toImage() == still
