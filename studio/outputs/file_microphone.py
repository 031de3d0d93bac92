"""A microphone stand-in that plays a sound in real time, as a capture device would.

It delivers ``block``-sample blocks at the pace of the sound, each stamped with the time its
first sample would have been captured, from a thread of its own (as PortAudio's callback
thread does). Tests and benchmarks drive the live microphone path with it on machines
without a sound card.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import numpy as np

Consumer = Callable[[np.ndarray, float], None]


class FileMicrophone:
    name = "file microphone"

    def __init__(self, audio: np.ndarray, sample_rate: int = 48000, block: int = 480) -> None:
        self.audio = np.asarray(audio, np.float32).reshape(-1)
        self.sample_rate = sample_rate
        self.block = block
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.done = threading.Event()

    def start(self, consumer: Consumer) -> None:
        self._thread = threading.Thread(target=self._run, args=(consumer,), name="studio-file-mic")
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self, consumer: Consumer) -> None:
        t0 = time.monotonic()
        for k, first in enumerate(range(0, len(self.audio) - self.block + 1, self.block)):
            # A block reaches the computer once its last sample has been captured.
            due = t0 + (k + 1) * self.block / self.sample_rate
            if self._stop.wait(max(0.0, due - time.monotonic())):
                return
            consumer(self.audio[first : first + self.block].copy(), t0 + first / self.sample_rate)
        self.done.set()
