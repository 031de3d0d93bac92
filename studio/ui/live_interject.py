"""Lines typed while live: Enter says one after the current sentence, Ctrl+Enter says it now.

The list under the field follows each line: queued (or "now"), then saying, then said, read from
what the show's status says is being spoken. It starts afresh with each show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.live.supply import INTERJECTION
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

HISTORY = 50  # lines kept in the list; older ones scroll away
NOT_LIVE = QT_TRANSLATE_NOOP("live_interject", "Start the show on a script to say lines while live.")
ON_MIC = QT_TRANSLATE_NOOP(
    "live_interject", "The microphone drives the avatar: just speak. Typed lines need a show on a script."
)
LIVE_TIP = QT_TRANSLATE_NOOP(
    "live_interject", "Enter: say it after the current sentence. Ctrl+Enter: interrupt and say it now."
)
QUEUED, NOW, SAYING, SAID, NOT_SAID = (
    "queued",
    "now",
    "saying",
    "said",
    QT_TRANSLATE_NOOP("live_interject", "not said"),
)
_PENDING = (QUEUED, NOW)
# The states as the history list says them (the states themselves are the list's logic).
_STATE_WORDS = {
    QUEUED: QT_TRANSLATE_NOOP("live_interject", "queued"),
    NOW: QT_TRANSLATE_NOOP("live_interject", "now"),
    SAYING: QT_TRANSLATE_NOOP("live_interject", "saying"),
    SAID: QT_TRANSLATE_NOOP("live_interject", "said"),
}
_DONE_COLOUR = QColor("#7a828e")


@dataclass
class Entry:
    text: str
    interrupt: bool
    state: str

    @property
    def line(self) -> str:
        return f"{translated('live_interject', _STATE_WORDS.get(self.state, self.state))} · {self.text}"


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
        super().__init__(QCoreApplication.translate("InterjectionBox", "Say something now"), parent)
        self.setObjectName("interjections")
        self.edit = InterjectionEdit()
        self.edit.setObjectName("interjectionEdit")
        self.edit.setPlaceholderText(self.tr("Type a line, then Enter (next) or Ctrl+Enter (now)"))
        self.edit.setClearButtonEnabled(True)
        self.edit.submitted.connect(self._submit)
        self.queue_button = QPushButton(self.tr("Say next"))
        self.queue_button.setObjectName("queueInterjection")
        self.queue_button.setToolTip(self.tr("After the current sentence (Enter)"))
        self.queue_button.clicked.connect(lambda: self._submit(self.edit.text(), False))
        self.now_button = QPushButton(self.tr("Say now"))
        self.now_button.setObjectName("interruptInterjection")
        self.now_button.setToolTip(self.tr("Interrupt the current sentence (Ctrl+Enter)"))
        self.now_button.clicked.connect(lambda: self._submit(self.edit.text(), True))
        self.history = QListWidget()
        self.history.setObjectName("interjectionHistory")
        self.history.setToolTip(
            self.tr("Lines sent during this show, newest last: queued, saying, then said")
        )
        self.history.setMaximumHeight(130)
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Long lines wrap rather than hide behind a sideways scrollbar.
        self.history.setWordWrap(True)
        self.history.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.history.setResizeMode(QListView.ResizeMode.Adjust)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._entries: list[Entry] = []
        self._reply_ms: float | None = None

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.queue_button)
        buttons.addWidget(self.now_button)
        self.refusal = QLabel()
        self.refusal.setObjectName("interjectionRefused")
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet("color: #d9534f;")
        self.refusal.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.edit)
        layout.addWidget(self.refusal)
        layout.addLayout(buttons)
        layout.addWidget(self.history)
        self.set_available(False, translated("live_interject", NOT_LIVE))

    def set_available(self, available: bool, why_not: str = "") -> None:
        tip = translated("live_interject", LIVE_TIP if available else why_not)
        for widget in (self.edit, self.queue_button, self.now_button):
            widget.setEnabled(available)
        self.edit.setToolTip(tip)
        self.setToolTip("" if available else tip)

    def _submit(self, text: str, interrupt: bool) -> None:
        if text.strip() and self.edit.isEnabled():
            self.interjected.emit(text.strip(), interrupt)

    def refused(self, why: str) -> None:
        """The show would not say the line (a prohibited claim): keep it in the field, say why."""
        self.refusal.setText(why)
        self.refusal.show()

    def sent(self, text: str, interrupt: bool) -> None:
        """The show took ``text``: clear the field and list it."""
        self.refusal.hide()
        self.edit.clear()
        self._entries.append(Entry(text, interrupt, NOW if interrupt else QUEUED))
        self.history.addItem(QListWidgetItem())
        self._render(len(self._entries) - 1)
        while len(self._entries) > HISTORY:
            self._entries.pop(0)
            self.history.takeItem(0)
        self.history.scrollToBottom()

    def entries(self) -> list[str]:
        return [self.history.item(i).text() for i in range(self.history.count())]

    def observe(self, saying: str, reply_ms: float | None) -> None:
        """Follow the show: ``saying`` is its status's clip label, ``reply_ms`` the delay of the
        last line it started (a new value means another line has started)."""
        started = reply_ms is not None and reply_ms != self._reply_ms
        self._reply_ms = reply_ms
        for i, entry in enumerate(self._entries):
            if entry.state == SAYING and saying != INTERJECTION + entry.text:
                self._set(i, SAID)  # the show has moved on to a later line
        match = self._next_pending(lambda e: saying == INTERJECTION + e.text)
        if match is not None:
            self._set(match, SAYING)
        elif started and not saying.startswith(INTERJECTION):
            # A short line began and ended between two looks at the status: the one the show
            # takes first (interruptions jump the queue) was said.
            first = self._next_pending(lambda e: e.interrupt)
            first = self._next_pending(lambda e: True) if first is None else first
            if first is not None:
                self._set(first, SAID)

    def show_ended(self) -> None:
        """The show stopped: a line being said was said; lines still waiting never will be."""
        for i, entry in enumerate(self._entries):
            if entry.state == SAYING:
                self._set(i, SAID)
            elif entry.state in _PENDING:
                self._set(i, NOT_SAID)

    def clear_history(self) -> None:
        """A new show: the list starts empty."""
        self._entries.clear()
        self.history.clear()
        self._reply_ms = None

    def _next_pending(self, wanted: Callable[[Entry], bool]) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.state in _PENDING and wanted(e)), None)

    def _set(self, index: int, state: str) -> None:
        self._entries[index].state = state
        self._render(index)

    def _render(self, index: int) -> None:
        entry, item = self._entries[index], self.history.item(index)
        item.setText(entry.line)
        item.setToolTip(entry.text)
        font = QFont(self.history.font())
        font.setBold(entry.state == SAYING)
        font.setItalic(entry.state == NOT_SAID)
        item.setFont(font)
        done = entry.state in (SAID, NOT_SAID)
        item.setForeground(_DONE_COLOUR if done else self.history.palette().text().color())
