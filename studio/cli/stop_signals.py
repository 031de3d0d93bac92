"""SIGTERM and SIGHUP end ``live`` and ``render`` as Ctrl-C does.

A service or container stop sends SIGTERM, closing the terminal sends SIGHUP; both would
otherwise end Python at once, with no chance to finalise a recording or remove a render's
temporary file. Here they raise ``StopSignal`` (a ``KeyboardInterrupt``) in the main thread,
so every path that handles Ctrl-C handles them too.

After a hangup the terminal is gone: writing to it fails (EIO, or EPIPE for a pipe whose reader
went away). What a command says once it was stopped goes through ``print_safely``, so that a
show finalised after a SIGHUP still ends with its own exit status, not with an ``OSError``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import TextIO

__all__ = ["StopSignal", "print_safely", "stop_on_signals"]

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class StopSignal(KeyboardInterrupt):
    """The process was asked to stop by ``signum``."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise StopSignal(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """While inside, SIGTERM and SIGHUP raise ``StopSignal`` (only the main thread can set
    handlers; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {signum: signal.signal(signum, _raise_stop) for signum in _SIGNALS}
    try:
        yield
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)


def print_safely(*parts: object, file: TextIO | None = None, end: str = "\n") -> None:
    """``print`` and flush, or nothing when the terminal (or the pipe's reader) is gone. The
    stream is then pointed at the null device, so that Python's own flush at exit, of what
    could not be written, does not fail either."""
    stream = sys.stdout if file is None else file
    try:
        print(*parts, file=stream, end=end, flush=True)
    except OSError:
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, stream.fileno())
            finally:
                os.close(null)
