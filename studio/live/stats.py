"""Live figures for the status line: fps, late frames, A/V error, latency, provider."""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field

from studio.translation import tr


@dataclass(frozen=True)
class LiveStatus:
    seconds: float  # show time on the master clock
    frames: int  # frames shown
    fps: float  # over the last second or so
    late: int  # frames not ready by their time (shown late or skipped)
    skipped: int  # frames never rendered because the engine had fallen too far behind
    av_error_ms: float  # mean of (clock when shown - frame's own time), last ~second
    latency_ms: float | None  # microphone to frame, last ~second; None when not on the mic
    interjection_ms: float | None  # submit to first sound of the last interjection
    saying: str
    provider: str
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def late_percent(self) -> float:
        return 100.0 * self.late / max(self.frames + self.skipped, 1)

    def line(self, final: bool = False) -> str:
        """The status line; ``final`` gives the whole show's mean frame rate, not the last second's."""
        fps = (self.frames + self.skipped) / self.seconds if final and self.seconds > 0 else self.fps
        parts = [
            f"{_clock(self.seconds)}",
            f"{fps:4.1f} fps",
            tr("late {late} ({percent:.2f}%)").format(late=self.late, percent=self.late_percent),
            f"A/V {self.av_error_ms:+.0f} ms",
        ]
        if self.latency_ms is not None:
            parts.append(tr("mic→frame {ms:.0f} ms").format(ms=self.latency_ms))
        if self.interjection_ms is not None:
            parts.append(tr("interjection {ms:.0f} ms").format(ms=self.interjection_ms))
        parts.append(self.provider)
        parts += [f"{name} {state}" for name, state in self.outputs.items()]
        if self.saying:
            parts.append(self.saying if len(self.saying) <= 40 else self.saying[:39] + "…")
        return " | ".join(parts)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


class StatsRecorder:
    """Written by the presenter thread, read by whoever shows the status."""

    def __init__(self, window: int = 30) -> None:
        self._lock = threading.Lock()
        self._shown: deque[float] = deque(maxlen=240)
        self._av: deque[float] = deque(maxlen=window)
        self._latency: deque[float] = deque(maxlen=window)
        self.frames = 0
        self.late = 0
        self.skipped = 0
        self.interjection_ms: float | None = None
        self.interjection_delays: deque[float] = deque(maxlen=100_000)  # bounded, as latencies_ms
        self.latencies_ms: deque[float] = deque(maxlen=100_000)
        self.saying = ""
        self.last_pts = 0

    def shown(self, pts: int, av_error_ms: float, late: bool, latency_ms: float | None, saying: str) -> None:
        with self._lock:
            self.frames += 1
            self.late += int(late)
            self.last_pts = pts
            self._shown.append(time.monotonic())
            self._av.append(av_error_ms)
            if latency_ms is not None:
                self._latency.append(latency_ms)
                self.latencies_ms.append(latency_ms)
            self.saying = saying

    def skip(self) -> None:
        with self._lock:
            self.skipped += 1
            self.late += 1

    def interjection(self, delay_ms: float) -> None:
        with self._lock:
            self.interjection_ms = delay_ms
            self.interjection_delays.append(delay_ms)

    def snapshot(self, seconds: float, provider: str, outputs: dict[str, str]) -> LiveStatus:
        with self._lock:
            # Frames shown in the last second, counted back from now: a stalled show reads 0.
            now = time.monotonic()
            fps = float(sum(1 for t in self._shown if t > now - 1.0))
            av = sum(self._av) / len(self._av) if self._av else 0.0
            latency = sum(self._latency) / len(self._latency) if self._latency else None
            return LiveStatus(
                seconds, self.frames, fps, self.late, self.skipped, av, latency,
                self.interjection_ms, self.saying, provider, dict(outputs),
            )  # fmt: skip
