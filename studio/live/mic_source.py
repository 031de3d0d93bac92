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
from collections.abc import Callable
from fractions import Fraction
from typing import Protocol

import numpy as np

from studio.lipsync.stream_poser import StreamPoser
from studio.live.program import REST, FrameContent
from studio.media.clock import frame_start_sample
from studio.outputs.base import StreamFormat
from studio.translation import tr

MODEL_RATE = 16000
# Time to render and hand over a frame once its sound is in: part of the latency budget.
RENDER_BUDGET_S = 0.025
FIRST_SOUND_S = 2.0  # how long a microphone may take to deliver its first sound


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
    """A ``Source`` fed by microphone blocks (``feed``, from the device's callback).

    A microphone that goes quiet for ``stall_s`` (unplugged, taken by another app) does not
    freeze the show: frames go on idle (silence, mouth at rest, blinks and breath) on the
    timer, and when sound comes back it drives the mouth again from the next frame, with the
    model's stream started afresh (a "run"), so no stale sound is replayed.
    """

    def __init__(
        self,
        fmt: StreamFormat,
        new_stream: Callable[[], VisemeStream],
        lookahead_s: float,
        *,
        stall_s: float = 0.5,
        time_fn: Callable[[], float] = time.monotonic,
    ) -> None:
        if fmt.sample_rate % MODEL_RATE:
            raise ValueError(f"the microphone must run at a multiple of {MODEL_RATE} Hz")
        self.fmt = fmt
        self._new_stream = new_stream
        self._stall = stall_s
        self._time = time_fn
        frame_s = 1 / float(fmt.fps)
        self.delay_samples = math.ceil((frame_s + lookahead_s + RENDER_BUDGET_S) * fmt.sample_rate)
        self._cond = threading.Condition()
        self._blocks: deque[tuple[np.ndarray, float]] = deque()
        self._stamps: deque[tuple[int, float]] = deque(maxlen=512)  # (show sample, capture time)
        self._received_at = time_fn()
        self._next = 0  # the next frame asked for
        self._stalled_since: tuple[float, float] | None = None  # (clock position, time)
        self.stalls = 0
        self._heard = False
        self.finished = False
        self._start_run(0)

    def _start_run(self, first_frame: int, origin: int | None = None) -> None:
        """Sound from now on belongs to frames from ``first_frame`` on. ``origin`` is where on
        the show clock the returning sound's first sample lies (where the clock had got to);
        the sound before ``first_frame`` (frames already planned idle) is dropped."""
        self._stream = self._new_stream()
        self._decimate = Decimator(self.fmt.sample_rate // MODEL_RATE)
        self._poser = StreamPoser(Fraction(self.fmt.fps))
        self._run_frame = first_frame
        self._base = frame_start_sample(first_frame, self.fmt.sample_rate, self.fmt.fps)
        self._audio = np.zeros(0, np.float32)  # sound not yet handed out, from show sample _base
        self._origin = self._base if origin is None else min(origin, self._base)
        self._skip = self._base - self._origin  # samples of the returning sound that are too late
        self._run_received = 0  # samples of this run, skipped ones included (the clock counts them)

    def feed(self, samples: np.ndarray, captured_at: float) -> None:
        with self._cond:
            self._heard = True
            self._blocks.append((np.asarray(samples, np.float32).reshape(-1), captured_at))
            self._received_at = self._time()
            self._cond.notify_all()

    def position(self) -> tuple[int, float]:
        """The master clock: where the sound heard so far reaches on the show clock; while the
        microphone is stalled, the timer's count from where it stopped."""
        with self._cond:
            if self._stalled_since is not None:
                at, since = self._stalled_since
                now = self._time()
                return round(at + (now - since) * self.fmt.sample_rate), now
            return self._origin + self._run_received + self._pending(), self._received_at

    def _pending(self) -> int:
        return sum(len(b) for b, _ in self._blocks)

    def frame(self, index: int, timeout: float) -> FrameContent | None:
        rate, fps = self.fmt.sample_rate, self.fmt.fps
        start, end = frame_start_sample(index, rate, fps), frame_start_sample(index + 1, rate, fps)
        deadline = time.monotonic() + timeout
        while True:
            self._take_blocks()
            if self._stalled_since is not None:
                return self._idle(index, start, end)
            if self._base + len(self._audio) >= end and self._poser.ready(index - self._run_frame):
                break
            # Before the first sound the device may still be opening: give it longer.
            quiet = self._stall if self._heard else max(self._stall, FIRST_SOUND_S)
            if self._time() - self._received_at > quiet:
                self._begin_stall()
                return self._idle(index, start, end)
            with self._cond:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                if not self._blocks:
                    self._cond.wait(min(left, self._stall))
        audio = self._audio[start - self._base : end - self._base].copy()
        self._audio, self._base = self._audio[end - self._base :], end
        mouth = self._poser.pose(index - self._run_frame)
        self._next = index + 1
        return FrameContent(index, start, audio, mouth, tr("microphone"), captured_at=self._captured(start))

    def _begin_stall(self) -> None:
        with self._cond:
            self._stalled_since = (self._origin + self._run_received, self._time())
            self.stalls += 1

    def _idle(self, index: int, start: int, end: int) -> FrameContent:
        self._next = index + 1
        return FrameContent(
            index, start, np.zeros(end - start, np.float32), REST, tr("microphone (no sound)")
        )

    def _take_blocks(self) -> None:
        with self._cond:
            blocks = list(self._blocks)
            self._blocks.clear()
            if blocks and self._stalled_since is not None:
                at, since = self._stalled_since
                clock = round(at + (self._time() - since) * self.fmt.sample_rate)
                self._stalled_since = None
                self._start_run(self._next, origin=clock)  # the sound is back: the next frame's
            # Counted as they leave the queue, so position() never sees them in neither place.
            self._run_received += sum(len(b) for b, _ in blocks)
        for samples, captured_at in blocks:
            if self._skip:
                n = min(self._skip, len(samples))
                samples, captured_at, self._skip = (
                    samples[n:],
                    captured_at + n / self.fmt.sample_rate,
                    self._skip - n,
                )
                if not len(samples):
                    continue
            self._stamps.append((self._base + len(self._audio), captured_at))
            self._audio = np.concatenate([self._audio, samples])
            self._poser.push(self._stream.push_audio(self._decimate.push(samples)))

    def _captured(self, sample: int) -> float | None:
        for first, at in reversed(self._stamps):
            if first <= sample:
                return at + (sample - first) / self.fmt.sample_rate
        return None
