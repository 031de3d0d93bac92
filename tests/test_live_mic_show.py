"""A show driven by the creator's voice: a microphone (playing real speech in real time) into
the live model, rendered and recorded; the recording is measured in sync."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.media.audio import read_audio, resample
from studio.outputs.audio_device import following_offset
from studio.outputs.file_microphone import FileMicrophone
from studio.pipeline.av_sync import measure_sync
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.photo_renderer import RenderSettings

EVAL = Path(__file__).resolve().parents[1] / "assets" / "lipsync_eval" / "piper-joe"


def test_the_microphone_drives_a_recorded_show_in_sync(tmp_path: Path) -> None:
    speech = np.concatenate([read_audio(p)[0] for p in sorted(EVAL.glob("*.wav"))[:4]])
    audio = resample(speech, 16000, 48000)[: 9 * 48000]
    out = tmp_path / "mic.mp4"
    options = LiveOptions(mic=True, record=out, duration_s=8.0)
    show = LiveShow(
        load_avatar(demo_package_path(), ""),
        RenderSettings(480, 270, Fraction(30)),
        options,
        FileMicrophone(audio),
    )
    show.start()
    try:
        assert show.wait(60)
    finally:
        stats = show.stop()
    assert show.engine.error is None
    assert stats["record"].frames > 200
    status = show.status()
    assert status.latency_ms is not None and status.latency_ms > 0
    assert "lip sync: model on CPUExecutionProvider" in status.line()
    # The budget the engine shows frames on: one frame, the model's look-ahead, render time.
    assert show.engine.source.delay_samples / 48000 < 0.150
    report = measure_sync(out)
    assert abs(report.offset_frames) <= 1.0, report.summary()


def test_a_voice_passed_through_plays_when_its_frame_is_shown() -> None:
    avatar = load_avatar(demo_package_path(), "")
    settings = RenderSettings(160, 96, Fraction(30))
    show = LiveShow(avatar, settings, LiveOptions(mic=True, audio_out="", av_offset_ms=20.0))
    (device,) = show.engine.outputs
    assert device.name == "audio" and device.offset_ms == 20.0
    master, delay = device._follow
    assert master == show.clock.now and delay == show.engine.source.delay_samples
    scripted = LiveShow(
        avatar, settings, LiveOptions(script=EVAL.parent.parent / "demo" / "pitch.txt", audio_out="")
    )
    # On a script the voice device is the clock: a pre-roll of the engine's lead, no following.
    assert scripted.engine.outputs[0].offset_ms == pytest.approx(200.0)
    assert scripted.engine.outputs[0]._follow is None


def test_following_another_clock_corrects_drift_but_not_jitter() -> None:
    assert following_offset(device=1000, master=400.0, delay=5000, current=None, tolerance=480) == 5600
    assert following_offset(device=1200, master=400.0, delay=5000, current=5600, tolerance=480) == 5600
    assert following_offset(device=1100, master=-500.0, delay=5000, current=5600, tolerance=480) == 6600
