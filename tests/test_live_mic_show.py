"""A show driven by the creator's voice: a microphone (playing real speech in real time) into
the live model, rendered and recorded; the recording is measured in sync."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.avatar.library import demo_package_path
from studio.avatar.package import load_avatar
from studio.media.audio import read_audio, resample
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
