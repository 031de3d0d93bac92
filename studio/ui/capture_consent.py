"""The wizard's consent page: who is pictured, the statement they agree to, the operator's
confirmation and, when there is a microphone, the statement read aloud and recorded."""

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
from studio.ui.bridge import TaskRunner

ATTESTATION = (
    "I am this person, or I have their written consent to create and use this AI twin of their "
    "face and voice for the purposes stated."
)
NONE, RECORDING, ACCEPTED, REJECTED = "none", "recording", "accepted", "rejected"
READ_ALOUD = "Read the statement aloud, then press Done reading."


class ConsentPage(QWizardPage):
    def __init__(self, open_microphone: Callable[[], ConsentMicrophone] | None) -> None:
        super().__init__()
        self.setObjectName("consentPage")
        self.setTitle("Consent")
        self.setSubTitle("An avatar may only be made of a real person who agreed to it.")
        self._open_microphone = open_microphone
        self.recording: np.ndarray | None = None
        self.recording_rate = 0
        self.record_state = NONE
        self._stop = threading.Event()

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("consentNameEdit")
        self.name_edit.setPlaceholderText("e.g. Ana Lima")
        self.name_edit.setToolTip("The full name of the person in the picture")
        self.name_edit.textChanged.connect(self._name_changed)
        self.statement = QLabel()
        self.statement.setObjectName("consentStatement")
        self.statement.setWordWrap(True)
        card = QFrame()
        card.setProperty("role", "card")
        card_layout = QVBoxLayout(card)
        card_layout.addWidget(self.statement)
        self.attest = QCheckBox(ATTESTATION)
        self.attest.setObjectName("attestCheck")
        self.attest.toggled.connect(lambda _on: self.completeChanged.emit())

        form = QFormLayout()
        form.addRow("Full name of the person pictured:", self.name_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("The statement they agree to:"))
        layout.addWidget(card)
        layout.addWidget(self.attest)
        layout.addSpacing(12)

        self.runner = TaskRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.succeeded.connect(self._recorded)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._update_buttons)
        self.record_button = QPushButton("Record the statement")
        self.record_button.setObjectName("recordButton")
        self.record_button.setToolTip(
            "Read the statement aloud; it is kept with the avatar as proof of consent"
        )
        self.record_button.clicked.connect(self.start_recording)
        self.stop_button = QPushButton("Done reading")
        self.stop_button.setObjectName("stopRecordButton")
        self.stop_button.clicked.connect(self.stop_recording)
        self.discard_button = QPushButton("Go on without a recording")
        self.discard_button.setObjectName("discardRecordingButton")
        self.discard_button.clicked.connect(self.discard_recording)
        self.progress = QProgressBar()
        self.progress.setObjectName("recordProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.record_status = QLabel()
        self.record_status.setObjectName("recordStatus")
        self.record_status.setWordWrap(True)
        if open_microphone is not None:
            layout.addWidget(QLabel("Recommended: have them read the statement aloud, to keep as proof."))
            row = QHBoxLayout()
            for widget in (self.record_button, self.stop_button, self.discard_button):
                row.addWidget(widget)
            row.addWidget(self.progress, 1)
            layout.addLayout(row)
            layout.addWidget(self.record_status)
        else:
            hint = QLabel("No microphone found: the consent is kept as your confirmation above.")
            hint.setObjectName("noMicrophoneHint")
            hint.setProperty("role", "hint")
            layout.addWidget(hint)
            for hidden in (self.record_button, self.stop_button, self.discard_button, self.progress):
                hidden.setParent(self)
                hidden.hide()
        layout.addStretch(1)
        self._name_changed("")

    @property
    def has_microphone(self) -> bool:
        return self._open_microphone is not None

    @property
    def consent_by(self) -> str:
        return " ".join(self.name_edit.text().split())

    @property
    def statement_text(self) -> str:
        return default_consent_statement(self.consent_by or "[full name]")

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return bool(self.consent_by) and self.attest.isChecked() and self.record_state in (NONE, ACCEPTED)

    def _name_changed(self, _text: str) -> None:
        self.statement.setText(self.statement_text)
        if self.record_state in (ACCEPTED, REJECTED):
            # The recording says another name: it no longer matches the statement.
            self.discard_recording()
            self.record_status.setText("The name changed: record the statement again (or go on without).")
        self._update_buttons()

    def _update_buttons(self) -> None:
        # The state, not runner.running: this also runs from the runner's last signal, while
        # its thread is still on its way out.
        recording = self.record_state == RECORDING
        kept = self.record_state in (ACCEPTED, REJECTED)
        self.record_button.setEnabled(bool(self.consent_by) and not recording)
        self.record_button.setText("Record again" if kept else "Record the statement")
        self.stop_button.setEnabled(recording)
        self.discard_button.setEnabled(kept)
        if self.has_microphone:
            self.stop_button.setVisible(recording)
            self.discard_button.setVisible(kept)
        self.name_edit.setReadOnly(recording)
        self.completeChanged.emit()

    def start_recording(self) -> None:
        if self._open_microphone is None or self.record_state == RECORDING or not self.consent_by:
            return
        self.runner.wait()  # the last recording's thread, already past its last signal
        microphone = self._open_microphone()
        seconds = reading_seconds(self.statement_text)
        self._stop = stop = threading.Event()
        self.recording, self.record_state = None, RECORDING
        self.record_status.setText(f"Recording… {READ_ALOUD}")

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
            self.record_status.setText(f"{message}. {READ_ALOUD}")

    def _recorded(self, result: tuple[np.ndarray, int]) -> None:
        self.recording, self.recording_rate = result
        self.record_state = ACCEPTED
        self.progress.setValue(1000)
        self.record_status.setText(
            f"✓ Recorded {len(self.recording) / self.recording_rate:.1f} s. It is kept with the avatar."
        )

    def _failed(self, exc: BaseException) -> None:
        self.recording = None
        self.progress.setValue(0)
        if isinstance(exc, Cancelled):
            self.record_state = NONE
            self.record_status.setText("Recording cancelled.")
            return
        self.record_state = REJECTED
        text = f"{exc.problem} {exc.hint}" if isinstance(exc, StudioError) else str(exc)
        self.record_status.setText(f"✗ Not accepted: {text}")

    def discard_recording(self) -> None:
        self.recording, self.record_state = None, NONE
        self.progress.setValue(0)
        self.record_status.setText("")
        self._update_buttons()

    def shutdown(self) -> None:
        self._stop.set()
        self.runner.cancel()
        self.runner.wait()
