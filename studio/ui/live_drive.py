"""What drives the avatar in the next show: the script (the Show page's rundown) or a microphone."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QRadioButton, QVBoxLayout, QWidget


class DriveBox(QGroupBox):
    changed = Signal()  # the user picked the other driver

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("DriveBox", "Driven by"), parent)
        self.setObjectName("liveDrive")
        self.script = QRadioButton(self.tr("Script (the show's rundown)"))
        self.script.setObjectName("driveScript")
        self.script.setToolTip(self.tr("The avatar speaks the show written on the Show page, in a loop"))
        self.mic = QRadioButton(self.tr("Microphone (your voice)"))
        self.mic.setObjectName("driveMic")
        self.mic.setToolTip(self.tr("The avatar's mouth follows your voice, live"))
        self.group = QButtonGroup(self)
        self.group.addButton(self.script)
        self.group.addButton(self.mic)
        self.script.setChecked(True)
        self.mic.toggled.connect(lambda _on: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.addWidget(self.script)
        layout.addWidget(self.mic)

    def set_locked(self, locked: bool) -> None:
        """A running show keeps what drives it."""
        for button in (self.script, self.mic):
            button.setEnabled(not locked)
