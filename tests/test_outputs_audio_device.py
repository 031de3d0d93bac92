"""The audio device output: every sample at its pts, shifted by the offset, silence in gaps.

The device tests play through a real ALSA device whose output is a named pipe
(tests/alsa_device.py), so the device moves only as fast as the test reads: the chunks are
sent while it waits, with no race against a sound card.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest
from alsa_device import RATE, grid_signal, make_alsa_file_device, needs_alsa, run_python

from studio.outputs.audio_device import AudioDeviceOutput, PtsBuffer, offset_samples
from studio.outputs.base import AudioChunk, OutputError
from studio.outputs.sound_devices import SoundDevice, pick_device

# -- the pts buffer (what the callback reads) ----------------------------------------------------


def test_buffer_places_samples_by_pts_whatever_the_order_they_came_in() -> None:
    buf = PtsBuffer(1000)
    buf.put(30, np.full(10, 0.3, np.float32))
    buf.put(10, np.full(10, 0.1, np.float32))
    block = buf.read(5, 40)
    expected = np.zeros(40, np.float32)
    expected[5:15] = 0.1
    expected[25:35] = 0.3
    np.testing.assert_array_equal(block, expected)
    # Silence before the first sound is not an underrun; the 10-sample gap and the tail are.
    assert buf.underrun_samples == 10 + 5
    assert len(buf) == 0


def test_buffer_keeps_a_chunk_the_device_is_half_way_through() -> None:
    buf = PtsBuffer(1000)
    ramp = np.arange(10, dtype=np.float32)
    buf.put(0, ramp)
    np.testing.assert_array_equal(buf.read(0, 4), ramp[:4])
    np.testing.assert_array_equal(buf.read(4, 4), ramp[4:8])
    np.testing.assert_array_equal(buf.read(8, 4), [8, 9, 0, 0])
    assert buf.underrun_samples == 2


def test_buffer_forgets_audio_that_arrives_after_its_time() -> None:
    buf = PtsBuffer(1000)
    buf.read(0, 100)
    buf.put(20, np.ones(30, np.float32))  # entirely in the past
    buf.put(90, np.full(20, 0.5, np.float32))  # its first 10 samples are in the past
    block = buf.read(100, 20)
    np.testing.assert_array_equal(block, [0.5] * 10 + [0.0] * 10)
    assert len(buf) == 0


def test_buffer_drops_the_oldest_audio_beyond_its_capacity() -> None:
    buf = PtsBuffer(100)
    for i in range(4):
        buf.put(i * 40, np.full(40, i + 1, np.float32))
    assert buf.dropped_samples == 80
    assert len(buf) == 80
    np.testing.assert_array_equal(buf.read(0, 160), [0.0] * 80 + [3.0] * 40 + [4.0] * 40)


def test_offset_in_samples() -> None:
    assert offset_samples(12.5, 48000) == 600
    assert offset_samples(-5, 48000) == -240
    assert offset_samples(0, 44100) == 0


# -- choosing a device by name ---------------------------------------------------------------


def _dev(
    index: int, name: str, hostapi: str = "ALSA", ins: int = 2, outs: int = 2, **kw: bool
) -> SoundDevice:
    return SoundDevice(index, name, hostapi, ins, outs, 48000.0, **kw)


def test_pick_device_by_exact_name_then_by_part_of_it() -> None:
    devices = [_dev(0, "studio_file_raw"), _dev(1, "studio_file"), _dev(2, "USB Headset", ins=0)]
    assert pick_device(devices, "studio_file", "output").index == 1  # exact beats substring
    assert pick_device(devices, "HEADSET", "output").index == 2
    assert pick_device(devices, "usb headset [alsa]", "output").index == 2
    with pytest.raises(OutputError, match="several") as ambiguous:
        pick_device(devices, "studio_f", "output")
    assert "'studio_file_raw [ALSA]'" in str(ambiguous.value)
    with pytest.raises(OutputError, match="No microphone matches 'headset'") as none:
        pick_device(devices, "headset", "input")  # the headset has no input channels here
    assert "'studio_file [ALSA]'" in none.value.problem and "--mic-device" in none.value.hint


def test_pick_device_takes_one_physical_device_listed_under_several_host_apis() -> None:
    devices = [
        _dev(0, "Speakers (Realtek)", "MME"),
        _dev(1, "Speakers (Realtek)", "Windows WASAPI", is_default_output=True),
        _dev(2, "Line In", "MME", outs=0),
    ]
    assert pick_device(devices, "speakers", "output").index == 1
    assert pick_device(devices, None, "output").index == 1


def test_pick_device_without_any_device_says_what_to_do() -> None:
    with pytest.raises(OutputError, match="No microphone found") as exc:
        pick_device([_dev(0, "HDMI", ins=0)], None, "input")
    assert "--mic-device" in exc.value.hint and "Connect" in exc.value.hint
    with pytest.raises(OutputError, match="No audio output device found"):
        pick_device([], "anything", "output")


def test_send_before_start_and_close_without_start_are_harmless() -> None:
    out = AudioDeviceOutput()
    out.send_audio(AudioChunk(0, np.ones(10, np.float32)))
    stats = out.close()
    assert (stats.audio_chunks, stats.frames, stats.underrun_samples) == (0, 0, 0)


# -- through a real ALSA device ----------------------------------------------------------------

_PLAY = """
import json, os, select, sys, threading, time
from fractions import Fraction
import numpy as np
from studio.outputs.audio_device import AudioDeviceOutput
from studio.outputs.base import AudioChunk, StreamFormat

