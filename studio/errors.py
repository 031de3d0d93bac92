"""Errors a user can act on.

Every failure the user can fix is raised as a ``StudioError`` carrying what went
wrong and what to do. The CLI prints it as one line and exits with code 2; it is
never shown as a traceback.
"""

from __future__ import annotations

import re

_FULL_WIDTH_ENDS = ("。", "！", "？", "；", "：", "）", "”", "」", "…")


class StudioError(Exception):
    """A problem the user can fix. ``hint`` says how."""

    exit_code = 2

    def __init__(self, problem: str, hint: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint

    def __str__(self) -> str:
        if not self.hint:
            return self.problem
        # Chinese runs its sentences together after full-width punctuation; English wants a space.
        gap = "" if self.problem.endswith(_FULL_WIDTH_ENDS) else " "
        return f"{self.problem}{gap}{self.hint}".strip()


class InputError(StudioError):
    """The user gave a file, name or option that cannot be used."""


class FaceError(InputError):
    """The photo cannot become an avatar (no face, several faces, too small, pose)."""


class NetworkError(StudioError):
    """An online service could not be reached."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line, for the middle of a sentence (its type if empty)."""
    return " ".join(str(exc).split()) or type(exc).__name__


# Characters that change what a terminal shows rather than showing themselves: C0 and C1
# controls, DEL, zero-width and direction marks, the bidi overrides, embeddings and isolates,
# and the line/paragraph separators. Names, consent text and a server's words may hold any.
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str, limit: int | None = None) -> str:
    """``text`` safe to print: each control character shown as Python writes it (``\\n``,
    ``\\x1b``, ``\\u202e``), and, with ``limit``, cut to that many characters."""
    shown = _CONTROL_RE.sub(_escape, text)
    return shown if limit is None or len(shown) <= limit else shown[: limit - 1] + "…"


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The distinct control characters in ``text`` (other than ``allowed``), escaped."""
    return sorted({printable(ch) for ch in _CONTROL_RE.findall(text) if ch not in allowed})


def _escape(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]  # '\\n', '\\x1b', '\\u202e'
