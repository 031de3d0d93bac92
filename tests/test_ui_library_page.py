"""The avatar library page: thumbnails, details, rename, delete with confirmation, wizard hand-off."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from studio.avatar.library import AvatarLibrary
from studio.errors import InputError
from studio.ui.library_page import LibraryPage

pytest_plugins = ["avatar_fixtures"]
SEED_AVATARS = (("Ana", "Ana Lima"), ("Bo", "Bo Chen"))


class FakeWizard(QObject):
    """Stands in for the capture wizard (tested on its own): it 'creates' by copying a package."""

    avatar_created = Signal(str)
    finished = Signal(int)

    def __init__(self, mode: str, source: Path | None) -> None:
        super().__init__()
        self.mode, self.source, self.opened = mode, source, False

    def open(self) -> None:
        self.opened = True


def _page(qtbot, library: AvatarLibrary, wizards: list[FakeWizard] | None = None) -> LibraryPage:  # type: ignore[no-untyped-def]
    made = wizards if wizards is not None else []

    def factory(mode: str, source: Path | None) -> FakeWizard:
        made.append(FakeWizard(mode, source))
        return made[-1]

    page = LibraryPage(library, factory)
    qtbot.addWidget(page)
    page.show()
    return page


def _dialog(page: LibraryPage, name: str) -> QMessageBox:
    boxes = [w for w in page.findChildren(QMessageBox, name) if w.isVisible()]
    assert boxes, f"no {name} open"
    return boxes[-1]  # type: ignore[return-value]


def test_lists_the_demo_first_then_every_avatar_with_a_thumbnail(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    assert page.names() == ["demo", "Ana", "Bo"]
    # Pictures are decoded on a worker; then each item shows its photo.
    qtbot.waitUntil(lambda: page.thumbs.image(library.path_for("Bo") / "image.png") is not None)
    icon = page.grid.item(1).icon().pixmap(64, 64).toImage()
    # A real thumbnail of the photo, not the grey placeholder: it has many colours.
    colours = {icon.pixel(x, y) for x in range(0, 64, 4) for y in range(0, 64, 4)}
    assert len(colours) > 50


def test_details_show_consent_and_the_demo_cannot_be_renamed_or_deleted(
    qtbot, library: AvatarLibrary
) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    page.select("demo")
    assert page.delete_button.isHidden() and page.rename_button.isHidden()  # nothing to click in vain
    page.select("Ana")
    assert page.delete_button.isVisible() and page.rename_button.isEnabled()
    assert "Consent: Ana Lima" in page.info_label.text()
    assert "a photo" in page.info_label.text()


def test_delete_asks_first_and_cancel_keeps_everything(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    page.select("Ana")
    box = page.ask_delete()
    assert "biometric data" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert library.exists("Ana") and "Ana" in page.names()


def test_delete_confirmed_removes_the_package_and_selects_the_demo(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    page.set_in_use("Ana")
    page.select("Ana")
    folder = library.path_for("Ana")
    chosen: list[str] = []
    page.avatar_selected.connect(chosen.append)
    # The show is told first, while the files still exist: its face leaves the air before they go.
    withdrawn: list[tuple[Path, bool]] = []
    page.avatar_deleting.connect(lambda package: withdrawn.append((package, folder.exists())))
    box = page.ask_delete()
    next(b for b in box.buttons() if b.text() == "Delete").click()
    assert not folder.exists()
    assert withdrawn == [(folder, True)]  # the package folder: names differ in case, folders do not
    assert page.names() == ["demo", "Bo"]
    assert chosen == ["demo"] and page.selected_name() == "demo"  # the show loses its avatar


def test_deleting_or_renaming_another_avatar_leaves_the_show_alone(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    page.set_in_use("Bo")
    chosen: list[str] = []
    page.avatar_selected.connect(chosen.append)
    assert page.rename("Ana", "Ana B") and page.delete("Ana B")
    assert chosen == []
    assert page.rename("Bo", "Bo Live")
    assert chosen == ["Bo Live"]  # the one in use keeps going under its new name


def test_the_avatar_in_use_is_marked_and_cannot_be_chosen_again(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    page.set_in_use("Bo")
    page.select("Bo")
    assert page.grid.currentItem().text() == "Bo\n✓ in use"
    assert not page.use_button.isEnabled() and page.use_button.text() == "In use for the show"
    page.select("Ana")
    assert page.grid.currentItem().text() == "Ana" and page.use_button.isEnabled()


def test_rename_renames_the_package_and_a_bad_name_is_an_error_dialog(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, library)
    assert page.rename("Ana", "Ana Live")
    assert page.names() == ["demo", "Ana Live", "Bo"]
    assert library.load("Ana Live").manifest.name == "Ana Live"
    assert not page.rename("Bo", "Ana Live")  # taken
    box = _dialog(page, "errorDialog")
    assert "Ana Live" in box.text() and box.informativeText()
    box.close()
    assert not page.rename("Bo", "bad/name")
    _dialog(page, "errorDialog").close()
    assert library.exists("Bo")


def test_new_avatar_buttons_open_the_wizard_and_a_created_avatar_is_selected(
    qtbot, library: AvatarLibrary, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    wizards: list[FakeWizard] = []
    page = _page(qtbot, library, wizards)
    page.new_webcam.click()
    assert wizards[-1].mode == "webcam" and wizards[-1].opened
    chosen: list[str] = []
    page.avatar_selected.connect(chosen.append)
    # The wizard builds "Cy" in the library, then says so.
    import shutil

    shutil.copytree(library.path_for("Bo"), library.root / "Cy")
    wizards[-1].avatar_created.emit("Cy")
    assert "Cy" in page.names() and page.selected_name() == "Cy" and chosen == ["Cy"]
    wizards[-1].finished.emit(0)
    assert page.wizard is None
    page.start_wizard("photo", tmp_path / "me.jpg")
    assert (wizards[-1].mode, wizards[-1].source) == ("photo", tmp_path / "me.jpg")


def test_a_wizard_that_cannot_start_is_an_error_dialog(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    def no_camera(mode: str, source: Path | None) -> FakeWizard:
        raise InputError("no camera found.", "Plug one in, or create the avatar from a photo.")

    page = LibraryPage(library, no_camera)
    qtbot.addWidget(page)
    assert page.start_wizard("webcam") is None
    box = _dialog(page, "errorDialog")
    assert box.text() == "No camera found." and "photo" in box.informativeText()
    box.close()


def test_a_damaged_package_is_listed_and_can_be_deleted(qtbot, library: AvatarLibrary) -> None:  # type: ignore[no-untyped-def]
    (library.path_for("Bo") / "manifest.json").write_text("{ not json", encoding="utf-8")
    page = _page(qtbot, library)
    page.select("Bo")
    assert "(damaged)" in page.grid.currentItem().text()
    assert page.delete_button.isVisible() and not page.use_button.isEnabled()
    assert "cannot be read" in page.info_label.text()
    assert page.delete("Bo") and not library.exists("Bo")
