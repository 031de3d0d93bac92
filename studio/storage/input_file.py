"""The checks every input file gets before a library opens it, worded for the user."""

from __future__ import annotations

from pathlib import Path

from studio.errors import InputError


def check_input_file(path: Path, noun: str, file_kind: str, formats_hint: str) -> None:
    """``path`` exists, is a file and is not empty, or ``InputError`` saying which is not.
    ``noun``: "photo", "video"; ``file_kind``: "an image file", "a video file"."""
    if not path.exists():
        raise InputError(f"{noun} not found: {path}.", "Check the path and file name.")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a {noun}.", f"Give the path of {file_kind}.")
    if path.stat().st_size == 0:
        raise InputError(f"{path} is an empty file.", formats_hint)
