"""The Settings page on its own: devices listed on a worker, every change emitted, the label's
fields follow its switch."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from studio.outputs.devices import AudioDevice, DeviceList, VideoDevice
from studio.settings.app_settings import AppSettings
from studio.ui.settings_page import SettingsPage

DEVICES = DeviceList(
    cameras=[VideoDevice("HD Webcam", "/dev/video0"), VideoDevice("Capture Card", "/dev/video2")],
    audio_inputs=[AudioDevice("USB Mic", "ALSA", 1, True)],
)


def make_page(qtbot: QtBot, tmp_path: Path, settings: AppSettings, devices: DeviceList) -> SettingsPage:
    page = SettingsPage(settings, tmp_path / "settings.json", list_devices=lambda: devices)
    qtbot.addWidget(page)
    page.show()  # the first show lists devices on a worker
    qtbot.waitUntil(lambda: page.refresh_devices.isEnabled() and not page.runner.running)
    return page


def test_devices_fill_the_pickers_and_a_choice_is_emitted(qtbot: QtBot, tmp_path: Path) -> None:
    page = make_page(qtbot, tmp_path, AppSettings(), DEVICES)
    cameras = [page.camera_combo.itemText(i) for i in range(page.camera_combo.count())]
    assert cameras == ["First camera found", "HD Webcam", "Capture Card"]
    assert "2 camera(s), 1 microphone(s) found." in page.devices_note.text()
    with qtbot.waitSignal(page.settings_changed) as changed:
        page.camera_combo.setCurrentIndex(2)
    assert changed.args[0].camera == "/dev/video2"


def test_no_camera_says_so_and_a_chosen_device_that_is_gone_stays_listed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    page = make_page(qtbot, tmp_path, AppSettings(camera="/dev/video7"), DeviceList())
    assert page.camera_combo.itemText(0) == "No camera found"
    # The user's choice is kept (it may be unplugged right now), not silently replaced.
    assert page.camera_combo.currentData() == "/dev/video7"


def test_switching_the_label_off_warns_and_locks_its_text_and_corner(qtbot: QtBot, tmp_path: Path) -> None:
    page = make_page(qtbot, tmp_path, AppSettings(), DEVICES)
    assert page.label_text.isEnabled() and not page.label_warning.isVisible()
    with qtbot.waitSignal(page.settings_changed) as changed:
        page.label_check.setChecked(False)
    assert changed.args[0].label_enabled is False
    assert page.label_warning.isVisible() and not page.label_text.isEnabled()
    assert not page.label_corner.isEnabled()


def test_an_emptied_label_text_falls_back_to_the_default(qtbot: QtBot, tmp_path: Path) -> None:
    page = make_page(qtbot, tmp_path, AppSettings(label_text="AI生成内容"), DEVICES)
    assert page.label_text.text() == "AI生成内容"
    page.label_text.setText("   ")
    with qtbot.waitSignal(page.settings_changed) as changed:
        page.label_text.editingFinished.emit()
    assert changed.args[0].label_text == "AI-generated"
