"""Fault injection on the real commands, in real processes: ``studio live --record`` killed
with SIGKILL, stopped with SIGTERM or SIGHUP, or running out of disk mid-show; ``studio render``
stopped with SIGTERM or running out of disk. The recording must play (ffprobe, every frame
decoded by PyAV) and hold about what ran; a render must leave no partial file; a full disk
is one line and a non-zero exit, never a traceback.

The full-disk cases mount a small tmpfs (root only) and fill it once the command is writing.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import pytest

from studio.media.mp4_fragments import fragments_end

REPO = Path(__file__).resolve().parents[1]
RUNDOWN = """
version = 1
[[segment]]
text = "Welcome to the live room, everyone! Today our face serum is thirty percent off."
voice = "espeak:en-us"
pause_ms = 300
[[segment]]
text = "Tap the little cart below to order yours; it ships tomorrow morning."
voice = "espeak:en-us"
pause_ms = 300
"""
SPEECH = " ".join(["Our serum is thirty percent off today, and it ships tomorrow morning."] * 12)
LIVE = ["live", "--avatar", "demo", "--size", "320x180"]
RENDER = ["render", "--avatar", "demo", "--voice", "espeak:en-us", "--size", "320x180"]


@pytest.fixture
def rundown(tmp_path: Path) -> Path:
    path = tmp_path / "show.rundown.toml"
    path.write_text(RUNDOWN, encoding="utf-8")
    return path


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 32 MB tmpfs: filled up by the test while a command writes to it."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill up needs root")
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill_up(folder: Path) -> None:
    """Take every free byte of the disk ``folder`` is on."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 512, 1):  # to the last byte, so not even a small write fits
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)


def start(args: list[str], **kwargs) -> subprocess.Popen[str]:  # noqa: ANN003
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "studio", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, **kwargs,
    )  # fmt: skip


def wait_for(proc: subprocess.Popen[str], ready: Callable[[], bool], what: str, limit: float = 120) -> float:
    """Poll until ``ready()``; the moment it was (monotonic)."""
    deadline = time.monotonic() + limit
    while not ready():
        if proc.poll() is not None:
            _, err = proc.communicate()
            pytest.fail(f"the command ended before {what}: {err}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no {what} after {limit:.0f} s")
        time.sleep(0.05)
    return time.monotonic()


def fragments(path: Path) -> int:
    return fragments_end(path)[1] if path.exists() else 0


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, err


def plays(path: Path) -> tuple[float, int]:
    """(duration, frames) of a file ffprobe reads and PyAV decodes to the end."""
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-of", "json", str(path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    info = json.loads(probe.stdout)
    assert {s["codec_type"] for s in info["streams"]} == {"video", "audio"}
    with av.open(str(path)) as container:
        frames = sum(1 for _ in container.decode(video=0))
    with av.open(str(path)) as container:
        samples = sum(f.samples for f in container.decode(audio=0))
    duration = float(info["format"]["duration"])
    assert frames > 0 and samples > 0
    assert frames / 30 == pytest.approx(duration, abs=0.2), "every frame there decodes"
    return duration, frames


