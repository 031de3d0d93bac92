"""The show as a file: writing a rundown the user chose, and the note that says the show on
the page is saved automatically (the main window autosaves it; see ``ShowEditor.note_saved``)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QWidget

from studio.errors import InputError
from studio.live.rundown import Rundown, save_rundown
from studio.ui.dialogs import show_error
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.show_claims import refuse_unresolved

AUTOSAVE_HINT = QT_TRANSLATE_NOOP("show_file", "Saved automatically as you edit")
NEW_SHOW_QUESTION = QT_TRANSLATE_NOOP(
    "show_file",
    "Start a new, empty show?\n\nThe show on this page ({count}) is replaced, and the autosave "
    "with it. To keep a copy, choose Cancel and then Save show as…",
)


def write_show(parent: QWidget, rundown: Rundown, path: Path, title: str) -> bool:
    """Write ``rundown`` to ``path`` as a rundown file (TOML); an error dialog and False when
    there is nothing to write, a line makes a claim no override lets through, or it cannot be
    written."""
    try:
        if not rundown.segments:
            raise InputError(
                QCoreApplication.translate(
                    "show_file", "the show has nothing to say yet, so there is nothing to save."
                ),
                QCoreApplication.translate("core", "Write some text in a segment first."),
            )
        refuse_unresolved(rundown.segments, rundown.loop)  # what the show would refuse is not saved
        save_rundown(rundown, path)
    except InputError as exc:
        show_error(parent, exc, title)
        return False
    except OSError as exc:
        problem = QCoreApplication.translate("show_file", "could not write {path} ({value}).").format(
            path=path, value=exc.strerror or exc
        )
        hint = QCoreApplication.translate("show_file", "Choose a folder you can write to.")
        show_error(parent, InputError(problem, hint), title)
        return False
    return True


def segment_count(count: int) -> str:
    if count == 1:
        return QCoreApplication.translate("show_file", "1 segment")
    return QCoreApplication.translate("show_file", "{count} segments").format(count=count)


class SavedNote(QLabel):
    """A quiet line saying the show is saved automatically, and when it last was."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translated("show_file", AUTOSAVE_HINT), parent)
        self.setObjectName("savedNote")
        self.setProperty("role", "hint")
        self.setToolTip(
            self.tr(
                "Studio keeps the show on this page as you edit it, and opens it again next "
                "time. Save show as… writes a copy to a file of your own."
            )
        )

    def saved(self, path: str | Path, when: datetime | None = None) -> None:
        stamp = (when or datetime.now()).strftime("%H:%M")
        self.setText(self.tr("Saved automatically at {stamp}").format(stamp=stamp))
        self.setToolTip(
            self.tr(
                "Studio keeps the show on this page as you edit it, in {path}, and opens it "
                "again next time. Save show as… writes a copy to a file of your own."
            ).format(path=path)
        )
