"""The wizard's consent page: who is pictured, the statement they agree to, the operator's
confirmation and, when there is a microphone, the statement read aloud and recorded.

Finding the microphone loads PortAudio and lists the sound devices, which can take a moment:
it runs on a worker the first time the page is shown, the Record button saying so meanwhile.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from studio.avatar.create import default_consent_statement
from studio.capture.consent_audio import ConsentMicrophone, reading_seconds, record_consent
from studio.errors import StudioError
from studio.tasks import Cancelled, CancelToken, ProgressFn
from studio.ui.app_words import app_words
from studio.ui.bridge import TaskRunner
from studio.ui.capture_common import CLOSE_WAIT_S, Deadline, next_hint, release, set_hint, step_title
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

ATTESTATION = QT_TRANSLATE_NOOP(
    "capture_consent",
    "I am this person, or I have their written consent to create and use this AI "
    "twin of their face and voice for the purposes stated.",
)
NONE, RECORDING, ACCEPTED, REJECTED = "none", "recording", "accepted", "rejected"
READ_ALOUD = QT_TRANSLATE_NOOP("capture_consent", "Read the statement aloud, then press Done reading.")
LOOKING = QT_TRANSLATE_NOOP("capture_consent", "Looking for a microphone…")
MicrophoneFactory = Callable[[], ConsentMicrophone]
# Finds the microphone (slow: PortAudio); None when there is none.
MicrophoneFinder = Callable[[], MicrophoneFactory | None]


class ConsentPage(QWizardPage):
    """``open_microphone`` opens the microphone (None: there is none); or ``find_microphone``,
    when given, tells on a worker which one there is, the first time the page is shown."""

    def __init__(
        self, open_microphone: MicrophoneFactory | None, find_microphone: MicrophoneFinder | None = None
    ) -> None:
        super().__init__()
        self.setObjectName("consentPage")
        self.setTitle(step_title(2, self.tr("Consent")))
        self.setSubTitle(self.tr("An avatar may only be made of a real person who agreed to it."))
        self._open_microphone = open_microphone
        self._find_microphone = find_microphone
        self.looking_for_microphone = find_microphone is not None
        self.recording: np.ndarray | None = None
        self.recording_rate = 0
        self.record_state = NONE
        self._stop = threading.Event()

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("consentNameEdit")
        self.name_edit.setPlaceholderText(self.tr("e.g. Ana Lima"))
        self.name_edit.setToolTip(self.tr("The full name of the person in the picture"))
        self.name_edit.textChanged.connect(self._name_changed)
        self.statement = QLabel()
        self.statement.setObjectName("consentStatement")
        self.statement.setWordWrap(True)
        card = QFrame()
        card.setProperty("role", "card")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.statement)
        self.attest = QCheckBox(translated("capture_consent", ATTESTATION))
        self.attest.setObjectName("attestCheck")
        self.attest.toggled.connect(self._update_buttons)

        form = QFormLayout()
        form.addRow(self.tr("Full name of the person pictured:"), self.name_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("The statement they agree to:")))
        layout.addWidget(card)
        layout.addWidget(self.attest)
        layout.addSpacing(12)

        self.runner = TaskRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.succeeded.connect(self._recorded)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._update_buttons)
        self.record_button = QPushButton(self.tr("Record the statement"))
        self.record_button.setObjectName("recordButton")
        self.record_button.setToolTip(
            self.tr("Read the statement aloud; it is kept with the avatar as proof of consent")
        )
        self.record_button.clicked.connect(self.start_recording)
        self.stop_button = QPushButton(self.tr("Done reading"))
        self.stop_button.setObjectName("stopRecordButton")
        self.stop_button.clicked.connect(self.stop_recording)
        self.discard_button = QPushButton(self.tr("Go on without a recording"))
        self.discard_button.setObjectName("discardRecordingButton")
        self.discard_button.clicked.connect(self.discard_recording)
        self.progress = QProgressBar()
        self.progress.setObjectName("recordProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.record_status = QLabel()
        self.record_status.setObjectName("recordStatus")
        self.record_status.setWordWrap(True)
        self.record_intro = QLabel(
            self.tr("Recommended: have them read the statement aloud, to keep as proof.")
        )
        self.no_microphone = QLabel(
            self.tr("No microphone found: the consent is kept as your confirmation above.")
        )
        self.no_microphone.setObjectName("noMicrophoneHint")
        self.no_microphone.setProperty("role", "hint")
        layout.addWidget(self.record_intro)
        row = QHBoxLayout()
        for widget in (self.record_button, self.stop_button, self.discard_button):
            row.addWidget(widget)
        row.addWidget(self.progress, 1)
        layout.addLayout(row)
        layout.addWidget(self.record_status)
        layout.addWidget(self.no_microphone)
        layout.addStretch(1)
        self.hint = next_hint("consentHint")
        layout.addWidget(self.hint)

        self.mic_runner = TaskRunner(self)
        self.mic_runner.succeeded.connect(self._microphone_found)
        self.mic_runner.failed.connect(self._microphone_missing)
        self._show_microphone()
        self._name_changed("")

    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        find = self._find_microphone
        if find is not None and self.looking_for_microphone and not self.mic_runner.running:
            self.mic_runner.start(lambda _progress, _token: find(), "find the microphone")

    def _microphone_found(self, factory: MicrophoneFactory | None) -> None:
        self._open_microphone, self.looking_for_microphone = factory, False
        self._show_microphone()
        self._update_buttons()

    def _microphone_missing(self, _exc: BaseException) -> None:
        self._microphone_found(None)

    def _show_microphone(self) -> None:
        recordable = self.has_microphone or self.looking_for_microphone
        for widget in (self.record_intro, self.record_button, self.record_status):
            widget.setVisible(recordable)
        self.no_microphone.setVisible(not recordable)

    @property
    def has_microphone(self) -> bool:
        return self._open_microphone is not None

    @property
    def consent_by(self) -> str:
        return " ".join(self.name_edit.text().split())

    @property
    def statement_text(self) -> str:
        return default_consent_statement(self.consent_by or self.tr("[full name]"))

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.consent_by) and self.attest.isChecked() and self.record_state in (NONE, ACCEPTED)

    def missing(self) -> str:
        """What to do before Next works ("" when it does)."""
        named, ticked = bool(self.consent_by), self.attest.isChecked()
        if self.record_state == RECORDING:
            return self.tr("To continue: press Done reading once the statement has been read.")
        if self.record_state == REJECTED:
            return self.tr("To continue: record the statement again, or go on without a recording.")
        if not named:
            return self.tr("To continue: type the person's full name") + (
                "." if ticked else self.tr(", then tick the box.")
            )
        return "" if ticked else self.tr("To continue: tick the box to confirm their consent.")

    def _name_changed(self, _text: str) -> None:
        self.statement.setText(self.statement_text)
        if self.record_state in (ACCEPTED, REJECTED):
            # The recording says another name: it no longer matches the statement.
            self.discard_recording()
            self.record_status.setText(
                self.tr("The name changed: record the statement again (or go on without).")
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        # The state, not runner.running: this also runs from the runner's last signal, while
        # its thread is still on its way out.
        recording = self.record_state == RECORDING
        kept = self.record_state in (ACCEPTED, REJECTED)
        ready = self.has_microphone and bool(self.consent_by) and not recording
        self.record_button.setEnabled(ready)
        looking = self.looking_for_microphone
        self.record_button.setText(
            translated("capture_consent", LOOKING)
            if looking
            else self.tr("Record again")
            if kept
            else self.tr("Record the statement")
        )
        self.stop_button.setEnabled(recording)
        self.discard_button.setEnabled(kept)
        self.stop_button.setVisible(self.has_microphone and recording)
        self.discard_button.setVisible(self.has_microphone and kept)
        # Only while there is something to show: an empty bar reads as a blank text field.
        self.progress.setVisible(self.has_microphone and (recording or self.record_state == ACCEPTED))
        self.name_edit.setReadOnly(recording)
        set_hint(self.hint, self.missing())
        self.completeChanged.emit()

    def start_recording(self) -> None:
        if self._open_microphone is None or self.record_state == RECORDING or not self.consent_by:
            return
        self.runner.wait()  # the last recording's thread, already past its last signal
        microphone = self._open_microphone()
        seconds = reading_seconds(self.statement_text)
        self._stop = stop = threading.Event()
        self.recording, self.record_state = None, RECORDING
        self.record_status.setText(
            self.tr("Recording… {READ_ALOUD}").format(READ_ALOUD=translated("capture_consent", READ_ALOUD))
        )

        def work(progress: ProgressFn, token: CancelToken) -> tuple[np.ndarray, int]:
            return record_consent(microphone, seconds, progress, token, stop), int(microphone.sample_rate)

        self.runner.start(work, "consent recording")
        self._update_buttons()

    def stop_recording(self) -> None:
        """The reader has finished: keep what was recorded."""
        self._stop.set()

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        if self.record_state == RECORDING and message.startswith("Recording"):
            self.record_status.setText(f"{message}. {translated('capture_consent', READ_ALOUD)}")

    def _recorded(self, result: tuple[np.ndarray, int]) -> None:
        self.recording, self.recording_rate = result
        self.record_state = ACCEPTED
        self.progress.setValue(1000)
        self.record_status.setText(
            self.tr("✓ Recorded {value:.1f} s. It is kept with the avatar.").format(
                value=len(self.recording) / self.recording_rate
            )
        )
        # Here, not only on `finished`: that signal comes later, and until it does the
        # page would show the new state with the old buttons and hint.
        self._update_buttons()

    def _failed(self, exc: BaseException) -> None:
        self.recording = None
        self.progress.setValue(0)
        if isinstance(exc, Cancelled):
            self.record_state = NONE
            self.record_status.setText(self.tr("Recording cancelled."))
        else:
            self.record_state = REJECTED
            if isinstance(exc, StudioError):
                text = f"{app_words(exc.problem)} {app_words(exc.hint)}"
            else:
                text = str(exc)
            self.record_status.setText(self.tr("✗ Not accepted: {text}").format(text=text))
        self._update_buttons()

    def discard_recording(self) -> None:
        self.recording, self.record_state = None, NONE
        self.progress.setValue(0)
        self.record_status.setText("")
        self._update_buttons()

    def shutdown(self, timeout: float = CLOSE_WAIT_S) -> None:
        """Stop the recording and the microphone search, waiting up to ``timeout`` s."""
        self._stop.set()
        deadline = Deadline(timeout)
        release(self.runner, deadline.left)
        release(self.mic_runner, deadline.left)
