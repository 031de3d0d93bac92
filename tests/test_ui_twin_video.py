"""New twin from video, driven like a user would from the library: franck's first 60 s (FG-NET
talking face, real footage) become a twin with progress shown and a TWIN tile in the library;
Cancel during the build leaves the library as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from footage import footage
from PySide6.QtCore import QObject, Qt, Signal

from studio.avatar.library import DEMO_NAME, AvatarLibrary
from studio.ui.library_page import LibraryPage
from studio.ui.twin_video import TwinVideoDialog

pytest_plugins = ["twin_fixtures"]  # FRANCK_SECONDS, imported once pytest has registered it


class NoPhotoWizard(QObject):
    """The photo capture wizard is not under test here."""

    avatar_created = Signal(str)
    finished = Signal(int)

    def open(self) -> None: ...


@pytest.fixture(scope="module")
def franck60(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from twin_fixtures import FRANCK_SECONDS
    from twin_footage_clips import trimmed

    folder = tmp_path_factory.mktemp("franck_video")
    return trimmed(footage("franck.webm"), folder / "franck60.webm", FRANCK_SECONDS)


def open_dialog(qtbot, tmp_path: Path, video: Path) -> tuple[LibraryPage, TwinVideoDialog]:  # type: ignore[no-untyped-def]
    library = AvatarLibrary(tmp_path / "library")
    page = LibraryPage(library, lambda mode, source: NoPhotoWizard())
    qtbot.addWidget(page)
    page.show()
    dialog = page.start_wizard("twin-video", video)  # what "New twin from video…" does once a file is picked
    assert isinstance(dialog, TwinVideoDialog)
    qtbot.waitUntil(lambda: dialog.info is not None, timeout=15000)
    assert dialog.file_label.text() == "franck60.webm: 1 min, 360×288, 25 fps, no sound."
    assert not dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.consent.name_edit, "Franck Example")
    dialog.consent.attest.setChecked(True)
    assert dialog.build.name_edit.text() == "franck60"
    assert dialog.create_button.isEnabled() and dialog.hint.text() == ""
    return page, dialog


def test_a_twin_from_franck_60_s_shows_its_progress_and_lands_in_the_library_as_a_twin(
    qtbot, tmp_path: Path, franck60: Path
) -> None:  # type: ignore[no-untyped-def]
    page, dialog = open_dialog(qtbot, tmp_path, franck60)
    seen: list[tuple[float, str]] = []
    dialog.build.runner.progress.connect(lambda fraction, message: seen.append((fraction, message)))
    created: list[str] = []
    page.avatar_created.connect(created.append)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.build.progress.isVisible() and dialog.build.cancel_button.isVisible()
    assert not dialog.create_button.isEnabled() and not dialog.consent.isEnabled()
    # Built or refused: a refusal fails here at once, with its line, rather than at a timeout.
    qtbot.waitUntil(lambda: bool(created) or bool(dialog.build.refusal), timeout=600000)
    assert created == ["franck60"], dialog.build.status.text()
    # The bar moved through the build's steps, forward only, with words for each.
    fractions = [f for f, _m in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(set(fractions)) > 5
    assert all(message for _f, message in seen)
    assert seen[-1][1] == "Created the twin 'franck60'"
    qtbot.waitUntil(lambda: page.wizard is None, timeout=5000)  # the dialog closed itself

    manifest = page.library.load("franck60").manifest
    assert manifest.kind == "twin" and manifest.source_kind == "video"
    assert manifest.consent.name == "Franck Example"
    assert page.names() == [DEMO_NAME, "franck60"]
    assert page.selected_name() == "franck60"
    assert page.tiles.kind_of("franck60") == "twin"
    assert page.info_label.text().startswith("A video twin: its own face, lips and head motion.")


def test_cancel_during_the_build_leaves_the_library_unchanged(qtbot, tmp_path: Path, franck60: Path) -> None:  # type: ignore[no-untyped-def]
    page, dialog = open_dialog(qtbot, tmp_path, franck60)
    panel = dialog.build
    created: list[str] = []
    page.avatar_created.connect(created.append)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    # Well inside the analysis: the face model loaded and frames measured.
    qtbot.waitUntil(lambda: panel.progress.value() > 50, timeout=120000)
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.building, timeout=30000)
    assert panel.status.text() == "Cancelled: nothing was saved."
    assert not panel.progress.isVisible() and panel.avatar is None and panel.refusal == ""
    assert created == [] and dialog.isVisible()
    library = page.library
    assert library.list() == []
    assert not library.root.exists() or not [p for p in library.root.iterdir() if p.is_dir()]
    assert page.names() == [DEMO_NAME]
    # The dialog is ready to try again, with the same name.
    assert dialog.create_button.isEnabled() and dialog.consent.isEnabled()
    dialog.reject()
