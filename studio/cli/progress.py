"""A terminal progress bar that stays quiet in logs."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from studio.translation import tr


class ProgressBar:
    def __init__(self, label: str, stream: TextIO | None = None, width: int = 32) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._start = time.perf_counter()
        self._last_quarter = -1

    def __call__(self, done: int, total: int) -> None:
        frac = done / total if total else 1.0
        if self.tty:
            filled = int(frac * self.width)
            elapsed = time.perf_counter() - self._start
            eta = elapsed / frac - elapsed if frac > 0 else 0.0
            bar = "#" * filled + "-" * (self.width - filled)
            line = tr("{label} [{bar}] {fraction:6.1%} {done}/{total}  eta {eta:4.0f}s").format(
                label=self.label, bar=bar, fraction=frac, done=done, total=total, eta=eta
            )
            self.stream.write("\r" + line)
            if done >= total:
                self.stream.write("\n")
        else:
            # Logs get a line per quarter, not a carriage-return stream.
            quarter = int(frac * 4)
            if quarter != self._last_quarter:
                self._last_quarter = quarter
                line = tr("{label}: {fraction:.0%} ({done}/{total} frames)").format(
                    label=self.label, fraction=frac, done=done, total=total
                )
                self.stream.write(line + "\n")
        self.stream.flush()
