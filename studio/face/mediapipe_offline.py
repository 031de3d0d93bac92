"""Keep MediaPipe's usage statistics on this machine.

Found with ``strace -f -k -e trace=connect`` on ``studio avatar create``: the MediaPipe Tasks
library (``libmediapipe.so``, mediapipe 1.2) builds a ``TasksStatsProtoLogger`` in every
``TaskRunner::Create``. It posts task names, timings and system details through a statically
linked libcurl on its own thread to ``https://play.googleapis.com/log``, and so resolves that
name over DNS while a face is found. There is no switch: ``CreateTasksLogger`` always builds the
HTTP client (disassembled), ``BaseOptions`` has no option for it, and clearing the CA bundle
path or the host fields changes nothing. A proxy variable would stop it too, but it is
process-wide and would also redirect the online voices, which honour proxy settings.

So the guard is precise instead: before the first task is made, the endpoint constant
(``kHttpLoggingUrl``, a NUL-terminated string in the library's read-only data) is overwritten
in this process's memory with a URL of a scheme libcurl does not know. Each upload then fails
inside libcurl's URL parser, before any name lookup or socket, proxy or not. The file on disk
is untouched (the page is copy-on-write). The bytes are found in the library file, located in
memory through ``/proc/self/maps`` and compared before anything is written; if any step does
not match (another MediaPipe build, another OS) nothing is written and the reason is returned,
and the network-trace test (``tests/test_offline_network.py``) fails, as it should.
"""

from __future__ import annotations

import ctypes
import functools
import mmap
import os
import sys
from dataclasses import dataclass
from pathlib import Path

ENDPOINT = b"https://play.googleapis.com/log\0"
# Same length; libcurl stops at the first NUL, and rejects the scheme without resolving anything.
REPLACEMENT = b"studio-offline:".ljust(len(ENDPOINT), b"\0")

# Linux's PROT_* values, spelt out: Windows' mmap module has none and this module must import there.
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
_PROT = {"r": PROT_READ, "w": PROT_WRITE, "x": PROT_EXEC}


@dataclass(frozen=True)
class Mapping:
    start: int
    end: int
    perms: str
    offset: int
    path: str

    @property
    def prot(self) -> int:
        return sum(bit for flag, bit in _PROT.items() if flag in self.perms)


def parse_maps(text: str) -> list[Mapping]:
    """The file-backed lines of ``/proc/<pid>/maps``."""
    found = []
    for line in text.splitlines():
        parts = line.split(maxsplit=5)
        if len(parts) < 6 or not parts[5].startswith("/"):
            continue
        lo, hi = (int(x, 16) for x in parts[0].split("-"))
        found.append(Mapping(lo, hi, parts[1], int(parts[2], 16), parts[5].strip()))
    return found


def find_once(path: Path, needle: bytes) -> int | None:
    """The file offset of the only occurrence of ``needle``; None if absent or repeated.
    Searched through mmap, so a 130 MB library is paged in, not copied."""
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        at = mm.find(needle)
        if at < 0 or mm.find(needle, at + 1) >= 0:
            return None
        return at


def address_of(maps: list[Mapping], path: Path, file_offset: int) -> Mapping | None:
    """The mapping of ``path`` that holds ``file_offset``."""
    real = os.path.realpath(path)
    for m in maps:
        if m.offset <= file_offset < m.offset + (m.end - m.start) and os.path.realpath(m.path) == real:
            return m
    return None


@functools.cache  # the library stays loaded, and so patched, for the life of the process
def silence_usage_upload() -> str | None:
    """Point MediaPipe's usage-statistics upload at nowhere. None when done (or already done),
    else why not. Call before the first MediaPipe task is created; calling it again is harmless
    (it finds the replacement already there)."""
    if not sys.platform.startswith("linux"):
        return "the guard reads /proc/self/maps, which only Linux has"
    from mediapipe.tasks.python.core import mediapipe_c_bindings

    library = Path(mediapipe_c_bindings.load_raw_library()._name)
    try:
        offset = find_once(library, ENDPOINT)
        maps = parse_maps(Path("/proc/self/maps").read_text())
    except (OSError, ValueError) as exc:
        return f"{library.name} could not be inspected ({exc})"
    if offset is None:
        return f"the upload address was not found exactly once in {library.name}"
    mapping = address_of(maps, library, offset)
    if mapping is None:
        return f"{library.name} is not mapped where expected"
    address = mapping.start + offset - mapping.offset
    current = ctypes.string_at(address, len(ENDPOINT))
    if current == REPLACEMENT:
        return None
    if current != ENDPOINT:
        return "the upload address in memory differs from the library file"
    if not _write(address, REPLACEMENT, mapping.prot):
        return "the page holding the upload address could not be made writable"
    return None


def _write(address: int, data: bytes, prot: int) -> bool:
    """Write ``data`` over read-only (data) pages, restoring their protection after."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    page = mmap.PAGESIZE
    start = address - address % page
    length = -(-(address + len(data) - start) // page) * page
    if libc.mprotect(start, length, PROT_READ | PROT_WRITE) != 0:
        return False
    try:
        ctypes.memmove(address, data, len(data))
    finally:
        # The page holds constants, not code: if the original (r-x) protection cannot come
        # back on a modified page (an SELinux execmod policy), read-only is all it needs.
        if libc.mprotect(start, length, prot) != 0:
            libc.mprotect(start, length, PROT_READ)
    return True
