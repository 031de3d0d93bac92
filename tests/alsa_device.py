"""A real ALSA sound device backed by files, for testing sounddevice code without a sound card.

ALSA's ``file`` plugin writes what is played into a file and plays ``infile`` into what is
captured; its ``null`` slave swallows the rest. A ``plug`` in front fixes the file's bytes
to float32 mono 48 kHz whatever the stream asks for, so the test knows how to read them.
Mono float32 passes bit-exact. A stereo stream is averaged to mono by the plug's route
plugin, which goes through S16: signals on the 16-bit grid (``grid_signal``) still come back
bit-exact. Float, not S16, in the file: with alsa-lib 1.2.8 a float32 capture through a plug
that converts to S16 skips blocks of the infile.

The null slave does not pace in real time: a stream runs through seconds of audio in
milliseconds. With ``fifo=True`` the played samples go into a named pipe instead, so the
device blocks once the pipe is full and moves only as fast as the test reads it.

PortAudio reads the ALSA configuration once, when sounddevice is imported, so the code under
test runs in a fresh interpreter with ``ALSA_CONFIG_PATH`` set (``run_python``): that works
whatever other tests in this process have already imported.
"""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

ALSA_CONF = Path("/usr/share/alsa/alsa.conf")
DEVICE = "studio_file"
RAW_DEVICE = "studio_file_raw"  # the file PCM itself; PortAudio lists it too
RATE = 48000
REPO = Path(__file__).resolve().parents[1]

needs_alsa = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not ALSA_CONF.is_file()
    or ctypes.util.find_library("portaudio") is None,
    reason="needs ALSA (alsa.conf) and PortAudio (apt install libportaudio2)",
)


@dataclass(frozen=True)
class AlsaFileDevice:
    name: str
    config: Path
    out_path: Path  # played samples, float32 mono 48 kHz (a named pipe when made with fifo=True)
    in_path: Path  # captured samples come from here, float32 mono 48 kHz

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ALSA_", "PYTHONWARNINGS"))}
        env["ALSA_CONFIG_PATH"] = str(self.config)
        return env

    def played(self) -> np.ndarray:
        return np.fromfile(self.out_path, dtype="<f4")


def grid_signal(count: int, seed: int) -> np.ndarray:
    """Random float32 samples that survive a round trip through S16 unchanged."""
    steps = np.random.default_rng(seed).integers(-26000, 26000, count)
    return (steps / 32768).astype(np.float32)


def make_alsa_file_device(
    folder: Path, infile: np.ndarray | None = None, fifo: bool = False
) -> AlsaFileDevice:
    folder.mkdir(parents=True, exist_ok=True)
    out_path = folder / ("out.pipe" if fifo else "out.raw")
    in_path = folder / "in.raw"
    if fifo:
        os.mkfifo(out_path)
    # An empty infile is still needed: the plugin opens it whenever a capture stream opens.
    (np.zeros(0, np.float32) if infile is None else np.asarray(infile, dtype="<f4")).tofile(in_path)
    config = folder / "asound.conf"
    config.write_text(
        ALSA_CONF.read_text()
        + textwrap.dedent(
            f"""
            pcm.{RAW_DEVICE} {{
                type file
                slave.pcm "null"
                file "{out_path}"
                infile "{in_path}"
                format "raw"
            }}
            pcm.{DEVICE} {{
                type plug
                slave {{ pcm "{RAW_DEVICE}"; format FLOAT_LE; rate {RATE}; channels 1 }}
                hint {{ show on; description "Studio test device (files)" }}
            }}
            """
        )
    )
    return AlsaFileDevice(DEVICE, config, out_path, in_path)


def run_python(device: AlsaFileDevice, code: str, *args: str, timeout: float = 60) -> Any:
    """Run ``code`` in a fresh interpreter that sees only ``device``'s ALSA setup; the JSON
    it prints last is returned. Its stderr is shown when it fails."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=device.env(),
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])
