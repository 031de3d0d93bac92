"""The capture wizard, driven like a user would: a camera fake playing Studio's own render of the
demo avatar, the demo photo, the demo video, a missing camera, a consent recording from a
microphone fake playing eSpeak, and builds that fail or are cancelled."""

from __future__ import annotations

import numpy as np
import pytest
from avatar_photos import one_face, snapshot, text_as_jpg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import CONSENT_AUDIO
from studio.capture.checklist import KEYS
from studio.outputs.file_microphone import FileMicrophone
from studio.ui import capture_source
from studio.ui.capture_wizard import BUILD_PAGE, CONSENT_PAGE, SOURCE_PAGE, CaptureWizard

pytest_plugins = ["capture_fixtures"]
NEXT, FINISH = QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton


@pytest.fixture
def library(tmp_path) -> AvatarLibrary:
    return AvatarLibrary(tmp_path / "library")


def open_wizard(qtbot, library: AvatarLibrary, mode: str, **kw) -> CaptureWizard:  # type: ignore[no-untyped-def]
    kw.setdefault("open_microphone", None)
    kw.setdefault("countdown_s", 1.0)
    wizard = CaptureWizard(library, mode, **kw)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def error_dialog(widget: QWidget) -> QMessageBox | None:
    found = widget.findChildren(QMessageBox, "errorDialog")
    visible = [box for box in found if box.isVisible()]
    return visible[-1] if visible else None


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def consent_and_name(qtbot, wizard: CaptureWizard, who: str = "Ana Lima", name: str = "") -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == CONSENT_PAGE
    page = wizard.consent_page
    assert not wizard.button(NEXT).isEnabled()
    qtbot.keyClicks(page.name_edit, who)
    assert page.statement.text().startswith(f"I, {who}, consent to Studio")
    assert not wizard.button(NEXT).isEnabled()  # the box is not ticked yet
    page.attest.setChecked(True)
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == BUILD_PAGE
    if name:
        wizard.build_page.name_edit.setText(name)


def create(qtbot, wizard: CaptureWizard) -> str:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(wizard.avatar_created, timeout=20000) as blocker:
        click(qtbot, wizard.button(FINISH))
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=5000)
    return str(blocker.args[0])


def test_webcam_capture_makes_a_webcam_avatar(qtbot, library, demo_video):
    wizard = open_wizard(qtbot, library, "webcam", camera_device=str(demo_video))
    page = wizard.source_page
    assert wizard.currentId() == SOURCE_PAGE and wizard.mode == "webcam"
    qtbot.waitUntil(lambda: page.camera_running and page.view.showing_frame, timeout=15000)
    assert page.camera_combo.currentData() == str(demo_video)
    assert page.camera_combo.currentText() == "demo_hello.mp4"
    qtbot.waitUntil(lambda: all(page.checks.state(k)[0] == "✓" for k in KEYS), timeout=5000)
    assert "px tall" in page.checks.state("size")[1]
    assert not wizard.button(NEXT).isEnabled()
    shown = page.view.frames_shown
    qtbot.waitUntil(lambda: page.view.frames_shown >= shown + 5, timeout=3000)  # a live picture

    click(qtbot, page.capture_button)
    qtbot.waitUntil(lambda: page.view.countdown == 1, timeout=3000)
    qtbot.waitUntil(lambda: page.picture is not None, timeout=5000)
    assert not page.camera_running  # the camera is released once the picture is taken
    assert page.view.countdown is None and page.retake_button.isVisible()
    assert page.picture.shape == (480, 640, 3)
    assert wizard.button(NEXT).isEnabled()

    consent_and_name(qtbot, wizard)
    assert wizard.build_page.name_edit.text() == "Ana"  # suggested from the consenting person
    summary = wizard.build_page.summary.text()
    assert summary == "Picture: a webcam capture (demo_hello.mp4).\nConsent: Ana Lima, by your confirmation."
    assert not wizard.build_page.thumbnail.pixmap().isNull()
    assert create(qtbot, wizard) == "Ana"
    avatar = library.load("Ana")
    assert avatar.manifest.source_kind == "webcam"
    assert avatar.manifest.source_note == "demo_hello.mp4"  # the camera's name in the list
    assert avatar.manifest.consent.name == "Ana Lima" and avatar.manifest.consent.method == "attestation"
    assert np.array_equal(avatar.image, page.picture)


