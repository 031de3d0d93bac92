"""Answers' speech made before the operator decides, so an approved answer is ready at once.

A viewer's question waits in the moderation queue with a suggested answer; most are approved as
they are. While they wait, the speech supply's preparing worker makes each suggestion's clips, a
clause at a time (the pieces ``voice.clause_stream`` would make on approval), at the rundown's low
priority and only while the rundown has its sentences made ahead: the show never waits for it.

Keyed by the question's id, and used only for the exact words and voice it was made for: an edited
answer is made on approval as before, a rejected or dropped question's preparation is let go (and
its synthesis stopped, if under way). At most ``MAX_PREPARED`` are kept, the oldest dropped first,
so a flood of questions costs a few clips of memory and never a backlog of work.

Thread-safe: the moderation queue's threads add and discard, the preparing worker makes, the
interjection worker claims. Each entry is an immutable snapshot, replaced whole as clips are added.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

from studio.live.clips import Clip

MAX_PREPARED = 4  # questions waiting for a decision whose answers are kept made (or being made)


@dataclass(frozen=True)
class Preparation:
    key: str  # the question's id in the moderation queue
    text: str
    voice: str | None
    clips: tuple[Clip, ...] = ()  # the pieces made so far, in order (no ``rest``: set when used)
    done: bool = False  # every piece made, or given up


class Preparations:
    def __init__(self, limit: int = MAX_PREPARED) -> None:
        self._limit = limit
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, Preparation] = OrderedDict()
        # The entry being made and the call that stops its synthesis.
        self._making: tuple[str, Callable[[], None]] | None = None
        self.dropped = 0  # dropped for newer ones before a decision
        self.used = 0  # claimed with at least its first piece made

    def add(self, key: str, text: str, voice: str | None) -> None:
        """Make ``text`` in ``voice`` for question ``key`` (replacing what was made for it)."""
        stop: list[Callable[[], None]] = []
        with self._lock:
            stop += self._remove(key)
            self._entries[key] = Preparation(key, text, voice)
            while len(self._entries) > self._limit:
                oldest = next(iter(self._entries))
                stop += self._remove(oldest)
                self.dropped += 1
        for call in stop:  # outside the lock: a synthesis stopping may call back
            call()

    def discard(self, key: str) -> None:
        """The question was rejected, edited or dropped: what was made for it goes."""
        with self._lock:
            stop = self._remove(key)
        for call in stop:
            call()

    def claim(self, key: str, text: str, voice: str | None) -> tuple[Clip, ...]:
        """The pieces made for ``key`` if they are of ``text`` in ``voice`` (else none); either way
        the entry goes and its synthesis stops (the caller makes the rest at normal priority)."""
        with self._lock:
            entry = self._entries.get(key)
            stop = self._remove(key)
        for call in stop:
            call()
        if entry is None or entry.text != text or entry.voice != voice:
            return ()
        if entry.clips:
            with self._lock:
                self.used += 1
        return entry.clips

    def start_next(self, stop: Callable[[], None]) -> Preparation | None:
        """The oldest entry not yet made, now being made (``stop`` stops it); None if none."""
        with self._lock:
            if self._making is not None:
                return None
            entry = next((e for e in self._entries.values() if not e.done), None)
            if entry is not None:
                self._making = (entry.key, stop)
            return entry

    def put(self, key: str, clip: Clip) -> bool:
        """Add a piece made for ``key``; False when the entry is gone (stop making it)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False
            self._entries[key] = replace(entry, clips=(*entry.clips, replace(clip, rest=None)))
            return True

    def finish(self, key: str) -> None:
        """``key`` is made (or could not be): the worker takes the next."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries[key] = replace(entry, done=True)
            if self._making is not None and self._making[0] == key:
                self._making = None

    @property
    def waiting(self) -> bool:
        """Some entry is still to be made."""
        with self._lock:
            return self._making is None and any(not e.done for e in self._entries.values())

    @property
    def settled(self) -> bool:
        """Nothing is being made and nothing is left to make."""
        with self._lock:
            return self._making is None and all(e.done for e in self._entries.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def _remove(self, key: str) -> list[Callable[[], None]]:
        """Inside the lock: drop ``key``; the call that stops its synthesis, if under way."""
        self._entries.pop(key, None)
        if self._making is not None and self._making[0] == key:
            stop = self._making[1]
            return [stop]
        return []
