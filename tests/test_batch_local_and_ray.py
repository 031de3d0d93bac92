"""``studio batch`` end to end on real renders: six short jobs (one bad) in local mode, read back
with ffprobe; a second run skips them all; the same jobs on a real local Ray cluster make the
same frames."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import av
import pytest

from studio.media.probe import ffprobe

TEXTS = ("Hello there.", "Welcome to the room.", "Look at this mug.", "Thanks for watching.", "See you soon.")
JOBS = (
    # Kokoro: the same text gives the same audio on every call (eSpeak's and Piper's differ from
    # call to call), so where a job runs cannot change its frames.
    '[defaults]\nvoice = "kokoro:af_heart"\nsize = "256x256"\nfps = "15"\n\n'
    + "".join(f'[[job]]\ntext = "{text}"\nout = "clip-{i}.mp4"\n\n' for i, text in enumerate(TEXTS, 1))
    # Passes every check up front (the file exists and is named .wav) but is no audio: it fails
    # when rendered, is tried once more, and is reported; the other jobs go on.
    + '[[job]]\naudio = "broken.wav"\nvoice = ""\nout = "broken.mp4"\n'
)
GOOD = [f"clip-{i}.mp4" for i in range(1, len(TEXTS) + 1)]


def batch(jobs: Path, out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDIO_SESSION_LOGS": str(out.parent / "logs")}
    cmd = [sys.executable, "-m", "studio", "batch", str(jobs), "--out", str(out), *options]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, check=False)


def report(out: Path) -> dict:
    return json.loads((out / "batch-report.json").read_text("utf-8"))


def frame_hashes(path: Path) -> list[str]:
    with av.open(str(path)) as container:
        return [
            hashlib.sha256(f.to_ndarray(format="rgb24").tobytes()).hexdigest()
            for f in container.decode(video=0)
        ]


@pytest.fixture(scope="module")
def jobs_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("jobs")
    (folder / "broken.wav").write_bytes(b"RIFF this is not audio at all" * 40)
    path = folder / "jobs.toml"
    path.write_text(JOBS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_run(jobs_file: Path) -> tuple[Path, subprocess.CompletedProcess[str]]:
    out = jobs_file.parent / "local"
    return out, batch(jobs_file, out, "--workers", "2")


def test_local_mode_renders_the_good_jobs_and_reports_the_bad_one(
    local_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, run = local_run
    assert run.returncode == 1, run.stderr  # one job failed
    assert "Traceback" not in run.stderr
    for name in GOOD:
        probe = ffprobe(out / name)
        video = next(s for s in probe["streams"] if s["codec_type"] == "video")
        audio = next(s for s in probe["streams"] if s["codec_type"] == "audio")
        assert (video["codec_name"], video["width"], video["height"]) == ("h264", 256, 256)
        assert video["r_frame_rate"] == "15/1" and audio["codec_name"] == "aac"
        assert float(probe["format"]["duration"]) > 1.0  # the spoken AI notice, then the line
        assert probe["format"]["tags"]["ai_generated"] == "true"  # the implicit label, as renders carry
    assert not (out / "broken.mp4").exists()
    assert not [p.name for p in out.iterdir() if "partial" in p.name]
    # A line per finished job on stderr, even though it is not a terminal.
    assert sum("batch: [" in line for line in run.stderr.splitlines()) == 6


def test_the_report_says_what_became_of_each_job(
    local_run: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, run = local_run
    data = report(out)
    assert data["totals"]["done"] == 5 and data["totals"]["failed"] == 1
    jobs = {job["out"]: job for job in data["jobs"]}
    assert [job["out"] for job in data["jobs"]] == [*GOOD, "broken.mp4"]
    bad = jobs["broken.mp4"]
    assert bad["state"] == "failed" and bad["attempts"] == 2 and "broken.wav" in bad["reason"]
    assert all(jobs[name]["state"] == "done" and jobs[name]["video_seconds"] > 1.0 for name in GOOD)
    assert data["video_seconds"] == pytest.approx(sum(jobs[name]["video_seconds"] for name in GOOD), abs=0.01)
    assert "FAILED" in run.stdout + run.stderr and "broken.mp4" in run.stdout  # the summary table


def test_a_second_run_skips_every_finished_job(
    jobs_file: Path, local_run: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    out, _ = local_run
    before = {name: (out / name).stat().st_mtime_ns for name in GOOD}
    again = batch(jobs_file, out, "--workers", "2")
    assert again.returncode == 1  # the bad job is tried again, and fails again
    data = report(out)
    assert data["totals"]["skipped"] == 5 and data["totals"]["done"] == 0
    assert {name: (out / name).stat().st_mtime_ns for name in GOOD} == before


def test_ray_mode_on_a_local_cluster_makes_the_same_frames(
    jobs_file: Path, local_run: tuple[Path, subprocess.CompletedProcess[str]]
) -> None:
    pytest.importorskip("ray")
    local_out, _ = local_run
    out = jobs_file.parent / "ray"
    run = batch(jobs_file, out, "--ray", "local", "--workers", "2")
    assert run.returncode == 1, run.stderr
    data = report(out)
    assert data["mode"].startswith("ray local, 2 CPUs")
    assert data["totals"]["done"] == 5 and data["totals"]["failed"] == 1
    assert [job["attempts"] for job in data["jobs"]][-1] == 2
    assert all(job["worker"].startswith("node ") for job in data["jobs"] if job["state"] == "done")
    for name in GOOD:
        assert frame_hashes(out / name) == frame_hashes(local_out / name), name
    # Its manifests skip in local mode too: the inputs are the same.
    again = batch(jobs_file, out, "--workers", "1")
    assert report(out)["totals"]["skipped"] == 5, again.stderr
