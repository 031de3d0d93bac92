"""A session log whose show times are not finite numbers (JSON's Infinity, 1e999, NaN) is still
reported: such a time reads as 0:00:00 instead of ending 'studio report' with an OverflowError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.compliance.report_types import clock


def test_a_time_that_is_no_finite_number_reads_as_zero() -> None:
    assert clock(float("inf")) == clock(float("-inf")) == clock(float("nan")) == "0:00:00"
    assert clock(3725.9) == "1:02:05" and clock("soon") == "0:00:00"


def test_report_reads_a_log_with_infinite_times(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    header = {"type": "show", "t": "2026-12-07T00:00:00.000Z", "seq": 0, "kind": "live", "show": "s"}
    header |= {"avatar": "demo", "log_version": 1, "part": 1}
    said = '{"type":"said","t":"2026-12-07T00:00:01.000Z","seq":1,"kind":"rundown","text":"hi",'
    said += '"pts_s":1e999,"product":"mug"}'
    end = '{"type":"end","t":"2026-12-07T00:00:02.000Z","seq":2,"pts_s":Infinity}'
    log = tmp_path / "20261207-000000-demo.jsonl"
    log.write_text("\n".join([json.dumps(header), said, end]) + "\n", encoding="utf-8")
    assert main(["report", str(log)]) == 0
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "Products on air" in out


def test_report_skips_frame_counts_and_room_records_of_the_wrong_type(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    header = {"type": "show", "t": "2026-12-07T00:00:00.000Z", "seq": 0, "kind": "live", "show": "s"}
    header |= {"avatar": "demo", "log_version": 1, "part": 1}
    t = "2026-12-07T00:00:01.000Z"
    records = [
        header,
        {"type": "frames", "t": t, "seq": 1, "pts_s": 5.0, "frames": 150, "late": 2, "skipped": 0},
        {"type": "frames", "t": t, "seq": 2, "pts_s": 10.0, "frames": "many", "late": None},
        {"type": "frames", "t": t, "seq": 3, "pts_s": 15.0, "frames": 450, "late": 3, "skipped": 0},
        {"type": "moderation", "t": t, "seq": 4, "decision": "approved", "text": ["a", "list"]},
        {"type": "blocked", "t": t, "seq": 5, "text": ["a", "list"], "rules": []},
    ]
    lines = [json.dumps(r) for r in records]
    lines.insert(3, '{"type":"frames","t":"x","seq":9,"pts_s":12.0,"frames":300,"late":Infinity}')
    log = tmp_path / "20261207-000000-demo.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["report", str(log)]) == 0
    out, err = capfd.readouterr()
    assert "Traceback" not in err and "Late frames" in out
