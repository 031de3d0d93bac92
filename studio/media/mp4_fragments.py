"""Recordings that survive any end: fragmented MP4 files, and what a crash left behind.

A live recording is a fragmented MP4: an ``ftyp``, a ``moov`` that describes the tracks, then
one ``moof`` + ``mdat`` pair per fragment (at most 2 s, each starting on a keyframe). Every
complete fragment plays, so whatever ends the show (Ctrl-C, SIGTERM, SIGKILL, a power cut, a
full disk) the file holds the show up to its last complete fragment. A fragment cut off
mid-write is trimmed away, so players never meet half a box.

The file is written at the target itself when no file is there, so a killed show leaves its
recording where the user asked for it. When a file is there already, the new recording is
written to a hidden sibling (``.NAME.XXXX.partial.mp4``) and replaces the older file only at
the end; a sibling that a kill left behind is recovered under a free name on the next start.
Writers hold an exclusive lock on their file, so recovery never touches a file in use.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from studio.storage.atomic import commit_file, locked_partial, partials_of, try_lock
from studio.translation import tr, tr_n

__all__ = ["LiveFile", "fragments_end", "live_file", "recover_partials", "trim_to_fragments"]

_HEADER = 8


def _boxes(fh: BinaryIO, size: int) -> Iterator[tuple[str, int, int]]:
    """(type, start, end) of each top-level box that lies wholly in the first ``size`` bytes."""
    offset = 0
    while offset + _HEADER <= size:
        fh.seek(offset)
        head = fh.read(_HEADER)
        length, kind = int.from_bytes(head[:4], "big"), head[4:8].decode("latin-1")
        if length == 1:  # a 64-bit size follows the type
            length = int.from_bytes(fh.read(8), "big")
        if length < _HEADER or offset + length > size:
            return  # 0 (up to the end, still being written), corrupt, or cut off
        yield kind, offset, offset + length
        offset += length


def fragments_end(path: Path) -> tuple[int, int]:
    """(bytes, fragments): where the last complete fragment of a fragmented MP4 ends, and how
    many complete fragments come before it. (0, 0) when the file has none (an ordinary MP4
    still being written, an empty file, anything else)."""
    with open(path, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        end = count = 0
        seen_moov = in_fragment = False
        for kind, _start, stop in _boxes(fh, size):
            if kind == "moov":
                seen_moov = True
            elif kind == "moof" and seen_moov:
                in_fragment = True
            elif kind == "mdat" and in_fragment:
                in_fragment = False
                end, count = stop, count + 1
            elif count and not in_fragment:
                end = stop  # a complete box after the fragments (the index, padding) is kept
    return end, count


def trim_to_fragments(path: Path) -> int:
    """Cut ``path`` after its last complete fragment; the number of fragments it keeps."""
    end, count = fragments_end(path)
    if count and os.path.getsize(path) > end:
        os.truncate(path, end)
    return count


class _Syncer:
    """fsyncs a file on its own thread when asked, so a slow disk (an fsync can take 100-500 ms)
    never holds up the thread that writes the recording. One fsync at a time; requests made
    while one runs become one more. A kill needs no fsync (the kernel has the data); only a
    power cut does, so losing a request to a crash costs nothing else."""

    def __init__(self, fd: int, name: str) -> None:
        self._fd = fd
        self._wanted = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=f"fsync({name})", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        """Wait for an fsync under way, and end the thread; the file may be closed after this."""
        self._stopping = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping:
                return
            with contextlib.suppress(OSError):
                os.fsync(self._fd)  # a disk error shows in the writes and in the final fsync


class LiveFile:
    """The file a fragmented recording is being written to. ``sync_soon()`` asks for what the
    muxer has written so far to be made durable (a power cut keeps it) without waiting for the
    disk; ``sync()`` waits."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        self.in_place = False
        self.path = self.target
        self.fragments = 0  # complete fragments kept when the recording ended early
        self._fd = -1
        self._syncer: _Syncer | None = None

    def open(self) -> None:
        try:
            os.close(os.open(self.target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
            self.in_place = True
            self._fd = try_lock(self.path)
        except FileExistsError:
            self.path, self._fd = locked_partial(self.target, ".mp4")
        self._syncer = _Syncer(self._fd, self.target.name)

    def sync_soon(self) -> None:
        if self._syncer is not None:
            self._syncer.request()

    def sync(self) -> None:
        """Make the file durable now, once the writing is over (no background fsync after it)."""
        self._stop_syncer()  # never two fsyncs at once
        if self._fd >= 0:
            os.fsync(self._fd)

    def finish(self) -> None:
        """The recording ended normally: make it durable under the target's name."""
        self._stop_syncer()
        try:
            if self.in_place:
                self.sync()
            else:
                commit_file(self.path, self.target)
        finally:
            self._unlock()

    def keep(self) -> None:
        """The recording ended early: keep its complete fragments under the target's name, or
        remove the file when it holds none (the older file at the target then stays)."""
        self._stop_syncer()
        try:
            self.fragments = trim_to_fragments(self.path)
            if not self.fragments:
                self.path.unlink(missing_ok=True)
            elif self.in_place:
                self.sync()
            else:
                commit_file(self.path, self.target)
        except OSError:
            pass  # left as it is: the next start recovers it
        finally:
            self._unlock()

    def _stop_syncer(self) -> None:
        syncer, self._syncer = self._syncer, None
        if syncer is not None:
            syncer.stop()

    def _unlock(self) -> None:
        self._stop_syncer()  # before the file it syncs is closed
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


@contextlib.contextmanager
def live_file(target: Path) -> Iterator[LiveFile]:
    """A ``LiveFile`` for ``target``: finished on success, kept as far as it got on any
    exception (KeyboardInterrupt included)."""
    live = LiveFile(target)
    live.open()
    try:
        yield live
    except BaseException:
        live.keep()
        raise
    live.finish()


def _free_name(target: Path, when: float) -> Path:
    stamp = datetime.fromtimestamp(when).strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        extra = "" if n == 1 else f"-{n}"
        candidate = target.with_name(f"{target.stem}-recovered-{stamp}{extra}{target.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(target)


def recover_partials(target: Path) -> str | None:
    """Deal with what an earlier crash left beside ``target``: a fragmented recording that plays
    is trimmed and renamed to a free name, anything else (a render cut off, an empty file) is
    removed. Files another writer has locked are left alone. One line saying which, or None."""
    recovered: list[str] = []
    removed = 0
    for path in partials_of(target, ".mp4"):
        try:
            lock = try_lock(path)  # held while it is dealt with, so no writer starts on it
        except OSError:
            continue  # a writer holds it (a show or a render under way), or it cannot be opened
        try:
            if trim_to_fragments(path):
                new = _free_name(Path(target), path.stat().st_mtime)
                os.rename(path, new)
                recovered.append(new.name)
            else:
                path.unlink()
                removed += 1
        except OSError:
            continue  # not ours to fix now: it stays for the next start
        finally:
            os.close(lock)
    name, said = Path(target).name, []
    if recovered:
        said.append(
            tr("an earlier recording to {name} was cut off; it is kept as {kept}").format(
                name=name, kept=", ".join(recovered)
            )
        )
    if removed:
        said.append(
            tr_n(
                "removed {n} unfinished file an earlier crash left beside {name}",
                "removed {n} unfinished files an earlier crash left beside {name}",
                removed,
            ).format(n=removed, name=name)
        )
    if len(said) == 2:
        return tr("{first}; {second}.").format(first=said[0], second=said[1])
    return tr("{sentence}.").format(sentence=said[0]) if said else None