def test_retake_restarts_the_camera_and_close_stops_it(qtbot, library, demo_video):
    wizard = open_wizard(qtbot, library, "webcam", camera_device=str(demo_video), countdown_s=0.0)
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.checks.state("one_face")[0] == "✓", timeout=15000)
    click(qtbot, page.capture_button)
    qtbot.waitUntil(lambda: page.picture is not None, timeout=5000)
    click(qtbot, page.retake_button)
    assert page.picture is None and page.camera_running and not wizard.button(NEXT).isEnabled()
    qtbot.waitUntil(lambda: page.view.showing_frame, timeout=10000)
    wizard.close()
    assert not page.camera_running  # joined: the thread check in conftest fails the test otherwise


def test_photo_with_a_recorded_consent(qtbot, library, tmp_path, consent_speech):
    audio, rate = consent_speech
    wizard = open_wizard(
        qtbot,
        library,
        "photo",
        source=one_face(tmp_path),
        open_microphone=lambda: FileMicrophone(audio, rate),
    )
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.picture is not None, timeout=15000)
    assert all(page.checks.state(k)[0] == "✓" for k in KEYS)
    assert page.file_label.text() == "astronaut.png"
    assert "passes every check" in page.status.text()

    click(qtbot, wizard.button(NEXT))
    consent = wizard.consent_page
    assert consent.has_microphone and not consent.record_button.isEnabled()  # no name yet
    qtbot.keyClicks(consent.name_edit, "Eileen Collins")
    consent.attest.setChecked(True)
    assert wizard.button(NEXT).isEnabled()
    click(qtbot, consent.record_button)
    assert consent.record_state == "recording" and not wizard.button(NEXT).isEnabled()
    qtbot.waitUntil(lambda: consent.record_status.text().startswith("Recording: 2 of"), timeout=10000)
    click(qtbot, consent.stop_button)
    qtbot.waitUntil(lambda: consent.record_state == "accepted", timeout=5000)
    assert consent.record_status.text().startswith("✓ Recorded")
    assert wizard.button(NEXT).isEnabled()
    click(qtbot, wizard.button(NEXT))
    wizard.build_page.name_edit.setText("Eileen")
    assert wizard.build_page.summary.text().endswith("by the statement read aloud and recorded.")

    assert create(qtbot, wizard) == "Eileen"
    avatar = library.load("Eileen")
    assert avatar.manifest.source_kind == "photo" and avatar.manifest.source_note == "astronaut.png"
    record = avatar.manifest.consent
    assert (record.method, record.audio_file) == ("recording", CONSENT_AUDIO)
    assert (avatar.path / CONSENT_AUDIO).stat().st_size > 2 * rate  # over a second of 16-bit audio


def test_silent_recording_blocks_until_redone_or_dropped(qtbot, library, tmp_path):
    wizard = open_wizard(
        qtbot,
        library,
        "photo",
        source=one_face(tmp_path),
        open_microphone=lambda: FileMicrophone(np.zeros(96000, np.float32), 48000),
    )
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    click(qtbot, wizard.button(NEXT))
    consent = wizard.consent_page
    qtbot.keyClicks(consent.name_edit, "Ana Lima")
    consent.attest.setChecked(True)
    click(qtbot, consent.record_button)
    qtbot.waitUntil(lambda: consent.record_status.text().startswith("Recording: 2 of"), timeout=10000)
    click(qtbot, consent.stop_button)
    qtbot.waitUntil(lambda: consent.record_state == "rejected", timeout=5000)
    assert "the consent recording is silent" in consent.record_status.text()
    assert not wizard.button(NEXT).isEnabled()
    click(qtbot, consent.discard_button)
    assert wizard.button(NEXT).isEnabled() and consent.recording is None


def test_video_file_uses_its_best_frame(qtbot, library, demo_video):
    wizard = open_wizard(qtbot, library, "video", source=demo_video)
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.picture is not None, timeout=20000)
    assert all(page.checks.state(k)[0] == "✓" for k in KEYS)
    assert page.status.text().startswith("Using the frame at ")
    consent_and_name(qtbot, wizard, "Bo Chen", "Clip")
    assert create(qtbot, wizard) == "Clip"
    manifest = library.load("Clip").manifest
    assert manifest.source_kind == "video"
    assert manifest.source_note.startswith("demo_hello.mp4, frame at ")


