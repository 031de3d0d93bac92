"""A batch survives its end: stopped mid-way it resumes with only what is missing, and a worker
killed mid-job (local pool or Ray) has its job retried on another worker, where it completes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studio.batch.manifest import is_done, read_manifest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and sends signals")

SENTENCE = "Here is one more thing to know about this product."


def jobs_file(folder: Path, lines: list[int]) -> Path:
    """A job per entry, each saying that many sentences (eSpeak: quick to render)."""
    body = '[defaults]\nvoice = "espeak:en-us"\nsize = "256x256"\nfps = "15"\n\n'
    for i, count in enumerate(lines, 1):
        body += f'[[job]]\ntext = "{" ".join([SENTENCE] * count)}"\nout = "clip-{i}.mp4"\n\n'
    path = folder / "jobs.toml"
    path.write_text(body, encoding="utf-8")
    return path


def start(jobs: Path, out: Path, *options: str) -> subprocess.Popen[str]:
    env = {**os.environ, "STUDIO_SESSION_LOGS": str(out.parent / "logs")}
    cmd = [sys.executable, "-m", "studio", "batch", str(jobs), "--out", str(out), "--no-disclosure", *options]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text("utf-8"))


def wait_for(found: object, what: str, limit: float = 240.0) -> object:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = found() if callable(found) else found
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"no {what} within {limit:.0f} s")


def writer_of(marker: str) -> int | None:
    """The process with a file open whose path holds ``marker`` and ends in .partial.mp4."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            for fd in (entry / "fd").iterdir():
                target = os.readlink(fd)
                if marker in target and target.endswith(".partial.mp4"):
                    return int(entry.name)
        except OSError:
            continue
    return None


def test_a_stopped_batch_resumes_with_only_what_is_missing(tmp_path: Path) -> None:
    jobs, out = jobs_file(tmp_path, [2, 2, 2, 2]), tmp_path / "out"
    batch = start(jobs, out, "--workers", "1")
    wait_for(lambda: read_manifest(out / "clip-1.mp4"), "finished first job")
    batch.send_signal(signal.SIGTERM)  # a service stop, mid-batch
    _, err = batch.communicate(timeout=120)
    assert batch.returncode == 128 + signal.SIGTERM, err
    assert "stopped by SIGTERM" in err and "Traceback" not in err
    first = report(out)
    finished = [j["out"] for j in first["jobs"] if j["state"] == "done"]
    assert finished and first["totals"]["stopped"] == 4 - len(finished)
    # The report says done exactly where the output is complete and matches its manifest.
    done = [f"clip-{i}.mp4" for i in range(1, 5) if read_manifest(out / f"clip-{i}.mp4")]
    assert done == finished
    assert all(is_done(out / name, read_manifest(out / name)["input_hash"]) for name in done)
    before = {name: (out / name).stat().st_mtime_ns for name in finished}

    again = start(jobs, out, "--workers", "1")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    second = report(out)
    assert second["totals"]["skipped"] == len(finished) and second["totals"]["done"] == 4 - len(finished)
    assert {name: (out / name).stat().st_mtime_ns for name in finished} == before
    assert sorted(p.name for p in out.glob("*.mp4")) == [f"clip-{i}.mp4" for i in range(1, 5)]
    assert not [p.name for p in out.iterdir() if "partial" in p.name]  # the cut-off render was cleared


def test_a_worker_killed_mid_job_has_its_job_retried_and_completed(tmp_path: Path) -> None:
    jobs, out = jobs_file(tmp_path, [12, 1, 1]), tmp_path / "out"
    batch = start(jobs, out, "--workers", "2")
    pid = wait_for(lambda: writer_of(str(out / ".clip-1.mp4.")), "worker writing job 1")
    os.kill(int(pid), signal.SIGKILL)
    _, err = batch.communicate(timeout=300)
    assert batch.returncode == 0, err
    data = report(out)
    assert [j["state"] for j in data["jobs"]] == ["done"] * 3
    assert data["jobs"][0]["attempts"] == 2 and f"pid {pid}" != data["jobs"][0]["worker"]
    assert "worker process died" in err
    assert all(
        is_done(out / f"clip-{i}.mp4", read_manifest(out / f"clip-{i}.mp4")["input_hash"]) for i in (1, 2, 3)
    )


def test_a_ray_worker_killed_mid_job_has_its_job_retried_and_completed(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    jobs, out = jobs_file(tmp_path, [12, 1, 1]), tmp_path / "out"
    batch = start(jobs, out, "--ray", "local", "--workers", "2")
    # A Ray worker renders in a temporary folder of its own, then sends the video back.
    pid = wait_for(lambda: writer_of("/studio-batch-"), "Ray worker writing a video")
    os.kill(int(pid), signal.SIGKILL)
    _, err = batch.communicate(timeout=300)
    assert batch.returncode == 0, err
    data = report(out)
    assert [j["state"] for j in data["jobs"]] == ["done"] * 3
    assert sum(j["attempts"] for j in data["jobs"]) == 4  # the killed worker's job, once more
    assert "Ray worker died" in err


def test_a_mangled_manifest_means_the_job_runs_again(tmp_path: Path) -> None:
    out = tmp_path / "a.mp4"
    out.write_bytes(b"video")
    manifest = tmp_path / ".studio-batch" / "a.mp4.json"
    manifest.parent.mkdir()
    for text in ("[" * 60_000, '{"schema_version": 1', "\xff"):
        manifest.write_text(text, encoding="latin-1")
        assert read_manifest(out) is None and not is_done(out, "0" * 64)
