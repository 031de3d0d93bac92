"""Errors a user can act on.

Every failure the user can fix is raised as a ``StudioError`` carrying what went
wrong and what to do. The CLI prints it as one line and exits with code 2; it is
never shown as a traceback.
"""

from __future__ import annotations


class StudioError(Exception):
    """A problem the user can fix. ``hint`` says how."""

    exit_code = 2

    def __init__(self, problem: str, hint: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.problem} {self.hint}".strip() if self.hint else self.problem


class InputError(StudioError):
    """The user gave a file, name or option that cannot be used."""


class FaceError(InputError):
    """The photo cannot become an avatar (no face, several faces, too small, pose)."""


class NetworkError(StudioError):
    """An online service could not be reached."""


def one_line(exc: BaseException) -> str:
    """An exception's message on one line, for the middle of a sentence (its type if empty)."""
    return " ".join(str(exc).split()) or type(exc).__name__
