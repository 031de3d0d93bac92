"""What a show's workers warn the operator about: each cause once, the latest few kept.

A looping rundown meets the same failing sentence every lap, and a status line that repeats
it with a growing count says nothing new. So a warning is said once per cause (its text);
``total`` counts the different ones so far and ``errors`` keeps the last ``keep`` of them.
"""

from __future__ import annotations

import threading
from collections import deque

_CAUSES_KEPT = 1000  # causes remembered to say each once; a looping show repeats only a few


class Warnings:
    """Thread-safe: workers ``add``, the CLI and the app read."""

    def __init__(self, keep: int = 20) -> None:
        self._lock = threading.Lock()
        self._latest: deque[str] = deque(maxlen=keep)
        self._said: set[str] = set()
        self._said_order: deque[str] = deque()
        self._total = 0

    def add(self, message: str) -> bool:
        """Keep ``message`` unless it was said already; True if it is new."""
        with self._lock:
            if message in self._said:
                return False
            self._said.add(message)
            self._said_order.append(message)
            if len(self._said_order) > _CAUSES_KEPT:
                self._said.discard(self._said_order.popleft())
            self._latest.append(message)
            self._total += 1
            return True

    @property
    def errors(self) -> list[str]:
        """The latest warnings, oldest first (a copy: workers may add while it is read)."""
        with self._lock:
            return list(self._latest)

    @property
    def total(self) -> int:
        """How many different warnings so far (``errors`` keeps only the latest)."""
        with self._lock:
            return self._total

    def snapshot(self) -> tuple[int, list[str]]:
        """``total`` and ``errors`` read together, so the count matches the list."""
        with self._lock:
            return self._total, list(self._latest)
