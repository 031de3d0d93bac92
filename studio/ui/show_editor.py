"""The show editor: the rundown the avatar speaks, segment by segment, with a voice preview.

It edits the same rundown TOML that ``studio live --script`` reads, so a show written here
runs from the command line too, and one written by hand can be imported and edited here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.errors import StudioError
from studio.live.rundown import Rundown, Segment, split_sentences
from studio.ui.dialogs import confirm, show_error
from studio.ui.file_dialogs import SHOW_FILTER, memory_of
from studio.ui.i18n import translated
from studio.ui.show_claims import ClaimMark, RememberingChecker, claim_problems, mark_lines, segment_marks
from studio.ui.show_file import NEW_SHOW_QUESTION, segment_count, write_show
from studio.ui.show_form import SegmentForm, SegmentTable, UndoOffer
from studio.ui.show_header import ShowHeader, tool_button
from studio.ui.show_preview import CheckFn, PlayFn, VoicePreview, check_default_output, play_on_speakers
from studio.ui.show_segments import format_seconds, rundown_problems, segment_label, segment_seconds
from studio.ui.show_voice_check import voice_advice
from studio.voice.base import VoiceInfo

UNDO_SECONDS = 15  # how long "Undo remove" stays offered after a segment is removed


class ShowEditor(QWidget):
    """Edit a show: segments of text, each with a voice, a repeat count and a pause.

    ``changed`` fires on every edit; ``path_changed(path)`` after every successful import or
    export (the show's rundown file, "" for an imported text script), for the settings'
    ``rundown_path``. ``play(samples, rate)`` plays a voice sample and ``check_output()``
    raises when it would have no output device; both run on a worker thread, and the main
    window binds both to the settings' audio device. Call ``shutdown()`` before the app
    quits: it stops a preview that is being made or played.
    """

    changed = Signal()
    path_changed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        voices: list[VoiceInfo] | None = None,
        play: PlayFn | None = None,
        check_output: CheckFn | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("showEditor")
        self._given_voices = voices
        self._segments: list[Segment] = [Segment("")]
        self._path = ""
        self._loading = False
        # The segment last removed: (where it was, it, whether it was the only one).
        self._removed: tuple[int, Segment, bool] | None = None
        self.new_box: QMessageBox | None = None  # "Start a new, empty show?" while asked
        self._checker = RememberingChecker()  # the claims check, as the show runs it on air
        self._flagged: list[list[str]] = []  # each row's claims that stop the show, as marked
        self._build()
        self._preview = VoicePreview(
            self,
            self.voice_picker.preview_button,
            play or play_on_speakers,
            check_output or check_default_output,
        )
        self._runner = self._preview.runner
        self._fill_table(select=0)

    # -- public API -------------------------------------------------------------------------
    def rundown(self) -> Rundown:
        """The show as edited. Segments without text are left out (they say nothing, and the
        rundown file cannot hold them); ``problems()`` tells the user about them."""
        segments = tuple(
            replace(s, text=s.text.strip(), title=s.title.strip())
            for s in self._segments
            if split_sentences(s.text)
        )
        return Rundown(segments, self.loop_check.isChecked(), self._path)

    def set_rundown(self, rundown: Rundown) -> None:
        self._forget_removed()  # another show: its segments are not the ones removed
        self._segments = list(rundown.segments) or [Segment("")]
        with _Quiet(self):
            self.loop_check.setChecked(rundown.loop)
        self._fill_table(select=0)
        self.changed.emit()

    def problems(self) -> list[str]:
        """Why the show cannot run as written, for the live panel to show; empty when it can."""
        claims = claim_problems(self._segments, self._marks())
        return rundown_problems(self._segments, self.voice_picker.voices) + claims

    @property
    def previewing(self) -> bool:
        """True while a voice sample is being made (until it plays, fails or is cancelled)."""
        return self._preview.running

    @property
    def current_path(self) -> str:
        """The rundown file last imported or exported ("" for a new show or a text script)."""
        return self._path

    def import_file(self, path: str | Path) -> bool:
        """Replace the show with a rundown file (.toml) or a text script (one segment a line),
        as ``studio live --script`` reads them; an error dialog and False if it cannot be read.
        ``path_changed`` fires on success."""
        from studio.pipeline.live_show import read_show_script

        path = Path(path)
        try:
            rundown = read_show_script(path, None)
        except StudioError as exc:
            show_error(self, exc, self.tr("Import show"))
            return False
        self.set_rundown(rundown)
        self._set_path(str(path) if path.suffix.lower() == ".toml" else "")
        return True

    def export_file(self, path: str | Path) -> bool:
        """Write the show as a rundown file (TOML); an error dialog and False if it cannot be.
        ``path_changed`` fires on success."""
        path = Path(path)
        if not write_show(self, self.rundown(), path, self.tr("Save show")):
            return False
        self._set_path(str(path))
        return True

    def new_show(self) -> None:
        """Replace the show with one empty segment, forgetting its file (``path_changed("")``)."""
        self.set_rundown(Rundown(()))
        self._set_path("")

    def ask_new(self) -> None:
        """``new_show()`` once the user agrees (at once when the show has nothing to say)."""
        count = len(self.rundown().segments)
        if not count:
            self.new_show()
            return
        self.new_box = confirm(
            self,
            self.tr("New show"),
            translated("show_file", NEW_SHOW_QUESTION).format(count=segment_count(count)),
            self.tr("New show"),
            self.new_show,
        )

    def note_saved(self, path: str | Path) -> None:
        """Say that the show was just saved automatically to ``path`` (the main window's autosave)."""
        self.saved_note.saved(path)

    def undo_remove(self) -> bool:
        """Put back the segment removed last, where it was (Ctrl+Z); False if there is none."""
        removed = self._removed
        self._forget_removed()
        if removed is None:
            return False
        row, segment, was_alone = removed
        if was_alone and self._segments == [Segment("")]:
            self._segments = [segment]  # instead of the empty one put in its place
        else:
            row = min(row, len(self._segments))
            self._segments.insert(row, segment)
        self._fill_table(select=row)
        self._edited()
        self.table.setFocus()
        return True

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel a preview being made and silence one playing; joins the worker."""
        self._preview.shutdown(timeout)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)

    # -- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = header = ShowHeader(self)
        self.new_button, self.import_button = header.new_button, header.import_button
        self.export_button, self.loop_check = header.export_button, header.loop_check
        self.total_label, self.saved_note = header.total_label, header.saved_note

        self.table = SegmentTable(self)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_segment(row))
        self.add_button = self._button(
            self.tr("Add"), "addButton", self.tr("Add an empty segment after the selected one.")
        )
        self.duplicate_button = self._button(
            self.tr("Duplicate"), "duplicateButton", self.tr("Copy the selected segment.")
        )
        self.remove_button = self._button(
            self.tr("Remove"), "removeButton", self.tr("Remove the selected segment.")
        )
        self.undo_button = self._button(
            self.tr("Undo remove"),
            "undoRemoveButton",
            self.tr("Put back the segment you just removed (Ctrl+Z)."),
        )
        self._undo = UndoOffer(self, self.undo_button, UNDO_SECONDS, self.undo_remove, self._forget_removed)
        self.up_button = self._button(
            self.tr("Move up"), "upButton", self.tr("Speak the selected segment earlier.")
        )
        self.down_button = self._button(
            self.tr("Move down"), "downButton", self.tr("Speak the selected segment later.")
        )
        buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.remove_button, self.undo_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(buttons)

        self.form = SegmentForm(self._voice_list, self)
        # The form's fields, by the names tests and the screenshot script look for.
        self.title_edit, self.text_edit = self.form.title_edit, self.form.text_edit
        self.voice_picker, self.estimate_label = self.form.voice_picker, self.form.estimate_label
        self.repeat_spin, self.pause_spin = self.form.repeat_spin, self.form.pause_spin

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([580, 520])
        splitter.setChildrenCollapsible(False)

        self.problems_label = QLabel(self)
        self.problems_label.setObjectName("problemsLabel")
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #a15c00;")  # amber: a warning, not an error

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problems_label)

        self.new_button.clicked.connect(self.ask_new)
        self.import_button.clicked.connect(self.ask_import)
        self.export_button.clicked.connect(self.ask_save_as)
        self.loop_check.toggled.connect(lambda _on: self._edited())
        self.add_button.clicked.connect(lambda: self._insert(Segment("")))
        self.duplicate_button.clicked.connect(lambda: self._insert(self._segments[self._row()]))
        self.remove_button.clicked.connect(self._remove)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(+1))
        self.form.edited.connect(lambda name, value: self._update(**{name: value}))
        self.voice_picker.preview_button.clicked.connect(self._start_preview)

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        return tool_button(self, text, name, tip)

    def _voice_list(self) -> Sequence[VoiceInfo]:
        from studio.voice.registry import all_voices

        return self._given_voices if self._given_voices is not None else all_voices()

    # -- the table --------------------------------------------------------------------------
    def _row(self) -> int:
        row = self.table.currentRow()
        return row if 0 <= row < len(self._segments) else 0

    def _fill_table(self, select: int) -> None:
        with _Quiet(self):
            self.table.setRowCount(len(self._segments))
            for row in range(len(self._segments)):
                self._refresh_row(row)
            self.table.setCurrentCell(max(0, min(select, len(self._segments) - 1)), 0)
            self.table.fit_columns()
        self._show_segment(self.table.currentRow())

    def _refresh_row(self, row: int) -> None:
        claims = self._flagged[row] if row < len(self._flagged) else []
        self.table.show_row(row, self._segments[row], self.voice_picker.voices, claims)

    def _insert(self, segment: Segment) -> None:
        at = self._row() + 1
        self._segments.insert(at, segment)
        self._fill_table(select=at)
        self._edited()
        self.text_edit.setFocus()

    def _remove(self) -> None:
        row = self._row()
        segment = self._segments.pop(row)
        if not self._segments:
            self._segments.append(Segment(""))  # the editor always has a segment to type into
        self._fill_table(select=min(row, len(self._segments) - 1))
        self._edited()
        # No question asked: the segment can be put back for a while instead.
        self._removed = (row, segment, self._segments == [Segment("")])
        self._undo.offer(
            self.tr("Put back “{segment_label}”, which you just removed").format(
                segment_label=segment_label(row + 1, segment, width=40)
            )
        )

    def _forget_removed(self) -> None:
        self._removed = None
        self._undo.withdraw()

    def _move(self, step: int) -> None:
        row = self._row()
        to = row + step
        if not 0 <= to < len(self._segments):
            return
        self._segments[row], self._segments[to] = self._segments[to], self._segments[row]
        self._fill_table(select=to)
        self._edited()

    # -- the segment form -------------------------------------------------------------------
    def _show_segment(self, row: int) -> None:
        if self._loading or not 0 <= row < len(self._segments):
            return
        count = len(self._segments)
        self.form.show_segment(self._segments[row], row + 1, count)
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(row < count - 1)
        self._show_summary()

    def _update(self, **changes: Any) -> None:
        if self._loading:
            return
        row = self._row()
        self._segments[row] = replace(self._segments[row], **changes)
        with _Quiet(self):
            self._refresh_row(row)
            self.table.fit_columns()
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self._show_summary()
        self.changed.emit()

    def _marks(self) -> list[list[ClaimMark]]:
        return segment_marks(self._segments, self.loop_check.isChecked(), self._checker)

    def _check_claims(self) -> None:
        """Underline what the selected segment may not say; mark the rows that say such things."""
        marks = self._marks()
        self.form.show_claims(marks[self._row()])
        flagged = [mark_lines(found) for found in marks]
        if flagged != self._flagged:
            self._flagged = flagged
            with _Quiet(self):
                for row in range(len(self._segments)):
                    self._refresh_row(row)

    def _show_summary(self) -> None:
        self._check_claims()
        segment = self._segments[self._row()]
        self.form.show_estimate(segment)
        self.form.voice_check.show_advice(voice_advice(segment, self.voice_picker.voices))
        show = sum(segment_seconds(s) for s in self._segments)
        self.total_label.setText(
            self.tr("Whole show ≈ {format_seconds} per pass (estimate)").format(
                format_seconds=format_seconds(show)
            )
        )
        problems = self.problems()
        self.problems_label.setText("\n".join(f"⚠ {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))

    # -- files ------------------------------------------------------------------------------
    def ask_import(self) -> None:
        path = memory_of(self).open_file(
            self, "show", self.tr("Import a show"), translated("file_dialogs", SHOW_FILTER)
        )
        if path is not None:
            self.import_file(path)

    def ask_save_as(self) -> None:
        memory = memory_of(self)
        if self._path:  # next to the show's own file, under its name
            memory.remember("show", self._path)
        name = Path(self._path).name if self._path else "show.rundown.toml"
        path = memory.save_file(self, "show", self.tr("Save the show as"), name, self.tr("Shows (*.toml)"))
        if path is not None:
            # 'studio live --script' tells a rundown file from a text script by this suffix.
            self.export_file(path if path.suffix.lower() == ".toml" else path.with_name(path.name + ".toml"))

    ask_export = ask_save_as  # the File menu's older name

    def _set_path(self, path: str) -> None:
        # Every time, even when unchanged: each import or export is news for the settings.
        self._path = path
        self.path_changed.emit(path)

    # -- voice preview ----------------------------------------------------------------------
    def _start_preview(self) -> None:
        from studio.voice.registry import default_voice_id

        segment = self._segments[self._row()]
        voice_id = segment.voice or default_voice_id(segment.text)
        picker = self.voice_picker
        self._preview.start(voice_id, picker.voice_info(voice_id), picker.voices, segment.text)


class _Quiet:
    """While open, the editor's own updates of its widgets are not taken as user edits."""

    def __init__(self, editor: ShowEditor) -> None:
        self._editor = editor
        self._was = False

    def __enter__(self) -> None:
        self._was, self._editor._loading = self._editor._loading, True

    def __exit__(self, *exc: object) -> None:
        self._editor._loading = self._was
