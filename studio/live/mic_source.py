"""The creator's microphone drives the mouth, through the streaming lip-sync model.

The microphone is the master clock here: a frame can be planned once the sound under it,
plus the model's look-ahead, has arrived. Its own sound goes with it to the outputs, so the
recording and the stream carry the voice exactly under the mouth that it moved.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from fractions import Fraction
from typing import Protocol

import numpy as np

from studio.lipsync.stream_poser import StreamPoser
from studio.live.program import FrameContent
from studio.media.clock import frame_start_sample
from studio.outputs.base import StreamFormat

MODEL_RATE = 16000
# Time to render and hand over a frame once its sound is in: part of the latency budget.
RENDER_BUDGET_S = 0.025


class VisemeStream(Protocol):
    def push_audio(self, audio: np.ndarray) -> np.ndarray: ...


class Decimator:
    """Streaming low-pass and downsample by an integer factor (48 kHz -> 16 kHz for the model).

    A windowed-sinc FIR keeps the speech band and removes what would alias; its state is the
    last ``taps - 1`` input samples, so chunks of any size give the same output as one block.
    """

    def __init__(self, factor: int, taps: int = 63) -> None:
        self.factor = factor
        n = np.arange(taps) - (taps - 1) / 2
        cutoff = 0.45 / factor  # of the input rate: 7.2 kHz at 48 kHz
        kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hanning(taps + 2)[1:-1]
        self._kernel = (kernel / kernel.sum()).astype(np.float32)
        self._history = np.zeros(taps - 1, np.float32)
        self._phase = 0  # index in the next chunk of the next sample to keep

    def push(self, audio: np.ndarray) -> np.ndarray:
        x = np.concatenate([self._history, np.asarray(audio, np.float32)])
        filtered = np.convolve(x, self._kernel, mode="valid")  # one per new input sample
        out = filtered[self._phase :: self.factor]
        self._phase = (self._phase - len(filtered)) % self.factor
        self._history = x[len(x) - len(self._history) :]
        return out.astype(np.float32)


class MicSource:
    """A ``Source`` fed by microphone blocks (``feed``, from the device's callback)."""

    def __init__(self, fmt: StreamFormat, stream: VisemeStream, lookahead_s: float) -> None:
        if fmt.sample_rate % MODEL_RATE:
            raise ValueError(f"the microphone must run at a multiple of {MODEL_RATE} Hz")
        self.fmt = fmt
        self._stream = stream
        self._decimate = Decimator(fmt.sample_rate // MODEL_RATE)
        self._poser = StreamPoser(Fraction(fmt.fps))
        frame_s = 1 / float(fmt.fps)
        self.delay_samples = math.ceil((frame_s + lookahead_s + RENDER_BUDGET_S) * fmt.sample_rate)
        self._cond = threading.Condition()
        self._blocks: deque[tuple[np.ndarray, float]] = deque()
        self._received = 0
        self._received_at = time.monotonic()
        self._audio = np.zeros(0, np.float32)  # sound not yet handed out, from sample _base
        self._base = 0
        self._stamps: deque[tuple[int, float]] = deque(maxlen=512)  # (first sample, capture time)
        self.finished = False

    def feed(self, samples: np.ndarray, captured_at: float) -> None:
        with self._cond:
            self._blocks.append((np.asarray(samples, np.float32).reshape(-1), captured_at))
            self._received += len(samples)
            self._received_at = time.monotonic()
            self._cond.notify_all()

    def position(self) -> tuple[int, float]:
        """The master clock: samples heard so far (minus nothing: frames carry the delay)."""
        with self._cond:
            return self._received, self._received_at

    def frame(self, index: int, timeout: float) -> FrameContent | None:
        rate, fps = self.fmt.sample_rate, self.fmt.fps
        start, end = frame_start_sample(index, rate, fps), frame_start_sample(index + 1, rate, fps)
        deadline = time.monotonic() + timeout
        while True:
            self._take_blocks()
            if self._base + len(self._audio) >= end and self._poser.ready(index):
                break
            with self._cond:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                if not self._blocks:
                    self._cond.wait(left)
        audio = self._audio[start - self._base : end - self._base].copy()
        self._audio, self._base = self._audio[end - self._base :], end
        mouth = self._poser.pose(index)
        return FrameContent(index, start, audio, mouth, "microphone", captured_at=self._captured(start))

    def _take_blocks(self) -> None:
        with self._cond:
            blocks = list(self._blocks)
            self._blocks.clear()
        for samples, captured_at in blocks:
            self._stamps.append((self._base + len(self._audio), captured_at))
            self._audio = np.concatenate([self._audio, samples])
            self._poser.push(self._stream.push_audio(self._decimate.push(samples)))

    def _captured(self, sample: int) -> float | None:
        for first, at in reversed(self._stamps):
            if first <= sample:
                return at + (sample - first) / self.fmt.sample_rate
        return None
