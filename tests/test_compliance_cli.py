"""``studio check``: linter lines, JSON, exit codes, and rundowns checked at their own line numbers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli.main import main
from tests.cli_output import one_error_line

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo" / "demo.rundown.toml"
RUNDOWN = """# a looping show
version = 1
loop = true

[[segment]]
title = "Welcome"
text = "Welcome! This is the best serum in the world."

[[segment]]
text = \"\"\"
Only 3 left, tap the cart.
这款精华能治疗痘痘。\"\"\"
"""


def test_a_clean_text_exits_0_and_prints_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--text", "最近很多宝宝第一次来直播间"]) == 0
    assert capfd.readouterr() == ("", "")


def test_a_flagged_text_prints_linter_lines_and_exits_1(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--text", "全网最低价！\nI'm not an AI."]) == 1
    out = capfd.readouterr().out.splitlines()
    assert out[0].startswith("<text>:1:1: ZH-ABS-06 lowest-price claim (全网最低 / 历史最低价): ")
    assert '"全网最低价" (give the actual price' in out[0]
    assert out[1].startswith("<text>:2:1: EN-IMP-01 an AI host claiming to be a real person: ")
    assert '"I\'m not an AI" (let the host say it is AI-generated' in out[1]
    assert len(out) == 2


def test_a_script_file_is_checked_line_by_line(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    script = tmp_path / "show.txt"
    script.write_text("Welcome everyone.\nOur cream treats eczema fast.\n", encoding="utf-8")
    assert main(["check", str(script)]) == 1
    assert capfd.readouterr().out.startswith(f"{script}:2:11: EN-MED-01 ")


def test_a_rundown_reports_the_files_own_line_numbers(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    rundown = tmp_path / "show.rundown.toml"
    rundown.write_text(RUNDOWN, encoding="utf-8")
    assert main(["check", str(rundown), "--json"]) == 1
    report = json.loads(capfd.readouterr().out)
    assert report["rules_version"] and report["flagged"] == 3
    assert [(f["line"], f["col"], f["rule"], f["text"]) for f in report["findings"]] == [
        (7, 26, "EN-ABS-01", "the best"),
        (11, 1, "EN-URG-01", "Only 3 left"),  # the show loops: a fixed stock count is a lie
        (12, 6, "ZH-MED-01", "治疗"),
    ]
    assert all(f["source"] and f["suggestion"] and f["override"] is None for f in report["findings"])


def test_the_demo_rundown_is_clean() -> None:
    assert main(["check", str(DEMO)]) == 0


def test_lang_and_rules_options(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--text", "best in the world", "--lang", "zh"]) == 0
    allow = tmp_path / "allow.toml"
    allow.write_text('allow = ["最美乡村"]\n', encoding="utf-8")
    assert main(["check", "--text", "最美乡村大米", "--rules", str(allow)]) == 0
    assert main(["check", "--text", "最美乡村大米"]) == 1
    capfd.readouterr()
    assert main(["check", "--list-rules"]) == 0
    assert "ZH-ABS-01\tabsolute\tzh\tline\t" in capfd.readouterr().out


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["check"], "needs exactly one of FILE or --text"),
        (["check", "x.txt", "--text", "hi"], "needs exactly one of FILE or --text"),
        (["check", "missing.txt"], "does not exist"),
        (["check", "--text", "hi", "--rules", "missing.toml"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: list[str],
    problem: str,
    capfd: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert problem in one_error_line(capfd)


def test_a_broken_rundown_is_one_line_and_exit_2(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[[segment]\ntext = 'hi'", encoding="utf-8")
    assert main(["check", str(broken)]) == 2
    assert "is not valid TOML" in one_error_line(capfd)
