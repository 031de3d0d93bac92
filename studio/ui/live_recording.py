"""What the Outputs box says of a recording: the file being written, and how it ended (its
length, or what a failure kept), with Open folder and Play."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.ui.live_plan import recorded_length
from studio.ui.live_status import ElidedLabel


def _hint(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


class RecordingReport(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record_file = _hint("recordFile")
        self.record_file.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_result = ElidedLabel()
        self.record_result.setObjectName("recordResult")
        self.record_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_result.elide_mode = Qt.TextElideMode.ElideMiddle
        self.open_folder_button = QPushButton(self.tr("Open folder"))
        self.open_folder_button.setObjectName("openRecordingFolder")
        self.open_folder_button.clicked.connect(self.open_recording_folder)
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setObjectName("playRecording")
        self.play_button.clicked.connect(self.play_recording)
        self.recorded: Path | None = None
        # The sentence gets the row's whole width (the folder is in the field above, the whole
        # path in the tooltip); the buttons go under it.
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_folder_button)
        buttons.addWidget(self.play_button)
        result = QVBoxLayout()
        result.setContentsMargins(0, 0, 0, 0)
        result.setSpacing(4)
        result.addWidget(self.record_result)
        result.addLayout(buttons)
        self.record_result_row = QWidget()
        self.record_result_row.setObjectName("recordResultRow")
        self.record_result_row.setLayout(result)
        self.record_result_row.setVisible(False)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        for widget in (self.record_file, self.record_result_row):
            column.addWidget(widget)

    def set_recording_file(self, text: str) -> None:
        self.record_file.setText(text)
        self.record_file.setVisible(bool(text))
        if text:
            self.show_recording_result(None)

    def show_recording_failed(self, state: str, path: Path) -> None:
        """The recording stopped mid-show (``state``: its "failed: why; what was kept"): said
        plainly where "Recording to …" was, with Open folder and Play for what was kept."""
        why, _, kept = state.removeprefix("failed:").strip().partition("; ")
        cause = why.rpartition(": ")[2].rstrip(".")  # "cannot write /x/y.mp4: the disk is full"
        kept_something = path.is_file() and not kept.startswith("nothing")
        what = (
            self.tr("What was recorded until then is kept in {name}.").format(name=path.name)
            if kept_something
            else self.tr("Nothing of it could be kept.")
        )
        self.set_recording_file("")
        self.recorded = path if kept_something else None
        self.record_result.set_full_text(
            self.tr("Recording stopped: {cause}. {what}").format(cause=cause, what=what), f"{state}\n\n{path}"
        )
        self.record_result.setStyleSheet("color: #b3261e;")
        for button in (self.open_folder_button, self.play_button):
            button.setVisible(kept_something)
        self.record_result_row.setVisible(True)

    def show_recording_result(self, path: Path | None, seconds: float = 0.0) -> None:
        """A finished recording under Record: its length and where, with Open folder and Play."""
        self.recorded = path
        self.record_result_row.setVisible(path is not None)
        self.record_result.setStyleSheet("")
        for button in (self.open_folder_button, self.play_button):
            button.setVisible(True)
        if path is not None:
            self.record_result.set_full_text(
                self.tr("Recorded {recorded_length} to {name}").format(
                    recorded_length=recorded_length(seconds), name=path.name
                ),
                str(path),
            )

    def open_recording_folder(self) -> None:
        if self.recorded is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.recorded.parent)))

    def play_recording(self) -> None:
        if self.recorded is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.recorded)))