pipe, plan_path, folder = sys.argv[1:4]
plan = json.loads(open(plan_path).read())
chunks = [(pts, np.load(path)) for pts, path in plan["chunks"]]
results = []
for run, offset_ms in enumerate(plan["offsets_ms"]):
    fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)  # a reader first, or opening it blocks
    data = bytearray()
    reading, done = threading.Event(), threading.Event()

    def read() -> None:
        reading.wait()
        while True:
            ready, _, _ = select.select([fd], [], [], 0.01)
            if ready:
                part = os.read(fd, 1 << 16)
                if not part:
                    return  # the stream closed the pipe
                data.extend(part)
            elif done.is_set():
                return

    reader = threading.Thread(target=read)
    reader.start()
    # The test stalls the card on purpose and wants every sample: no skipping after the hang.
    out = AudioDeviceOutput(device="studio_file", offset_ms=offset_ms, hang_s=None)
    out.start(StreamFormat(64, 48, Fraction(25), 48000))
    # The pipe fills and the device stalls: wait until it stands still.
    last, still_since = -1, time.monotonic()
    while time.monotonic() - still_since < 0.1:
        now = out.position()[0]
        if now != last:
            last, still_since = now, time.monotonic()
        time.sleep(0.005)
    stalled_at = out.position()[0]
    for pts, samples in chunks:
        out.send_audio(AudioChunk(pts, samples))
    after_send = out.position()[0]
    reading.set()
    clock = [out.position()]
    deadline = time.monotonic() + 20
    while out.position()[0] < plan["play_until"] + out.offset and time.monotonic() < deadline:
        clock.append(out.position())
        time.sleep(0.002)
    stats = out.close()
    final = out.position()[0]
    done.set()
    reader.join()
    os.close(fd)
    np.frombuffer(bytes(data), dtype="<f4").tofile(os.path.join(folder, f"played{run}.raw"))
    results.append(dict(
        offset=out.offset, stalled_at=stalled_at, after_send=after_send, final=final,
        chunks=stats.audio_chunks, underrun=stats.underrun_samples, frames=stats.frames,
        state=stats.state, clock=clock,
    ))
