"""A real show's session log, and ``studio report`` on it: what was said (by voice, the spoken
AI notice included), the override with who and when and how often its line was said, the labels,
the outputs, late frames; bad and cut logs in one line."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest
from live_fixtures import Sink

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.cli.main import main
from studio.compliance import Override
from studio.compliance.disclosure import Disclosure
from studio.compliance.report import build_report
from studio.errors import InputError
from studio.live.rundown import Rundown, Segment
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings

SETTINGS = RenderSettings(160, 96, Fraction(30), label=LabelSettings(True, "AI-generated", "top-left"))
RANKED = "我们是行业第一的品牌。"
OVERRIDE = Override(
    "ZH-ABS-02", "行业第一", "li.wei", datetime(2026, 12, 7, 14, 5, tzinfo=UTC), "ranking no. 123"
)
RUNDOWN = Rundown(
    (
        Segment("Welcome to the room.", "espeak:en-us", pause_ms=100, title="Hi"),
        Segment(RANKED, "espeak:cmn", pause_ms=100, overrides=(OVERRIDE,)),
    ),
    loop=True,
)


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


@pytest.fixture(scope="module")
def show_log(avatar: Avatar, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 12 s show: a rundown in two languages with an override, the notice every 4 s, an
    interjection, a recording and a sink."""
    folder = tmp_path_factory.mktemp("show")
    options = LiveOptions(
        rundown=RUNDOWN, duration_s=12.0, record=folder / "show.mp4", log_dir=folder / "logs",
        disclosure=Disclosure(every_s=4.0),
    )  # fmt: skip
    show = LiveShow(avatar, SETTINGS, options, extra_outputs=(Sink(),))
    show.start()
    try:
        assert show.interject("Thanks for the follow!")
        with pytest.raises(InputError, match="not said"):
            show.interject("Guaranteed results or your money back!")
        assert show.wait(90)
    finally:
        show.stop()
    assert show.error is None and show.log.problem is None
    return show.log_path


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_the_log_holds_what_was_said_when_and_by_which_voice(show_log: Path) -> None:
    found = records(show_log)
    types = [r["type"] for r in found]
    assert types[:4] == ["show", "consent", "label", "override"] and types[-1] == "end"
    said = [r for r in found if r["type"] == "said"]
    # The notice opens the show, in the voice and language of the line after it.
    assert said[0]["kind"] == "disclosure" and said[0]["pts_s"] == 0.0
    assert (said[0]["text"], said[0]["voice"]) == ("This host is AI-generated.", "espeak:en-us")
    # The typed line may go before the rundown's first line: it waits only for the notice to end.
    first = next(r for r in said if r["kind"] == "rundown")
    assert first["text"] == "Welcome to the room." and first["voice"] == "espeak:en-us"
    notices = [r for r in said if r["kind"] == "disclosure"]
    assert len(notices) >= 2  # at 0 s, and again once 4 s of show have passed
    for notice in notices:  # each says the notice in the language of the line that follows it
        after = said[said.index(notice) + 1] if said.index(notice) + 1 < len(said) else None
        if after is not None and after["kind"] == "rundown":
            zh = after["voice"] == "espeak:cmn"
            assert notice["text"] == ("以下内容由AI生成。" if zh else "This host is AI-generated.")
            assert notice["voice"] == after["voice"]
    ranked = [r for r in said if r["text"] == RANKED]
    assert ranked and all(r["overrides"] == ["ZH-ABS-02"] for r in ranked)
    assert any(r["kind"] == "interjection" and r["text"] == "Thanks for the follow!" for r in said)
    times = [r["pts_s"] for r in said]
    assert times == sorted(times) and times[-1] < 12.0
    # No biometric data: nothing but text and numbers about the show.
    assert not any(key in r for r in found for key in ("audio", "landmarks", "image", "mouth"))


def test_the_report_summarises_the_show_for_review(show_log: Path) -> None:
    report = build_report(show_log)
    sections = dict(report.sections)
    assert sections["Show"][0] == "live show 'script' with avatar 'demo'"  # the editor's rundown: no file
    assert sections["Show"][2] == "ended: stopped"
    assert sections["Consent"][0].startswith("checked for live at ")
    said = [r for r in records(show_log) if r["type"] == "said"]
    assert sections["Spoken"][0].startswith(f"{len(said)} lines said: ")
    assert any(line.strip().endswith("by espeak:cmn") for line in sections["Spoken"])
    notices = sum(r["kind"] == "disclosure" for r in said)
    assert any(
        line.startswith(f"AI disclosure said {notices} times, at 0:00:00") for line in sections["Spoken"]
    )
    spoken = sum(r["text"] == RANKED for r in said)
    assert sections["Claim overrides"] == (
        f"ZH-ABS-02 '行业第一' let through by li.wei at 2026-12-07T14:05:00+00:00 (ranking no. 123); "
        f"spoken {spoken} times",
        "1 typed lines kept off the air by the claims checker:",
        sections["Claim overrides"][2],
    )
    blocked = sections["Claim overrides"][2]
    assert "EN-GUA-01: " in blocked and blocked.endswith(": Guaranteed results or your money back!")
    labels = sections["AI labels"]
    assert labels[0].startswith("visible label on ('AI-generated', top-left)")
    assert any(line.startswith("record: implicit label ProduceID ") for line in labels)
    outputs = sections["Outputs"]
    assert any(" record started: " in line and line.endswith("show.mp4") for line in outputs)
    assert any(" record closed: " in line and "frames" in line for line in outputs)
    assert sections["Late frames"][0].split(" frames late")[0].endswith("of 360")
    text = report.text()
    assert text.startswith(f"Session report: {show_log}") and "\nClaim overrides\n  ZH-ABS-02" in text


def test_studio_report_prints_it_and_writes_html(
    show_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "report.html"
    assert main(["report", str(show_log), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Session report: ") and "AI disclosure said" in out
    html = page.read_text(encoding="utf-8")
    assert "<h2>Claim overrides</h2>" in html and "行业第一" in html and "<script" not in html


def test_a_log_cut_by_a_kill_is_read_up_to_its_last_line(show_log: Path, tmp_path: Path) -> None:
    raw = show_log.read_bytes()
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(raw[: raw.rfind(b"\n", 0, len(raw) - 1) + 20])  # the end record half written
    report = build_report(cut)
    assert report.notes == ("the last line of cut.jsonl was cut (the show was killed mid-line)",)
    assert dict(report.sections)["Show"][2].startswith("ended: no end record")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no session log at"),
        (b"", "is empty"),
        (b"\x00\x01binary", ":1: not a session log record"),
        (b'{"type": "said"}\n', "does not start with a show record"),
        (b'{"type": "show", "log_version": 99}\n', "session log version 99; this Studio reads version 1"),
        (b'{"type": "show", "log_version": 1}\nnot json\n{"type": "end"}\n', ":2: not a session log record"),
    ],
)
def test_what_is_not_a_session_log_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, problem: str
) -> None:
    path = tmp_path / "some.jsonl"
    if content is not None:
        path.write_bytes(content)
    assert main(["report", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("studio: error: ") and problem in err[0], err
    assert "Traceback" not in err[0]
