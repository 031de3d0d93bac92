"""Library thumbnails are read only from regular files of a package's size."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from studio.avatar.library import demo_package_path
from studio.ui.library_thumbs import read_scaled


def test_a_package_picture_is_read_and_scaled(qapp: object) -> None:
    image = read_scaled(demo_package_path() / "image.png", side=128)
    assert not image.isNull() and max(image.width(), image.height()) == 128


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_in_place_of_the_picture_does_not_block_the_worker(qapp: object, tmp_path: Path) -> None:
    fifo = tmp_path / "image.png"
    os.mkfifo(fifo)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(read_scaled(fifo)), daemon=True)
    reader.start()
    reader.join(20)  # generous: it returns at once, or never (an open() blocking on the FIFO)
    if reader.is_alive():  # release the stuck reader so the test run goes on
        with open(fifo, "wb"):
            pass
    assert result and result[0].isNull()  # type: ignore[attr-defined]
