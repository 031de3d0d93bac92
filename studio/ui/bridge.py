"""The one object that crosses from worker threads into the Qt thread.

Workers never touch widgets. Long work (building an avatar, making speech ahead) runs on a
plain Python thread and reports through a ``TaskRunner``'s signals; the runner lives in the
Qt thread, so Qt delivers those signals there (queued connections).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from studio.tasks import CancelToken, ProgressFn

Work = Callable[[ProgressFn, CancelToken], Any]


class TaskRunner(QObject):
    """Runs one piece of long work at a time on a worker thread.

    ``progress(fraction, message)`` while it runs, then ``succeeded(result)`` or
    ``failed(exception)`` (``studio.tasks.Cancelled`` when the user cancelled), then
    ``finished()``.
    """

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: threading.Thread | None = None
        self._token = CancelToken()
        self.name = ""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, work: Work, name: str) -> None:
        if self.running:
            raise RuntimeError(f"{self.name} is still running")
        self.name = name
        self._token = CancelToken()
        token = self._token
        # Daemon: a task stuck in a driver (a device probe that never returns) must not keep
        # the process alive after the window has closed; tasks never hold a half-written file
        # (writes are atomic), so nothing is lost if one is cut off at exit.
        self._thread = threading.Thread(
            target=self._run, args=(work, token), name=f"studio-task-{name}", daemon=True
        )
        self._thread.start()

    def cancel(self) -> None:
        self._token.cancel()

    def wait(self, timeout: float | None = None) -> bool:
        """Join the worker; True when it has ended (for closing the window and for tests)."""
        thread = self._thread
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def _run(self, work: Work, token: CancelToken) -> None:
        try:
            result = work(self._emit_progress, token)
        except BaseException as exc:  # noqa: BLE001 - every failure is shown to the user as a dialog
            self._emit(self.failed, exc)
        else:
            self._emit(self.succeeded, result)
        finally:
            self._emit(self.finished)

    def _emit_progress(self, fraction: float, message: str) -> None:
        self._emit(self.progress, fraction, message)

    @staticmethod
    def _emit(signal: Any, *args: Any) -> None:
        # The page that started the work may have been closed and deleted meanwhile; then
        # nobody is listening and the result has nowhere to go.
        with contextlib.suppress(RuntimeError):
            signal.emit(*args)
