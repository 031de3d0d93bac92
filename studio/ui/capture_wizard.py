"""The capture wizard: a new avatar from a webcam, a photo or a video file.

Pages: the picture (``capture_source``), the consent (``capture_consent``), then the name and
the build, which runs on a ``TaskRunner`` and can be cancelled. Closing the wizard, however
it happens, stops the camera and every worker thread first (waiting a bounded time; see
``capture_common``), so a wizard with WA_DeleteOnClose is deleted with nothing left to call it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.capture.build import BuildRequest, build_avatar
from studio.capture.camera import CameraOpener, open_camera
from studio.capture.consent_audio import default_microphone_factory
from studio.errors import StudioError
from studio.tasks import Cancelled
from studio.ui.app_words import app_words
from studio.ui.bridge import TaskRunner
from studio.ui.capture_common import (
    CLOSE_WAIT_S,
    Deadline,
    name_problem,
    next_hint,
    release,
    set_hint,
    step_title,
)
from studio.ui.capture_consent import ConsentPage, MicrophoneFactory
from studio.ui.capture_source import SourcePage
from studio.ui.dialogs import show_error
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.images import frame_image

MODES = ("webcam", "photo", "video")
_SOURCE_WORDS = {
    "webcam": QT_TRANSLATE_NOOP("capture_wizard", "a webcam capture"),
    "photo": QT_TRANSLATE_NOOP("capture_wizard", "a photo"),
    "video": QT_TRANSLATE_NOOP("capture_wizard", "a frame of a video"),
}
THUMBNAIL_PX = 120
SOURCE_PAGE, CONSENT_PAGE, BUILD_PAGE = 0, 1, 2
# A build checks for Cancel between steps; closing waits this long for it before leaving it
# to end on its own (whatever it writes is written whole or not at all).
BUILD_CLOSE_WAIT_S = 10.0


class _Auto:
    """The default of ``open_microphone``: the system microphone, if the machine has one."""


AUTO = _Auto()


class BuildPage(QWizardPage):
    def __init__(self, library: AvatarLibrary) -> None:
        super().__init__()
        self.setObjectName("buildPage")
        self.setTitle(step_title(3, self.tr("Name and create")))
        self.setSubTitle(self.tr("The name shows in the avatar library and in the live show."))
        self.library = library
        self.avatar: Avatar | None = None
        self._busy = False
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("avatarNameEdit")
        self.name_edit.setMaxLength(64)
        self.name_edit.setToolTip(self.tr("Letters, digits, spaces, '-' and '_'"))
        self.name_edit.textChanged.connect(self._name_changed)
        self.name_error = QLabel()
        self.name_error.setObjectName("nameError")
        self.name_error.setProperty("role", "error")
        self.name_error.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("buildProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        # Hidden until a build starts: an empty bar reads as a second, blank text field.
        self.progress.setVisible(False)
        self.status = QLabel(self.tr("Press Create avatar when the name is right."))
        self.status.setObjectName("buildStatus")
        self.status.setWordWrap(True)
        self.cancel_button = QPushButton(self.tr("Cancel build"))
        self.cancel_button.setObjectName("cancelBuildButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_build)

        form = QFormLayout()
        form.addRow(self.tr("Avatar name:"), self.name_edit)
        form.addRow("", self.name_error)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        self.thumbnail = QLabel()
        self.thumbnail.setObjectName("buildThumbnail")
        self.thumbnail.setFixedSize(THUMBNAIL_PX, THUMBNAIL_PX)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.summary = QLabel()
        self.summary.setObjectName("buildSummary")
        self.summary.setWordWrap(True)
        self.summary.setProperty("role", "hint")
        top = QHBoxLayout()
        top.setSpacing(14)
        top.addWidget(self.thumbnail)
        top.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addSpacing(16)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.hint = next_hint("buildHint")
        layout.addWidget(self.hint)

        self.runner = TaskRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.succeeded.connect(self._built)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._finished)

    @property
    def building(self) -> bool:
        # A flag, not runner.running: the runner's last signal comes while its thread ends.
        return self._busy

    def name_problem(self) -> str:
        """Why the typed name cannot be used ("" when it can)."""
        return name_problem(self.name_edit.text(), self.library)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        wizard = self.wizard()
        if isinstance(wizard, CaptureWizard):
            self._summarise(wizard)
            if not self.name_edit.text():
                self.name_edit.setText(wizard.consent_page.consent_by.split(" ")[0])
        self._name_changed(self.name_edit.text())

    def _summarise(self, wizard: CaptureWizard) -> None:
        picture, consent = wizard.source_page.picture, wizard.consent_page
        if picture is not None:
            image = frame_image(picture).copy()  # the copy owns its pixels
            self.thumbnail.setPixmap(
                QPixmap.fromImage(image).scaled(
                    THUMBNAIL_PX,
                    THUMBNAIL_PX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        how = (
            self.tr("the statement read aloud and recorded")
            if consent.recording is not None
            else self.tr("your confirmation")
        )
        self.summary.setText(
            self.tr("Picture: {SOURCE_WORDS} ({source_note}).\nConsent: {consent_by}, by {how}.").format(
                SOURCE_WORDS=translated("capture_wizard", _SOURCE_WORDS[wizard.mode]),
                source_note=wizard.source_page.source_note,
                consent_by=consent.consent_by,
                how=how,
            )
        )

    def _name_changed(self, text: str) -> None:
        problem = self.name_problem()
        self.name_error.setText(problem if text.strip() else "")
        if self.building or self.avatar is not None:
            missing = ""
        elif not text.strip():
            missing = self.tr("To continue: type a name for the avatar.")
        else:
            missing = self.tr("To continue: choose another name (see above).") if problem else ""
        set_hint(self.hint, missing)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return not self.building and self.avatar is None and not self.name_problem()

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.avatar is not None:
            return True  # built: the wizard may close
        if self.building:
            return False
        if self.name_problem():  # e.g. the name was taken since it was typed
            self._name_changed(self.name_edit.text())
            return False
        self.start_build()
        return False

    def start_build(self) -> None:
        wizard = self.wizard()
        assert isinstance(wizard, CaptureWizard)
        request = wizard.build_request(self.name_edit.text())
        library = self.library
        self.progress.setValue(0)
        self.status.setText(self.tr("Starting…"))
        self.runner.wait()  # a previous build's thread, already past its last signal
        self.runner.start(
            lambda progress, token: build_avatar(request, library, progress, token), "build avatar"
        )
        self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.name_edit.setReadOnly(busy)
        self.cancel_button.setEnabled(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy or self.avatar is not None)
        if busy:
            set_hint(self.hint, "")
        self.completeChanged.emit()  # the wizard re-enables Back here; busy overrides it below
        wizard = self.wizard()
        if wizard is not None:
            wizard.button(QWizard.WizardButton.BackButton).setEnabled(not busy)

    def cancel_build(self) -> None:
        self.runner.cancel()
        self.status.setText(self.tr("Cancelling…"))

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self.status.setText(message)

    def _built(self, avatar: Avatar) -> None:
        self.avatar = avatar
        self.progress.setValue(1000)
        self.status.setText(self.tr("Created the avatar '{name}'.").format(name=avatar.name))

    def _failed(self, exc: BaseException) -> None:
        self.progress.setValue(0)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Cancelled: nothing was saved."))
            return
        problem = self.tr("Something went wrong inside Studio.")
        if isinstance(exc, StudioError):
            problem = app_words(exc.problem)
        self.status.setText(self.tr("Not created: {problem}").format(problem=problem))
        show_error(self, exc, self.tr("Could not create the avatar"))

    def _finished(self) -> None:
        self._set_busy(False)
        self._name_changed(self.name_edit.text())
        wizard = self.wizard()
        if self.avatar is not None and isinstance(wizard, CaptureWizard):
            wizard.avatar_created.emit(self.avatar.name)
            if not wizard.closed:  # a build that ended just as the wizard was closed
                wizard.accept()

    def shutdown(self, timeout: float = BUILD_CLOSE_WAIT_S) -> None:
        release(self.runner, timeout)


class CaptureWizard(QWizard):
    """Creates one avatar in ``library``; ``avatar_created(name)`` once it is written.

    ``camera_device`` and ``microphone_device`` are the Settings choices ("" is the system's
    default); ``open_camera`` and ``open_microphone`` replace the devices (tests, rehearsals).
    """

    avatar_created = Signal(str)

    def __init__(
        self,
        library: AvatarLibrary,
        mode: str,
        parent: QWidget | None = None,
        *,
        source: Path | None = None,
        camera_device: str = "",
        microphone_device: str = "",
        open_camera: CameraOpener = open_camera,
        open_microphone: MicrophoneFactory | None | _Auto = AUTO,
        countdown_s: float = 3.0,
    ) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.setObjectName("captureWizard")
        self.setWindowTitle(self.tr("New avatar"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Create avatar"))
        self.button(QWizard.WizardButton.FinishButton).setObjectName("createAvatarButton")
        self.button(QWizard.WizardButton.NextButton).setObjectName("nextButton")
        self.button(QWizard.WizardButton.BackButton).setObjectName("backButton")
        self.button(QWizard.WizardButton.CancelButton).setObjectName("cancelWizardButton")
        self.library = library
        self.source_page = SourcePage(mode, source, camera_device, open_camera, countdown_s)
        if isinstance(open_microphone, _Auto):
            device = microphone_device
            self.consent_page = ConsentPage(None, lambda: default_microphone_factory(device))
        else:
            self.consent_page = ConsentPage(open_microphone)
        self.build_page = BuildPage(library)
        self.setPage(SOURCE_PAGE, self.source_page)
        self.setPage(CONSENT_PAGE, self.consent_page)
        self.setPage(BUILD_PAGE, self.build_page)
        self.setStartId(SOURCE_PAGE)
        self.resize(980, 700)
        self._shut = False

    @property
    def mode(self) -> str:
        """Where the picture comes from now (the user may switch to a file without a camera)."""
        return self.source_page.mode

    def build_request(self, name: str) -> BuildRequest:
        picture = self.source_page.picture
        if picture is None:
            raise RuntimeError("no picture yet")
        consent = self.consent_page
        return BuildRequest(
            source_kind=self.mode,
            source=picture,
            name=name,
            consent_by=consent.consent_by,
            attested=consent.attest.isChecked(),
            consent_audio=consent.recording,
            consent_rate=consent.recording_rate or 48000,
            source_note=self.source_page.source_note,
        )

    @property
    def closed(self) -> bool:
        return self._shut

    def shutdown(self) -> None:
        """Stop the camera and every worker; the wizard can then be destroyed safely."""
        if self._shut:
            return
        self._shut = True
        deadline = Deadline(CLOSE_WAIT_S)
        self.source_page.shutdown(deadline.left)
        self.consent_page.shutdown(deadline.left)
        self.build_page.shutdown()

    def done(self, result: int) -> None:
        # Workers are stopped before QDialog.done() posts the deletion (WA_DeleteOnClose), so
        # their last queued signals reach the pages while they still exist. An Accept runs
        # the page's validation first, which starts the build and keeps the wizard open.
        if result == QWizard.DialogCode.Rejected:
            self.shutdown()
        super().done(result)
        if not self.isVisible():
            self.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        if event.isAccepted():
            self.shutdown()
