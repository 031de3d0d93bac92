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
from studio.translation import tr

MIB = 1024 * 1024
# What a hand-written text file (a script, a rundown, the settings) may be: a 1 MiB script is
# about 150,000 words, many hours of speech.
MAX_TEXT_BYTES = 1 * MIB


def _size_text(n: int) -> str:
    if n >= MIB:
        return f"{n / MIB:.1f} MB"
    if n < 1024:
        return tr("{n} bytes").format(n=n)
    return f"{n / 1024:.0f} KB"


def _refuse_special(path: Path, mode: int, noun: str, file_kind: str) -> None:
    if stat.S_ISDIR(mode):
        raise _a_folder(path, noun, file_kind)
    if not stat.S_ISREG(mode):
        if stat.S_ISFIFO(mode):
            problem = tr("{path} is a named pipe (FIFO), not a {noun}.")
        elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
            problem = tr("{path} is a device, not a {noun}.")
        elif stat.S_ISSOCK(mode):
            problem = tr("{path} is a socket, not a {noun}.")
        else:
            problem = tr("{path} is not a regular file, not a {noun}.")
        raise InputError(
            problem.format(path=path, noun=noun),
            tr("Give the path of {file_kind} saved on disk.").format(file_kind=file_kind),
        )


def _a_folder(path: Path, noun: str, file_kind: str) -> InputError:
    return InputError(
        tr("{path} is a folder, not a {noun}.").format(path=path, noun=noun),
        tr("Give the path of {file_kind}.").format(file_kind=file_kind),
    )


def _not_found(path: Path, noun: str) -> InputError:
    return InputError(
        tr("{noun} not found: {path}.").format(noun=noun, path=path), tr("Check the path and file name.")
    )


def _cannot_open(path: Path, noun: str, exc: OSError) -> InputError:
    return InputError(
        tr("cannot open the {noun} {path}: {reason}.").format(noun=noun, path=path, reason=exc.strerror),
        tr("Check its permissions."),
    )


def _check_size(path: Path, size: int, max_bytes: int | None, noun: str, hint: str) -> None:
    if size == 0:
        raise InputError(tr("{path} is an empty file.").format(path=path), hint)
    if max_bytes is not None and size > max_bytes:
        raise InputError(
            tr("the {noun} {path} is {size}; Studio reads at most {limit}.").format(
                noun=noun, path=path, size=_size_text(size), limit=_size_text(max_bytes)
            ),
            (tr("Split it into smaller files.") + " " + hint).strip(),
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
        raise _not_found(path, noun) from None
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
        raise _not_found(path, noun) from None
    except OSError as exc:
        if exc.errno == errno.EISDIR:
            raise _a_folder(path, noun, file_kind) from None
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
            raise InputError(
                tr("cannot read the {noun} {path}: {reason}.").format(
                    noun=noun, path=path, reason=exc.strerror
                ),
                tr("Check the file."),
            ) from None
    if len(data) > max_bytes:  # it grew after the check
        _check_size(path, len(data), max_bytes, noun, formats_hint)
    return data
