"""The Catalogue page in the main window: listed in the navigation, and its "Write show from
catalogue" opens the written show on the Show page, where the Live page takes it from."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from studio.commerce import load_catalog
from studio.live.rundown import load_rundown
from studio.outputs.devices import DeviceList
from studio.settings.app_settings import AppSettings, load_settings
from studio.ui.main_window import MainWindow

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"

pytest_plugins = ["avatar_fixtures"]


def _window_with_demo_catalogue(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """The app's window, shown, with the demo catalogue and its pictures copied into ``tmp_path``."""
    for name in ("catalog.toml", "mug.png", "board.png", "lamp.png"):
        shutil.copyfile(DEMO / name, tmp_path / name)
    window = MainWindow(
        AppSettings(),
        tmp_path / "config" / "settings.json",
        library_dir=tmp_path / "avatars",
        live_panel_options={"list_devices": DeviceList},
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_show_written_from_the_catalogue_opens_on_the_show_page(qtbot: QtBot, tmp_path: Path) -> None:
    window = _window_with_demo_catalogue(qtbot, tmp_path)
    window.go_to("catalogue")
    assert window.current_page() == "catalogue" and window.catalog_page.isVisible()
    page = window.catalog_page
    assert page.open_file(tmp_path / "catalog.toml")
    page.show_language.setCurrentIndex(page.show_language.findData("zh"))
    before = window.show_editor.rundown()
    qtbot.mouseClick(page.write_show_button, Qt.MouseButton.LeftButton)
    # The Show page holds the demo show: it is replaced only once the user agrees.
    assert window.current_page() == "catalogue" and window.show_editor.rundown() == before
    page.replace_box.reject()
    assert window.show_editor.rundown() == before
    qtbot.mouseClick(page.write_show_button, Qt.MouseButton.LeftButton)
    replace = next(b for b in page.replace_box.buttons() if b.text() == "Replace the show")
    qtbot.mouseClick(replace, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page() == "show")
    rundown = window.show_editor.rundown()
    products = [p.id for p in load_catalog(tmp_path / "catalog.toml").products]
    assert [s.product for s in rundown.segments] == [p for p in products for _ in range(4)]
    assert "陶瓷随行杯" in rundown.segments[0].text
    assert window.live_panel.rundown() == rundown  # what Start would play
    qtbot.waitUntil(lambda: window.rundown_autosave.exists())  # kept for the next launch, products too
    assert [s.product for s in load_rundown(window.rundown_autosave, check_claims=False).segments][:1] == [
        "mug"
    ]
    window.close()


def test_a_saved_catalogue_reaches_the_live_page_and_unsaved_edits_stop_a_quit(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = _window_with_demo_catalogue(qtbot, tmp_path)
    page = window.catalog_page
    page.open_file(tmp_path / "catalog.toml")
    assert page.save()
    assert window.live_panel.catalog_box.catalog == str(tmp_path / "catalog.toml")
    assert load_settings(window.settings_path)[0].catalog_path == str(tmp_path / "catalog.toml")
    page.form.name_edit.setText("Mug")
    window.go_to("live")
    window.close()
    assert window.isVisible() and window.current_page() == "catalogue"  # asked, not closed
    box = window.quit_box
    box.reject()
    assert window.isVisible()
    window.close()
    quit_button = next(b for b in window.quit_box.buttons() if b.text() == "Quit without saving")
    qtbot.mouseClick(quit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
