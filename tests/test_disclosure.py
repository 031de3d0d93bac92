"""The spoken AI notice (between sentences, never cutting one, in the voice and language of the
next line, every N seconds of show), its own claims check, renders that open with it; and the
visible label that cannot be off on RTMP or the virtual camera without a named acknowledgement."""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from live_fixtures import Sink
from pytestqt.qtbot import QtBot

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.cli.main import main
from studio.compliance.disclosure import Disclosure, disclosure_from, with_disclosure
from studio.compliance.report import build_report
from studio.errors import InputError
from studio.live.clips import Clip
from studio.live.program import Program
from studio.live.rundown import Rundown, Segment
from studio.live.supply import SpeechSupply
from studio.outputs.base import StreamFormat
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.pipeline.render_job import default_driver
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings
from studio.settings.app_settings import AppSettings
from studio.ui.live_plan import plan_show
from studio.ui.settings_page import SettingsPage

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server"]

FMT = StreamFormat(160, 96, Fraction(30))
UNLABELLED = RenderSettings(160, 96, Fraction(30), label=LabelSettings(False, "AI-generated", "top-left"))
EN, ZH = "This host is AI-generated.", "以下内容由AI生成。"


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


@pytest.fixture(autouse=True)
def logs_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_SESSION_LOGS", str(tmp_path / "logs"))
    monkeypatch.setenv("STUDIO_SETTINGS", str(tmp_path / "settings.json"))


def play(every_s: float, seconds: float) -> list[tuple[int, Clip]]:
    """The clips a two-language rundown starts over ``seconds`` of show, with their first sample."""
    rundown = Rundown(
        (
            Segment("Welcome to the room. The mug keeps drinks hot.", "espeak:en-us", pause_ms=100),
            Segment("欢迎来到直播间。", "espeak:cmn", pause_ms=100),
        )
    )
    supply = SpeechSupply(FMT, default_driver(), rundown, disclosure=Disclosure(every_s))
    program = Program(FMT, supply, wait_for_speech_s=30.0, disclosure_every_s=every_s)
    started: list[tuple[int, Clip]] = []
    supply.start()
    try:
        for index in range(round(seconds * 30)):
            content = program.frame(index)
            if content.started is not None:
                started.append((content.pts, content.started))
    finally:
        supply.close()
    return started


def test_the_notice_comes_between_sentences_in_the_next_lines_voice_and_language() -> None:
    every = 4.0
    started = play(every, 20.0)
    kinds = [clip.kind for _, clip in started]
    assert kinds[0] == "disclosure" and started[0][0] == 0
    notices = [(pts, clip) for pts, clip in started if clip.kind == "disclosure"]
    assert len(notices) >= 3
    for (pts, clip), (next_pts, next_clip) in zip(started, started[1:], strict=False):
        assert next_pts >= pts + len(clip.audio)  # every clip, the notice too, was played whole
        if clip.kind == "disclosure":
            assert next_clip.kind == "rundown" and clip.voice == next_clip.voice
            assert clip.label == (ZH if next_clip.voice == "espeak:cmn" else EN)
    assert {clip.label for _, clip in notices} == {EN, ZH}  # the lines after them alternate
    rate = FMT.sample_rate
    longest = max(len(clip.audio) for _, clip in started)
    for (a, _), (b, _) in zip(notices, notices[1:], strict=False):
        assert every * rate <= b - a <= every * rate + 2 * longest  # at the first gap once due


def test_zero_minutes_says_it_only_at_the_start() -> None:
    started = play(0.0, 8.0)
    assert [clip.kind for _, clip in started].count("disclosure") == 1 and started[0][1].kind == "disclosure"


def test_the_notice_passes_the_claims_checker_like_any_line() -> None:
    with pytest.raises(InputError, match="the en AI disclosure is not said: .*ABS"):
        Disclosure(texts={"en": "The best AI host in the world.", "zh": ZH}).checked()
    with pytest.raises(InputError, match="the zh AI disclosure is not said"):
        Disclosure(texts={"en": EN, "zh": "我是真人主播。"}).checked()
    assert Disclosure().checked() == Disclosure()
    assert disclosure_from(False, 10, ZH, EN) is None
    assert with_disclosure("欢迎！\nWelcome!", Disclosure()) == (f"{ZH}\n欢迎！\nWelcome!", ZH)
    assert with_disclosure("Hi.", Disclosure(texts={"en": ""})) == ("Hi.", "")


