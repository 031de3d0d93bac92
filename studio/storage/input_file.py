"""The checks every input file gets before a library opens it, worded for the user.

One place decides what Studio will read: an existing regular file (never a folder, a FIFO, a
socket or a device such as ``/dev/zero``, which would block or never end), not empty, and no
larger than the reader can hold. Sizes come from ``stat`` before a byte is read, and reads
stop one byte past the limit, so a file that grows meanwhile cannot take the memory either.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from studio.errors import InputError

MIB = 1024 * 1024
# What a hand-written text file (a script, a rundown, the settings) may be: a 1 MiB script is
# about 150,000 words, many hours of speech.
MAX_TEXT_BYTES = 1 * MIB


def _size_text(n: int) -> str:
    return f"{n / MIB:.1f} MB" if n >= MIB else f"{n} bytes" if n < 1024 else f"{n / 1024:.0f} KB"


def _refuse_special(path: Path, mode: int, noun: str, file_kind: str) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(f"{path} is a folder, not a {noun}.", f"Give the path of {file_kind}.")
    if not stat.S_ISREG(mode):
        kind = (
            "a named pipe (FIFO)"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise InputError(f"{path} is {kind}, not a {noun}.", f"Give the path of {file_kind} saved on disk.")


def _cannot_open(path: Path, noun: str, exc: OSError) -> InputError:
    return InputError(f"cannot open the {noun} {path}: {exc.strerror}.", "Check its permissions.")


def _check_size(path: Path, size: int, max_bytes: int | None, noun: str, hint: str) -> None:
    if size == 0:
        raise InputError(f"{path} is an empty file.", hint)
    if max_bytes is not None and size > max_bytes:
        raise InputError(
            f"the {noun} {path} is {_size_text(size)}; Studio reads at most {_size_text(max_bytes)}.",
            f"Split it into smaller files. {hint}".strip(),
        )


def check_input_file(
    path: Path, noun: str, file_kind: str, formats_hint: str, max_bytes: int | None = None
) -> int:
    """``path`` is an existing, non-empty regular file of at most ``max_bytes``, or ``InputError``
    saying which it is not. Returns its size.
    ``noun``: "photo", "video"; ``file_kind``: "an image file", "a video file"."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"{noun} not found: {path}.", "Check the path and file name.") from None
    except OSError as exc:
        raise _cannot_open(path, noun, exc) from None
    _refuse_special(path, info.st_mode, noun, file_kind)
    _check_size(path, info.st_size, max_bytes, noun, formats_hint)
    return info.st_size


def read_input_bytes(
    path: Path, noun: str, file_kind: str, max_bytes: int, formats_hint: str = "", allow_empty: bool = False
) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, checked on the open file itself (so
    a path swapped for a FIFO after a check cannot block us), or ``InputError``."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer before we can refuse it.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(f"{noun} not found: {path}.", "Check the path and file name.") from None
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise InputError(f"{path} is a folder, not a {noun}.", f"Give the path of {file_kind}.") from None
        raise _cannot_open(path, noun, exc) from None
    try:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode, noun, file_kind)
        if not (allow_empty and info.st_size == 0):
            _check_size(path, info.st_size, max_bytes, noun, formats_hint)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as file:
        try:
            data = file.read(max_bytes + 1)
        except OSError as exc:
            raise InputError(f"cannot read the {noun} {path}: {exc.strerror}.", "Check the file.") from None
    if len(data) > max_bytes:  # it grew after the check
        _check_size(path, len(data), max_bytes, noun, formats_hint)
    return data
