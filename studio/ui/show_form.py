"""The show editor's two halves: the table of segments and the form for the selected one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from studio.compliance import Override
from studio.live.rundown import MAX_REPEAT, Segment
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.show_claims import ClaimMark, ClaimMarks
from studio.ui.show_override import OverrideDialog
from studio.ui.show_segments import ESTIMATE_NOTE, format_seconds, segment_label, segment_seconds
from studio.ui.show_voice_check import WARNING_MARK, VoiceCheck, voice_advice
from studio.ui.show_voice_names import voice_description, voice_label
from studio.ui.show_voices import VoicePicker
from studio.voice.base import VoiceInfo
from studio.voice.registry import find_voice

_COLUMNS = (
    QT_TRANSLATE_NOOP("show_form", "Segment"),
    QT_TRANSLATE_NOOP("show_form", "Voice"),
    QT_TRANSLATE_NOOP("show_form", "Repeat"),
    QT_TRANSLATE_NOOP("show_form", "Pause"),
    QT_TRANSLATE_NOOP("show_form", "Length"),
)
_LEAST_VOICE = QT_TRANSLATE_NOOP("show_form", "English (US) · Joe")  # the voice column is never narrower
_TITLE_ROOM = 160  # what the segment column keeps for its titles before a voice name is elided
_PADDING = 18  # the cell's margins and the grid line
_TEXT_TIP = 400  # characters of a segment's text its tooltip shows


class SegmentTable(QTableWidget):
    """One row a segment, read-only: the form edits the selected one. ``fit_columns()`` after
    filling it: the Repeat, Pause and Length columns take what their text needs, the Voice column
    too while the titles keep ``_TITLE_ROOM`` (elided beyond, the whole name in its tooltip),
    and the Segment column the rest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(_COLUMNS), parent)
        self.setObjectName("segmentTable")
        self.setHorizontalHeaderLabels([translated("show_form", c) for c in _COLUMNS])
        length = self.horizontalHeaderItem(len(_COLUMNS) - 1)
        if length is not None:
            length.setToolTip(
                self.tr("About how long the segment lasts, repeats and pauses included (an estimate).")
            )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        self.fit_columns()

    def show_row(
        self, row: int, segment: Segment, voices: Sequence[VoiceInfo], claims: Sequence[str] = ()
    ) -> None:
        """Fill ``row`` with ``segment``; ``claims``: what it says that the show would refuse."""
        info = find_voice(segment.voice, voices) if segment.voice else None
        voice = voice_label(info) if info is not None else (segment.voice or self.tr("Default"))
        voice_tip = (
            voice_description(info)
            if info is not None
            else (self.tr("Studio picks the voice from the text.") if not segment.voice else segment.voice)
        )
        advice = voice_advice(segment, voices)
        if advice.serious:  # silent or garbled: marked in the list too, not only in the form
            voice = f"{WARNING_MARK} {voice}"
        voice_tip = "\n".join((voice_tip, *advice.lines))
        text = " ".join(segment.text.split())
        title = segment.title.strip()
        text_tip = text if len(text) <= _TEXT_TIP else text[: _TEXT_TIP - 1] + "…"
        label, text_tip = segment_label(row + 1, segment), "\n".join((text_tip, *claims))
        cells = (
            (f"{WARNING_MARK} {label}" if claims else label, f"{title}\n{text_tip}" if title else text_tip),
            (voice, voice_tip),
            (f"{segment.repeat} ×", ""),
            (f"{segment.pause_ms} ms", ""),
            (f"≈ {format_seconds(segment_seconds(segment))}" if segment.text.strip() else "–", ""),
        )
        for column, (cell, tip) in enumerate(cells):
            item = QTableWidgetItem(cell)
            if tip:
                item.setToolTip(tip)
            if column == 0 and not title:  # the start of the text, not a title
                font = QFont(item.font())
                font.setItalic(True)
                item.setFont(font)
            if column >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(row, column, item)

    def fit_columns(self) -> None:
        """Size the columns to their text (see the class)."""
        cells, heading = self.fontMetrics(), self.horizontalHeader().fontMetrics()

        def widest(column: int, least: str = "") -> int:
            items = [self.item(row, column) for row in range(self.rowCount())]
            texts = [item.text() for item in items if item is not None]
            return _PADDING + max(
                heading.horizontalAdvance(_COLUMNS[column]),
                *(cells.horizontalAdvance(t) for t in (least, *texts)),
            )

        numbers = {column: widest(column) for column in range(2, len(_COLUMNS))}
        # The voice takes what it needs of what the numbers leave, as long as the segments'
        # titles keep room too (up to _TITLE_ROOM); a longer name is elided.
        left = self.viewport().width() - sum(numbers.values())
        titles = min(widest(0), _TITLE_ROOM)
        voice = min(
            widest(1, _LEAST_VOICE), max(cells.horizontalAdvance(_LEAST_VOICE) + _PADDING, left - titles)
        )
        heading_width = heading.horizontalAdvance(_COLUMNS[1]) + _PADDING
        for column, width in ((1, max(voice, heading_width)), *numbers.items()):
            self.setColumnWidth(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_columns()  # the voice column's share follows the table's width


class SegmentForm(QGroupBox):
    """Shows one segment; ``edited(field, value)`` for each change the user makes, with the
    field named as in ``Segment`` (``voice`` is None for the default voice)."""

    edited = Signal(str, object)

    def __init__(self, voices: Callable[[], Sequence[VoiceInfo]], parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("SegmentForm", "Segment"), parent)
        self.setObjectName("segmentForm")
        self._loading = False

        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText(self.tr("Optional, e.g. Welcome"))
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("textEdit")
        self.text_edit.setPlaceholderText(
            self.tr("What the avatar says. Sentences are spoken one after another.")
        )
        self.text_edit.setTabChangesFocus(True)
        # Claims the show would refuse, underlined as typed; right-click lets one through.
        self.claims = ClaimMarks(self.text_edit)
        self.claims.let_through.connect(self.ask_override)
        self.claims.withdraw.connect(
            lambda gone: self._set_overrides(tuple(o for o in self._overrides if o != gone))
        )
        self._overrides: tuple[Override, ...] = ()
        self._text = ""  # the text as last loaded or edited
        self.override_dialog: OverrideDialog | None = None  # while it asks who and why
        self.voice_picker = VoicePicker(voices, self)
        self.voice_check = VoiceCheck(self)
        self.repeat_spin = QSpinBox(self)
        self.repeat_spin.setObjectName("repeatSpin")
        self.repeat_spin.setRange(1, MAX_REPEAT)
        self.repeat_spin.setSuffix(" ×")
        self.repeat_spin.setToolTip(self.tr("How many times this segment is spoken before the next one."))
        self.pause_spin = QSpinBox(self)
        self.pause_spin.setObjectName("pauseSpin")
        self.pause_spin.setRange(0, 10_000)
        self.pause_spin.setSingleStep(100)
        self.pause_spin.setSuffix(self.tr(" ms"))
        self.pause_spin.setToolTip(self.tr("Silence after each sentence of this segment."))
        for spin in (self.repeat_spin, self.pause_spin):
            spin.setMaximumWidth(140)
        self.estimate_label = QLabel(self)
        self.estimate_label.setObjectName("estimateLabel")
        self.estimate_label.setWordWrap(True)
        self.estimate_label.setToolTip(
            self.tr("The spoken length is {ESTIMATE_NOTE}; each voice has its own pace.").format(
                ESTIMATE_NOTE=translated("show_segments", ESTIMATE_NOTE)
            )
        )
        self.estimate_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Two lines kept for it, so the form does not jump between one and two.
        self.estimate_label.setMinimumHeight(2 * self.estimate_label.fontMetrics().lineSpacing())

        form = QFormLayout(self)
        form.addRow(self.tr("&Title"), self.title_edit)
        form.addRow(self.tr("Te&xt"), self.text_edit)
        form.addRow(self.tr("&Voice"), self.voice_picker)
        form.addRow("", self.voice_check)
        form.addRow(self.tr("&Repeat"), self.repeat_spin)
        form.addRow(self.tr("&Pause"), self.pause_spin)
        form.addRow("", self.estimate_label)

        self.title_edit.textEdited.connect(lambda text: self._emit("title", text))
        self.text_edit.textChanged.connect(self._text_changed)
        self.voice_picker.voice_changed.connect(lambda voice: self._emit("voice", voice or None))
        self.voice_check.fix_chosen.connect(self.voice_picker.select)
        self.repeat_spin.valueChanged.connect(lambda value: self._emit("repeat", value))
        self.pause_spin.valueChanged.connect(lambda value: self._emit("pause_ms", value))

    def show_segment(self, segment: Segment, number: int, count: int) -> None:
        """Fill the form with ``segment`` (number ``number`` of ``count``) without emitting."""
        self._loading = True
        try:
            self.title_edit.setText(segment.title)
            if self.text_edit.toPlainText() != segment.text:  # keeps the cursor while typing
                self.claims.show_marks(())  # the last segment's marks do not fit this text
                self.text_edit.setPlainText(segment.text)
            self._text, self._overrides = segment.text, segment.overrides
            self.voice_picker.set_voice(segment.voice)
            self.repeat_spin.setValue(segment.repeat)
            self.pause_spin.setValue(segment.pause_ms)
        finally:
            self._loading = False
        self.setTitle(self.tr("Segment {number} of {count}").format(number=number, count=count))
        self.show_estimate(segment)

    def show_claims(self, marks: Sequence[ClaimMark]) -> None:
        """Underline ``marks``, found in the segment's text as it is in the field now."""
        self.claims.show_marks(marks)

    def ask_override(self, mark: ClaimMark) -> OverrideDialog:
        """Ask who lets ``mark``'s words through and why; the override joins the segment's."""

        def add(override: Override) -> None:
            self._set_overrides((*self._overrides, override))

        self.override_dialog = OverrideDialog(self, mark, add)
        self.override_dialog.finished.connect(lambda _result: setattr(self, "override_dialog", None))
        self.override_dialog.open()
        return self.override_dialog

    def _text_changed(self) -> None:
        # Underlining a claim changes only the look, but Qt says textChanged for it too.
        text = self.text_edit.toPlainText()
        if text != self._text:
            self._text = text
            self._emit("text", text)

    def _set_overrides(self, overrides: tuple[Override, ...]) -> None:
        self._overrides = overrides
        self._emit("overrides", overrides)

    def show_estimate(self, segment: Segment) -> None:
        if not segment.text.strip():
            self.estimate_label.setText(self.tr("Nothing to say yet: type the text above."))
            return
        once, total = segment_seconds(segment, repeats=False), segment_seconds(segment)
        repeats = (
            self.tr(", {format_seconds} with {repeat} repeats").format(
                format_seconds=format_seconds(total), repeat=segment.repeat
            )
            if segment.repeat > 1
            else ""
        )
        # One short line (the rates are in the tooltip), so the form does not grow a line.
        spoken = self.tr("About {format_seconds} spoken{repeats}").format(
            format_seconds=format_seconds(once), repeats=repeats
        )
        self.estimate_label.setText(self.tr("{spoken}, pauses included (estimate).").format(spoken=spoken))

    def _emit(self, name: str, value: Any) -> None:
        if not self._loading:
            self.edited.emit(name, value)


class UndoOffer(QObject):
    """An "Undo …" button and Ctrl+Z inside ``owner``, offered for ``seconds`` after something
    was removed; ``undo`` puts it back, ``expired`` runs when the offer lapses."""

    def __init__(
        self,
        owner: QWidget,
        button: QPushButton,
        seconds: float,
        undo: Callable[[], object],
        expired: Callable[[], None],
    ) -> None:
        super().__init__(owner)
        self._button = button
        self._button.hide()
        self._button.clicked.connect(undo)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(expired)
        # Ctrl+Z in a text field undoes the typing there: the field takes the key first.
        self._shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), owner)
        self._shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._shortcut.setEnabled(False)
        self._shortcut.activated.connect(undo)

    def offer(self, tip: str) -> None:
        self._button.setToolTip(self.tr("{tip} (Ctrl+Z).").format(tip=tip))
        self._button.show()
        self._shortcut.setEnabled(True)
        self._timer.start()

    def withdraw(self) -> None:
        self._timer.stop()
        self._shortcut.setEnabled(False)
        self._button.hide()
