"""A twin goes live like a photo avatar: a rundown with an interjection, the microphone and an
audio file, into a recording and an RTMP push, measured in sync from what is seen and heard.

Sync is measured on the twin of a man filmed talking (psychopy's testMovie): ``sync-check`` reads
how far the mouth opens, and franck (filmed listening in conversation) opens his so little that
the measure cannot find it in his twin's frames, as in much of his own footage."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest
from live_fixtures import SHOW_RUNDOWN, probe

from studio.avatar.package import Avatar
from studio.cli.main import main
from studio.media.audio import read_audio, resample, write_wav
from studio.outputs.file_microphone import FileMicrophone
from studio.pipeline.av_sync import measure_sync
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings

if TYPE_CHECKING:
    from rtmp_server import RtmpServer

pytest_plugins = ["rtmp_server", "twin_fixtures"]

EVAL = Path(__file__).resolve().parents[1] / "assets" / "lipsync_eval" / "piper-joe"


def speech_48k(seconds: float) -> np.ndarray:
    speech = np.concatenate([read_audio(p)[0] for p in sorted(EVAL.glob("*.wav"))[:4]])
    return resample(speech, 16000, 48000)[: int(seconds * 48000)]


def test_a_twin_runs_a_rundown_into_a_recording_and_rtmp_in_sync(
    jon_twin_avatar: Avatar, tmp_path: Path, rtmp_server: RtmpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "show.rundown.toml"
    script.write_text(SHOW_RUNDOWN, encoding="utf-8")
    out = tmp_path / "live.mp4"
    rc = main([
        "live", "--avatar", str(jon_twin_avatar.path), "--script", str(script), "--record", str(out),
        "--rtmp", rtmp_server.url("twinkey"), "--duration", "14", "--size", "480x270",
    ])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 0, err
    assert "record: closed" in err and "rtmp: closed" in err
    info = probe(out)
    assert float(info["format"]["duration"]) == pytest.approx(14.0, abs=0.05)
    assert info["format"]["tags"]["ai_generated"] == "true"
    (pushed,) = rtmp_server.recordings("twinkey")
    for path in (out, pushed):
        report = measure_sync(path)
        print("twin", path.name, report.summary())
        assert abs(report.offset_frames) <= 1.0, (path.name, report.summary())


def test_a_twin_speaks_an_interjection_typed_mid_show(franck_twin_avatar: Avatar, tmp_path: Path) -> None:
    script = tmp_path / "show.rundown.toml"
    script.write_text(SHOW_RUNDOWN, encoding="utf-8")
    out = tmp_path / "interjected.mp4"
    show = LiveShow(
        franck_twin_avatar,
        RenderSettings(320, 180, Fraction(30)),
        LiveOptions(script=script, record=out, duration_s=8.0),
    )
    show.start()
    try:
        time.sleep(2.0)
        assert show.interject("Thanks for the follow, Lina!", interrupt=True)
        assert show.wait(60)
    finally:
        stats = show.stop()
    assert show.engine.error is None and stats["record"].frames > 200
    assert show.engine.stats.interjection_delays  # it was heard, and when is counted


@pytest.mark.parametrize("drive", ["microphone", "audio file"])
def test_a_twin_follows_the_microphone_or_an_audio_file_in_sync(
    jon_twin_avatar: Avatar, tmp_path: Path, drive: str
) -> None:
    audio = speech_48k(9.0)
    out = tmp_path / "driven.mp4"
    if drive == "microphone":
        options, microphone = LiveOptions(mic=True, record=out, duration_s=8.0), FileMicrophone(audio)
    else:
        wav = tmp_path / "voice.wav"
        write_wav(wav, audio, 48000)
        options, microphone = LiveOptions(audio=wav, record=out, duration_s=8.0), None
    show = LiveShow(jon_twin_avatar, RenderSettings(480, 270, Fraction(30)), options, microphone)
    show.start()
    try:
        assert show.wait(60)
    finally:
        stats = show.stop()
    assert show.engine.error is None and stats["record"].frames > 200
    report = measure_sync(out)
    print("twin", drive, report.summary())
    assert abs(report.offset_frames) <= 1.0, report.summary()
