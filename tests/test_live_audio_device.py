"""`studio live --audio-out`: the voice plays on a real (ALSA file) sound device that runs at
real-time pace, and that device's sample count is the show's clock."""

from __future__ import annotations

import fcntl
import os
import re
import select
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import numpy as np
import pytest
from alsa_device import RATE, make_alsa_file_device, needs_alsa

REPO = Path(__file__).resolve().parents[1]
SCRIPT = "Welcome to the live room, everyone!\n"
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
BLOCK = 480


class PacedReader:
    """Reads the device's output pipe at 48 kHz, as a sound card consumes samples."""

    def __init__(self, pipe: Path, pause: tuple[float, float] | None = None) -> None:
        self.pause = pause  # (after, for) seconds of play: the card stops taking sound meanwhile
        self.fd = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
        # A sound card buffers a few ms, not a pipe's 64 KiB (340 ms): with that much the
        # device would take sound long before it is heard, which no clock can know.
        fcntl.fcntl(self.fd, F_SETPIPE_SZ, 4096)
        self.data = bytearray()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, name="paced-reader")
        self.thread.start()

    def run(self) -> None:
        t0: float | None = None  # the card starts playing when the first sound arrives
        taken = 0
        while not self.stop.is_set():
            ready, _, _ = select.select([self.fd], [], [], 0.005)
            if not ready:
                continue
            if t0 is None:
                t0 = time.monotonic()
            played = time.monotonic() - t0
            if self.pause is not None and played > self.pause[0]:
                if played < self.pause[0] + self.pause[1]:
                    time.sleep(0.005)
                    continue
                played -= self.pause[1]
            due = (int(played * RATE) + BLOCK) * 4  # bytes played by now
            if taken < due:
                part = os.read(self.fd, min(due - taken, 1 << 16))
                if not part:
                    return  # the stream closed the pipe
                self.data.extend(part)
                taken += len(part)
            else:
                time.sleep(0.002)

    def close(self) -> np.ndarray:
        self.stop.set()
        self.thread.join()
        os.close(self.fd)
        return np.frombuffer(bytes(self.data[: len(self.data) // 4 * 4]), dtype="<f4")


def decoded_audio(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        chunks = [f.to_ndarray().mean(axis=0) for f in container.decode(audio=0)]
    return np.concatenate(chunks).astype(np.float32)


def live_on_card(tmp_path: Path, seconds: float, pause: tuple[float, float] | None = None) -> tuple:  # noqa: ANN001
    device = make_alsa_file_device(tmp_path / "alsa", fifo=True)
    script = tmp_path / "script.txt"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "live.mp4"
    reader = PacedReader(device.out_path, pause)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "studio", "live", "--avatar", "demo", "--script", str(script),
             "--voice", "espeak:en-us", "--audio-out", device.name, "--record", str(out),
             "--duration", str(seconds), "--size", "320x180"],
            cwd=REPO, env=device.env(), capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        played = reader.close()
    return result, out, played


@needs_alsa
def test_the_voice_plays_on_the_device_that_clocks_the_show(tmp_path: Path) -> None:
    result, out, played = live_on_card(tmp_path, 4)
    assert result.returncode == 0, result.stderr
    assert "audio: closed" in result.stderr and "record: closed" in result.stderr
    late = re.search(r"stopped at .*? late (\d+) ", result.stderr)
    assert late is not None and int(late.group(1)) <= 3  # frames kept time with the card
    recorded = decoded_audio(out)
    assert len(recorded) == pytest.approx(4 * RATE, abs=1024)
    # The device played the show's voice: the recording's sound is in what the device took,
    # after the pre-roll (200 ms: time to render the first frames) and PortAudio's own lead-in.
    voiced = recorded[: 2 * RATE]
    scores = np.correlate(played[: 3 * RATE], voiced[RATE // 4 : RATE // 4 + RATE // 2], mode="valid")
    lag = int(np.argmax(scores)) - RATE // 4
    assert 0.2 * RATE <= lag <= 0.2 * RATE + 2048, lag

    def envelope(x: np.ndarray) -> np.ndarray:  # 10 ms RMS: AAC keeps it, not every sample
        return np.sqrt((x[: len(x) // 480 * 480].reshape(-1, 480) ** 2).mean(axis=1))

    match = envelope(played[lag : lag + 2 * RATE])
    assert np.corrcoef(match, envelope(voiced))[0, 1] > 0.95  # the same sound
    # The device ran at real time and the frames followed it: four seconds of show took about
    # four seconds of device samples (plus the pre-roll).
    assert len(played) == pytest.approx(4.2 * RATE, rel=0.1)


@needs_alsa
def test_a_card_that_stops_taking_sound_does_not_stop_the_show(tmp_path: Path) -> None:
    result, out, _ = live_on_card(tmp_path, 5, pause=(1.5, 2.0))  # the card hangs for 2 s
    assert result.returncode == 0, result.stderr
    assert "warning: audio stalled: no sound taken" in result.stderr  # the operator is told...
    assert "audio running again" in result.stderr
    late = re.search(r"stopped at .*? late (\d+) ", result.stderr)
    assert late is not None and int(late.group(1)) <= 5  # ...and the frames kept time
    assert len(decoded_audio(out)) == pytest.approx(5 * RATE, abs=1024)  # the recording went on