def test_kill_9_mid_recording_leaves_the_show_up_to_its_last_fragment(rundown: Path, tmp_path: Path) -> None:
    out = tmp_path / "live.mp4"
    proc = start([*LIVE, "--script", str(rundown), "--record", str(out)])
    began = wait_for(proc, out.exists, "recording")  # the file appears with the first frame
    killed = wait_for(proc, lambda: fragments(out) >= 2, "second fragment on disk")
    os.kill(proc.pid, signal.SIGKILL)
    finish(proc)

    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".mp4"] == ["live.mp4"]
    duration, _ = plays(out)
    ran = killed - began
    # Up to the last whole fragment (at most 2 s each, plus the encoder's few frames).
    assert ran - 3.0 < duration <= ran + 0.5, (duration, ran)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_or_sighup_mid_recording_finalises_it(rundown: Path, tmp_path: Path, signum: int) -> None:
    out = tmp_path / "live.mp4"
    proc = start([*LIVE, "--script", str(rundown), "--record", str(out)])
    began = wait_for(proc, out.exists, "recording")
    wait_for(proc, lambda: fragments(out) >= 1, "first fragment on disk")
    stopped = time.monotonic()
    proc.send_signal(signum)
    rc, stdout, stderr = finish(proc)

    assert rc == 0, stderr
    assert f"{signal.Signals(signum).name} received; stopping" in stderr
    assert "record: closed" in stderr and "Traceback" not in stderr
    assert stdout.strip() == str(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.mp4", "show.rundown.toml"]
    duration, _ = plays(out)
    # Finalised: everything up to the stop, not only whole fragments.
    assert stopped - began - 1.5 < duration < stopped - began + 1.5


def test_sigterm_mid_render_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "talk.mp4"
    proc = start([*RENDER, "--text", SPEECH, "--out", str(out)])

    def writing() -> bool:
        return any(p.stat().st_size > 50_000 for p in tmp_path.glob(".talk.mp4.*.partial.mp4"))

    wait_for(proc, writing, "frames written")
    proc.send_signal(signal.SIGTERM)
    rc, stdout, stderr = finish(proc)

    assert rc == 128 + signal.SIGTERM, stderr
    assert stderr.strip().splitlines()[-1] == "studio: stopped by SIGTERM; nothing was left half-written."
    assert "Traceback" not in stderr and stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_mid_recording_keeps_what_was_written(rundown: Path, small_disk: Path) -> None:
    out = small_disk / "live.mp4"
    proc = start([*LIVE, "--script", str(rundown), "--record", str(out), "--duration", "60"])
    wait_for(proc, lambda: fragments(out) >= 1, "first fragment on disk")
    kept = fragments(out)
    fill_up(small_disk)
    rc, _, stderr = finish(proc)

    last = stderr.strip().splitlines()[-1]
    assert rc == 1, stderr
    assert last.startswith(f"studio: error: record failed: cannot write {out}: the disk is full"), last
    assert last.endswith(f"what was recorded until then is kept in {out}"), last
    assert "every output has failed; stopping" in stderr, "the show does not run on for nothing"
    assert "Traceback" not in stderr
    (small_disk / "filler").unlink()
    _, frames = plays(out)
    assert fragments(out) >= kept and frames >= 15


def test_a_full_disk_mid_render_is_one_line_and_leaves_no_partial_file(small_disk: Path) -> None:
    out = small_disk / "talk.mp4"
    proc = start([*RENDER, "--text", SPEECH, "--out", str(out)])

    def writing() -> bool:
        return any(p.stat().st_size > 50_000 for p in small_disk.glob(".talk.mp4.*.partial.mp4"))

    wait_for(proc, writing, "frames written")
    fill_up(small_disk)
    rc, stdout, stderr = finish(proc)

    lines = stderr.strip().splitlines()
    assert rc == 2, stderr
    assert lines[-1].startswith(f"studio: error: cannot write {out}: the disk is full."), lines[-1]
    assert "Traceback" not in stderr and "av.error" not in stderr and stdout == ""
    assert [p.name for p in small_disk.iterdir()] == ["filler"]


def test_sighup_from_a_closed_terminal_still_ends_cleanly(rundown: Path, tmp_path: Path) -> None:
    """A closed terminal: SIGHUP, and from then on every write to it fails (EIO on a tty, EPIPE
    on a pipe whose reader went away, as here). The recording is finalised and the command
    still ends with its own status (0), not 1 from an OSError in a goodbye line, nor 120 from
    Python's flush at exit."""
    out = tmp_path / "live.mp4"
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", *LIVE, "--script", str(rundown), "--record", str(out)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(proc, lambda: fragments(out) >= 1, "first fragment on disk")  # type: ignore[arg-type]
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the terminal is gone: nobody reads what it says any more
        proc.stderr.close()
        proc.send_signal(signal.SIGHUP)
        rc = proc.wait(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert rc == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["live.mp4", "show.rundown.toml"]
    plays(out)
