"""The session log as a file: one JSON record a line, each on disk as soon as it is written (a
SIGKILL keeps every line), bounded lines and parts, rotation that keeps the newest parts with the
show's terms at the top of each, a disk that refuses writes stops the log but not the caller."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from fractions import Fraction
from pathlib import Path

import pytest
from live_fixtures import Sink

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.compliance.report import build_report, log_parts
from studio.compliance.session_log import (
    CONSENT,
    MAX_LINE_BYTES,
    SAID,
    SHOW,
    SessionLog,
    bounded_line,
    default_log_dir,
    part_path,
)
from studio.errors import InputError
from studio.live.rundown import Rundown, Segment
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings

REPO = Path(__file__).resolve().parents[1]


def lines_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def wait_for_lines(path: Path, count: int) -> list[dict]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if path.exists() and path.read_text(encoding="utf-8").count("\n") >= count:
            return lines_of(path)
        time.sleep(0.01)
    return lines_of(path)


def test_records_are_on_disk_as_soon_as_written_and_close_ends_the_log(tmp_path: Path) -> None:
    log = SessionLog(tmp_path, "live", "show.toml", "Jon Doe").open()
    try:
        log.record(SAID, kind="rundown", text="你好，欢迎！", voice="kokoro:zf_xiaoxiao", pts_s=1.5)
        # Read while the show is still running: the line is there without a close.
        header, said = wait_for_lines(log.path, 2)
    finally:
        log.close("stopped", pts_s=12.0)
    assert log.path.parent == tmp_path and log.path.name.endswith("-Jon-Doe.jsonl")
    assert header["type"] == SHOW and header["avatar"] == "Jon Doe" and header["part"] == 1
    assert said["text"] == "你好，欢迎！" and said["pts_s"] == 1.5 and said["t"].endswith("Z")
    end = lines_of(log.path)[-1]
    assert end["type"] == "end" and end["reason"] == "stopped" and end["pts_s"] == 12.0
    assert [r["seq"] for r in lines_of(log.path)[1:]] == [1, 2]


def test_a_long_text_is_cut_to_fit_a_line() -> None:
    record = {"type": SAID, "t": "2026-12-07T00:00:00Z", "seq": 1, "text": "直播" * 50_000}
    line = bounded_line(record)
    assert len(line.encode("utf-8")) <= MAX_LINE_BYTES
    kept = json.loads(line)
    assert kept["cut"] is True and kept["text"].startswith("直播直播") and kept["text"].endswith("…")
    many = {"type": "warning", "t": "x", "seq": 2, **{f"k{i}": "y" * 900 for i in range(20)}}
    assert json.loads(bounded_line(many)) == {"type": "warning", "t": "x", "seq": 2, "cut": True}


def test_rotation_keeps_the_newest_parts_each_with_the_shows_terms(tmp_path: Path) -> None:
    log = SessionLog(tmp_path, "live", "show.toml", "demo", part_bytes=20_000, parts_kept=3).open()
    log.record(CONSENT, avatar="demo", use="live", scope=["live"], voices=[], expires="", ok=True)
    for i in range(600):
        log.record(SAID, kind="rundown", text=f"Line {i} " + "x" * 200, voice="espeak:en", pts_s=i)
    log.close()
    parts = sorted(tmp_path.iterdir(), key=lambda p: int(p.name.split(".")[-2]))
    assert parts == log.parts == log_parts(parts[0])
    assert len(parts) == 3 and all(p.stat().st_size <= 20_000 for p in parts)
    numbers = [int(p.name.split(".")[-2]) for p in parts]
    assert numbers[0] > 1 and numbers == list(range(numbers[0], numbers[0] + 3))
    assert not part_path(log.path, 1).exists()
    for part in parts:
        first, second = lines_of(part)[:2]
        assert first["type"] == SHOW and second["type"] == CONSENT
    # The report reads the set from any of its parts, counts the consent once, and says what is gone.
    report = build_report(parts[-1])
    sections = dict(report.sections)
    assert len(sections["Consent"]) == 1
    assert any("rotated away" in line for line in sections["Show"])
    said = [r for p in parts for r in lines_of(p) if r["type"] == SAID]
    assert sections["Spoken"][0] == f"{len(said)} lines said: {len(said)} rundown"
    assert said[-1]["text"].startswith("Line 599 ")


def test_records_a_full_queue_cannot_take_are_counted_in_the_log(tmp_path: Path) -> None:
    log = SessionLog(tmp_path, "live", "show", "demo", queue_size=5)
    for i in range(12):  # nobody writes yet: the queue fills
        log.record(SAID, text=f"line {i}")
    log.open()
    log.close()
    records = lines_of(log.path)
    assert [r["text"] for r in records if r["type"] == SAID] == [f"line {i}" for i in range(5)]
    dropped = [r for r in records if r["type"] == "log_dropped"]
    assert dropped and dropped[0]["count"] == 7


def test_logs_opened_in_the_same_second_at_the_same_time_each_get_their_own_name(tmp_path: Path) -> None:
    # Batch workers start their logs together: the name is taken by creating the file, so no
    # two logs share one and none fails, however the threads interleave.
    start = threading.Barrier(12)
    opened: list[SessionLog] = []
    failed: list[BaseException] = []

    def open_one() -> None:
        log = SessionLog(tmp_path, "render", "batch", "demo", now=1_800_000_000.0)
        start.wait()
        try:
            opened.append(log.open())
        except BaseException as exc:  # noqa: BLE001 - the test reports any failure
            failed.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for log in opened:
        log.close()
    assert not failed
    assert len({log.path for log in opened}) == 12
    assert len(list(tmp_path.glob("*.jsonl"))) == 12


def test_a_log_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write the session log in") as caught:
        SessionLog(blocker / "sessions", "live", "show", "demo").open()
    assert "STUDIO_SESSION_LOGS" in caught.value.hint


def test_the_default_folder_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_SESSION_LOGS", str(tmp_path / "logs"))
    assert default_log_dir() == tmp_path / "logs"
    monkeypatch.delenv("STUDIO_SESSION_LOGS")
    assert default_log_dir().name == "sessions" and "Studio" in str(default_log_dir())


def _writer_script(folder: Path, body: str) -> str:
    return textwrap.dedent(f"""
        import os, resource, signal, sys
        from pathlib import Path
        from studio.compliance.session_log import SessionLog
        log = SessionLog(Path({str(folder)!r}), "live", "show", "demo").open()
        print(log.path, flush=True)
    """) + textwrap.dedent(body)


def test_a_kill_leaves_every_line_written_so_far_valid(tmp_path: Path) -> None:
    script = _writer_script(
        tmp_path,
        """
        import time
        for i in range(1_000_000):
            log.record("said", kind="rundown", text=f"line {i} " + "z" * 300, pts_s=i / 10)
            if i % 100 == 0:
                time.sleep(0.001)
        """,
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    path = Path(proc.stdout.readline().strip())
    wait_for_lines(path, 200)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    proc.stdout.close()
    raw = path.read_bytes()
    complete = raw[: raw.rfind(b"\n") + 1].decode("utf-8").splitlines()
    assert len(complete) >= 200
    records = [json.loads(line) for line in complete]  # every complete line is a record
    assert [r["seq"] for r in records[1:]] == list(range(1, len(records)))
    report = build_report(path)  # a cut last line, if any, is tolerated and said
    assert dict(report.sections)["Show"][-1].startswith("ended: no end record")
    assert not report.notes or "was cut" in report.notes[0]


def test_a_disk_that_refuses_writes_stops_the_log_but_not_the_show(tmp_path: Path) -> None:
    # A file size limit makes the kernel refuse writes past it, as a full disk does.
    script = _writer_script(
        tmp_path,
        """
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8000, 8000))
        for i in range(200):
            log.record("said", text=f"line {i} " + "z" * 100)
        log.close()
        print(log.problem, flush=True)
        """,
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    path, problem = done.stdout.strip().splitlines()
    assert "stopped at line" in problem and path in problem
    records = lines_of(Path(path))
    assert 10 < len(records) < 200 and records[-1]["text"].startswith(f"line {len(records) - 2} ")


def test_a_show_whose_log_cannot_be_written_does_not_start(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    sink = Sink()
    options = LiveOptions(rundown=Rundown((Segment("Hello.", "espeak:en-us"),)), log_dir=blocker / "logs")
    show = LiveShow(load_avatar(demo_package_path(), ""), RenderSettings(160, 96, Fraction(30)), options,
                    extra_outputs=(sink,))  # fmt: skip
    with pytest.raises(InputError, match="cannot write the session log"):
        show.start()
    assert not sink.started and sink.closed  # stopped before anything went out


def test_a_folder_gone_when_the_next_part_starts_stops_the_log_and_close_still_returns(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "sessions"
    log = SessionLog(folder, "live", "show", "demo", part_bytes=16_384, queue_size=8).open()
    died: list[BaseException] = []
    previous, threading.excepthook = threading.excepthook, lambda args: died.append(args.exc_value)
    try:
        log.record(SAID, text="before")
        wait_for_lines(log.path, 2)
        for child in folder.iterdir():  # the user clears the folder while the show runs
            child.unlink()
        folder.rmdir()
        deadline = time.monotonic() + 10
        while log.problem is None and time.monotonic() < deadline:
            log.record(SAID, text="x" * 900)
            time.sleep(0.002)
        for _ in range(50):  # the show goes on recording after its log stopped
            log.record(SAID, text="after")
        closing = threading.Thread(target=log.close)
        closing.start()
        closing.join(10)
        assert not closing.is_alive(), "close() hung: the log's writer had died"
    finally:
        threading.excepthook = previous
    assert log.problem is not None and "stopped at line" in log.problem
    assert died == []