def test_a_render_opens_with_the_notice_and_logs_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.mp4"
    argv = ["render", "--avatar", "demo", "--voice", "espeak:en-us", "--size", "160x96", "--out", str(out)]
    assert main([*argv, "--text", "Hello there."]) == 0
    err = capsys.readouterr().err
    (log,) = (tmp_path / "logs").glob("*.jsonl")
    assert f"studio: session log: {log}" in err
    said = [r for r in map(json.loads, log.read_text(encoding="utf-8").splitlines()) if r["type"] == "said"]
    assert [(r["kind"], r["text"]) for r in said] == [("disclosure", EN), ("script", "Hello there.")]
    with_notice = float(json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["pts_s"])
    log.unlink()
    assert main([*argv, "--text", "Hello there.", "--no-disclosure"]) == 0
    (log,) = (tmp_path / "logs").glob("*.jsonl")
    report = dict(build_report(log).sections)
    assert "AI disclosure: not said" in report["Spoken"]
    assert float(json.loads(log.read_text(encoding="utf-8").splitlines()[-1])["pts_s"]) < with_notice - 1.0


# -- the visible label on streams ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--no-label", "--rtmp", "rtmp://127.0.0.1:1/live/k"], "--no-label with --rtmp or --vcam"),
        (["--no-label", "--vcam"], "--no-label with --rtmp or --vcam"),
        (["--acknowledge-unlabelled", "Li Wei", "--record", "{tmp}/a.mp4"], "goes with --no-label"),
    ],
)
def test_an_unlabelled_stream_needs_a_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], problem: str
) -> None:
    script = tmp_path / "s.txt"
    script.write_text("Hello.\n", encoding="utf-8")
    argv = ["live", "--avatar", "demo", "--script", str(script), "--size", "160x96"]
    rc = main([*argv, *(a.replace("{tmp}", str(tmp_path)) for a in args)])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and err[-1].startswith("studio: error: ") and problem in err[-1], err


def test_the_show_itself_refuses_it_for_the_app_and_for_a_stream_added_later(
    avatar: Avatar, tmp_path: Path
) -> None:
    rundown = Rundown((Segment("Hello.", "espeak:en-us"),))
    with pytest.raises(InputError, match="the visible AI label is off, and the virtual camera reaches"):
        LiveShow(avatar, UNLABELLED, LiveOptions(rundown=rundown, vcam=True))
    show = LiveShow(avatar, UNLABELLED, LiveOptions(rundown=rundown, duration_s=1.0), extra_outputs=(Sink(),))
    show.start()
    try:
        with pytest.raises(InputError, match="and RTMP reaches an audience"):
            show.add_output("rtmp", "rtmp://127.0.0.1:1/live/key")
    finally:
        show.stop()
    # A recording alone keeps today's behaviour: no acknowledgement asked.
    assert "rtmp" not in show.targets()


def test_an_acknowledged_unlabelled_stream_is_logged_and_reported(
    tmp_path: Path, rtmp_server: RtmpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "s.txt"
    script.write_text("Hello there.\n", encoding="utf-8")
    rc = main([
        "live", "--avatar", "demo", "--script", str(script), "--voice", "espeak:en-us", "--size", "160x96",
        "--no-label", "--acknowledge-unlabelled", "Li Wei", "--rtmp", rtmp_server.url("k"), "--duration", "3",
    ])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 0, err
    (log,) = (tmp_path / "logs").glob("*.jsonl")
    assert f"studio: session log: {log}" in err
    labels = dict(build_report(log).sections)["AI labels"]
    assert labels[0].startswith("visible label OFF") and labels[1] == "unlabelled rtmp acknowledged by Li Wei"
    assert labels[2].startswith("rtmp: implicit label ProduceID ")


def test_the_app_asks_for_the_name_and_hands_it_and_the_notice_to_the_show(
    qtbot: QtBot, tmp_path: Path
) -> None:
    page = SettingsPage(AppSettings(), tmp_path / "settings.json", list_devices=lambda: None)
    qtbot.addWidget(page)
    assert not page.label_ack.isEnabled()
    with qtbot.waitSignal(page.settings_changed):
        page.label_check.setChecked(False)
    assert page.label_ack.isEnabled()
    page.label_ack.setText("Li Wei")
    with qtbot.waitSignal(page.settings_changed) as changed:
        page.label_ack.editingFinished.emit()
    settings: AppSettings = changed.args[0]
    assert settings.label_off_acknowledged_by == "Li Wei" and not settings.label_enabled
    page.disclosure_every.setValue(3)
    page.disclosure_en.setText("You are watching an AI host.")
    page.disclosure_en.editingFinished.emit()
    settings = page.settings
    rundown = Rundown((Segment("Hello."),))
    _, options = plan_show(settings, lambda: rundown, mic=False, record_folder=tmp_path / "rec")
    assert options.unlabelled_by == "Li Wei"
    assert options.disclosure == Disclosure(180.0, {"zh": ZH, "en": "You are watching an AI host."})
    with qtbot.waitSignal(page.settings_changed) as changed:
        page.label_check.setChecked(True)  # the label back on: the acknowledgement goes
    assert changed.args[0].label_off_acknowledged_by == ""
    off = replace(settings, disclosure_enabled=False)
    assert plan_show(off, lambda: rundown, mic=False, record_folder=tmp_path / "rec")[1].disclosure is None
