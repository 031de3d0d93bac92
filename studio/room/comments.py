"""Audience comments: what a viewer wrote, and the interface every source of them implements.

A comment is untrusted text from the internet. ``make_comment`` is the one door in: it folds the
text to one line without control characters and cuts it (and the viewer's name) to a bounded
length, so nothing downstream (the moderation queue, the log, a page, a terminal) sees more.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from studio.commerce.answer import MAX_QUESTION_CHARS

MAX_COMMENT_CHARS = MAX_QUESTION_CHARS  # the answerer reads no further anyway
MAX_USER_CHARS = 40
ANONYMOUS = "viewer"
# Controls, zero-width and direction marks, bidi overrides, line/paragraph separators: a name
# or a comment must not rearrange what the moderator reads.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_ids = itertools.count(1)
_ids_lock = threading.Lock()


@dataclass(frozen=True)
class Comment:
    id: str  # unique in this run: "<source>-<n>"
    user: str
    text: str
    received_at: float  # time.time() when it arrived
    source: str  # "audience-page", "stdin", "file", "tiktok", …


# Called by a source for every comment; must not block (the moderation queue's ``submit`` doesn't).
Deliver = Callable[[Comment], object]


class CommentSource(Protocol):
    """Where comments come from. ``start`` begins delivering each comment to ``deliver`` (from the
    source's own thread); ``stop`` ends that and joins what it started. A source bounds its own
    intake (message size, rate, connections) so a flood cannot grow memory."""

    name: str

    def start(self, deliver: Deliver) -> None: ...

    def stop(self) -> None: ...


class RateLimit:
    """A token bucket: ``burst`` at once, then one every ``every_s`` seconds. One per connection (or
    per source), used from one thread."""

    def __init__(self, burst: int, every_s: float) -> None:
        self._burst, self._every = burst, every_s
        self._tokens, self._at = float(burst), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self._tokens = min(self._burst, self._tokens + (now - self._at) / self._every)
        self._at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True


def clean(text: str, limit: int) -> str:
    """``text`` on one line, without invisible characters, at most ``limit`` characters."""
    return " ".join(_INVISIBLE.sub(" ", text[: limit * 4]).split())[:limit]


def make_comment(user: str, text: str, source: str, received_at: float | None = None) -> Comment | None:
    """A ``Comment`` from raw input, or None when nothing is left of the text once cleaned."""
    body = clean(text, MAX_COMMENT_CHARS)
    if not body:
        return None
    with _ids_lock:
        n = next(_ids)
    name = clean(user, MAX_USER_CHARS) or ANONYMOUS
    return Comment(f"{source}-{n}", name, body, time.time() if received_at is None else received_at, source)


def parse_line(line: str, source: str) -> Comment | None:
    """One scripted comment: ``user: text`` or just ``text``. A colon after more than a name's
    length (or a URL's "http:") is part of the text."""
    user, sep, text = line.partition(":")
    name = user.strip()
    if sep and 0 < len(name) <= MAX_USER_CHARS and " " not in name and text.strip() and text[:2] != "//":
        return make_comment(name, text, source)
    return make_comment("", line, source)
