"""Lines typed while live: Enter says one after the current sentence, Ctrl+Enter says it now."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

HISTORY = 50  # lines kept in the list; older ones scroll away
NOT_LIVE = "Start the show on a script to say lines while live."
ON_MIC = "The microphone drives the avatar: just speak. Typed lines need a show on a script."
LIVE_TIP = "Enter: say it after the current sentence. Ctrl+Enter: interrupt and say it now."


class InterjectionEdit(QLineEdit):
    """A line edit that tells Enter (queue) from Ctrl+Enter (interrupt)."""

    submitted = Signal(str, bool)  # text, interrupt

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            interrupt = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            self.submitted.emit(self.text(), interrupt)
            event.accept()
            return
        super().keyPressEvent(event)


class InterjectionBox(QGroupBox):
    interjected = Signal(str, bool)  # text, interrupt: the panel decides whether it was sent

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Say something now", parent)
        self.setObjectName("interjections")
        self.edit = InterjectionEdit()
        self.edit.setObjectName("interjectionEdit")
        self.edit.setPlaceholderText("Type a line, then Enter (next) or Ctrl+Enter (now)")
        self.edit.setClearButtonEnabled(True)
        self.edit.submitted.connect(self._submit)
        self.queue_button = QPushButton("Say next")
        self.queue_button.setObjectName("queueInterjection")
        self.queue_button.setToolTip("After the current sentence (Enter)")
        self.queue_button.clicked.connect(lambda: self._submit(self.edit.text(), False))
        self.now_button = QPushButton("Say now")
        self.now_button.setObjectName("interruptInterjection")
        self.now_button.setToolTip("Interrupt the current sentence (Ctrl+Enter)")
        self.now_button.clicked.connect(lambda: self._submit(self.edit.text(), True))
        self.history = QListWidget()
        self.history.setObjectName("interjectionHistory")
        self.history.setToolTip("Lines sent during this show, newest last")
        self.history.setMaximumHeight(110)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.queue_button)
        buttons.addWidget(self.now_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addLayout(buttons)
        layout.addWidget(self.history)
        self.set_available(False, NOT_LIVE)

    def set_available(self, available: bool, why_not: str = "") -> None:
        tip = LIVE_TIP if available else why_not
        for widget in (self.edit, self.queue_button, self.now_button):
            widget.setEnabled(available)
        self.edit.setToolTip(tip)
        self.setToolTip("" if available else why_not)

    def _submit(self, text: str, interrupt: bool) -> None:
        if text.strip() and self.edit.isEnabled():
            self.interjected.emit(text.strip(), interrupt)

    def sent(self, text: str, interrupt: bool) -> None:
        """The show took ``text``: clear the field and list it."""
        self.edit.clear()
        self.history.addItem(f"{'interrupt' if interrupt else 'queued'} · {text}")
        while self.history.count() > HISTORY:
            self.history.takeItem(0)
        self.history.scrollToBottom()

    def entries(self) -> list[str]:
        return [self.history.item(i).text() for i in range(self.history.count())]
