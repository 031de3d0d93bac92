"""Playing a clip (the voice preview) through a real ALSA device whose output is a file.

As in the other audio tests, the code under test runs in a fresh interpreter that sees only
the test device (tests/alsa_device.py); what it played is read back from the file.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from alsa_device import RATE, grid_signal, make_alsa_file_device, needs_alsa, run_python

_PLAY = """
import json, shutil, sys, time
import numpy as np
from studio.outputs.playback import play_clip

results = []
for n, (path, rate) in enumerate(((sys.argv[1], 48000), (sys.argv[2], 22050))):
    playback = play_clip(np.load(path), rate, "studio_file")
    started_done = playback.done
    finished = playback.wait(10)
    results.append(dict(
        started_done=started_done, finished=finished, done=playback.done, position=playback.position,
        frames=playback.frames, rate=playback.sample_rate, label=playback.device_label,
    ))
    playback.stop()  # harmless once done
    shutil.copy(sys.argv[3], f"{sys.argv[3]}.{n}")  # the device starts its file afresh each time
# Played to the end with nobody waiting for it, then stopped (the app stops the last preview
# when the next one starts): nothing to silence, and no error.
playback = play_clip(np.load(sys.argv[2]), 22050, "studio_file")
deadline = time.monotonic() + 10
while playback._stream.active and time.monotonic() < deadline:
    time.sleep(0.01)
playback.stop()
results.append(dict(done=playback.done, position=playback.position))
print(json.dumps(results))
"""


@needs_alsa
def test_the_clip_arrives_on_the_device_sample_for_sample(tmp_path: Path) -> None:
    device = make_alsa_file_device(tmp_path / "alsa")
    exact = grid_signal(9600, seed=3)  # 0.2 s at the device's own rate: must come back bit-exact
    np.save(tmp_path / "exact.npy", exact)
    # A voice's rate (Piper, eSpeak): ALSA's plug resamples it, so compare its length and loudness.
    t = np.arange(22050 // 2) / 22050
    tone = (0.4 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    np.save(tmp_path / "tone.npy", tone)

    first, second, stopped_after_the_end = run_python(
        device, _PLAY, str(tmp_path / "exact.npy"), str(tmp_path / "tone.npy"), str(device.out_path)
    )

    assert first["finished"] and first["done"] and not first["started_done"]
    assert first["position"] == first["frames"] == exact.size and first["rate"] == 48000
    assert first["label"] == "studio_file [ALSA]"
    assert second["finished"] and second["position"] == tone.size and second["rate"] == 22050
    assert stopped_after_the_end == {"done": True, "position": tone.size}

    # The first clip, after PortAudio's priming silence, exactly as given, then silence.
    played = np.fromfile(f"{device.out_path}.0", dtype="<f4")
    start = np.flatnonzero(played)[0] - np.flatnonzero(exact)[0]
    assert 0 <= start < RATE // 10
    np.testing.assert_array_equal(played[start : start + exact.size], exact)
    assert not played[:start].any() and not played[start + exact.size :].any()
    # The tone: 0.5 s of it at 48 kHz, as loud as it was given.
    rest = np.fromfile(f"{device.out_path}.1", dtype="<f4")
    heard = np.flatnonzero(np.abs(rest) > 0.01)
    assert heard.size > 0
    span = (heard[-1] - heard[0]) / RATE
    assert span == pytest.approx(0.5, abs=0.01)
    rms = float(np.sqrt(np.mean(rest[heard[0] : heard[-1]] ** 2)))
    assert rms == pytest.approx(0.4 / np.sqrt(2), rel=0.05)


_STOP = """
import json, os, sys, threading, time
import numpy as np
from studio.outputs.playback import play_clip

# The device writes into a pipe, so it plays only as fast as this reader drains it (about
# twice real time): the clip is still playing when it is stopped.
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_NONBLOCK)
data, stopped = bytearray(), threading.Event()

def read():
    while True:
        try:
            part = os.read(fd, 4096)
        except BlockingIOError:
            part = None
        if part:
            data.extend(part)
        elif part == b"" and stopped.is_set():
            return  # the device closed the pipe
        time.sleep(0.01)

reader = threading.Thread(target=read)
reader.start()
playback = play_clip(np.full(480000, 0.5, np.float32), 48000, "studio_file")  # 10 s
time.sleep(0.3)
playing = [playback.done, playback.wait(0.1)]
began = time.monotonic()
playback.stop()
took = time.monotonic() - began
stopped.set()
reader.join()
os.close(fd)
got = np.frombuffer(bytes(data), "<f4")
print(json.dumps(dict(
    playing=playing, took=took, done=playback.done, waited=playback.wait(0),
    position=playback.position, heard=int((got == 0.5).sum()),
)))
"""


@needs_alsa
def test_stop_silences_the_clip_at_once(tmp_path: Path) -> None:
    device = make_alsa_file_device(tmp_path / "alsa", fifo=True)
    result = run_python(device, _STOP, str(device.out_path))
    assert result["playing"] == [False, False]
    assert result["took"] < 5.0  # half the 10 s clip: the stop did not wait for its end
    assert result["done"] and result["waited"]
    # Part of the clip was played, and nothing after the stop.
    assert 0 < result["heard"] == result["position"] < 480000 // 2


_ERRORS = """
import ctypes.util, json
import numpy as np
from studio.outputs.base import OutputError

from studio.outputs.playback import check_output_device, play_clip

clip = np.zeros(100, np.float32)
messages = []
find_library = ctypes.util.find_library
ctypes.util.find_library = lambda name: None  # as on a Linux without libportaudio2
for attempt in (lambda: play_clip(clip, 48000), check_output_device):
    try:
        attempt()
    except OutputError as exc:
        messages.append([exc.problem, exc.hint])
ctypes.util.find_library = find_library
for attempt in (lambda: play_clip(clip, 48000, "no such card"), lambda: check_output_device("no such card")):
    try:
        attempt()
    except OutputError as exc:
        messages.append([exc.problem, exc.hint])
messages.append(check_output_device("studio_file"))
print(json.dumps(messages))
"""


@needs_alsa
def test_no_device_and_no_portaudio_say_what_to_do(tmp_path: Path) -> None:
    device = make_alsa_file_device(tmp_path / "alsa")
    no_portaudio, checked_no_portaudio, missing, checked_missing, found = run_python(device, _ERRORS)
    # The check before a preview says exactly what playing would have said.
    assert checked_no_portaudio == no_portaudio and checked_missing == missing
    (problem, fix), (missing_problem, missing_hint) = no_portaudio, missing
    assert missing_problem.startswith("No audio output device matches 'no such card'.")
    assert "'studio_file [ALSA]'" in missing_problem and "Choose one of them" in missing_hint
    assert "PortAudio could not be loaded" in problem
    assert "sudo apt install libportaudio2" in fix
    assert found == "studio_file [ALSA]"  # the device play_clip would open


def test_a_clip_needs_a_sample_rate() -> None:
    from studio.outputs.playback import play_clip

    with pytest.raises(ValueError, match="sample_rate"):
        play_clip(np.zeros(10, np.float32), 0)
