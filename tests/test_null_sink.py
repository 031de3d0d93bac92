"""The Studio Voice null sink, against a real PulseAudio daemon started for the test.

The daemon is private (its own runtime folder and HOME, no default script) so the test sees
only its own modules; scripts/setup.sh installs pulseaudio, pulseaudio-utils and the ALSA
pulse plugin through which PortAudio plays to it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from studio.outputs.base import OutputError
from studio.outputs.null_sink import (
    SINK_DESCRIPTION,
    SINK_NAME,
    NullSink,
    create_null_sink,
    list_sinks,
    pactl,
    remove_null_sink,
    voice_env,
)
from studio.outputs.readiness import Probes, voice_readiness
from studio.outputs.readiness_fixes import run_fix
from studio.outputs.readiness_probes import real_probes

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PulseAudio/PipeWire sinks are Linux's"),
    pytest.mark.skipif(
        shutil.which("pulseaudio") is None or shutil.which("pactl") is None,
        reason="scripts/setup.sh installs pulseaudio and pulseaudio-utils",
    ),
]

SPEAKERS = "fixture_speakers"  # the daemon's default sink: where sound goes unless sent elsewhere


def _pactl_ok(env: dict[str, str]) -> bool:
    done = subprocess.run(["pactl", "info"], env=env, capture_output=True, timeout=10, check=False)
    return done.returncode == 0


@pytest.fixture
def pulse(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A running PulseAudio daemon; the test process (and every child) talks to it."""
    # Short: the socket's path must fit a sockaddr_un (108 bytes).
    root = Path(tempfile.mkdtemp(prefix="pa-"))
    (root / "home").mkdir()
    (root / "run").mkdir(mode=0o700)
    env = {
        **os.environ,
        "HOME": str(root / "home"),
        "XDG_RUNTIME_DIR": str(root / "run"),
        "PULSE_RUNTIME_PATH": str(root / "run"),
    }
    env.pop("PULSE_SERVER", None)
    env.pop("PULSE_SINK", None)
    daemon = subprocess.Popen(
        [
            "pulseaudio",
            "-n",  # no default.pa: only the modules below, no hardware
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--log-target=stderr",
            "-L",
            "module-native-protocol-unix",
            "-L",
            f"module-null-sink sink_name={SPEAKERS}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(200):
            if daemon.poll() is not None or _pactl_ok(env):
                break
            time.sleep(0.1)
        if daemon.poll() is not None:
            pytest.fail(f"pulseaudio did not start: {daemon.stderr.read() if daemon.stderr else ''}")
        assert _pactl_ok(env), "pulseaudio never answered pactl"
        for key in ("HOME", "XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH"):
            monkeypatch.setenv(key, env[key])
        monkeypatch.delenv("PULSE_SERVER", raising=False)
        monkeypatch.delenv("PULSE_SINK", raising=False)
        yield env
    finally:
        daemon.terminate()
        try:
            daemon.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            daemon.kill()
            daemon.communicate()
        shutil.rmtree(root, ignore_errors=True)


def _short(what: str) -> str:
    return subprocess.run(
        ["pactl", "list", "short", what], capture_output=True, text=True, timeout=10, check=True
    ).stdout


def test_creates_the_sink_and_removes_only_the_module_it_loaded(pulse: dict[str, str]) -> None:
    modules_before = _short("modules")
    assert SINK_NAME not in _short("sinks")

    sink = create_null_sink()

    assert sink.module is not None
    assert sink.monitor == f"{SINK_NAME}.monitor"
    assert SINK_NAME in [line.split("\t")[1] for line in _short("sinks").splitlines()]
    assert SINK_NAME in list_sinks()
    # The name other apps show keeps its space.
    described = pactl(["list", "sinks"])
    assert f"Description: {SINK_DESCRIPTION}" in described
    assert f"{sink.module}\tmodule-null-sink\tsink_name={SINK_NAME}" in _short("modules")

    assert remove_null_sink(sink) is True

    assert SINK_NAME not in _short("sinks")
    assert _short("modules") == modules_before  # the fixture's own sink and protocol stay
    assert SPEAKERS in list_sinks()


def test_a_sink_that_was_there_already_is_kept(pulse: dict[str, str]) -> None:
    pactl(["load-module", "module-null-sink", f"sink_name={SINK_NAME}"])

    sink = create_null_sink()

    assert sink == NullSink(SINK_NAME, None)
    assert remove_null_sink(sink) is False
    assert SINK_NAME in list_sinks()


def test_a_module_number_now_used_by_something_else_is_not_unloaded(pulse: dict[str, str]) -> None:
    # Module numbers come back after a server restart: the speakers' module is not ours.
    speakers_module = next(
        int(line.split("\t")[0]) for line in _short("modules").splitlines() if f"sink_name={SPEAKERS}" in line
    )

    assert remove_null_sink(NullSink(SINK_NAME, speakers_module)) is False
    assert SPEAKERS in list_sinks()


def test_the_linux_voice_fix_turns_readiness_green(pulse: dict[str, str]) -> None:
    probes = Probes(pulse_sinks=list_sinks)
    before = voice_readiness("Linux", probes)
    assert not before.ready and before.fix is not None and before.fix.action == "voice_sink"

    said = run_fix(before.fix.action, None)

    assert (
        said == f"{SINK_DESCRIPTION} is ready: apps take 'Monitor of {SINK_DESCRIPTION}' as their microphone."
    )
    assert voice_readiness("Linux", probes).ready
    assert run_fix("voice_sink", None).startswith(f"{SINK_DESCRIPTION} was there already")


PLAY = """
import sys
import numpy as np
import sounddevice as sd
names = [d["name"] for d in sd.query_devices() if d["max_output_channels"] > 0]
if "pulse" not in names:
    sys.exit("PortAudio lists no 'pulse' device: " + ", ".join(names))
tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(48000 * 2) / 48000)).astype("float32")
sd.play(tone, 48000, device="pulse", blocking=True)
"""


def test_portaudio_plays_the_voice_into_the_sink(pulse: dict[str, str], tmp_path: Path) -> None:
    sink = create_null_sink()
    # What apps record: the sink's monitor, captured while PortAudio plays a tone.
    recorder = subprocess.Popen(
        ["parec", f"--device={sink.monitor}", "--raw", "--format=s16le", "--channels=1", "--rate=48000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=pulse,
    )
    try:
        played = subprocess.run(
            [sys.executable, "-c", PLAY],
            env=voice_env(sink.name, pulse),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        recorder.terminate()
        captured, _ = recorder.communicate(timeout=10)
    assert played.returncode == 0, played.stderr
    samples = np.frombuffer(captured, dtype=np.int16).astype(np.float32) / 32768
    assert samples.size > 0
    # The tone's amplitude is 0.5: the loudest stretch of the capture carries it.
    assert np.abs(samples).max() > 0.4
    assert remove_null_sink(sink) is True


def test_without_a_sound_server_the_error_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path}/native")  # nothing listens there

    with pytest.raises(OutputError) as exc:
        create_null_sink()

    assert exc.value.problem.startswith("No PulseAudio or PipeWire sound server is running (")
    assert "\n" not in exc.value.problem and "\n" not in exc.value.hint
    assert "pipewire-pulse" in exc.value.hint
    readiness = voice_readiness("Linux", Probes(pulse_sinks=list_sinks))
    assert not readiness.ready and readiness.detail == exc.value.problem


def test_without_pactl_the_error_names_the_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(OutputError) as exc:
        list_sinks()

    assert exc.value.problem == "The sound tool pactl was not found."
    assert "sudo apt install pulseaudio-utils" in exc.value.hint


def _voice_line(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "studio", "devices"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return next(line.strip() for line in done.stdout.splitlines() if "Voice to other apps:" in line)


def test_studio_devices_reports_the_sink_before_and_after_it_is_created(pulse: dict[str, str]) -> None:
    before = _voice_line(pulse)
    assert before.startswith("Voice to other apps: NOT READY. No Studio Voice sink")
    assert "Fix: Create it: pactl load-module module-null-sink sink_name=studio_voice" in before

    sink = create_null_sink()

    assert SINK_NAME in real_probes("Linux").pulse_sinks()
    assert _voice_line(pulse).startswith("Voice to other apps: ready. The Studio Voice sink is there")
    assert remove_null_sink(sink) is True


PLAY_THROUGH_STUDIO = """
import sys, time
from fractions import Fraction
import numpy as np
from studio.outputs.audio_device import AudioDeviceOutput
from studio.outputs.base import AudioChunk, StreamFormat

out = AudioDeviceOutput(device=sys.argv[1])
out.start(StreamFormat(320, 240, Fraction(25), 48000))
print(out.device_label, flush=True)
tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(48000 * 2) / 48000)).astype("float32")
for pts in range(0, tone.size, 4800):
    out.send_audio(AudioChunk(pts, tone[pts : pts + 4800]))
time.sleep(2.5)
stats = out.close()
print(stats.state, flush=True)
"""


def _record(monitor: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        ["parec", f"--device={monitor}", "--raw", "--format=s16le", "--channels=1", "--rate=48000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )


def _loudest(recorder: subprocess.Popen[bytes]) -> float:
    recorder.terminate()
    captured, _ = recorder.communicate(timeout=10)
    samples = np.frombuffer(captured, dtype=np.int16).astype(np.float32) / 32768
    return float(np.abs(samples).max()) if samples.size else 0.0


@pytest.mark.parametrize("choice", [SINK_DESCRIPTION, "pulse"])
def test_choosing_studio_voice_sends_the_voice_to_the_sink_not_the_speakers(
    pulse: dict[str, str], choice: str
) -> None:
    """Studio Voice as the audio output: Studio's own stream is moved to the sink, so other apps
    hear it and the speakers do not; plain 'pulse' plays on the server's default (the speakers)."""
    sink = create_null_sink()
    to_sink, to_speakers = _record(sink.monitor, pulse), _record(f"{SPEAKERS}.monitor", pulse)
    try:
        played = subprocess.run(
            [sys.executable, "-c", PLAY_THROUGH_STUDIO, choice],
            env=pulse,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        heard_by_apps, heard_on_speakers = _loudest(to_sink), _loudest(to_speakers)
    assert played.returncode == 0, played.stderr
    label, state = played.stdout.split("\n")[:2]
    assert state == "closed"
    if choice == SINK_DESCRIPTION:
        assert label == SINK_DESCRIPTION
        assert heard_by_apps > 0.4 and heard_on_speakers < 0.01
    else:
        assert heard_on_speakers > 0.4 and heard_by_apps < 0.01
    assert remove_null_sink(sink) is True


def test_studio_voice_is_an_audio_output_while_its_sink_exists(pulse: dict[str, str]) -> None:
    def outputs() -> str:
        listed = subprocess.run(
            [sys.executable, "-m", "studio", "devices"], env=pulse, capture_output=True, text=True,
            timeout=300, check=True,
        ).stdout  # fmt: skip
        return listed.partition("Audio outputs")[2].partition("Live outputs")[0]

    assert SINK_DESCRIPTION not in outputs()
    sink = create_null_sink()
    assert SINK_DESCRIPTION in outputs()
    assert remove_null_sink(sink) is True


def test_studio_voice_without_its_sink_is_one_line(pulse: dict[str, str]) -> None:
    played = subprocess.run(
        [sys.executable, "-c", PLAY_THROUGH_STUDIO, SINK_DESCRIPTION],
        env=pulse, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert played.returncode != 0
    assert "OutputError: There is no Studio Voice sink to send the voice to." in played.stderr
