"""Long work that reports progress and can be cancelled, without knowing who is watching.

The CLI prints the progress; the app shows a progress bar with a Cancel button. Both hand a
``CancelToken`` to the work, which checks it between steps: cancelling never interrupts a
write half-way, so whatever was being written is either complete or not there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from studio.errors import StudioError
from studio.translation import tr

# (fraction done 0..1, what is happening now)
ProgressFn = Callable[[float, str], None]


def no_progress(fraction: float, message: str) -> None:
    """The progress callback for callers that do not show progress."""


class Cancelled(StudioError):
    """The user cancelled the work; nothing half-made was left behind."""

    exit_code = 130

    def __init__(self, what: str = "") -> None:
        # ``what`` is named by the caller in the chosen language (tr("the speech")).
        super().__init__(tr("{what} was cancelled; nothing was changed.").format(what=what or tr("the work")))


class CancelToken:
    """Set once from any thread; the work checks it between steps. A step that blocks in a
    library call (an ONNX Runtime run) registers how to interrupt it with ``on_cancel``."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._interrupts: list[Callable[[], None]] = []

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            interrupts = list(self._interrupts)
        for interrupt in interrupts:
            interrupt()

    def on_cancel(self, interrupt: Callable[[], None]) -> Callable[[], None]:
        """Call ``interrupt`` when cancelled (at once if already); returns the unregister."""
        with self._lock:
            if not self._event.is_set():
                self._interrupts.append(interrupt)
                return lambda: self._forget(interrupt)
        interrupt()
        return lambda: None

    def _forget(self, interrupt: Callable[[], None]) -> None:
        with self._lock:
            if interrupt in self._interrupts:
                self._interrupts.remove(interrupt)

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self, what: str = "") -> None:
        """Raise ``Cancelled`` if cancel() was called."""
        if self._event.is_set():
            raise Cancelled(what)
