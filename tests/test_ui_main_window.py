"""The main window: pages in order, the demo avatar and demo show ready at first launch,
settings and the show persisted, a missing avatar falling back to the demo, quitting cleanly."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from avatar_photos import astronaut, one_face, save
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from studio.avatar.create import create_from_photo
from studio.live.rundown import Rundown, Segment, load_rundown, save_rundown
from studio.outputs.devices import DeviceList
from studio.settings.app_settings import AppSettings, OutputSettings, load_settings, save_settings
from studio.ui.main_window import PAGES, MainWindow

pytest_plugins = ["avatar_fixtures"]


def make_window(
    qtbot: QtBot, tmp_path: Path, settings: AppSettings | None = None, **kwargs: object
) -> MainWindow:
    path = tmp_path / "config" / "settings.json"
    kwargs.setdefault("library_dir", tmp_path / "avatars")
    kwargs.setdefault("live_panel_options", {"list_devices": DeviceList})
    window = MainWindow(settings or AppSettings(), path, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    return window


def test_first_launch_has_the_demo_avatar_and_demo_show_ready_and_writes_defaults(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window(qtbot, tmp_path)
    assert window.current_page() == "avatars"
    assert window.library_page.selected_name() == "demo"
    assert window.live_panel.avatar is not None and window.live_panel.avatar.name == "demo"
    demo = load_rundown(Path("assets/demo/demo.rundown.toml"))
    assert window.show_editor.rundown().segments == demo.segments
    assert window.live_panel.rundown() == window.show_editor.rundown()
    assert load_settings(window.settings_path)[0] == AppSettings()
    assert [window.nav.item(i).text().split()[-1].lower() for i in range(4)] == list(PAGES)


def test_navigation_shows_each_page(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    for page, widget in zip(
        PAGES, (window.library_page, window.show_editor, window.live_panel, window.settings_page), strict=True
    ):
        window.go_to(page)
        current = window.pages.currentWidget()
        assert widget.isVisible() and (current is widget or current.isAncestorOf(widget))


def test_a_settings_change_is_saved_at_once_and_reaches_the_live_panel(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.go_to("settings")
    page = window.settings_page
    page.size_combo.setCurrentIndex(page.size_combo.findData("720x1280"))
    page.label_check.setChecked(False)
    saved, warnings = load_settings(window.settings_path)
    assert warnings == []
    assert (saved.width, saved.height, saved.label_enabled) == (720, 1280, False)
    assert window.live_panel.settings == saved
    assert page.label_warning.isVisible()


def test_choosing_an_avatar_is_remembered_and_a_vanished_one_falls_back_to_the_demo(
    qtbot: QtBot,
    tmp_path: Path,
    library,  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(qtbot, tmp_path, library_dir=library.root)
    window.library_page.select("Ana")
    window.library_page.use_selected()
    assert window.live_panel.avatar.name == "Ana"
    assert json.loads(window.settings_path.read_text(encoding="utf-8"))["avatar"] == "Ana"
    window.close()

    library.delete("Ana")
    settings, _ = load_settings(window.settings_path)
    again = make_window(qtbot, tmp_path, settings, library_dir=library.root)
    assert again.live_panel.avatar.name == "demo"
    assert "using the demo" in again.statusBar().currentMessage()


def test_the_show_is_autosaved_and_comes_back_at_the_next_launch(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    mine = Rundown((Segment("Our new serum launches today.", "espeak:en-us", repeat=2),), loop=True)
    window.show_editor.set_rundown(mine)
    window.close()  # saves what is pending
    assert load_rundown(window.rundown_autosave).segments == mine.segments
    again = make_window(qtbot, tmp_path)
    assert again.show_editor.rundown().segments == mine.segments


def _action(window: MainWindow, name: str) -> QAction:
    action = window.findChild(QAction, name)
    assert action is not None, f"no {name}"
    return action


def test_new_show_from_the_file_menu_asks_then_sticks_across_restarts(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    new_show = _action(window, "newShowAction")
    assert new_show.text() == "New show" and new_show.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    new_show.trigger()
    assert window.current_page() == "show"
    box = window.show_editor.new_box  # the demo show has something to lose: asked first
    assert box is not None and box.isVisible()
    next(b for b in box.buttons() if b.text() == "New show").click()
    assert window.show_editor.rundown().segments == ()
    qtbot.waitUntil(lambda: window.show_editor.saved_note.text().startswith("Saved automatically at"))
    window.close()

    settings, _ = load_settings(window.settings_path)
    again = make_window(qtbot, tmp_path, settings)
    assert again.show_editor.rundown().segments == ()  # not the demo show, not the last file
    assert not window.rundown_autosave.with_name("show.rundown.toml.damaged").exists()
    assert "Could not read" not in again.statusBar().currentMessage()


def test_an_autosave_says_so_on_the_show_page(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    window.show_editor.set_rundown(Rundown((Segment("Flash sale at eight."),)))
    window.save_rundown_now()
    assert window.show_editor.saved_note.text().startswith("Saved automatically at")
    assert str(window.rundown_autosave) in window.show_editor.saved_note.toolTip()


def test_save_show_as_in_the_file_menu_is_the_show_pages_own(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, tmp_path)
    asked: list[bool] = []
    monkeypatch.setattr(window.show_editor, "ask_save_as", lambda: asked.append(True))
    save_as = _action(window, "saveShowAsAction")
    assert save_as.text() == "Save show as…"
    assert save_as.shortcut() == QKeySequence(QKeySequence.StandardKey.SaveAs)
    save_as.trigger()
    assert asked == [True] and window.current_page() == "show"


def test_open_rundown_remembers_the_file_only_when_it_loads(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path)
    good = tmp_path / "good.rundown.toml"
    save_rundown(Rundown((Segment("Flash sale at eight."),)), good)
    window.open_rundown(good)
    assert window.settings.rundown_path == str(good) and window.current_page() == "show"
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = not [valid", encoding="utf-8")
    window.open_rundown(bad)
    assert window.settings.rundown_path == str(good)


def test_settings_from_a_newer_studio_are_never_overwritten(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "config" / "settings.json"
    save_settings(AppSettings(), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["schema_version"] = 99
    path.write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(path)
    assert warnings
    window = make_window(qtbot, tmp_path, settings)
    window.go_to("settings")
    window.settings_page.fps_combo.setCurrentIndex(window.settings_page.fps_combo.findData(25))
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == 99
    dialogs = [
        w for w in window.findChildren(object) if getattr(w, "objectName", lambda: "")() == "errorDialog"
    ]
    assert dialogs, "the user is told the settings were not saved"


def test_closing_waits_for_a_device_probe_still_running(qtbot: QtBot, tmp_path: Path) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_probe() -> DeviceList:
        started.set()
        release.wait(5)
        return DeviceList()

    window = make_window(qtbot, tmp_path)
    window.settings_page._list_devices = slow_probe
    window.go_to("settings")  # lists devices on a worker when first shown
    assert started.wait(5)
    threading.Timer(0.3, release.set).start()
    window.close()
    assert not window.settings_page.runner.running  # joined, not abandoned


def test_closing_while_the_show_runs_asks_first(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, AppSettings(width=160, height=120))
    window.show_editor.set_rundown(Rundown((Segment("Hello there.", "espeak:en-us"),)))
    window.go_to("live")
    window.live_panel.start()
    qtbot.waitUntil(lambda: window.live_panel.state == "live", timeout=30000)
    window.close()
    assert window.isVisible() and window.live_panel.state == "live"  # nothing stopped yet
    box = window.quit_box
    assert box.text().startswith("The preview is running.")  # nothing goes out: no one is watching
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible() and window.live_panel.state == "live"
    window.close()
    next(b for b in window.quit_box.buttons() if b.text() == "Stop and quit").click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert window.live_panel.current_show is None


def test_an_unreadable_autosaved_show_is_kept_aside_not_overwritten(qtbot: QtBot, tmp_path: Path) -> None:
    autosave = tmp_path / "config" / "show.rundown.toml"
    autosave.parent.mkdir(parents=True)
    autosave.write_text("version = 1\n[[segment]]\ntext = 'unterminated\n", encoding="utf-8")
    window = make_window(qtbot, tmp_path)
    kept = autosave.with_name("show.rundown.toml.damaged")
    assert kept.read_text(encoding="utf-8").startswith("version = 1")
    assert "kept as show.rundown.toml.damaged" in window.statusBar().currentMessage()
    assert window.show_editor.rundown().segments  # the demo show, to start from
    window.close()
    assert not autosave.exists()  # nothing was edited, so nothing was written over it


def test_restore_defaults_keeps_the_avatar_show_and_outputs(qtbot: QtBot, tmp_path: Path, library) -> None:  # type: ignore[no-untyped-def]
    mine = AppSettings(
        avatar="Ana", width=720, height=1280, fps=25, label_corner="bottom-left",
        outputs=OutputSettings(rtmp=True, rtmp_url="rtmp://live.example.com/app/KEY"),
    )  # fmt: skip
    window = make_window(qtbot, tmp_path, mine, library_dir=library.root)
    window.settings_page.restore_defaults()
    saved, _ = load_settings(window.settings_path)
    assert (saved.width, saved.height, saved.fps, saved.label_corner) == (1280, 720, 30, "top-right")
    assert saved.avatar == "Ana" and saved.outputs == mine.outputs
    assert window.live_panel.avatar is not None and window.live_panel.avatar.name == "Ana"


def test_a_library_given_on_the_command_line_is_shown_and_locked(qtbot: QtBot, tmp_path: Path) -> None:
    window = make_window(qtbot, tmp_path, library_dir=tmp_path / "my-avatars")
    edit = window.settings_page.library_edit
    assert edit.text() == str(tmp_path / "my-avatars") and not edit.isEnabled()


@pytest.mark.parametrize("page", ["live", "settings"])
def test_closing_the_window_leaves_no_thread_running(qtbot: QtBot, tmp_path: Path, page: str) -> None:
    window = make_window(qtbot, tmp_path)
    window.go_to(page)  # the settings page lists devices on a worker when first shown
    window.close()


class FakeWizard(QObject):
    """Stands in for the capture wizard (tested on its own): the test makes the avatar."""

    avatar_created = Signal(str)
    finished = Signal(int)

    def open(self) -> None:
        pass

    def close(self) -> None:
        self.finished.emit(0)


def _create_in_app(window: MainWindow, library, name: str, photo: Path) -> None:  # type: ignore[no-untyped-def]
    wizard = window.library_page.start_wizard("photo", photo)
    create_from_photo(photo, name, "Cy Reyes", library)
    wizard.avatar_created.emit(name)


def test_a_new_avatar_from_a_portrait_photo_gets_a_portrait_frame_once(
    qtbot: QtBot,
    tmp_path: Path,
    library,  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(qtbot, tmp_path, library_dir=library.root, open_wizard=lambda _m, _s: FakeWizard())
    tall = save(astronaut()[0:420, 100:350], tmp_path / "tall.png")  # 250x420: head and shoulders
    _create_in_app(window, library, "Cy", tall)
    assert window.live_panel.avatar.name == "Cy"
    assert (window.settings.width, window.settings.height) == (720, 1280)
    assert load_settings(window.settings_path)[0].width == 720
    assert window.settings_page.size_combo.currentData() == "720x1280"
    assert window.statusBar().currentMessage() == (
        "Portrait photo: video set to 720×1280 (9:16). Change it in Settings."
    )

    # The user changes it back: choosing the avatar again leaves their choice alone.
    page = window.settings_page
    page.size_combo.setCurrentIndex(page.size_combo.findData("1280x720"))
    window.library_page.select("demo")
    window.library_page.use_selected()
    window.library_page.select("Cy")
    window.library_page.use_selected()
    assert (window.settings.width, window.settings.height) == (1280, 720)


def test_a_new_avatar_from_a_square_photo_keeps_the_frame_the_user_has(
    qtbot: QtBot,
    tmp_path: Path,
    library,  # type: ignore[no-untyped-def]
) -> None:
    mine = AppSettings(width=1920, height=1080)
    window = make_window(
        qtbot, tmp_path, mine, library_dir=library.root, open_wizard=lambda _m, _s: FakeWizard()
    )
    _create_in_app(window, library, "Cy", one_face(tmp_path))  # 512x512
    assert window.live_panel.avatar.name == "Cy"
    assert (window.settings.width, window.settings.height) == (1920, 1080)
    assert "Portrait" not in window.statusBar().currentMessage()
