"""What both ways to a new twin share: the consent form and the build (name, progress, Cancel).

The build runs ``studio.twin.build.build_twin`` on a ``TaskRunner``: the widgets hear of its
progress through the runner's signals only. A refusal (no face, too short, mouth shapes
missing…) is shown as its one line under the progress bar, never as a traceback; a cancelled
build leaves the library as it was (``build_twin`` writes the package whole or not at all).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Signal
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
    QWidget,
)

from studio.avatar.create import default_consent_statement
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.errors import StudioError
from studio.tasks import Cancelled, CancelToken, ProgressFn
from studio.ui.app_words import app_words
from studio.ui.bridge import TaskRunner
from studio.ui.capture_common import name_problem, release
from studio.ui.capture_consent import ATTESTATION
from studio.ui.i18n import translated

# A build checks for Cancel between and inside its steps; closing waits this long for it.
BUILD_CLOSE_WAIT_S = 10.0


def one_line(exc: BaseException) -> str:
    """The refusal as the dialog shows it: the problem and the fix, on one line."""
    if isinstance(exc, StudioError):
        return " ".join(f"{app_words(exc.problem)} {app_words(exc.hint)}".split())
    return QCoreApplication.translate(
        "twin_build", "Something went wrong inside Studio; the twin was not created."
    )


class TwinConsentForm(QWidget):
    """The person's full name, the statement they agree to and the operator's confirmation."""

    changed = Signal()

    def __init__(self, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("consentNameEdit")
        self.name_edit.setPlaceholderText(self.tr("e.g. Ana Lima"))
        self.name_edit.textChanged.connect(self._update)
        self.statement = QLabel()
        self.statement.setObjectName("consentStatement")
        self.statement.setWordWrap(True)
        card = QFrame()
        card.setProperty("role", "card")
        QVBoxLayout(card).addWidget(self.statement)
        self.attest = QCheckBox(translated("capture_consent", ATTESTATION))
        self.attest.setObjectName("attestCheck")
        self.attest.toggled.connect(self._update)
        hint = QLabel(note)
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Full name of the person filmed:"), self.name_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("The statement they agree to:")))
        layout.addWidget(card)
        layout.addWidget(hint)
        layout.addWidget(self.attest)
        self._update()

    @property
    def consent_by(self) -> str:
        return " ".join(self.name_edit.text().split())

    @property
    def statement_text(self) -> str:
        return default_consent_statement(self.consent_by or self.tr("[full name]"))

    @property
    def complete(self) -> bool:
        return bool(self.consent_by) and self.attest.isChecked()

    def missing(self) -> str:
        if not self.consent_by:
            return self.tr("To continue: type the person's full name, then tick the box.")
        return (
            "" if self.attest.isChecked() else self.tr("To continue: tick the box to confirm their consent.")
        )

    def _update(self, *_args: object) -> None:
        self.statement.setText(self.statement_text)
        self.changed.emit()


# Makes the twin: (progress, token) -> Avatar, on the worker thread.
BuildWork = Callable[[ProgressFn, CancelToken], Avatar]


class TwinBuildPanel(QWidget):
    """The twin's name, and its build with a progress bar, Cancel and the result line."""

    built = Signal(object)  # Avatar
    changed = Signal()  # busy, done or the name's validity changed

    def __init__(self, library: AvatarLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.avatar: Avatar | None = None
        self.refusal = ""
        self._busy = False
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("avatarNameEdit")
        self.name_edit.setMaxLength(64)
        self.name_edit.textChanged.connect(self._name_changed)
        self.name_error = QLabel()
        self.name_error.setObjectName("nameError")
        self.name_error.setProperty("role", "error")
        self.name_error.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("buildProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel build"))
        self.cancel_button.setObjectName("cancelBuildButton")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel("")
        self.status.setObjectName("buildStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Twin name:"), self.name_edit)
        form.addRow("", self.name_error)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.runner = TaskRunner(self)
        self.runner.progress.connect(self._progress)
        self.runner.succeeded.connect(self._built)
        self.runner.failed.connect(self._failed)
        self.runner.finished.connect(self._finished)

    @property
    def building(self) -> bool:
        return self._busy

    def name_problem(self) -> str:
        """Why the typed name cannot be used ("" when it can)."""
        return name_problem(self.name_edit.text(), self.library)

    @property
    def ready(self) -> bool:
        return not self._busy and self.avatar is None and not self.name_problem()

    def _name_changed(self, text: str) -> None:
        self.name_error.setText(self.name_problem() if text.strip() else "")
        self.changed.emit()

    def start(self, work: BuildWork) -> None:
        self.refusal = ""
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(self.tr("Starting…"))
        self.runner.wait()  # a previous build's thread, already past its last signal
        self.runner.start(work, "build twin")
        self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.name_edit.setReadOnly(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.changed.emit()

    def cancel(self) -> None:
        self.runner.cancel()
        self.status.setText(self.tr("Cancelling…"))

    def _progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        self.status.setText(message)

    def _built(self, avatar: Avatar) -> None:
        self.avatar = avatar
        self.progress.setValue(1000)
        self.status.setText(self.tr("Created the twin '{name}'.").format(name=avatar.name))

    def _failed(self, exc: BaseException) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(False)
        if isinstance(exc, Cancelled):
            self.status.setText(self.tr("Cancelled: nothing was saved."))
            return
        self.refusal = one_line(exc)
        self.status.setText(self.tr("Not created: {refusal}").format(refusal=self.refusal))

    def _finished(self) -> None:
        self._set_busy(False)
        self._name_changed(self.name_edit.text())
        if self.avatar is not None:
            self.built.emit(self.avatar)

    def shutdown(self, timeout: float = BUILD_CLOSE_WAIT_S) -> None:
        release(self.runner, timeout)


def build_work(
    library: AvatarLibrary,
    video: Callable[[ProgressFn, CancelToken], Path],
    name: str,
    consent_by: str,
    source_kind: str,
    consent_audio: tuple[np.ndarray, int] | None = None,
    **options: Any,
) -> BuildWork:
    """The build of a twin from the video ``video()`` gives (a file picked, or the webcam
    recording finished on the worker), for ``TwinBuildPanel.start``."""

    def work(progress: ProgressFn, token: CancelToken) -> Avatar:
        from studio.twin.build import TwinRequest, build_twin  # noqa: PLC0415 - loads the face model

        path = video(progress, token)
        request = TwinRequest(
            video=path,
            name=name,
            consent_by=consent_by,
            consent_audio=consent_audio,
            source_kind=source_kind,
            **options,
        )
        return build_twin(request, library, progress, token)

    return work
