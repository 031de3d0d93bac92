"""A failed write (a full disk, a lost drive) as one line naming the file and the cause."""

from __future__ import annotations

import errno
from pathlib import Path

from studio.errors import StudioError
from studio.translation import tr

__all__ = ["write_error"]


def _disk_problems() -> dict[int, str]:
    # Built when asked, so that it speaks the language chosen by then.
    return {
        errno.ENOSPC: tr("the disk is full"),
        errno.EDQUOT: tr("the disk quota is used up"),
        errno.EFBIG: tr("the file is too large for this disk"),
        errno.EIO: tr("the disk reported an error"),
        errno.EROFS: tr("the disk is read-only"),
    }


def write_error(target: Path, exc: OSError) -> StudioError:
    """A failed write as one line: which file, and why."""
    code = exc.errno if isinstance(exc.errno, int) else 0
    cause = _disk_problems().get(code) or (exc.strerror or str(exc) or type(exc).__name__)
    return StudioError(
        tr("cannot write {target}: {cause}.").format(target=target, cause=cause),
        tr("Free some space or choose another folder, and try again."),
    )
