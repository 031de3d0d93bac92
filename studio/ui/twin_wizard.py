"""New twin from webcam: consent, a guided ~45 s recording, then the build.

Pages: who is filmed and their consent (and the script's language); the recording
(``twin_record_page``: quiet idle, the statement read aloud, the script as a teleprompter,
the checklist and the mouth-shape meter); the twin's name and its build (``twin_build``).
Closing the wizard, however it happens, stops the camera, the microphone and every worker
first and deletes the temporary recording, as the capture wizard does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QComboBox, QFormLayout, QVBoxLayout, QWidget, QWizard, QWizardPage

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.capture.camera import CameraOpener, open_camera
from studio.capture.consent_audio import default_microphone_factory
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.capture_common import CLOSE_WAIT_S, Deadline, next_hint, release, set_hint
from studio.ui.capture_consent import MicrophoneFactory
from studio.ui.twin_build import TwinBuildPanel, TwinConsentForm, build_work
from studio.ui.twin_record_page import TwinRecordPage
from studio.ui.twin_script import IDLE_S, LANGUAGES, SCRIPT_S, RecordingPlan

CONSENT_PAGE, RECORD_PAGE, BUILD_PAGE = 0, 1, 2


class _Auto:
    """The default microphone: the system's, found on a worker (PortAudio is slow to load)."""


AUTO = _Auto()


class TwinConsentPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("twinConsentPage")
        self.setTitle(self.tr("Step 1 of 3 · Consent"))
        self.setSubTitle(self.tr("A twin may only be made of a real person who agreed to it."))
        self.form = TwinConsentForm(
            self.tr(
                "They read this statement aloud during the recording; with a microphone, that "
                "part of the recording is kept with the twin as proof."
            )
        )
        self.form.changed.connect(self._changed)
        self.language = QComboBox()
        self.language.setObjectName("scriptLanguage")
        for code, words in LANGUAGES.items():
            self.language.addItem(words, code)
        languages = QFormLayout()
        languages.addRow(self.tr("Script to read:"), self.language)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(languages)
        layout.addStretch(1)
        self.hint = next_hint("twinConsentHint")
        layout.addWidget(self.hint)
        self._changed()

    def _changed(self) -> None:
        set_hint(self.hint, self.form.missing())
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.form.complete


class TwinBuildPage(QWizardPage):
    def __init__(self, library: AvatarLibrary) -> None:
        super().__init__()
        self.setObjectName("twinBuildPage")
        self.setTitle(self.tr("Step 3 of 3 · Name and create"))
        self.setSubTitle(self.tr("Studio measures the recording and builds the twin: about a minute."))
        self.panel = TwinBuildPanel(library)
        self.panel.changed.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        wizard = self.wizard()
        if isinstance(wizard, TwinWizard) and not self.panel.name_edit.text():
            self.panel.name_edit.setText(wizard.consent_page.form.consent_by.split(" ")[0])

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.panel.ready

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        if self.panel.avatar is not None:
            return True
        wizard = self.wizard()
        if self.panel.ready and isinstance(wizard, TwinWizard):
            wizard.start_build()
        return False


class TwinWizard(QWizard):
    """Builds one twin from the webcam into ``library``; ``avatar_created(name)`` once written.

    ``open_camera``/``open_microphone`` replace the devices (tests, rehearsals); ``idle_s``,
    ``consent_s``, ``script_s`` the parts' lengths and ``min_usable_s`` the build's minimum.
    """

    avatar_created = Signal(str)

    def __init__(
        self,
        library: AvatarLibrary,
        parent: QWidget | None = None,
        *,
        camera_device: str = "",
        microphone_device: str = "",
        open_camera: CameraOpener = open_camera,
        open_microphone: MicrophoneFactory | None | _Auto = AUTO,
        idle_s: float = IDLE_S,
        consent_s: float = 0.0,
        script_s: float = SCRIPT_S,
        min_usable_s: float = 15.0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("twinWizard")
        self.setWindowTitle(self.tr("New twin from webcam"))
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Create twin"))
        self.button(QWizard.WizardButton.FinishButton).setObjectName("createTwinButton")
        self.button(QWizard.WizardButton.NextButton).setObjectName("nextButton")
        self.library = library
        self.camera_device, self.microphone_device = camera_device, microphone_device
        self.min_usable_s = min_usable_s
        self._lengths = (idle_s, consent_s, script_s)
        self._microphone: MicrophoneFactory | None = None
        self.mic_runner = TaskRunner(self)
        if isinstance(open_microphone, _Auto):
            self.mic_runner.succeeded.connect(self._microphone_found)
            self.mic_runner.start(lambda _p, _t: default_microphone_factory(microphone_device), "find mic")
        else:
            self._microphone = open_microphone
        self.consent_page = TwinConsentPage()
        self.record_page = TwinRecordPage(camera_device, open_camera, self.plan, lambda: self._microphone)
        self.build_page = TwinBuildPage(library)
        self.build_page.panel.built.connect(self._built)
        self.setPage(CONSENT_PAGE, self.consent_page)
        self.setPage(RECORD_PAGE, self.record_page)
        self.setPage(BUILD_PAGE, self.build_page)
        self.setStartId(CONSENT_PAGE)
        self.resize(1040, 780)
        self._shut = False

    def _microphone_found(self, factory: MicrophoneFactory | None) -> None:
        self._microphone = factory

    def plan(self) -> RecordingPlan:
        idle_s, consent_s, script_s = self._lengths
        form = self.consent_page.form
        language = str(self.consent_page.language.currentData())
        return RecordingPlan(form.statement_text, language, idle_s, consent_s, script_s)

    def start_build(self) -> None:
        page = self.record_page
        path = page.recording_path
        if path is None:
            return

        def video(_progress: ProgressFn, _token: CancelToken) -> Path:
            return path

        self.build_page.panel.start(
            build_work(
                self.library,
                video,
                self.build_page.panel.name_edit.text(),
                self.consent_page.form.consent_by,
                "webcam",
                page.consent_audio,
                min_usable_s=self.min_usable_s,
            )
        )

    def _built(self, avatar: Avatar) -> None:
        self.avatar_created.emit(avatar.name)
        if not self._shut:
            self.accept()

    @property
    def closed(self) -> bool:
        return self._shut

    def shutdown(self) -> None:
        """Stop the camera, the microphone and every worker; delete the recording."""
        if self._shut:
            return
        self._shut = True
        deadline = Deadline(CLOSE_WAIT_S)
        self.record_page.shutdown(deadline.left)
        release(self.mic_runner, deadline.left)
        self.build_page.panel.shutdown()

    def done(self, result: int) -> None:
        if result == QWizard.DialogCode.Rejected:
            self.shutdown()
        super().done(result)
        if not self.isVisible():
            self.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        if event.isAccepted():
            self.shutdown()


def open_twin(
    parent: QWidget,
    library: AvatarLibrary,
    mode: str,
    source: Path | None,
    *,
    camera_device: str = "",
    microphone_device: str = "",
) -> QWidget:
    """The twin's wizard ("twin-webcam", on ``camera_device`` and ``microphone_device``: the
    Settings' devices; "" the system's) or its dialog ("twin-video", from the file ``source``)."""
    from studio.ui.twin_video import TwinVideoDialog  # noqa: PLC0415 - PyAV

    if mode == "twin-video":
        if source is None:
            raise ValueError("a twin from video needs the video file")
        return TwinVideoDialog(library, source, parent)
    return TwinWizard(library, parent, camera_device=camera_device, microphone_device=microphone_device)
