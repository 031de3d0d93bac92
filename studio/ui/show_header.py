"""The row above the show editor's segments: the show file's buttons (New, Import, Save as),
Loop, the autosave note and the whole show's length. Only made and placed here; the editor
connects them."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from studio.ui.show_file import SavedNote


def tool_button(parent: QWidget, text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


class ShowHeader(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.new_button = tool_button(
            self, self.tr("New show"), "newButton", self.tr("Start an empty show (asks first).")
        )
        self.import_button = tool_button(
            self,
            self.tr("Import show…"),
            "importButton",
            self.tr("Open a show: a rundown file (.toml) or a text script (.txt, one segment a line)."),
        )
        self.export_button = tool_button(
            self,
            self.tr("Save show as…"),
            "exportButton",
            self.tr("Save the show as a rundown file (.toml), which 'studio live --script' also reads."),
        )
        self.loop_check = QCheckBox(self.tr("Loop the show"), self)
        self.loop_check.setObjectName("loopCheck")
        self.loop_check.setChecked(True)
        self.loop_check.setToolTip(self.tr("After the last segment, start again from the first."))
        self.total_label = QLabel(self)
        self.total_label.setObjectName("totalLabel")
        self.saved_note = SavedNote(self)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.new_button, self.import_button, self.export_button, self.loop_check):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.saved_note)
        row.addSpacing(16)
        row.addWidget(self.total_label)
