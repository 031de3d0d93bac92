"""The main flow end to end, as a first-time user goes through it in the real window:
create an avatar from a photo -> write a script -> start the preview -> frames of that avatar
arrive, saying that script -> stop. Only the device list is a fake (this machine has none)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from avatar_photos import one_face
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWizard
from pytestqt.qtbot import QtBot

from studio.outputs.devices import DeviceList
from studio.settings.app_settings import AppSettings
from studio.ui.capture_wizard import CaptureWizard
from studio.ui.main_window import MainWindow

SCRIPT = "Our hydrating serum is on sale tonight. Tap the cart to get yours."


def click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled() and button.isVisible(), button.objectName() or button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_photo_to_avatar_to_script_to_live_preview_and_stop(qtbot: QtBot, tmp_path: Path) -> None:
    settings = AppSettings(width=320, height=240)
    window = MainWindow(
        settings,
        tmp_path / "config" / "settings.json",
        library_dir=tmp_path / "avatars",
        live_panel_options={"list_devices": DeviceList},
    )
    qtbot.addWidget(window)
    window.show()

    # 1. Avatars: New from photo (the file dialog's answer is passed straight in).
    wizard = window.library_page.start_wizard("photo", one_face(tmp_path))
    assert isinstance(wizard, CaptureWizard)
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=20000)
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    qtbot.keyClicks(wizard.consent_page.name_edit, "Mia Chen")
    wizard.consent_page.attest.setChecked(True)
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    wizard.build_page.name_edit.clear()
    qtbot.keyClicks(wizard.build_page.name_edit, "Mia")
    with qtbot.waitSignal(wizard.avatar_created, timeout=30000):
        click(qtbot, wizard.button(QWizard.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert window.library_page.selected_name() == "Mia"
    mia = window.live_panel.avatar
    assert mia is not None and mia.name == "Mia" and mia.manifest.source_kind == "photo"
    assert window.avatar_label.text() == "Avatar: Mia"

    # 2. Show: replace the demo show with one segment of our own, in the offline eSpeak voice.
    window.go_to("show")
    editor = window.show_editor
    while len(editor.rundown().segments) > 1:
        click(qtbot, editor.remove_button)
    editor.title_edit.selectAll()
    qtbot.keyClicks(editor.title_edit, "Serum")
    editor.text_edit.selectAll()
    qtbot.keyClicks(editor.text_edit, SCRIPT)
    assert editor.voice_picker.select("espeak:en-us")
    rundown = editor.rundown()
    assert [(s.title, s.text, s.voice) for s in rundown.segments] == [("Serum", SCRIPT, "espeak:en-us")]
    assert editor.problems() == []

    # 3. Live: Start, frames of Mia arrive in the preview, saying our script.
    window.go_to("live")
    panel = window.live_panel
    click(qtbot, panel.start_button)
    qtbot.waitUntil(lambda: panel.state == "live", timeout=30000)
    show = panel.current_show
    assert show is not None and show.avatar.name == "Mia"
    qtbot.waitUntil(lambda: panel.preview.frames_shown >= 45, timeout=15000)
    frame = panel.preview_output.latest()
    assert frame is not None and frame.image.shape == (240, 320, 3)
    assert float(np.std(frame.image)) > 20  # a picture, not a blank or a flat placeholder
    assert show.options.rundown is not None and show.options.rundown.segments == rundown.segments
    qtbot.waitUntil(lambda: show.status().saying == "Our hydrating serum is on sale tonight.", timeout=10000)
    status = show.status()
    assert status.frames >= 45 and status.fps > 20

    # 4. Stop: the show ends, the preview says so, nothing keeps running.
    click(qtbot, panel.stop_button)
    qtbot.waitUntil(lambda: panel.state == "stopped", timeout=20000)
    assert panel.current_show is None and panel.start_button.isEnabled()
    window.close()
