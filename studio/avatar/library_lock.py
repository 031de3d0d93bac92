"""One writer at a time in an avatar library, across threads and processes.

Two creates of "Mia" and "mia" racing on a case-sensitive file system would both pass a
"no such name" check and both write their folder. Holding this lock from the check until
the package's folder is in place makes the check and the write one step.

On POSIX the lock is ``flock`` on the library folder itself (no file is left behind; the
kernel releases it when the holder dies, so a crash cannot leave the library locked). Each
call opens the folder anew, so threads of one process exclude each other too. On Windows a
hidden ``.lock`` file in the library is locked instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from studio.avatar.package import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE
from studio.errors import InputError
from studio.translation import tr


def ensure_library_folder(root: Path) -> None:
    """Create ``root`` (private to its user) if it does not exist. Raises ``OSError``."""
    root = Path(root)
    if root.is_dir():
        return
    root.parent.mkdir(parents=True, exist_ok=True)
    try:
        root.mkdir(mode=PRIVATE_DIR_MODE)
    except FileExistsError:
        if not root.is_dir():  # a file where the library should be, not a folder made meanwhile
            raise


@contextlib.contextmanager
def library_lock(root: Path) -> Iterator[None]:
    """Hold the library's write lock (waiting for it); ``root`` must exist. Raises
    ``InputError`` if the lock cannot be taken."""
    try:
        fd = _acquire(Path(root))
    except OSError as exc:
        raise InputError(
            tr("could not lock the avatar library {root} ({reason}).").format(
                root=root, reason=exc.strerror or exc
            ),
            tr("Check the folder's permissions and retry."),
        ) from exc
    try:
        yield
    finally:
        _release(fd)


def _acquire(root: Path) -> int:
    if sys.platform == "win32":
        import msvcrt

        fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then OSError
        except OSError:
            os.close(fd)
            raise
        return fd
    import fcntl

    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
    except OSError:
        os.close(fd)
        raise
    return fd


def _release(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    os.close(fd)  # on POSIX, closing the only descriptor releases the flock
