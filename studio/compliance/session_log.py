"""A show's session log: what was said and when, by which voice, and what the show was under.

Every show (``studio live``, the app's live page, ``studio render``) writes one JSON object per
line: a record has a ``type`` (``RECORD_TYPES``), a wall-clock time ``t`` (UTC) and, when it
happened on the show clock, ``pts_s``. The log holds no biometric data: no audio, no landmarks,
no images, and not the consenting person's name, only the avatar's.

Built for being killed and for running for days:

* workers only ``record()``: a dict put on a bounded queue (no I/O, no formatting, no lock held
  for long), so the render and audio threads never wait for the disk; a full queue drops the
  record and counts it (``log_dropped`` is written once the writer catches up);
* one writer thread appends each line and flushes it, so a kill leaves every line written so far
  valid (at worst the last one cut, which ``studio report`` tolerates and says);
* a line never exceeds ``MAX_LINE_BYTES`` (long texts are cut and marked ``"cut": true``), a part
  never exceeds ``part_bytes``; the next part (``NAME.2.jsonl``, ``NAME.3.jsonl``…) starts with
  the show's header again (and the consent, label and override records, ``STICKY``, up to a
  quarter of a part), and only the newest ``parts_kept`` parts are kept;
* a disk that fills up stops the log, never the show (``problem`` says why).
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import queue
import re
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from studio.errors import InputError, one_line
from studio.translation import tr

LOG_VERSION = 1
LOG_SUFFIX = ".jsonl"
SESSIONS_ENV = "STUDIO_SESSION_LOGS"  # a folder that replaces the default one (tests, portable use)
MAX_LINE_BYTES = 4096
PART_BYTES = 4 * 2**20
PARTS_KEPT = 8  # so one show's log is at most 32 MB, however long it runs
_QUEUE = 10_000  # records waiting for the writer; a show makes a few a second
_TEXT_CUT = 1000  # characters kept of a text that makes a line too long

# The record types. Each is a dict with these keys besides "type", "t" and "seq"; issue-specific
# features add types of their own (``studio report`` shows what it knows and counts the rest).
SHOW = "show"  # kind ("live", "render"), show, avatar, driven_by, part, log_version
CONSENT = "consent"  # avatar, use, scope, voices, expires, ok
LABEL = "label"  # visible, text, corner
UNLABELLED = "unlabelled_ack"  # by, outputs: the visible label is off for a stream or a camera
OVERRIDE = "override"  # rule, text, by, at, reason, segment: a claim let through on purpose
SAID = "said"  # kind, text, voice, pts_s, segment, overrides
BLOCKED = "blocked"  # text, rules, pts_s: a line the claims checker kept from being said
OUTPUT = "output"  # name, event (started, stopped, state), target, state, implicit_label, frames…
WARNING = "warning"  # message
FRAMES = "frames"  # pts_s, frames, late, skipped: the engine's count, every few seconds
END = "end"  # pts_s, reason
DROPPED = "log_dropped"  # count: records the writer could not keep up with
# Written again at the top of each new part, so any part alone says what the show was under.
STICKY = (CONSENT, LABEL, UNLABELLED, OVERRIDE)
RECORD_TYPES = (
    SHOW,
    CONSENT,
    LABEL,
    UNLABELLED,
    OVERRIDE,
    SAID,
    BLOCKED,
    OUTPUT,
    WARNING,
    FRAMES,
    END,
    DROPPED,
)

_STOP = object()
_COMPACT = (",", ":")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def default_log_dir() -> Path:
    """Where session logs go: ``$STUDIO_SESSION_LOGS``, else ``sessions`` in Studio's data folder
    (next to the avatar library)."""
    override = os.environ.get(SESSIONS_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("Studio", appauthor=False)) / "sessions"


def part_path(first: Path, part: int) -> Path:
    """Part ``part`` (1-based) of the log whose first part is ``first``."""
    if part == 1:
        return first
    return first.with_name(f"{first.name[: -len(LOG_SUFFIX)]}.{part}{LOG_SUFFIX}")


def iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def bounded_line(record: dict[str, Any], limit: int = MAX_LINE_BYTES) -> str:
    """``record`` as one JSON line of at most ``limit`` bytes: long texts are cut (and the record
    marked ``"cut": true``); a record that still does not fit keeps only its type and time."""
    line = json.dumps(record, ensure_ascii=False, default=str, separators=_COMPACT)
    if len(line.encode("utf-8")) <= limit:
        return line
    cut = {k: _cut(v) for k, v in record.items()}
    cut["cut"] = True
    line = json.dumps(cut, ensure_ascii=False, default=str, separators=_COMPACT)
    if len(line.encode("utf-8")) <= limit:
        return line
    keep = {k: record[k] for k in ("type", "t", "seq", "pts_s") if k in record}
    return json.dumps({**keep, "cut": True}, ensure_ascii=False, separators=_COMPACT)


def _cut(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _TEXT_CUT:
        return value[: _TEXT_CUT - 1] + "…"
    if isinstance(value, list) and len(value) > 20:
        return [_cut(v) for v in value[:20]]
    if isinstance(value, list):
        return [_cut(v) for v in value]
    return value


class SessionLog:
    """One show's log. ``open()``, then ``record()`` from any thread, then ``close()``."""

    def __init__(
        self,
        folder: Path,
        kind: str,
        show: str,
        avatar: str,
        *,
        part_bytes: int = PART_BYTES,
        parts_kept: int = PARTS_KEPT,
        now: float | None = None,
        queue_size: int = _QUEUE,
    ) -> None:
        if part_bytes < 4 * MAX_LINE_BYTES or parts_kept < 1:
            raise ValueError("a log part must hold a few lines, and at least one part is kept")
        self.folder = Path(folder)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(now))
        self.name = f"{stamp}-{_UNSAFE.sub('-', avatar).strip('-')[:40] or 'show'}"
        self.path = self.folder / f"{self.name}{LOG_SUFFIX}"  # the first part
        self._header = {"kind": kind, "show": show, "avatar": avatar, "log_version": LOG_VERSION}
        self._part_bytes, self._parts_kept = part_bytes, parts_kept
        self._queue: queue.Queue[object] = queue.Queue(queue_size)
        self._dropped = 0
        self._seq = 0
        self._part = 0
        self._size = 0
        self._file: io.FileIO | None = None  # unbuffered: a line is on disk once written
        self._sticky: list[bytes] = []
        self._sticky_bytes = 0
        self._thread: threading.Thread | None = None
        self.problem: str | None = None  # why the log stopped being written, if it did

    @property
    def is_open(self) -> bool:
        return self._thread is not None

    @property
    def parts(self) -> list[Path]:
        """The log's parts on disk, oldest first."""
        return [p for k in range(1, self._part + 1) if (p := part_path(self.path, k)).exists()]

    def open(self) -> SessionLog:
        """Make the folder and the first part (``InputError`` if it cannot), start the writer."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Two shows started in the same second (batch workers, say) want the same name: the
            # first part is created exclusively, so exactly one gets each name and the other
            # takes the next, with no window between looking and creating.
            for n in range(1, 100):
                if n > 1:
                    self.path = self.folder / f"{self.name}-{n}{LOG_SUFFIX}"
                try:
                    self._next_part()
                    break
                except FileExistsError:
                    self._part = 0
            else:
                raise FileExistsError(errno.EEXIST, "99 logs were started in this second", str(self.path))
        except OSError as exc:
            raise InputError(
                tr("cannot write the session log in {folder} ({reason}).").format(
                    folder=self.folder, reason=exc.strerror or exc
                ),
                tr("Free some space or make the folder writable (or set {env} to another folder).").format(
                    env=SESSIONS_ENV
                ),
            ) from None
        self._thread = threading.Thread(target=self._write_all, name="studio-session-log", daemon=True)
        self._thread.start()
        return self

    def record(self, type_: str, **fields: Any) -> None:
        """Log a record now. Cheap enough for any thread: no I/O and no waiting."""
        try:
            self._queue.put_nowait((time.time(), type_, fields))
        except queue.Full:
            self._dropped += 1  # one writer, and a count read only by it: a lost increment is harmless

    def close(self, reason: str = "stopped", pts_s: float | None = None) -> None:
        """Write the ``end`` record and everything queued before it, then close the file."""
        if self._thread is None:
            return
        self.record(END, reason=reason, **({} if pts_s is None else {"pts_s": round(pts_s, 3)}))
        self._queue.put(_STOP)
        self._thread.join()
        self._thread = None

    # -- the writer thread -------------------------------------------------------------------
    def _write_all(self) -> None:
        try:
            while True:
                item = self._queue.get()
                if item is _STOP:
                    return
                if self.problem is not None:
                    continue  # the disk refused a line: the show goes on without its log
                if self._dropped:
                    dropped, self._dropped = self._dropped, 0
                    self._write(time.time(), DROPPED, {"count": dropped})
                assert isinstance(item, tuple)
                self._write(*item)
        finally:
            if self._file is not None:
                with contextlib.suppress(OSError):
                    self._file.close()
                self._file = None

    def _write(self, wall: float, type_: str, fields: dict[str, Any]) -> None:
        self._seq += 1
        line = (bounded_line({"type": type_, "t": iso(wall), "seq": self._seq, **fields}) + "\n").encode()
        try:
            if self._size + len(line) > self._part_bytes:
                self._next_part()
            self._append(line)
            if type_ in STICKY and self._sticky_bytes + len(line) <= self._part_bytes // 4:
                self._sticky.append(line)
                self._sticky_bytes += len(line)
        except OSError as exc:
            self.problem = tr("the session log {path} stopped at line {line}: {reason}").format(
                path=self.path, line=self._seq, reason=one_line(exc)
            )
            if self._file is not None:  # a line half written (the disk filled up) is taken back
                with contextlib.suppress(OSError):
                    self._file.truncate(self._size)

    def _append(self, data: bytes) -> None:
        assert self._file is not None
        view = memoryview(data)
        while view:
            view = view[self._file.write(view) or 0 :]  # a full disk may take only part of it
        self._size += len(data)

    def _next_part(self) -> None:
        """Close the current part, start the next with the show's header, drop the oldest."""
        if self._file is not None:
            self._file.close()
            self._file = None  # the next part may not open (the folder went away): none to take back
        self._part += 1
        path = part_path(self.path, self._part)
        self._file = io.FileIO(path, "x")
        self._size = 0
        header = {"type": SHOW, "t": iso(time.time()), "seq": self._seq, **self._header, "part": self._part}
        self._append((bounded_line(header) + "\n").encode() + b"".join(self._sticky))
        old = self._part - self._parts_kept
        if old >= 1:
            with contextlib.suppress(FileNotFoundError):
                part_path(self.path, old).unlink()