def test_a_file_that_is_no_video_is_explained(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "video", source=text_as_jpg(tmp_path))
    page = wizard.source_page
    qtbot.waitUntil(lambda: error_dialog(page) is not None, timeout=15000)
    box = error_dialog(page)
    assert "could not be decoded" in box.text() and box.informativeText()
    assert page.picture is None and not wizard.button(NEXT).isEnabled()
    assert page.choose_button.isVisible()
    box.close()


def test_no_camera_offers_photo_or_video(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "webcam", camera_device="/dev/video97")
    page = wizard.source_page
    qtbot.waitUntil(lambda: error_dialog(page) is not None, timeout=15000)
    box = error_dialog(page)
    assert box.text().startswith("No camera found at '/dev/video97'")
    assert "create the avatar from a photo or a video file instead" in box.informativeText()
    assert not page.camera_running and not page.capture_button.isEnabled()
    assert page.use_photo.isVisible() and page.use_video.isVisible()
    box.close()
    # The photo route (the button asks for a file; a test hands it over directly).
    page.switch_mode("photo")
    assert wizard.mode == "photo" and page.choose_button.isVisible() and not page.camera_combo.isVisible()
    page.load_file(one_face(tmp_path))
    qtbot.waitUntil(lambda: page.picture is not None, timeout=15000)
    consent_and_name(qtbot, wizard, "Ana Lima", "From Photo")
    create(qtbot, wizard)
    assert library.load("From Photo").manifest.source_kind == "photo"


def test_no_camera_on_the_computer(qtbot, library, monkeypatch):
    monkeypatch.setattr(capture_source, "list_cameras", lambda _p, _t: [])
    wizard = open_wizard(qtbot, library, "webcam")
    page = wizard.source_page
    qtbot.waitUntil(lambda: error_dialog(page) is not None, timeout=10000)
    assert error_dialog(page).text() == "No camera was found on this computer."
    assert page.camera_combo.count() == 0


def test_cancelled_build_leaves_the_library_unchanged(qtbot, library, tmp_path):
    create_from_photo(one_face(tmp_path), "Existing", "Ana Lima", library)
    before = snapshot(library.root)
    wizard = open_wizard(qtbot, library, "photo", source=one_face(tmp_path))
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    consent_and_name(qtbot, wizard, "Ana Lima", "Existing")
    build = wizard.build_page
    assert build.name_error.text() == "An avatar called 'Existing' already exists. Choose another name."
    assert not wizard.button(FINISH).isEnabled()
    build.name_edit.setText("Fresh")
    assert build.name_error.text() == "" and wizard.button(FINISH).isEnabled()

    click(qtbot, wizard.button(FINISH))
    assert build.building and not wizard.button(FINISH).isEnabled()
    click(qtbot, build.cancel_button)
    qtbot.waitUntil(lambda: not build.building, timeout=10000)
    assert build.status.text() == "Cancelled: nothing was saved."
    assert snapshot(library.root) == before and wizard.isVisible()
    assert error_dialog(wizard) is None
    # And it can still be built afterwards.
    assert create(qtbot, wizard) == "Fresh"


def test_name_taken_meanwhile_is_shown_under_the_field(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "photo", source=one_face(tmp_path))
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    consent_and_name(qtbot, wizard, "Ana Lima", "Twin")
    assert wizard.button(FINISH).isEnabled()
    create_from_photo(one_face(tmp_path), "Twin", "Ana Lima", library)  # by someone else
    click(qtbot, wizard.button(FINISH))
    assert not wizard.build_page.building
    error = wizard.build_page.name_error.text()
    assert error == "An avatar called 'Twin' already exists. Choose another name."
    assert not wizard.button(FINISH).isEnabled() and wizard.isVisible()


def test_failed_build_shows_the_error_and_stays(qtbot, tmp_path):
    blocked = tmp_path / "not_a_folder"
    blocked.write_text("a file where the library folder should be\n", encoding="utf-8")
    wizard = open_wizard(qtbot, AvatarLibrary(blocked), "photo", source=one_face(tmp_path))
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    consent_and_name(qtbot, wizard, "Ana Lima", "Twin")
    click(qtbot, wizard.button(FINISH))
    qtbot.waitUntil(lambda: error_dialog(wizard) is not None, timeout=10000)
    box = error_dialog(wizard)
    assert box.text().startswith("Could not create the avatar library folder")
    assert "Choose another library folder" in box.informativeText()
    assert wizard.isVisible() and wizard.currentId() == BUILD_PAGE
    assert wizard.build_page.status.text().startswith("Not created:")
    assert wizard.button(FINISH).isEnabled()  # fix the cause and try again
    box.close()
