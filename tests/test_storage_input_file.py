"""Input files are checked by stat before a byte is read: regular files only, sizes bounded."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from studio.errors import InputError
from studio.storage.input_file import MAX_TEXT_BYTES, check_input_file, read_input_bytes
from studio.storage.text_file import read_text


def test_a_huge_script_is_refused_from_its_size_alone(tmp_path: Path) -> None:
    script = tmp_path / "script.txt"
    with script.open("wb") as file:
        file.truncate(200 * 1024 * 1024)  # sparse: reading it whole would take 200 MB
    with pytest.raises(InputError, match=r"is 200\.0 MB; Studio reads at most 1\.0 MB") as caught:
        read_text(script)
    assert "Split it" in caught.value.hint


def test_a_file_at_the_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"a" * 100)
    assert read_input_bytes(path, "script", "a text file", 100) == b"a" * 100
    path.write_bytes(b"a" * 101)
    with pytest.raises(InputError, match="at most 100 bytes"):
        read_input_bytes(path, "script", "a text file", 100)
    assert MAX_TEXT_BYTES >= 1024 * 1024


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_not_read(device: str) -> None:
    with pytest.raises(InputError, match="is a device"):
        read_text(Path(device))
    with pytest.raises(InputError, match="is a device"):
        check_input_file(Path(device), "photo", "an image file", "")


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "script.txt"
    os.mkfifo(fifo)
    result: list[BaseException] = []

    def read() -> None:
        try:
            read_text(fifo)
        except InputError as exc:
            result.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(30)  # generous: blocking on open() would never return at all
    if reader.is_alive():  # let the blocked thread go before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    assert not reader.is_alive() and len(result) == 1
    assert "named pipe" in str(result[0])
    with pytest.raises(InputError, match="named pipe"):
        check_input_file(fifo, "video", "a video file", "")


def test_folders_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a photo"):
        check_input_file(tmp_path, "photo", "an image file", "")
    with pytest.raises(InputError, match="photo not found"):
        check_input_file(tmp_path / "none.jpg", "photo", "an image file", "")
    (tmp_path / "empty.jpg").write_bytes(b"")
    with pytest.raises(InputError, match="empty file"):
        check_input_file(tmp_path / "empty.jpg", "photo", "an image file", "")
    with pytest.raises(InputError, match="is a folder"):
        read_input_bytes(tmp_path, "rundown", "a text file", 10)
    (tmp_path / "big.jpg").write_bytes(b"x" * 2048)
    assert check_input_file(tmp_path / "big.jpg", "photo", "an image file", "", max_bytes=2048) == 2048
    with pytest.raises(InputError, match="Studio reads at most 1 KB"):
        check_input_file(tmp_path / "big.jpg", "photo", "an image file", "", max_bytes=1024)
