"""The capture wizard, driven like a user would: a camera fake playing Studio's own render of the
demo avatar, the demo photo, the demo video, a missing camera, a consent recording from a
microphone fake playing eSpeak, and builds that fail or are cancelled. Each page says which
step it is and, until Next works, what is missing."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from avatar_photos import no_face, one_face, snapshot, text_as_jpg, thumbnail, two_faces
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import CONSENT_AUDIO
from studio.capture import consent_audio
from studio.capture.camera import open_camera
from studio.capture.checklist import KEYS
from studio.capture.sources import Picture, read_photo
from studio.errors import FaceError, InputError
from studio.outputs import sound_devices
from studio.outputs.file_microphone import FileMicrophone
from studio.outputs.microphone import Microphone
from studio.outputs.sound_devices import SoundDevice, pick_device
from studio.ui import capture_common, capture_files, capture_source, capture_wizard
from studio.ui.capture_wizard import AUTO, BUILD_PAGE, CONSENT_PAGE, SOURCE_PAGE, CaptureWizard
from studio.ui.file_dialogs import PHOTO_FILTER, FolderMemory

pytest_plugins = ["capture_fixtures"]
NEXT, BACK = QWizard.WizardButton.NextButton, QWizard.WizardButton.BackButton
FINISH = QWizard.WizardButton.FinishButton
CAMERA_THREAD = "studio-capture-camera"


@pytest.fixture
def library(tmp_path) -> AvatarLibrary:
    return AvatarLibrary(tmp_path / "library")


class Recording:
    """Wraps a camera to see that it gets closed."""

    def __init__(self, camera) -> None:  # type: ignore[no-untyped-def]
        self.camera, self.name, self.closed = camera, camera.name, False
        self.closed_at = 0.0

    def read(self):  # type: ignore[no-untyped-def]
        return self.camera.read()

    def close(self) -> None:
        self.camera.close()
        self.closed, self.closed_at = True, time.monotonic()


class Cameras:
    """A camera opener that keeps every camera it opened; ``delay_s`` makes opening slow (and
    deaf to stop requests, as a driver call is)."""

    def __init__(self, delay_s: float = 0.0) -> None:
        self.delay_s = delay_s
        self.opened: list[Recording] = []
        self.open_started: list[float] = []

    def __call__(self, device: str, stop: threading.Event) -> Recording:
        self.open_started.append(time.monotonic())
        time.sleep(self.delay_s)
        self.opened.append(Recording(open_camera(device, stop)))
        return self.opened[-1]


def camera_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == CAMERA_THREAD and t.is_alive()]


def open_wizard(qtbot, library: AvatarLibrary, mode: str, **kw) -> CaptureWizard:  # type: ignore[no-untyped-def]
    kw.setdefault("open_microphone", None)
    kw.setdefault("countdown_s", 1.0)
    wizard = CaptureWizard(library, mode, **kw)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def error_dialogs(widget: QWidget) -> list[QMessageBox]:
    return [box for box in widget.findChildren(QMessageBox, "errorDialog") if box.isVisible()]


def error_dialog(widget: QWidget) -> QMessageBox | None:
    visible = error_dialogs(widget)
    return visible[-1] if visible else None


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def hint(page: QWidget) -> str:
    """The "To continue" line of a page, as shown ("" when hidden)."""
    label = page.hint  # type: ignore[attr-defined]
    return label.text() if label.isVisible() else ""


def consent_and_name(qtbot, wizard: CaptureWizard, who: str = "Ana Lima", name: str = "") -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == CONSENT_PAGE
    page = wizard.consent_page
    assert page.title() == "Step 2 of 3 · Consent"
    assert not wizard.button(NEXT).isEnabled()
    assert hint(page) == "To continue: type the person's full name, then tick the box."
    qtbot.keyClicks(page.name_edit, who)
    assert page.statement.text().startswith(f"I, {who}, consent to Studio")
    assert not wizard.button(NEXT).isEnabled()  # the box is not ticked yet
    assert hint(page) == "To continue: tick the box to confirm their consent."
    page.attest.setChecked(True)
    assert hint(page) == "" and wizard.button(NEXT).isEnabled()
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == BUILD_PAGE
    assert wizard.build_page.title() == "Step 3 of 3 · Name and create"
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
    assert page.title() == "Step 1 of 3 · Take a picture"
    qtbot.waitUntil(lambda: page.camera_running and page.view.showing_frame, timeout=15000)
    assert page.camera_combo.currentData() == str(demo_video)
    assert page.camera_combo.currentText() == "demo_hello.mp4"
    qtbot.waitUntil(lambda: all(page.checks.state(k)[0] == "✓" for k in KEYS), timeout=5000)
    # Plain words in the list, the numbers in the tooltip.
    assert page.checks.state("pose")[1] == "Looking at the camera"
    assert page.checks.state("lighting")[1] == "Good light"
    assert page.checks.state("sharpness")[1] == "In focus"
    assert "px tall" in page.checks.tooltip("size") and "px" not in page.checks.state("size")[1]
    assert not wizard.button(NEXT).isEnabled()
    assert hint(page) == "To continue: press Capture when every check is ticked."
    shown = page.view.frames_shown
    qtbot.waitUntil(lambda: page.view.frames_shown >= shown + 5, timeout=3000)  # a live picture

    click(qtbot, page.capture_button)
    qtbot.waitUntil(lambda: page.view.countdown == 1, timeout=3000)
    qtbot.waitUntil(lambda: page.picture is not None, timeout=5000)
    assert not page.camera_running  # the camera is let go once the picture is taken
    assert page.view.countdown is None and page.retake_button.isVisible()
    assert not page.capture_button.isVisible()
    assert page.picture.shape == (480, 640, 3)
    assert wizard.button(NEXT).isEnabled() and hint(page) == ""

    consent_and_name(qtbot, wizard)
    build = wizard.build_page
    assert build.name_edit.text() == "Ana"  # suggested from the consenting person
    summary = build.summary.text()
    assert summary == "Picture: a webcam capture (demo_hello.mp4).\nConsent: Ana Lima, by your confirmation."
    assert not build.thumbnail.pixmap().isNull()
    # No empty progress bar (it reads as a blank field) and no Cancel until a build starts.
    assert not build.progress.isVisible() and not build.cancel_button.isVisible()
    assert create(qtbot, wizard) == "Ana"
    avatar = library.load("Ana")
    assert avatar.manifest.source_kind == "webcam"
    assert avatar.manifest.source_note == "demo_hello.mp4"  # the camera's name in the list
    assert avatar.manifest.consent.name == "Ana Lima" and avatar.manifest.consent.method == "attestation"
    assert np.array_equal(avatar.image, page.picture)
    assert camera_threads() == []


def test_retake_restarts_the_camera_and_close_stops_it(qtbot, library, demo_video):
    cameras = Cameras()
    wizard = open_wizard(
        qtbot, library, "webcam", camera_device=str(demo_video), countdown_s=0.0, open_camera=cameras
    )
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.checks.state("one_face")[0] == "✓", timeout=15000)
    click(qtbot, page.capture_button)
    qtbot.waitUntil(lambda: page.picture is not None, timeout=5000)
    click(qtbot, page.retake_button)
    assert page.picture is None and page.camera_running and not wizard.button(NEXT).isEnabled()
    assert hint(page) == "To continue: press Capture when every check is ticked."
    qtbot.waitUntil(lambda: page.view.showing_frame and len(cameras.opened) == 2, timeout=10000)
    assert cameras.opened[0].closed  # the first camera was let go before the retake opened it again
    assert cameras.open_started[1] >= cameras.opened[0].closed_at
    wizard.close()
    # Closing waited for the camera thread: it has ended and the camera is closed.
    assert not page.camera_running and camera_threads() == []
    assert all(camera.closed for camera in cameras.opened)


def test_a_camera_still_opening_never_blocks_the_window(qtbot, library, demo_video, tmp_path):
    cameras = Cameras(delay_s=1.0)
    wizard = open_wizard(qtbot, library, "webcam", camera_device=str(demo_video), open_camera=cameras)
    page = wizard.source_page
    qtbot.waitUntil(lambda: len(cameras.open_started) == 1, timeout=10000)
    assert page.view.message == "Starting the camera…"
    # Choosing the camera again restarts it: the old one is still opening, so the new one waits.
    page.start_camera(str(demo_video))
    assert cameras.opened == []  # it returned while the first open (1 s) was still under way
    qtbot.waitUntil(lambda: page.view.showing_frame, timeout=10000)
    assert len(cameras.opened) == 2 and cameras.opened[0].closed
    assert cameras.open_started[1] >= cameras.opened[0].closed_at  # one device, one user at a time
    # Going over to a photo while a camera is opening is immediate too.
    page.start_camera(str(demo_video))
    qtbot.waitUntil(lambda: len(cameras.open_started) == 3, timeout=10000)
    page.switch_mode("photo")
    assert len(cameras.opened) == 2  # it returned while the third open was still under way
    assert not page.camera_running and page.title() == "Step 1 of 3 · Check the photo"
    qtbot.waitUntil(lambda: len(cameras.opened) == 3 and cameras.opened[2].closed, timeout=5000)
    qtbot.waitUntil(lambda: camera_threads() == [], timeout=5000)
    qtbot.waitUntil(lambda: not page.timer.isActive(), timeout=1000)  # nothing left to watch
    page.load_file(one_face(tmp_path))
    qtbot.waitUntil(lambda: page.picture is not None, timeout=15000)


def test_closing_while_the_camera_opens_returns_quickly(qtbot, library, demo_video):
    cameras = Cameras(delay_s=1.0)
    wizard = open_wizard(qtbot, library, "webcam", camera_device=str(demo_video), open_camera=cameras)
    qtbot.waitUntil(lambda: len(cameras.open_started) == 1, timeout=10000)
    start = time.monotonic()
    wizard.close()
    # Closing waits (bounded) for the open to finish, then the camera is closed at once.
    assert time.monotonic() - start < capture_wizard.CLOSE_WAIT_S
    assert cameras.opened[0].closed and camera_threads() == []


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
    assert page.title() == "Step 1 of 3 · Check the photo"
    qtbot.waitUntil(lambda: page.picture is not None, timeout=15000)
    assert all(page.checks.state(k)[0] == "✓" for k in KEYS)
    assert page.checks.state("one_face")[1] == "One face found"
    assert page.file_label.text() == "astronaut.png"
    assert "passes every check" in page.status.text()
    assert hint(page) == ""

    click(qtbot, wizard.button(NEXT))
    consent = wizard.consent_page
    assert consent.has_microphone and not consent.record_button.isEnabled()  # no name yet
    assert consent.record_button.text() == "Record the statement"
    assert not consent.progress.isVisible()  # until there is a recording to show
    qtbot.keyClicks(consent.name_edit, "Eileen Collins")
    consent.attest.setChecked(True)
    assert wizard.button(NEXT).isEnabled()
    click(qtbot, consent.record_button)
    assert consent.record_state == "recording" and not wizard.button(NEXT).isEnabled()
    assert consent.progress.isVisible() and consent.stop_button.isVisible()
    assert hint(consent) == "To continue: press Done reading once the statement has been read."
    qtbot.waitUntil(lambda: consent.record_status.text().startswith("Recording: 2 of"), timeout=10000)
    click(qtbot, consent.stop_button)
    qtbot.waitUntil(lambda: consent.record_state == "accepted", timeout=5000)
    assert consent.record_status.text().startswith("✓ Recorded")
    assert wizard.button(NEXT).isEnabled() and hint(consent) == ""
    click(qtbot, wizard.button(NEXT))
    wizard.build_page.name_edit.setText("Eileen")
    assert wizard.build_page.summary.text().endswith("by the statement read aloud and recorded.")

    assert create(qtbot, wizard) == "Eileen"
    avatar = library.load("Eileen")
    assert avatar.manifest.source_kind == "photo" and avatar.manifest.source_note == "astronaut.png"
    record = avatar.manifest.consent
    assert (record.method, record.audio_file) == ("recording", CONSENT_AUDIO)
    assert (avatar.path / CONSENT_AUDIO).stat().st_size > 2 * rate  # over a second of 16-bit audio


def test_photo_without_a_face_speaks_of_the_photo(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "photo", source=no_face(tmp_path))
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.checks.state("one_face")[0] == "✗", timeout=15000)
    # Nobody is in front of a camera: the list says what is wrong with the photo.
    assert page.checks.state("one_face")[1] == "No face found"
    assert "camera" not in " ".join(page.checks.state(k)[1] for k in KEYS).lower()
    # The other checks wait for a face instead of repeating the problem five times.
    assert [page.checks.state(k) for k in KEYS[1:]] == [("•", "")] * (len(KEYS) - 1)
    assert page.status.text().startswith("This photo cannot be used: no face found in coffee.png.")
    assert not wizard.button(NEXT).isEnabled()
    assert hint(page) == "To continue: choose a photo with one clear face."
    assert error_dialog(page) is None  # said on the page, not in a dialog
    page.load_file(one_face(tmp_path))
    qtbot.waitUntil(lambda: page.picture is not None and page.usable, timeout=15000)
    assert hint(page) == "" and wizard.button(NEXT).isEnabled()


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
    assert hint(consent) == "To continue: record the statement again, or go on without a recording."
    click(qtbot, consent.discard_button)
    assert wizard.button(NEXT).isEnabled() and consent.recording is None and hint(consent) == ""


class SlowFinder:
    """Stands in for default_microphone_factory: notes where it ran, answers when released."""

    def __init__(self, answer) -> None:  # type: ignore[no-untyped-def]
        self.answer = answer
        self.release = threading.Event()
        self.calls: list[tuple[str, bool]] = []

    def __call__(self, device: str = ""):  # type: ignore[no-untyped-def]
        self.calls.append((device, threading.current_thread() is threading.main_thread()))
        assert self.release.wait(10.0)
        return self.answer


def test_the_microphone_is_looked_for_on_a_worker_with_the_settings_choice(
    qtbot, library, tmp_path, monkeypatch, consent_speech
):
    audio, rate = consent_speech
    finder = SlowFinder(lambda: FileMicrophone(audio, rate))
    monkeypatch.setattr(capture_wizard, "default_microphone_factory", finder)
    wizard = open_wizard(
        qtbot, library, "photo", source=one_face(tmp_path), open_microphone=AUTO, microphone_device="USB Mic"
    )
    assert finder.calls == []  # building the wizard does not touch the sound system
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    click(qtbot, wizard.button(NEXT))
    consent = wizard.consent_page
    qtbot.waitUntil(lambda: finder.calls != [], timeout=5000)
    assert finder.calls == [("USB Mic", False)]  # the Settings choice, off the GUI thread
    assert consent.record_button.text() == "Looking for a microphone…"
    assert consent.record_button.isVisible() and not consent.record_button.isEnabled()
    qtbot.keyClicks(consent.name_edit, "Ana Lima")
    consent.attest.setChecked(True)
    assert wizard.button(NEXT).isEnabled()  # the recording is optional: no need to wait
    assert not consent.record_button.isEnabled()
    finder.release.set()
    qtbot.waitUntil(lambda: consent.record_button.isEnabled(), timeout=5000)
    assert consent.record_button.text() == "Record the statement" and consent.has_microphone
    click(qtbot, wizard.button(BACK))
    click(qtbot, wizard.button(NEXT))
    assert len(finder.calls) == 1 and wizard.currentId() == CONSENT_PAGE  # looked for once


def test_no_microphone_found_offers_no_recording(qtbot, library, tmp_path, monkeypatch):
    finder = SlowFinder(None)
    finder.release.set()
    monkeypatch.setattr(capture_wizard, "default_microphone_factory", finder)
    wizard = open_wizard(qtbot, library, "photo", source=one_face(tmp_path), open_microphone=AUTO)
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    click(qtbot, wizard.button(NEXT))
    consent = wizard.consent_page
    no_mic = consent.findChild(QWidget, "noMicrophoneHint")
    qtbot.waitUntil(lambda: no_mic.isVisible(), timeout=5000)
    assert finder.calls == [("", False)]
    assert not consent.record_button.isVisible() and not consent.has_microphone


def test_the_microphone_factory_opens_the_chosen_device(monkeypatch):
    def devices(inputs: int) -> list[SoundDevice]:
        return [SoundDevice(0, "USB Mic", "ALSA", inputs, 0, 48000.0, is_default_input=inputs > 0)]

    monkeypatch.setattr(sound_devices, "query_sound_devices", lambda: devices(1))
    chosen = consent_audio.default_microphone_factory("  USB Mic ")
    assert chosen is not None
    microphone = chosen()
    assert isinstance(microphone, Microphone) and microphone.device == "USB Mic"
    system_default = consent_audio.default_microphone_factory("")
    assert system_default is not None and system_default().device is None  # type: ignore[attr-defined]
    monkeypatch.setattr(sound_devices, "query_sound_devices", lambda: devices(0))
    assert consent_audio.default_microphone_factory("USB Mic") is None


def test_video_file_uses_its_best_frame(qtbot, library, demo_video):
    wizard = open_wizard(qtbot, library, "video", source=demo_video)
    page = wizard.source_page
    assert page.title() == "Step 1 of 3 · Pick a frame"
    qtbot.waitUntil(lambda: page.picture is not None, timeout=20000)
    assert all(page.checks.state(k)[0] == "✓" for k in KEYS)
    assert page.status.text().startswith("Using the frame at ")
    consent_and_name(qtbot, wizard, "Bo Chen", "Clip")
    assert create(qtbot, wizard) == "Clip"
    manifest = library.load("Clip").manifest
    assert manifest.source_kind == "video"
    assert manifest.source_note.startswith("demo_hello.mp4, frame at ")


def test_a_file_that_is_no_video_is_explained_once(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "video", source=text_as_jpg(tmp_path))
    page = wizard.source_page
    qtbot.waitUntil(lambda: error_dialog(page) is not None, timeout=15000)
    box = error_dialog(page)
    assert "could not be decoded" in box.text() and box.informativeText()
    assert len(error_dialogs(wizard)) == 1
    # The page does not repeat the dialog: a short line, and a calm preview.
    assert page.status.text() == "notes.jpg cannot be used."
    assert page.view.message == "No picture yet"
    assert page.checks.state("one_face") == ("•", "Waiting for a picture.")
    assert page.picture is None and not wizard.button(NEXT).isEnabled()
    assert hint(page) == "To continue: choose a video in which one face is clearly visible."
    assert page.choose_button.isVisible()
    box.close()


def test_no_camera_offers_photo_or_video(qtbot, library, tmp_path, monkeypatch):
    wizard = open_wizard(qtbot, library, "webcam", camera_device="/dev/video97")
    page = wizard.source_page
    qtbot.waitUntil(lambda: error_dialog(page) is not None, timeout=15000)
    box = error_dialog(page)
    assert box.text().startswith("No camera found at '/dev/video97'")
    assert "create the avatar from a photo or a video file instead" in box.informativeText()
    assert len(error_dialogs(wizard)) == 1
    assert page.status.text() == "No camera available."
    assert page.view.message == "No picture yet"
    assert page.checks.state("one_face") == ("•", "")
    assert not page.camera_running and not page.capture_button.isVisible()
    assert page.use_photo.isVisible() and page.use_video.isVisible()
    assert page.use_photo.property("role") == "primary"  # the way on
    assert hint(page) == "To continue: use a photo or a video file instead (buttons above)."
    box.close()
    # The photo route: the button asks for a file where photos are kept.
    asked: list[tuple[str, str, str]] = []
    photo = one_face(tmp_path)

    def open_file(_memory, _parent, kind: str, title: str, filters: str) -> Path:  # type: ignore[no-untyped-def]
        asked.append((kind, title, filters))
        return photo

    monkeypatch.setattr(FolderMemory, "open_file", open_file)
    click(qtbot, page.use_photo)
    assert asked == [("photo", "Choose a face photo", PHOTO_FILTER)]
    assert wizard.mode == "photo" and page.choose_button.isVisible() and not page.camera_combo.isVisible()
    assert page.title() == "Step 1 of 3 · Check the photo"
    assert hint(page) == "To continue: choose a photo with one clear face."
    qtbot.waitUntil(lambda: page.picture is not None, timeout=15000)
    assert hint(page) == ""
    consent_and_name(qtbot, wizard, "Ana Lima", "From Photo")
    create(qtbot, wizard)
    assert library.load("From Photo").manifest.source_kind == "photo"


def test_no_camera_on_the_computer(qtbot, library, monkeypatch):
    monkeypatch.setattr(capture_source, "list_cameras", lambda _p, _t: [])
    wizard = open_wizard(qtbot, library, "webcam")
    page = wizard.source_page
    qtbot.waitUntil(lambda: error_dialog(page) is not None, timeout=10000)
    assert error_dialog(page).text() == "No camera was found on this computer."
    assert page.camera_combo.count() == 1 and page.camera_combo.currentText() == "No camera found"
    assert not page.camera_combo.isEnabled()
    assert hint(page) == "To continue: use a photo or a video file instead (buttons above)."


def test_cancelled_build_leaves_the_library_unchanged(qtbot, library, tmp_path):
    create_from_photo(one_face(tmp_path), "Existing", "Ana Lima", library)
    before = snapshot(library.root)
    wizard = open_wizard(qtbot, library, "photo", source=one_face(tmp_path))
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    consent_and_name(qtbot, wizard, "Ana Lima", "Existing")
    build = wizard.build_page
    assert build.name_error.text() == "An avatar called 'Existing' already exists. Choose another name."
    assert not wizard.button(FINISH).isEnabled()
    assert hint(build) == "To continue: choose another name (see above)."
    build.name_edit.clear()
    assert hint(build) == "To continue: type a name for the avatar."
    build.name_edit.setText("Fresh")
    assert build.name_error.text() == "" and wizard.button(FINISH).isEnabled() and hint(build) == ""

    click(qtbot, wizard.button(FINISH))
    assert build.building and not wizard.button(FINISH).isEnabled()
    assert build.progress.isVisible() and build.cancel_button.isVisible()
    click(qtbot, build.cancel_button)
    qtbot.waitUntil(lambda: not build.building, timeout=10000)
    assert build.status.text() == "Cancelled: nothing was saved."
    assert not build.progress.isVisible() and not build.cancel_button.isVisible()
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
    assert hint(wizard.build_page) == "To continue: choose another name (see above)."


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


def delete_on_close(qtbot, wizard: CaptureWizard) -> list[bool]:  # type: ignore[no-untyped-def]
    """Let the wizard delete itself when closed, as the library page does; the list fills in
    when it is gone."""
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    gone: list[bool] = []
    wizard.destroyed.connect(lambda: gone.append(True))
    return gone


def test_a_wizard_deleted_on_close_leaves_nothing_running(qtbot, library, demo_video):
    wizard = CaptureWizard(library, "webcam", camera_device=str(demo_video), open_microphone=None)
    gone = delete_on_close(qtbot, wizard)
    wizard.show()
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.view.showing_frame, timeout=15000)
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)
    assert camera_threads() == []
    qtbot.wait(200)  # any late timer or signal would raise here (pytest-qt fails the test)


def test_a_worker_outliving_the_close_is_cut_off(qtbot, library, monkeypatch):
    listed = threading.Event()

    def slow_listing(_progress, _token) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
        time.sleep(0.6)  # a device listing that ignores Cancel
        listed.set()
        return [("Cam", "0")]

    monkeypatch.setattr(capture_source, "list_cameras", slow_listing)
    monkeypatch.setattr(capture_wizard, "CLOSE_WAIT_S", 0.05)
    thread_errors: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: thread_errors.append(args.exc_value))
    cameras = Cameras()
    wizard = CaptureWizard(library, "webcam", open_camera=cameras, open_microphone=None)
    gone = delete_on_close(qtbot, wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.source_page.list_runner.running, timeout=5000)
    wizard.close()
    assert not listed.is_set()  # it returned without waiting for the listing (0.6 s) to end
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)
    assert listed.wait(5.0)
    qtbot.wait(200)  # the listing's answer arrives with nobody left to start a camera
    assert cameras.open_started == [] and camera_threads() == []
    assert thread_errors == []  # e.g. "Signal source has been deleted" from the listing's thread


def test_closing_during_a_video_search_deletes_cleanly(qtbot, library, demo_video):
    wizard = CaptureWizard(library, "video", source=demo_video, open_microphone=None)
    gone = delete_on_close(qtbot, wizard)
    wizard.show()
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.file_runner.running, timeout=5000)
    click(qtbot, wizard.button(QWizard.WizardButton.CancelButton))
    assert not page.file_runner.running  # cancelled and joined before the wizard goes
    qtbot.waitUntil(lambda: gone == [True], timeout=5000)
    qtbot.wait(200)  # the progress dialog's last updates came before it was deleted


def test_a_group_photo_is_cropped_to_the_person_picked(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "photo", source=two_faces(tmp_path))
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.people.isVisible(), timeout=15000)
    # The faces are numbered on the picture, left to right, with a button each.
    assert [b.text() for b in page.person_buttons] == ["Person 1", "Person 2"]
    assert page.view.labels == ["1", "2"]
    assert page.status.text().startswith("This photo shows 2 people. Pick the one")
    assert hint(page) == "To continue: pick the person to make the avatar of."
    assert not wizard.button(NEXT).isEnabled()
    group_width = page.picture.shape[1]

    click(qtbot, page.person_buttons[1])
    qtbot.waitUntil(lambda: page.picture is not None and page.usable, timeout=15000)
    assert page.picture.shape[1] < group_width / 2 + 50  # one person, not the group
    assert page.checks.state("one_face") == ("✓", "One face found")
    assert page.person_buttons[1].isChecked() and not page.person_buttons[0].isChecked()
    assert page.people.isVisible()  # the other person can still be picked instead
    assert hint(page) == "" and wizard.button(NEXT).isEnabled()
    assert error_dialog(page) is None

    consent_and_name(qtbot, wizard, name="Right")
    assert create(qtbot, wizard) == "Right"
    avatar = library.load("Right")
    assert avatar.manifest.source_note == "two.png, person 2 of 2"
    assert avatar.image.shape[1] == page.picture.shape[1]


def test_a_thumbnail_photo_is_called_too_small(qtbot, library, tmp_path):
    wizard = open_wizard(qtbot, library, "photo", source=thumbnail(tmp_path))
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.checks.state("one_face")[0] == "✗", timeout=15000)
    assert page.checks.state("one_face")[1] == "Picture too small"
    assert page.status.text().startswith("This photo cannot be used: thumb.png is too small: 48x56 px.")
    assert "at least 100x100 px" in page.status.text()
    assert not page.people.isVisible() and not wizard.button(NEXT).isEnabled()


class MicrophoneNotThere:
    """A microphone that is gone when the recording starts: it says so as the real one does."""

    sample_rate = 48000

    def start(self, _consumer) -> None:  # type: ignore[no-untyped-def]
        pick_device([], None, "input")

    def close(self) -> None:
        pass


CLI_WORDS = ("--", "studio devices", "studio avatar")


def test_the_wizard_says_errors_in_the_apps_words(qtbot, library, tmp_path, monkeypatch):
    photo = one_face(tmp_path)
    wizard = open_wizard(qtbot, library, "photo", source=photo, open_microphone=MicrophoneNotThere)
    qtbot.waitUntil(lambda: wizard.source_page.picture is not None, timeout=15000)
    click(qtbot, wizard.button(NEXT))
    consent = wizard.consent_page
    qtbot.keyClicks(consent.name_edit, "Ana Lima")
    consent.attest.setChecked(True)
    click(qtbot, consent.record_button)
    qtbot.waitUntil(lambda: consent.record_state == "rejected", timeout=10000)
    said = consent.record_status.text()
    assert said.startswith("✗ Not accepted: No microphone found.") and "Settings page" in said
    assert not any(words in said for words in CLI_WORDS), said

    # Whatever the core says of a name (its messages serve the CLI too) reads as the app's.
    def refuse(_name: str) -> str:
        raise InputError("the name is taken (see 'studio avatar list').", "Rename it with --name.")

    monkeypatch.setattr(capture_common, "check_new_name", refuse)
    assert wizard.build_page.name_problem() == "The name is taken (see the Avatars page). Rename it."


def test_a_refused_photo_is_explained_in_the_apps_words(qtbot, library, tmp_path, monkeypatch):
    def read_refused(path: Path) -> Picture:
        picture = read_photo(path)
        refusal = FaceError(
            "the face is too small (see 'studio avatar list').", "Retake it, or choose another with --photo."
        )
        return replace(picture, refusal=refusal)

    monkeypatch.setattr(capture_files, "read_photo", read_refused)
    wizard = open_wizard(qtbot, library, "photo", source=one_face(tmp_path))
    page = wizard.source_page
    qtbot.waitUntil(lambda: page.status.text().startswith("This photo cannot be used"), timeout=15000)
    assert page.status.text() == (
        "This photo cannot be used: the face is too small (see the Avatars page). "
        "Retake it, or choose another."
    )