print(json.dumps(results))
"""


@needs_alsa
def test_plays_each_chunk_at_its_pts_shifted_by_the_offset(tmp_path: Path) -> None:
    device = make_alsa_file_device(tmp_path / "alsa", fifo=True)
    first = grid_signal(4800, seed=1)  # random: no two stretches alike
    second = grid_signal(2400, seed=2)
    start, gap = 96000, 1000  # 2 s in: far past where the stalled device stands
    plan_chunks = [(start + first.size + gap, second), (start, first)]  # out of order on purpose
    paths = []
    for i, (pts, samples) in enumerate(plan_chunks):
        np.save(tmp_path / f"chunk{i}.npy", samples)
        paths.append([pts, str(tmp_path / f"chunk{i}.npy")])
    end = start + first.size + gap + second.size
    plan = {"chunks": paths, "offsets_ms": [0.0, 12.5, -5.0], "play_until": end + 4800}
    plan_path = tmp_path / "plan.json"
    plan_path.write_text(json.dumps(plan))

    runs = run_python(device, _PLAY, str(device.out_path), str(plan_path), str(tmp_path))

    primes = []
    for i, run in enumerate(runs):
        offset = run["offset"]
        assert offset == [0, 600, -240][i]
        # The chunks were all queued before the device could reach them.
        assert run["stalled_at"] <= run["after_send"] < start + offset
        played = np.fromfile(tmp_path / f"played{i}.raw", dtype="<f4")
        # PortAudio writes its own silence into the device before the first callback; what
        # follows is exactly what the callbacks handed over, position() counting each sample.
        prime = played.size - run["final"]
        primes.append(prime)
        assert 0 <= prime < RATE // 10
        at = prime + start + offset  # where pts `start` lands in the file
        np.testing.assert_array_equal(played[at : at + first.size], first)
        np.testing.assert_array_equal(played[at + first.size : at + first.size + gap], 0)
        np.testing.assert_array_equal(played[at + first.size + gap : at + end - start], second)
        assert not played[:at].any() and not played[at + end - start :].any()
        assert run["chunks"] == 2 and run["frames"] == 0 and run["state"] == "closed"
        # Underruns: the gap, and the tail played after the last chunk until close.
        assert run["underrun"] == gap + run["final"] - (end + offset)
        # The clock: samples handed never go back, and neither does the time they were handed.
        handed = [count for count, _ in run["clock"]]
        times = [when for _, when in run["clock"]]
        assert handed == sorted(handed) and times == sorted(times)
        assert run["after_send"] <= handed[0] and handed[-1] <= run["final"]
        assert run["final"] >= end + offset + 4800  # it played on past the end until closed
    assert len(set(primes)) == 1  # so the offsets shift the voice by exactly their samples


_ERRORS = """
import json
import time
from fractions import Fraction
from studio.outputs.audio_device import AudioDeviceOutput
from studio.outputs.base import OutputError, StreamFormat

messages = []
for name in ("no such card", "studio_f"):
    try:
        AudioDeviceOutput(device=name).start(StreamFormat(64, 48, Fraction(25), 48000))
        messages.append("started")
    except OutputError as exc:
        messages.append(str(exc))
print(json.dumps(messages))
"""


@needs_alsa
def test_a_device_name_that_fits_none_or_several_lists_the_real_devices(tmp_path: Path) -> None:
    device = make_alsa_file_device(tmp_path / "alsa")
    missing, ambiguous = run_python(device, _ERRORS)
    assert missing.startswith("No audio output device matches 'no such card'.")
    assert "'studio_file [ALSA]'" in missing and "'studio_file_raw [ALSA]'" in missing
    assert "'studio_f' matches several" in ambiguous


def test_after_a_hang_the_card_skips_the_sound_it_missed() -> None:
    """PortAudio's side of the boundary, called as PortAudio would: 10 ms blocks, then none
    for a second, then blocks again."""
    out = AudioDeviceOutput()
    out._rate = 48000
    voice = np.arange(96000, dtype=np.float32) / 96000  # every sample tells its own pts
    out._buffer.put(0, voice)
    block = np.zeros((480, 1), np.float32)
    t0 = time.monotonic()
    out._callback(block, 480, None, None)
    out._callback(block, 480, None, None)
    assert block[0, 0] == pytest.approx(480 / 96000)
    out._clock = (out._clock[0], t0 - 1.0)  # the last callback was a second ago: the card hung
    out._callback(block, 480, None, None)
    # It goes on with the sound of now (about a second on), not with what it missed.
    assert block[0, 0] * 96000 == pytest.approx(960 + 48000, abs=2400)
    assert out.position()[0] == pytest.approx(960 + 48000 + 480, abs=2400)
