"""Record the consent statement being read aloud.

The microphone is anything with ``sample_rate``, ``start(consumer)`` and ``close()``, like
``studio.outputs.microphone.Microphone`` (tests use ``FileMicrophone``). A recording that is
silent (unplugged or muted microphone) is refused: it would not prove anything.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

import numpy as np

from studio.errors import InputError
from studio.tasks import CancelToken, ProgressFn
from studio.translation import tr

Consumer = Callable[[np.ndarray, float], None]

# Below these the recording holds no speech: a muted microphone's noise floor is around
# -60 dBFS RMS; speech read at arm's length peaks above -20 dBFS.
MIN_PEAK = 0.02  # -34 dBFS
MIN_RMS = 0.002  # -54 dBFS, over the whole recording (reading has pauses)
MIN_SECONDS = 1.0
# The microphone gets this long beyond the recording time to deliver its last blocks.
STALL_S = 2.0
# Time for the first sound to arrive before the microphone is called dead.
FIRST_SOUND_S = 3.0


def mic_hint() -> str:
    return tr(
        "Check that the microphone is plugged in, not muted and chosen as the system's input, "
        "then record again (or go on without a recording)."
    )


class ConsentMicrophone(Protocol):
    sample_rate: int

    def start(self, consumer: Consumer) -> None: ...

    def close(self) -> None: ...


def reading_seconds(statement: str) -> float:
    """Time to read ``statement`` aloud unhurried (~2.2 words a second) plus a margin."""
    words = len(statement.split())
    return float(min(90.0, max(5.0, words / 2.2 + 3.0)))


def check_recording(samples: np.ndarray, sample_rate: int) -> None:
    """Raise ``InputError`` unless ``samples`` plausibly hold someone speaking."""
    audio = np.asarray(samples, np.float32).reshape(-1)
    seconds = len(audio) / float(sample_rate)
    if seconds < MIN_SECONDS:
        raise InputError(
            tr("the consent recording is only {seconds:.1f} s long.").format(seconds=seconds),
            tr("Record the whole statement being read aloud."),
        )
    peak = float(np.abs(audio).max())
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64))))
    if peak < MIN_PEAK or rms < MIN_RMS:
        raise InputError(
            tr("the consent recording is silent (loudest sound {level:.0f} dBFS).").format(level=_dbfs(peak)),
            mic_hint(),
        )


def _dbfs(value: float) -> float:
    return 20.0 * float(np.log10(max(value, 1e-6)))


def record_consent(
    microphone: ConsentMicrophone,
    seconds: float,
    progress: ProgressFn,
    token: CancelToken,
    stop: threading.Event | None = None,
) -> np.ndarray:
    """Record up to ``seconds`` of mono float32 audio at ``microphone.sample_rate``.

    ``stop`` ends the recording early and keeps it (the reader has finished); ``token``
    cancels it and keeps nothing. The microphone is closed in every case. Raises
    ``InputError`` when no sound arrives or the recording is silent.
    """
    rate = int(microphone.sample_rate)
    wanted = int(round(seconds * rate))
    blocks: list[np.ndarray] = []
    lock = threading.Lock()
    got = 0

    def consumer(samples: np.ndarray, _when: float) -> None:
        nonlocal got
        with lock:
            blocks.append(np.asarray(samples, np.float32).reshape(-1).copy())
            got += len(blocks[-1])

    token.check(tr("the consent recording"))
    progress(0.0, tr("Starting the microphone"))
    microphone.start(consumer)
    start = time.monotonic()
    try:
        while True:
            token.check(tr("the consent recording"))
            with lock:
                have = got
            elapsed = time.monotonic() - start
            progress(
                min(1.0, have / max(wanted, 1)),
                tr("Recording: {done:.0f} of {total:.0f} s").format(done=have / rate, total=seconds),
            )
            if have >= wanted or (stop is not None and stop.is_set()):
                break
            if have == 0 and elapsed > FIRST_SOUND_S:
                raise InputError(tr("the microphone delivers no sound."), mic_hint())
            if elapsed > seconds + STALL_S:
                break  # a microphone that fell behind: keep what it gave
            time.sleep(0.05)
    finally:
        microphone.close()
    with lock:
        audio = np.concatenate(blocks)[:wanted] if blocks else np.zeros(0, np.float32)
    check_recording(audio, rate)
    progress(1.0, tr("Recorded {seconds:.1f} s").format(seconds=len(audio) / rate))
    return audio


def default_microphone_factory(device: str = "") -> Callable[[], ConsentMicrophone] | None:
    """A factory for the microphone ``device`` names (the Settings choice; "" is the system's
    default), or None when the machine has no audio input (or no working audio system): the
    wizard then offers no recording. This loads PortAudio and lists the devices, which can
    take a while: call it from a worker thread. A named device that is missing is reported
    when recording starts, with the fix (choose another in Settings)."""
    from studio.outputs.base import OutputError
    from studio.outputs.microphone import Microphone
    from studio.outputs.sound_devices import query_sound_devices

    try:
        devices = query_sound_devices()
    except (OutputError, OSError):
        return None
    if not any(found.channels("input") > 0 for found in devices):
        return None
    chosen = device.strip() or None
    return lambda: Microphone(chosen)
