"""New twin from a video file: the file is probed, the person's consent given, then the twin built.

The probe (``studio.twin.footage.probe_footage``: can it be decoded, how long, is there sound)
and the build both run on workers. A video the twin cannot be made from is said as one line in
the dialog (the probe's refusal at once, the analysis' after the build starts), never as a
traceback; the user can then pick another file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.capture_common import next_hint, release, set_hint
from studio.ui.twin_build import TwinBuildPanel, TwinConsentForm, build_work, one_line


def describe(info: Any) -> str:
    """A probed video in a creator's words: length, size, frame rate, sound."""
    minutes, seconds = divmod(round(float(info.duration_s)), 60)
    length = f"{seconds} s" if not minutes else f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    sound = (
        QCoreApplication.translate("twin_video", "with sound")
        if info.has_audio
        else QCoreApplication.translate("twin_video", "no sound")
    )
    return f"{length}, {info.width}×{info.height}, {float(info.fps):.0f} fps, {sound}"


class TwinVideoDialog(QDialog):
    """Builds one twin from ``path`` into ``library``; ``avatar_created(name)`` once written."""

    avatar_created = Signal(str)

    def __init__(self, library: AvatarLibrary, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("twinVideoDialog")
        self.setWindowTitle(self.tr("New twin from video"))
        self.library = library
        self.path = Path(path)
        self.info: Any = None
        self.probe_refusal = ""
        self._shut = False

        self.file_label = QLabel(self.tr("{name}: checking the video…").format(name=self.path.name))
        self.file_label.setObjectName("twinVideoFile")
        self.file_label.setWordWrap(True)
        self.consent = TwinConsentForm(
            self.tr(
                "The video must show only this person, talking, for at least 15 s: the twin is "
                "made from their own face, mouth and head motion."
            )
        )
        self.consent.changed.connect(self._update)
        self.build = TwinBuildPanel(library)
        self.build.name_edit.setText(self.path.stem[:40].replace(".", " "))
        self.build.changed.connect(self._update)
        self.build.built.connect(self._built)
        self.hint = next_hint("twinVideoHint")
        self.create_button = QPushButton(self.tr("Create twin"))
        self.create_button.setObjectName("createTwinButton")
        self.create_button.setProperty("role", "primary")
        self.create_button.clicked.connect(self.create_twin)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("closeTwinButton")
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addStretch(0)  # with no hint to show, the buttons keep their size at the right
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addSpacing(8)
        layout.addWidget(self.consent)
        layout.addSpacing(8)
        layout.addWidget(self.build)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(720, 520)

        self.probe_runner = TaskRunner(self)
        self.probe_runner.succeeded.connect(self._probed)
        self.probe_runner.failed.connect(self._not_probed)
        self.probe_runner.finished.connect(self._update)
        self.probe_runner.start(self._probe, "probe video")
        self._update()

    def _probe(self, _progress: ProgressFn, _token: CancelToken) -> Any:
        from studio.twin.footage import probe_footage  # noqa: PLC0415 - PyAV

        return probe_footage(self.path)

    def _probed(self, info: Any) -> None:
        self.info = info
        self.file_label.setText(f"{self.path.name}: {describe(info)}.")
        self._update()

    def _not_probed(self, exc: BaseException) -> None:
        self.probe_refusal = one_line(exc)
        self.file_label.setText(f"✗ {self.probe_refusal}")
        self.file_label.setProperty("role", "error")
        self.file_label.style().unpolish(self.file_label)
        self.file_label.style().polish(self.file_label)
        self._update()  # the hint says what to do at once, not when the worker's thread ends

    def missing(self) -> str:
        if self.build.building or self.build.avatar is not None:
            return ""
        if self.probe_refusal:
            return self.tr("Choose another video.")
        if self.info is None:
            return self.tr("Checking the video…")
        problem = self.consent.missing()
        if problem:
            return problem
        return self.tr("To continue: choose another twin name.") if self.build.name_problem() else ""

    def _update(self, *_args: object) -> None:
        set_hint(self.hint, self.missing())
        self.create_button.setEnabled(self.info is not None and self.consent.complete and self.build.ready)
        self.consent.setEnabled(not self.build.building and self.build.avatar is None)

    def create_twin(self) -> None:
        if not self.create_button.isEnabled():
            return
        path = self.path
        self.build.start(
            build_work(
                self.library,
                lambda _progress, _token: path,
                self.build.name_edit.text(),
                self.consent.consent_by,
                "video",
            )
        )

    def _built(self, avatar: Avatar) -> None:
        self.avatar_created.emit(avatar.name)
        if not self._shut:
            self.accept()

    def shutdown(self) -> None:
        if self._shut:
            return
        self._shut = True
        release(self.probe_runner, 2.0)
        self.build.shutdown()

    def done(self, result: int) -> None:
        # Workers are stopped before the dialog goes (WA_DeleteOnClose), as in the capture wizard.
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        if event.isAccepted():
            self.shutdown()
