"""Viewers' questions on the Live page: each with its suggested answer, for the operator to decide.

Enter approves the selected question's suggested answer; the Edit field approves other words
(the claims checker must pass them) and Reject drops it. A row of checkboxes chooses the kinds
approved without a person. The queue tells its listeners from the thread that changed it (a viewer's
page, a comment source): the box only emits a Qt signal there, and reads the queue on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from studio.commerce.answer import KINDS
from studio.errors import StudioError
from studio.room.moderation import ModerationQueue
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

OPERATOR = "operator"  # who the log says decided, for decisions made on the Live page
NO_ROOM = QT_TRANSLATE_NOOP("live_room", "Start a show with a catalogue to take viewers' questions.")
AUTO_KINDS = tuple(k for k in KINDS if k not in ("none", "declined"))
_KIND_WORDS = {
    "price": QT_TRANSLATE_NOOP("live_room", "price"),
    "shipping": QT_TRANSLATE_NOOP("live_room", "shipping"),
    "faq": QT_TRANSLATE_NOOP("live_room", "FAQ"),
    "fact": QT_TRANSLATE_NOOP("live_room", "product facts"),
}


class QuestionList(QListWidget):
    """Enter approves the selected question."""

    approve_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.approve_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class RoomBox(QGroupBox):
    """The moderation queue of the running show, or a note that there is none."""

    changed = Signal()  # the queue changed (emitted from any thread; handled on the GUI thread)
    auto_changed = Signal(tuple)  # the operator ticked the kinds approved without a person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("RoomBox", "Viewers' questions"), parent)
        self._queue: ModerationQueue | None = None
        self._planned = False  # a catalogue is chosen for the next start: the kinds can be ticked now
        self._unsubscribe: Callable[[], None] | None = None
        self.note = QLabel(translated("live_room", NO_ROOM))
        self.note.setWordWrap(True)
        self.questions = QuestionList()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Edit the answer, then Approve edited"))
        self.approve_button, self.edit_button = (
            QPushButton(self.tr("Approve")),
            QPushButton(self.tr("Approve edited")),
        )
        self.reject_button = QPushButton(self.tr("Reject"))
        self.auto = {
            kind: QCheckBox(translated("live_room", _KIND_WORDS.get(kind, kind))) for kind in AUTO_KINDS
        }
        buttons, autos = QHBoxLayout(), QGridLayout()
        for button in (self.approve_button, self.edit_button, self.reject_button):
            buttons.addWidget(button)
        # The label on a line of its own and the kinds two a row: one row was wider than
        # the Live column (the label was cut off, in Chinese too).
        autos.addWidget(QLabel(self.tr("Answer without me:")), 0, 0, 1, 2)
        for i, box in enumerate(self.auto.values()):
            autos.addWidget(box, 1 + i // 2, i % 2)
            box.toggled.connect(self._auto_changed)
        layout = QVBoxLayout(self)
        for widget in (self.note, self.questions, self.edit):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addLayout(autos)
        self.questions.approve_requested.connect(self.approve)
        self.questions.currentItemChanged.connect(self._selected)
        self.approve_button.clicked.connect(self.approve)
        self.edit_button.clicked.connect(self.approve_edited)
        self.reject_button.clicked.connect(self.reject)
        self.changed.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self.attach(None)

    # -- the show's queue ---------------------------------------------------------------------
    def attach(self, queue: ModerationQueue | None) -> None:
        """Show ``queue`` (a show's, as it starts), or nothing (the show stopped)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._queue = queue
        if queue is not None:
            self._unsubscribe = queue.subscribe(self._on_queue)
            for kind, box in self.auto.items():
                box.blockSignals(True)
                box.setChecked(kind in queue.auto)
                box.blockSignals(False)
        for widget in (self.questions, self.edit, self.approve_button, self.edit_button, self.reject_button):
            widget.setEnabled(queue is not None)
        # Only a show with a catalogue takes questions; the kinds answered without a person can be
        # chosen before it starts, so an overnight show need not be set up while it is on air.
        self.setHidden(queue is None and not self._planned)
        self.refresh()

    def plan(self, catalogue_chosen: bool, auto: tuple[str, ...]) -> None:
        """Between shows: shown with the kinds ticked for the next start when a catalogue is chosen."""
        self._planned = catalogue_chosen
        if self._queue is not None:
            return
        for kind, box in self.auto.items():
            box.blockSignals(True)
            box.setChecked(kind in auto)
            box.blockSignals(False)
        self.setHidden(not catalogue_chosen)

    def _on_queue(self, event: str, payload: dict[str, Any]) -> None:
        self.changed.emit()  # any thread: nothing else here touches a widget

    def refresh(self) -> None:
        """The list from the queue as it is now, keeping the selection where it can."""
        chosen = self._chosen_id()
        self.questions.clear()
        if self._queue is None:
            self.note.setText(translated("live_room", NO_ROOM))
            return
        snapshot = self._queue.snapshot()
        items = snapshot["items"]
        waiting = snapshot["waiting_to_be_spoken"]
        self.note.setText(
            self.tr("{count} waiting for you · {waiting} approved, to be said").format(
                count=len(items), waiting=waiting
            )
        )
        for data in items:
            times = f" (×{data['count']})" if data["count"] > 1 else ""
            text = f"{data['user']}: {data['question']}{times}\n→ {data['suggested']}  [{data['kind']}]"
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, data["id"])
            row.setData(Qt.ItemDataRole.UserRole + 1, data["suggested"])
            self.questions.addItem(row)
            if data["id"] == chosen:
                self.questions.setCurrentItem(row)
        if self.questions.currentItem() is None and self.questions.count():
            self.questions.setCurrentRow(0)

    # -- decisions ----------------------------------------------------------------------------
    def approve(self) -> None:
        self._decide(lambda queue, item_id: queue.approve(item_id, OPERATOR))

    def approve_edited(self) -> None:
        words = self.edit.text()
        self._decide(lambda queue, item_id: queue.edit(item_id, words, OPERATOR))

    def reject(self) -> None:
        self._decide(lambda queue, item_id: queue.reject(item_id, OPERATOR))

    def _decide(self, decision: Callable[[ModerationQueue, str], object]) -> None:
        item_id = self._chosen_id()
        if self._queue is None or item_id is None:
            return
        try:
            decision(self._queue, item_id)
        except StudioError as exc:  # an edit that breaks a rule, a full queue: said, draft kept
            self.note.setText(str(exc))
            return
        self.edit.clear()
        self.refresh()  # at once: the next Enter must not meet the question just decided

    def _chosen_id(self) -> str | None:
        row = self.questions.currentItem()
        return None if row is None else str(row.data(Qt.ItemDataRole.UserRole))

    def _selected(self, row: QListWidgetItem | None, _before: QListWidgetItem | None) -> None:
        if row is not None and not self.edit.hasFocus():
            self.edit.setText(str(row.data(Qt.ItemDataRole.UserRole + 1)))

    def _auto_changed(self) -> None:
        kinds = tuple(kind for kind, box in self.auto.items() if box.isChecked())
        if self._queue is not None:
            self._queue.auto = frozenset(kinds)
        self.auto_changed.emit(kinds)  # during a show or before one: the next start's kinds too
