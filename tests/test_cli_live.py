"""`studio live` as a user runs it: a rundown into a recording and an RTMP server at once,
measured for A/V sync; interjections typed on stdin; Ctrl-C; bad options in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from live_fixtures import SHOW_RUNDOWN, probe

from studio.cli.main import main
from studio.pipeline.av_sync import measure_sync

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server"]

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def rundown(tmp_path: Path) -> Path:
    path = tmp_path / "show.rundown.toml"
    path.write_text(SHOW_RUNDOWN, encoding="utf-8")
    return path


def test_a_live_show_is_recorded_and_pushed_in_sync(
    rundown: Path,
    tmp_path: Path,
    rtmp_server: RtmpServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STUDIO_SESSION_LOGS", str(tmp_path / "logs"))
    out = tmp_path / "out" / "live.mp4"
    rc = main([
        "live", "--avatar", "demo", "--script", str(rundown), "--record", str(out),
        "--rtmp", rtmp_server.url("showkey"), "--duration", "10", "--size", "480x270",
    ])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 0, err
    assert "record: closed" in err and "rtmp: closed" in err and "late" in err
    (log,) = (tmp_path / "logs").glob("*.jsonl")
    assert f"studio: session log: {log} ('studio report' summarises it)" in err
    assert main(["report", str(log)]) == 0
    report = capsys.readouterr().out
    assert "Z record started: " in report and "Z rtmp started: rtmp://127.0.0.1:" in report
    assert "showkey" not in log.read_text(encoding="utf-8")  # the stream key never reaches the log
    info = probe(out)
    kinds = {s["codec_type"]: s for s in info["streams"]}
    assert kinds["video"]["codec_name"] == "h264" and kinds["audio"]["codec_name"] == "aac"
    assert (kinds["video"]["width"], kinds["video"]["height"]) == (480, 270)
    assert float(info["format"]["duration"]) == pytest.approx(10.0, abs=0.05)
    assert info["format"]["tags"]["ai_generated"] == "true"
    (pushed,) = rtmp_server.recordings("showkey")
    assert float(probe(pushed)["format"]["duration"]) == pytest.approx(10.0, abs=0.3)
    # Measured, not assumed: the mouth moves with the voice in both, within one frame.
    for path in (out, pushed):
        report = measure_sync(path)
        print(path.name, report.summary())
        assert abs(report.offset_frames) <= 1.0, (path.name, report.summary())


def run_cli(args: list[str], **kwargs) -> subprocess.Popen[str]:  # noqa: ANN003
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "studio", *args], cwd=REPO, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs,
    )  # fmt: skip


def test_lines_typed_while_live_are_spoken_and_ctrl_c_finalises_the_recording(
    rundown: Path, tmp_path: Path
) -> None:
    out = tmp_path / "live.mp4"
    proc = run_cli(
        ["live", "--avatar", "demo", "--script", str(rundown), "--record", str(out), "--size", "320x180"],
        stdin=subprocess.PIPE,
    )
    assert proc.stdin is not None and proc.stderr is not None
    deadline = time.monotonic() + 60
    for line in proc.stderr:
        if "Ctrl-C stops" in line or time.monotonic() > deadline:
            break
    time.sleep(1.0)
    proc.stdin.write("Thanks for the follow!\n!Sorry, one moment please.\n")
    proc.stdin.flush()
    time.sleep(3.0)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert "queued: Thanks for the follow!" in stderr
    assert "interrupting with: Sorry, one moment please." in stderr
    assert "Traceback" not in stderr
    assert stdout.strip() == str(out)
    duration = float(probe(out)["format"]["duration"])
    assert 3.0 < duration < 30.0  # playable, and as long as the show ran


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--script", "{rundown}"], "live output goes nowhere"),
        (["--script", "{tmp}/missing.toml", "--record", "{tmp}/a.mp4"], "does not exist"),
        (
            ["--mic", "--voice", "espeak:en", "--record", "{tmp}/a.mp4"],
            "--voice and --lipsync apply to --script",
        ),
        (["--script", "{rundown}", "--rtmp", "http://example.com/live"], "rtmp://"),
        (["--script", "{rundown}", "--record", "{tmp}/a.mov"], "must end in .mp4"),
        (["--script", "{rundown}", "--record", "{tmp}/a.mp4", "--duration", "-1"], "--duration"),
        (["--script", "{rundown}", "--vcam"], "virtual camera"),
        (["--audio", "{tmp}/missing.wav", "--record", "{tmp}/a.mp4"], "missing.wav"),
        (["--mic", "--disclosure-every", "5", "--record", "{tmp}/a.mp4"], "said in a script's voice"),
        (["--script", "{rundown}", "--record", "{tmp}/a.mp4", "--disclosure-every", "-1"], "out of range"),
    ],
)
def test_bad_options_are_one_line(
    rundown: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], problem: str
) -> None:
    argv = ["live", "--avatar", "demo", "--size", "160x96"]
    argv += [a.replace("{rundown}", str(rundown)).replace("{tmp}", str(tmp_path)) for a in args]
    rc = main(argv)
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2
    assert err[-1].startswith("studio: error: ") and problem in err[-1], err
    assert not list(tmp_path.glob("a.*"))
