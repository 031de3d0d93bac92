"""Comments from a stream or a file, one a line (``user: text`` or just ``text``), for scripting.

``LineSource(stream)`` reads a text stream (stdin) until it ends; ``FileTail(path)`` follows a file
as another program appends to it (as ``tail -f`` does, from its current end unless ``from_start``),
and starts again from the top when it is replaced or truncated. A line longer than
``MAX_LINE_BYTES`` is cut, so a file without newlines cannot grow memory.
"""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path
from typing import IO

from studio.errors import InputError
from studio.room.comments import Deliver, parse_line
from studio.translation import tr

MAX_LINE_BYTES = 4096
POLL_S = 0.2  # how often a followed file is looked at for new lines


class LineSource:
    """Comments from ``stream``, one a line, delivered from a reader thread until the stream ends
    or ``stop()``. (A stream blocked in a read, such as a terminal, is left to its reader thread,
    which is a daemon: ``stop`` does not wait for a line that may never come.)"""

    def __init__(self, stream: IO[str], name: str = "stdin") -> None:
        self.name = name
        self._stream = stream
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.count = 0

    def start(self, deliver: Deliver) -> None:
        def run() -> None:
            while not self._stop.is_set():
                line = self._stream.readline(MAX_LINE_BYTES)
                if not line:
                    return
                comment = parse_line(line, self.name)
                if comment is not None and not self._stop.is_set():
                    self.count += 1
                    deliver(comment)

        self._thread = threading.Thread(target=run, name=f"studio-room-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        """Wait for the stream to end (a scripted run reads all its comments)."""
        if self._thread is not None:
            self._thread.join(timeout)


class FileTail:
    """Comments appended to ``path``, followed until ``stop()``."""

    def __init__(self, path: Path, from_start: bool = False, poll_s: float = POLL_S) -> None:
        self.name = "file"
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(
                tr("{path} is not a file.").format(path=self.path),
                tr("Give a text file that comments are appended to."),
            )
        self._from_start, self._poll = from_start, poll_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.count = 0

    def start(self, deliver: Deliver) -> None:
        """Follow from the file's end now (its top with ``from_start``): a line appended once this
        returns is delivered."""
        try:
            stat = os.stat(self.path)
        except OSError as exc:
            raise InputError(
                tr("cannot read {path} ({reason}).").format(path=self.path, reason=exc.strerror or exc),
                tr("Check the file."),
            ) from None
        start = (stat.st_ino, 0 if self._from_start else stat.st_size)
        self._thread = threading.Thread(target=self._follow, args=(deliver, start), name="studio-room-file")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _follow(self, deliver: Deliver, start: tuple[int, int]) -> None:
        stream: io.BufferedReader | None = None
        (inode, position), partial = start, b""
        while not self._stop.is_set():
            try:
                stat = os.stat(self.path)
                if stream is None or stat.st_ino != inode or stat.st_size < position:
                    if stream is not None:  # replaced or truncated: read it from its top
                        stream.close()
                        position = 0
                    if stat.st_ino != inode or stat.st_size < position:
                        position = 0
                    stream = open(self.path, "rb")  # noqa: SIM115 - held across polls, closed below
                    inode, partial = stat.st_ino, b""
                    stream.seek(position)
                chunk = stream.read(64 * 1024)
            except OSError:
                chunk = b""  # the file is being replaced: look again at the next poll
            if not chunk:
                self._stop.wait(self._poll)
                continue
            position += len(chunk)
            *lines, partial = (partial + chunk).split(b"\n")
            partial = partial[-MAX_LINE_BYTES:]
            for raw in lines:
                comment = parse_line(raw[:MAX_LINE_BYTES].decode("utf-8", "replace"), self.name)
                if comment is not None:
                    self.count += 1
                    deliver(comment)
        if stream is not None:
            stream.close()
