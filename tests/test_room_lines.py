"""Scripted comments: a stream read to its end, and a file followed as lines are appended."""

from __future__ import annotations

import io
import queue
from pathlib import Path

import pytest

from studio.errors import InputError
from studio.room import Comment, FileTail, LineSource
from studio.room.lines import MAX_LINE_BYTES


def test_a_stream_gives_one_comment_a_line_and_skips_blank_ones() -> None:
    got: list[Comment] = []
    source = LineSource(io.StringIO("ann: how much is it?\n\n   \nis it microwave safe?\n"))
    source.start(got.append)
    source.join(timeout=10)
    source.stop()
    assert [(c.user, c.text, c.source) for c in got] == [
        ("ann", "how much is it?", "stdin"),
        ("viewer", "is it microwave safe?", "stdin"),
    ]


def test_a_followed_file_gives_the_lines_appended_after_it_started(tmp_path: Path) -> None:
    path = tmp_path / "comments.txt"
    path.write_text("old: said before the show\n", encoding="utf-8")
    got: queue.Queue[Comment] = queue.Queue()
    tail = FileTail(path, poll_s=0.02)
    tail.start(got.put)
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write("ann: how much")
            stream.flush()
            stream.write(" is it?\nbob: 可以放微波炉吗？\n")
        first, second = got.get(timeout=10), got.get(timeout=10)
        assert (first.user, first.text) == ("ann", "how much is it?")
        assert (second.user, second.text, second.source) == ("bob", "可以放微波炉吗？", "file")
        path.write_text("cy: a new file\n", encoding="utf-8")  # truncated and written again: from its top
        assert got.get(timeout=10).text == "a new file"
        with path.open("ab") as binary:
            binary.write(b"z" * (MAX_LINE_BYTES * 3) + b"\ndan: after it\n")  # a line past the bound is cut
        assert set(got.get(timeout=10).text) == {"z"}
        assert got.get(timeout=10).text == "after it"
    finally:
        tail.stop()
    assert got.empty()


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a file"):
        FileTail(tmp_path / "nothing.txt")
