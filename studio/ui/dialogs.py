"""Errors as dialogs that say what happened and what to do; confirmations; progress.

Dialogs are opened with ``open()`` (window-modal, not blocking), so the event loop keeps
running, worker signals keep arriving and tests can read and close them.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from studio.errors import StudioError
from studio.tasks import Cancelled
from studio.ui.app_words import app_words
from studio.ui.bridge import TaskRunner, Work
from studio.ui.i18n_core import core_words


def error_text(exc: BaseException) -> tuple[str, str, str]:
    """(what happened, what to do, technical details) for any exception, in the app's words."""
    if isinstance(exc, StudioError):
        return _sentence(core_words(app_words(exc.problem))), core_words(app_words(exc.hint)), ""
    details = "".join(traceback.format_exception(exc))
    return (
        QCoreApplication.translate("dialogs", "Something went wrong inside Studio."),
        QCoreApplication.translate(
            "dialogs", "Try again. If it happens again, copy the details below into a bug report."
        ),
        details,
    )


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Studio") -> QMessageBox:
    """Open an error dialog for ``exc`` and return it (it closes itself when dismissed)."""
    problem, hint, details = error_text(exc)
    box = QMessageBox(QMessageBox.Icon.Warning, title, problem, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    if hint:
        box.setInformativeText(hint)
    if details:
        box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def confirm(
    parent: QWidget | None, title: str, text: str, yes: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """Ask before something that cannot be undone; ``on_yes`` runs only if the user agrees."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("confirmDialog")
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def done(_result: int) -> None:
        if box.clickedButton() is yes_button:
            on_yes()

    box.finished.connect(done)
    box.open()
    return box


def run_with_progress(
    parent: QWidget,
    runner: TaskRunner,
    title: str,
    work: Work,
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    on_cancel: Callable[[], None] | None = None,
) -> QProgressDialog:
    """Run ``work`` on ``runner`` behind a progress dialog whose Cancel button cancels it.

    A cancelled task closes quietly (or calls ``on_cancel``); any other failure becomes an
    error dialog (or goes to ``on_failure``).
    """
    dialog = QProgressDialog(title, QCoreApplication.translate("dialogs", "Cancel"), 0, 1000, parent)
    dialog.setObjectName("progressDialog")
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    connections: list[Any] = []

    def progress(fraction: float, message: str) -> None:
        dialog.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        if message:
            dialog.setLabelText(core_words(message))

    def failed(exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            if on_cancel is not None:
                on_cancel()
            return
        if on_failure is not None:
            on_failure(exc)
        else:
            show_error(parent, exc)

    def finished() -> None:
        for signal, slot in connections:
            signal.disconnect(slot)
        # Closing a progress dialog emits canceled: it must not cancel a next task on this runner.
        dialog.canceled.disconnect(runner.cancel)
        dialog.close()
        dialog.deleteLater()

    for signal, slot in (
        (runner.progress, progress),
        (runner.succeeded, on_success),
        (runner.failed, failed),
        (runner.finished, finished),
    ):
        signal.connect(slot)
        connections.append((signal, slot))
    dialog.canceled.connect(runner.cancel)
    runner.start(work, title)
    dialog.show()
    return dialog
