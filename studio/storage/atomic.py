"""Write files and folders so that readers only ever see complete ones.

A temporary sibling is written, flushed, and renamed over the target with
``os.replace``, which is atomic on POSIX and Windows on the same volume. The writer holds an
exclusive lock on its temporary file while it writes, so that a second writer's clean-up of
what a crash left (``studio.media.mp4_fragments.recover_partials``) never removes a file in use.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: a file open for writing cannot be renamed or removed anyway
    fcntl = None  # type: ignore[assignment]


def _current_umask() -> int:
    # os.umask can only be read by setting it; done once, at import, before any worker thread.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _fsync_dir(path: Path) -> None:
    # Windows cannot open a directory for fsync; the rename is durable enough there.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_partial(target: Path, suffix: str) -> tuple[Path, int]:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".partial{suffix}", dir=target.parent)
    return Path(tmp_name), fd


def partial_path(target: Path, suffix: str = "") -> Path:
    """Create an empty, private temporary file beside ``target`` (``.NAME.XXXX.partial<suffix>``),
    on the same volume so that it can be renamed over ``target``."""
    path, fd = _new_partial(Path(target), suffix)
    os.close(fd)
    return path


def try_lock(path: Path) -> int:
    """An fd of ``path`` holding its exclusive lock; ``BlockingIOError`` when a writer holds it
    (another process, or another open of it in this one). Close the fd to let go."""
    fd = os.open(path, os.O_RDWR)
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise
    return fd


def locked_partial(target: Path, suffix: str = "") -> tuple[Path, int]:
    """``partial_path``, with an fd that holds its exclusive lock from the start (close it to let
    go). A clean-up that took the new file for a crash's leftover in the instant before the
    lock (it locks what it removes) only makes this try another name."""
    target = Path(target)
    while True:
        path, fd = _new_partial(target, suffix)
        if fcntl is None:
            return path, fd
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits out a clean-up that holds it
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return path, fd
        except FileNotFoundError:
            pass  # removed before the lock: this fd is of a file nobody can see
        os.close(fd)


def partials_of(target: Path, suffix: str = "") -> list[Path]:
    """The temporary files ``partial_path`` made for ``target`` that are still there (after a
    crash or a kill, or while a writer is at work)."""
    target = Path(target)
    pattern = f".{glob.escape(target.name)}.*.partial{glob.escape(suffix)}"
    return sorted(p for p in target.parent.glob(pattern) if p.is_file())


def commit_file(tmp: Path, target: Path, mode: int = 0o644) -> None:
    """Make the finished ``tmp`` durable and rename it over ``target``."""
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.chmod(tmp, mode & ~_UMASK)
    os.replace(tmp, target)
    _fsync_dir(target.parent)


@contextlib.contextmanager
def atomic_file(target: Path, suffix: str = "", mode: int = 0o644) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``.

    On any exception (KeyboardInterrupt included) the temporary file is removed
    and ``target`` is left as it was. ``suffix`` keeps an extension that a writer
    uses to pick its format (e.g. ``.mp4``). ``mode`` is the finished file's permission
    (the temporary file is private while it is written), less the user's umask, as for any
    new file.
    """
    target = Path(target)
    tmp, lock = locked_partial(target, suffix)
    if fcntl is None:  # no lock there, and an open file could not be renamed
        os.close(lock)
        lock = -1
    try:
        yield tmp
        commit_file(tmp, target, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        if lock >= 0:
            os.close(lock)  # after the rename or the removal: never unlocked while it is a partial


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_file(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_json(target: Path, obj: Any) -> None:
    atomic_write_bytes(target, (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


@contextlib.contextmanager
def atomic_dir(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it becomes ``target``.

    ``target`` must not exist yet: folders are created, never overwritten, so an
    existing package cannot be half-replaced.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        yield tmp
        for path in tmp.rglob("*"):
            if path.is_file():
                with open(path, "rb") as fh:
                    os.fsync(fh.fileno())
        os.rename(tmp, target)
        _fsync_dir(target.parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
