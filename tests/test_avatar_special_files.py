"""A named pipe (FIFO) where a package file should be never hangs the library (issue 11 §2, §4).

Opening a FIFO for reading waits for a writer, forever: one in a library folder used to block
``avatar list``, ``find`` and the app's library page on every scan. Each call here runs in a
thread with a generous deadline; a hung reader is released afterwards so the test run goes on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from studio.avatar.library import NOT_AN_AVATAR
from studio.avatar.package import IMAGE, LANDMARKS, MANIFEST, looks_like_package
from studio.cli.main import main
from studio.errors import InputError

pytest_plugins = ["avatar_fixtures"]
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")

DEADLINE_S = 20.0  # a scan takes milliseconds; a hang never ends


def finishes(call: Callable[[], Any], fifo: Path) -> Any:
    """``call()``'s result (or the exception it raised), asserting it did not hang on ``fifo``."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = call()
        except BaseException as exc:  # handed to the test thread
            outcome["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEADLINE_S)
    if worker.is_alive():  # a reader is blocked in open(): give it a writer so the thread ends
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(DEADLINE_S)
        pytest.fail(f"blocked on the FIFO {fifo.name} for {DEADLINE_S:.0f} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def fifo_in_place_of(folder: Path, part: str) -> Path:
    path = folder / part
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("part", [MANIFEST, LANDMARKS, IMAGE])
def test_a_fifo_in_a_package_lists_it_as_damaged_and_loading_says_why(library, part):
    """The reproduction: `mkfifo LIB/X/manifest.json`, then `AvatarLibrary(LIB).names()` hung."""
    fifo = fifo_in_place_of(library.root / "Ana", part)
    assert finishes(lambda: looks_like_package(library.root / "Ana"), fifo)
    assert finishes(library.names, fifo) == ["Ana"]
    with pytest.raises(InputError) as info:
        finishes(lambda: library.load("Ana"), fifo)
    assert info.value.problem == (
        f"the avatar at {library.root / 'Ana'} is damaged ({fifo} is a named pipe (FIFO), "
        f"not a {'manifest' if part == MANIFEST else 'landmarks file' if part == LANDMARKS else 'image'})."
    )
    assert info.value.hint == "Delete it with 'studio avatar delete' and create it again."
    [listed] = finishes(library.list, fifo)
    assert listed.is_damaged and listed.source_note == f"{part} is not a regular file"
    assert finishes(lambda: library.delete("Ana"), fifo) == library.root / "Ana"
    assert library.names() == [] and not (library.root / "Ana").exists()


def test_a_folder_with_only_a_fifo_manifest_is_left_alone(library):
    folder = library.root / "Music"
    folder.mkdir()
    fifo = fifo_in_place_of(folder, MANIFEST)
    (folder / "song.mp3").write_bytes(b"ID3 mine")
    assert finishes(library.left_alone, fifo)[0].reason == NOT_AN_AVATAR
    assert finishes(library.names, fifo) == ["Ana"]
    with pytest.raises(InputError, match="not an avatar made by Studio"):
        finishes(lambda: library.find("Music"), fifo)


def test_cli_list_and_render_with_a_fifo_give_one_line_each(library, capfd):
    fifo = fifo_in_place_of(library.root / "Ana", LANDMARKS)
    lib = str(library.root)
    assert finishes(lambda: main(["avatar", "list", "--library", lib]), fifo) == 0
    out, err = capfd.readouterr()
    assert "landmarks.npy is not a regular file" in out and err == ""
    argv = ["render", "--avatar", "Ana", "--text", "Hi.", "--out", "x.mp4", "--library", lib]
    assert finishes(lambda: main(argv), fifo) == 2
    out, err = capfd.readouterr()
    assert err.count("\n") == 1 and "is a named pipe (FIFO)" in err and "Traceback" not in out + err


def test_a_writer_never_blocks_on_our_reads(library):
    """No reader is left waiting on the pipe: a writer that opens it without blocking finds none."""
    fifo = fifo_in_place_of(library.root / "Ana", MANIFEST)
    finishes(library.list, fifo)
    with pytest.raises(OSError) as info:
        os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    assert info.value.errno == errno.ENXIO
