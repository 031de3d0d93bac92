"""Fragmented recordings cut off anywhere: trimmed to their last whole fragment, and what a
crash left beside a target recovered (or removed) at the next start, with one line saying so.
Also: the file's metadata names the avatar, not the consenting person, unless asked."""

from __future__ import annotations

import os
import threading
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.media.encoder import Mp4Writer
from studio.media.mp4_fragments import fragments_end, recover_partials, trim_to_fragments
from studio.pipeline.render_job import output_metadata
from studio.storage.atomic import try_lock

W, H, FPS = 160, 96, Fraction(30)


def record(path: Path, frames: int) -> None:
    """A fragmented file of ``frames`` noisy frames (a keyframe, so a fragment, every 2 s)."""
    rng = np.random.default_rng(1)
    with Mp4Writer(path, W, H, FPS, fragmented=True) as writer:
        for i in range(frames):
            writer.write_audio(rng.uniform(-0.3, 0.3, 1600).astype(np.float32), i * 1600)
            writer.write_video(rng.integers(0, 255, (H, W, 3), dtype=np.uint8), i)


def decoded(path: Path) -> int:
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("rec") / "show.mp4"
    record(path, 150)  # 5 s: fragments at 0, 2 and 4 s
    return path


def test_a_file_cut_mid_fragment_is_trimmed_to_the_fragments_before(finished: Path, tmp_path: Path) -> None:
    end, count = fragments_end(finished)
    assert (end, count) == (finished.stat().st_size, 3), "a finished file is all whole boxes"
    data = finished.read_bytes()
    second_end = fragments_end_of_prefix(data, tmp_path, 2)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: second_end + 5000])  # a kill in the middle of writing the third
    assert trim_to_fragments(cut) == 2
    assert cut.stat().st_size == second_end
    # Two whole fragments (keyframes at most 2 s apart, x264 may put one sooner), all decoded.
    assert 60 < decoded(cut) <= 120 and decoded(cut) == frames_before(finished, second_end)


def frames_before(path: Path, offset: int) -> int:
    """Video frames whose data lies before byte ``offset`` of ``path``."""
    with av.open(str(path)) as container:
        return sum(1 for p in container.demux(video=0) if p.size and p.pos is not None and p.pos < offset)


def fragments_end_of_prefix(data: bytes, tmp_path: Path, wanted: int) -> int:
    """Where fragment number ``wanted`` ends, found by growing a prefix of the file."""
    probe = tmp_path / "probe.mp4"
    for size in range(len(data) // 4, len(data), 2000):
        probe.write_bytes(data[:size])
        end, count = fragments_end(probe)
        if count == wanted:
            probe.unlink()
            return end
    raise AssertionError("fragment not found")


def test_leftovers_are_recovered_or_removed_and_one_line_says_which(finished: Path, tmp_path: Path) -> None:
    target = tmp_path / "show.mp4"
    target.write_bytes(b"the newest take")
    (tmp_path / ".show.mp4.aaaa.partial.mp4").write_bytes(finished.read_bytes()[:-3000])  # killed live
    (tmp_path / ".show.mp4.bbbb.partial.mp4").write_bytes(b"\0\0\0\x20ftypisom" + b"\0" * 500)  # render
    (tmp_path / ".other.mp4.cccc.partial.mp4").write_bytes(b"someone else's")
    in_use = tmp_path / ".show.mp4.dddd.partial.mp4"
    in_use.write_bytes(b"being written")
    fd = try_lock(in_use)  # as a writer in another process holds it
    try:
        notice = recover_partials(target)
    finally:
        os.close(fd)

    (recovered,) = tmp_path.glob("show-recovered-*.mp4")
    assert notice == (
        f"an earlier recording to show.mp4 was cut off; it is kept as {recovered.name}; "
        "removed 1 unfinished file an earlier crash left beside show.mp4."
    )
    # The third fragment was cut: trimmed away, the two before it play.
    assert decoded(recovered) == frames_before(
        finished, fragments_end_of_prefix(finished.read_bytes(), tmp_path, 2)
    )
    assert target.read_bytes() == b"the newest take"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".other.mp4.cccc.partial.mp4", ".show.mp4.dddd.partial.mp4", "show.mp4", recovered.name]
    )
    assert recover_partials(tmp_path / "nothing.mp4") is None


@pytest.mark.parametrize("fragmented", [False, True], ids=["render", "recording beside a file"])
def test_a_second_start_leaves_the_file_a_writer_is_at_alone(tmp_path: Path, fragmented: bool) -> None:
    """``render --out same.mp4`` twice at once: the second one's clean-up must not remove the
    first one's temporary file (its lock says it is in use), and the first one finishes."""
    target = tmp_path / "same.mp4"
    target.write_bytes(b"an older take")
    rng = np.random.default_rng(3)
    with Mp4Writer(target, W, H, FPS, fragmented=fragmented) as writer:
        for i in range(40):
            writer.write_audio(rng.uniform(-0.3, 0.3, 1600).astype(np.float32), i * 1600)
            writer.write_video(rng.integers(0, 255, (H, W, 3), dtype=np.uint8), i)
        (in_use,) = tmp_path.glob(".same.mp4.*.partial.mp4")
        assert recover_partials(target) is None, "nothing was cut off"
        assert in_use.exists()
    assert decoded(target) == 40 and not list(tmp_path.glob(".same.mp4.*"))


def test_a_slow_disk_fsync_holds_up_no_frame(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fsync asked for once a GOP runs beside the writer: while the disk takes its time over
    the first one, every frame still goes in, and no second fsync starts beside it."""
    real_fsync, caller = os.fsync, threading.current_thread()
    disk_done, first_started, lock = threading.Event(), threading.Event(), threading.Lock()
    on_caller, beside, running, most_at_once = [0], [0], [0], [0]

    def slow_fsync(fd: int) -> None:
        if threading.current_thread() is caller:
            on_caller[0] += 1
            return real_fsync(fd)
        with lock:
            beside[0] += 1
            running[0] += 1
            most_at_once[0] = max(most_at_once[0], running[0])
        first_started.set()
        try:
            disk_done.wait(60)  # a disk that takes its time
            return real_fsync(fd)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(os, "fsync", slow_fsync)
    path, frames = tmp_path / "show.mp4", 200  # fsyncs asked for at frames 60, 120 and 180
    rng = np.random.default_rng(2)
    with Mp4Writer(path, W, H, FPS, fragmented=True) as writer:
        for i in range(frames):
            writer.write_audio(rng.uniform(-0.3, 0.3, 1600).astype(np.float32), i * 1600)
            writer.write_video(rng.integers(0, 255, (H, W, 3), dtype=np.uint8), i)
        assert first_started.wait(30), "the fsync was asked for"
        assert not disk_done.is_set() and on_caller[0] == 0, "every frame went in while it waited"
        assert beside[0] == 1, "the later requests wait for the one under way"
        disk_done.set()
    assert on_caller[0] == 1, "the finished file is made durable once, at the end"
    assert most_at_once[0] == 1
    assert fragments_end(path) == (path.stat().st_size, 4) and decoded(path) == frames


def test_metadata_names_the_avatar_not_the_person_unless_asked() -> None:
    avatar = load_avatar(demo_package_path(), "")
    person = avatar.manifest.consent.name
    assert person
    meta = output_metadata(avatar, "AI-generated", "espeak:en-us")
    assert meta["consent_by"] == f"avatar:{avatar.name}" and meta["ai_generated"] == "true"
    assert not any(person in value for value in meta.values())
    credited = output_metadata(avatar, "AI-generated", live=True, credit_name=True)
    assert credited["consent_by"] == person
