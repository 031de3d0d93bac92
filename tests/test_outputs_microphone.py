"""The microphone: what the device captures reaches the consumer, stamped on time.monotonic()."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from alsa_device import RATE, REPO, make_alsa_file_device, needs_alsa, run_python

from studio.media.audio import read_audio, resample
from studio.outputs.microphone import Microphone, capture_time

WORD = REPO / "assets" / "lipsync_eval" / "piper-joe" / "001.wav"


def test_capture_time_is_the_callback_time_less_portaudios_delay() -> None:
    # PortAudio's clock has its own origin; only the delay it reports is carried over.
    assert capture_time(
        now=100.0, stream_now=5.030, adc_time=5.000, frames=480, sample_rate=48000
    ) == pytest.approx(99.970)


@pytest.mark.parametrize(
    ("stream_now", "adc_time"),
    [(5.0, 0.0), (0.0, 0.0), (50.0, 5.0)],  # not reported, no stream clock, absurdly old
)
def test_capture_time_without_a_believable_timestamp_is_one_block_ago(
    stream_now: float, adc_time: float
) -> None:
    assert capture_time(100.0, stream_now, adc_time, frames=480, sample_rate=48000) == pytest.approx(99.99)


def test_capture_time_is_never_after_the_callback() -> None:
    # PortAudio stamps the second half of a split host buffer ahead of the callback.
    assert capture_time(100.0, stream_now=5.0, adc_time=5.01, frames=480, sample_rate=48000) == 100.0


def test_close_without_start_is_harmless() -> None:
    mic = Microphone()
    mic.close()
    assert mic.name == "microphone"


_CAPTURE = """
import json, sys, threading, time
import numpy as np
from studio.outputs.base import OutputError
from studio.outputs.microphone import Microphone

wanted, folder = int(sys.argv[1]), sys.argv[2]
blocks, stamps, enough = [], [], threading.Event()

def consume(samples, when):
    blocks.append(samples)
    stamps.append([when, time.monotonic()])
    if sum(b.size for b in blocks) >= wanted:
        enough.set()

mic = Microphone(device="studio_file", sample_rate=48000, block=480)
before = time.monotonic()
mic.start(consume)
got = enough.wait(20)
mic.close()
after = time.monotonic()
count = len(blocks)
time.sleep(0.05)
np.save(folder + "/captured.npy", np.concatenate(blocks))
try:
    Microphone(device="no such mic").start(consume)
    missing = "started"
except OutputError as exc:
    missing = str(exc)
print(json.dumps(dict(
    got=got, sizes=sorted({b.size for b in blocks}), dtypes=sorted({str(b.dtype) for b in blocks}),
    stamps=stamps, before=before, after=after, more_after_close=len(blocks) - count,
    label=mic.device_label, missing=missing,
)))
"""


@needs_alsa
def test_the_consumer_hears_what_the_device_captures(tmp_path: Path) -> None:
    voice, rate = read_audio(WORD)
    voice = resample(voice, rate, RATE).astype(np.float32)
    device = make_alsa_file_device(tmp_path / "alsa", infile=voice)

    result = run_python(device, _CAPTURE, str(voice.size), str(tmp_path))

    assert result["got"]
    assert result["label"] == "studio_file [ALSA]"
    assert result["sizes"] == [480] and result["dtypes"] == ["float32"]
    captured = np.load(tmp_path / "captured.npy")
    # The word, sample for sample (past the infile's end the device repeats stale data).
    np.testing.assert_array_equal(captured[: voice.size], voice)
    assert result["more_after_close"] == 0
    # Each block was captured before the consumer got it, and after the microphone opened.
    for when, received in result["stamps"]:
        assert result["before"] - 1.0 < when <= received <= result["after"]
    stamps = [when for when, _ in result["stamps"]]
    assert stamps == sorted(stamps)
    assert "No microphone matches 'no such mic'" in result["missing"]
    assert "'studio_file [ALSA]'" in result["missing"] and "--mic-device" in result["missing"]
