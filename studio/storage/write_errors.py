"""A failed write (a full disk, a lost drive) as one line naming the file and the cause."""

from __future__ import annotations

import errno
from pathlib import Path

from studio.errors import StudioError

__all__ = ["write_error"]

_DISK_PROBLEMS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is too large for this disk",
    errno.EIO: "the disk reported an error",
    errno.EROFS: "the disk is read-only",
}


def write_error(target: Path, exc: OSError) -> StudioError:
    """A failed write as one line: which file, and why."""
    code = exc.errno if isinstance(exc.errno, int) else 0
    cause = _DISK_PROBLEMS.get(code) or (exc.strerror or str(exc) or type(exc).__name__)
    return StudioError(
        f"cannot write {target}: {cause}.", "Free some space or choose another folder, and try again."
    )
