"""The twin's two ways in, driven like a user would: the webcam wizard with a camera fake playing
real footage (franck.webm, FG-NET talking face), and the video dialog with real clips."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from footage import footage
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from studio.avatar.library import AvatarLibrary
from studio.capture.camera import open_camera
from studio.settings.app_settings import AppSettings
from studio.ui.main_window import MainWindow
from studio.ui.twin_script import CLASSES
from studio.ui.twin_video import TwinVideoDialog
from studio.ui.twin_wizard import BUILD_PAGE, CONSENT_PAGE, RECORD_PAGE, TwinWizard

NEXT, FINISH = QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton


@pytest.fixture
def library(tmp_path: Path) -> AvatarLibrary:
    return AvatarLibrary(tmp_path / "library")


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_webcam_wizard_records_and_builds_a_twin_from_a_camera_playing_franck(qtbot, library) -> None:  # type: ignore[no-untyped-def]
    franck = footage("franck.webm")
    wizard = TwinWizard(
        library,
        camera_device=str(franck),
        open_camera=open_camera,
        open_microphone=None,
        idle_s=4.0,
        consent_s=4.0,
        script_s=14.0,
        min_usable_s=10.0,
    )
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.currentId() == CONSENT_PAGE
    assert not wizard.button(NEXT).isEnabled()
    qtbot.keyClicks(wizard.consent_page.form.name_edit, "Franck Example")
    wizard.consent_page.form.attest.setChecked(True)
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == RECORD_PAGE
    page = wizard.record_page
    assert not wizard.button(NEXT).isEnabled()
    qtbot.waitUntil(lambda: page.view.showing_frame, timeout=15000)
    click(qtbot, page.record_button)
    qtbot.waitUntil(lambda: page.plan.at(1.0).key == "idle" and "quiet" in page.prompter.heading.text())
    qtbot.waitUntil(lambda: "statement" in page.prompter.heading.text(), timeout=8000)
    assert page.prompter.text.text().startswith("I, Franck Example, consent")
    qtbot.waitUntil(lambda: "script" in page.prompter.heading.text(), timeout=8000)
    assert "Five fine violins" in page.prompter.text.text()
    qtbot.waitUntil(lambda: page.state != "recording", timeout=30000)
    qtbot.waitUntil(lambda: page.state != "saving", timeout=30000)
    assert page.state == "recorded", page.status.text()
    assert wizard.button(NEXT).isEnabled()
    # The meter saw franck's mouth: his closed mouth at least, measured against his own rest.
    assert page.count.counts["closed"] > 0
    assert set(page.meter.bars) == set(CLASSES)
    path = page.recording_path
    assert path is not None and path.is_file()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        seconds = float(stream.duration * stream.time_base) if stream.duration else container.duration / 1e6
    assert 18.0 < seconds < 26.0
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == BUILD_PAGE
    assert wizard.build_page.panel.name_edit.text() == "Franck"
    panel = wizard.build_page.panel
    created: list[str] = []
    wizard.avatar_created.connect(created.append)
    click(qtbot, wizard.button(FINISH))
    # Built or refused: a refusal fails here at once, with its line, rather than at a timeout.
    qtbot.waitUntil(lambda: bool(created) or panel.status.text().startswith("Not created"), timeout=300000)
    assert created == ["Franck"], panel.status.text()
    manifest = library.load("Franck").manifest
    assert manifest.kind == "twin" and manifest.source_kind == "webcam"
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)
    assert not path.exists()  # the temporary recording went with the wizard


def test_a_video_that_is_not_one_is_refused_in_one_line_in_the_dialog(qtbot, library, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "notes.mp4"
    fake.write_text("these are notes, not a video\n")
    dialog = TwinVideoDialog(library, fake)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.probe_refusal), timeout=10000)
    line = dialog.file_label.text()
    assert "\n" not in line and "Traceback" not in line and "notes.mp4" in line
    assert not dialog.create_button.isEnabled()
    assert dialog.hint.text() == "Choose another video."
    assert library.list() == []


def test_the_main_window_opens_the_twin_wizard_on_the_settings_camera(qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    franck = str(footage("franck.webm"))
    settings = AppSettings(camera=franck, microphone="no such microphone")
    window = MainWindow(settings, tmp_path / "config" / "settings.json", library_dir=tmp_path / "library")
    qtbot.addWidget(window)
    window.show()
    wizard = window.library_page.start_wizard("twin-webcam")
    assert isinstance(wizard, TwinWizard) and wizard.parent() is window
    assert wizard.camera_device == franck and wizard.microphone_device == "no such microphone"
    wizard.reject()
    assert wizard.closed and window.library_page.wizard is None
