"""Write files and folders so that readers only ever see complete ones.

A temporary sibling is written, flushed, and renamed over the target with
``os.replace``, which is atomic on POSIX and Windows on the same volume.
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


def partial_path(target: Path, suffix: str = "") -> Path:
    """Create an empty, private temporary file beside ``target`` (``.NAME.XXXX.partial<suffix>``),
    on the same volume so that it can be renamed over ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=f".partial{suffix}", dir=target.parent)
    os.close(fd)
    return Path(tmp_name)


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
    tmp = partial_path(target, suffix)
    try:
        yield tmp
        commit_file(tmp, target, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
