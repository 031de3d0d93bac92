"""Letting a flagged claim through: who decides and why, recorded with the segment.

An override is a decision someone answers for (the rundown file keeps it, the session log
records it when the line is spoken), so the dialog asks for a name and a reason and will not
record one without both.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from studio.compliance import Override
from studio.ui.show_claims import ClaimMark

_MAX_TEXT = 500  # a name or a reason longer than this is not one


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (a container without a user entry)
        return ""


class OverrideDialog(QDialog):
    """Asks who lets ``mark``'s words through and why; ``on_done(override)`` when recorded."""

    def __init__(self, parent: QWidget, mark: ClaimMark, on_done: Callable[[Override], None]) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(self.tr("Let a claim through"))
        self._mark = mark
        self._on_done = on_done
        f = mark.finding
        note = QLabel(
            self.tr(
                "“{text}” breaks {id}: {message} ({source}).\n\nLet it through only if you can "
                "prove it, e.g. with a certificate or a ranking. The override is saved with the "
                "show, for these exact words, and recorded in the show's log each time the line "
                "is spoken."
            ).format(text=f.text, id=f.rule.id, message=f.rule.shown_message, source=f.rule.source),
            self,
        )
        note.setWordWrap(True)
        self.by_edit = QLineEdit(_login_name(), self)
        self.by_edit.setObjectName("overrideBy")
        self.by_edit.setMaxLength(_MAX_TEXT)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("overrideReason")
        self.reason_edit.setMaxLength(_MAX_TEXT)
        self.reason_edit.setPlaceholderText(
            self.tr("e.g. the association's 2026 ranking, certificate no. 123")
        )
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            self.tr("Let it through"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow(self.tr("Decided &by"), self.by_edit)
        form.addRow(self.tr("&Why"), self.reason_edit)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.by_edit, self.reason_edit):
            edit.textChanged.connect(self._allow)
        self._allow()
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setMinimumWidth(460)

    def _allow(self) -> None:
        self.ok_button.setEnabled(bool(self.by_edit.text().strip() and self.reason_edit.text().strip()))

    def accept(self) -> None:
        by, reason = self.by_edit.text().strip(), self.reason_edit.text().strip()
        if not (by and reason):
            return
        f = self._mark.finding
        # Whole seconds: the rundown file writes the time as TOML, and reads back what it wrote.
        now = datetime.now(UTC).replace(microsecond=0)
        super().accept()
        self._on_done(Override(f.rule.id, f.text, by, now, reason))
