"""The real-time engine: plan each frame on the master clock, render on workers, show on time.

Three kinds of thread, joined by bounded queues:

* the **planner** asks the source for frame ``i`` when the clock nears its time (``lead``
  frames early), sends the frame's audio to every output at once (devices buffer it by pts),
  lets the renderers' ``MouthPlanner`` decide what depends on the frames before and after
  (a twin's mouth units: one decision per frame, in order, whichever thread renders it), and
  hands an immutable job to a render worker, round robin;
* **render workers**, each with its own renderer (renderers keep scratch buffers);
* the **presenter** takes results in frame order, waits for each frame's time on the clock,
  and hands it to every output. Outputs never block it: each drops its own frames when slow.

A frame whose time has long passed before it could be planned is skipped (and counted late),
so an overloaded machine shows fewer frames but never falls behind the sound.

While the show runs, outputs join and leave (``add_output``, ``remove_output``: as in OBS, a
recording or a stream starts and stops without interrupting the others), and the renderers can
be replaced between two frames (``replace_renderers``: a latest-wins handover each render
thread picks up before its next frame). A replacement that withdraws a face also replaces the
frames already rendered from it and not yet shown, so the face never reaches an output again.
"""

from __future__ import annotations

import dataclasses
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from studio.live.clips import Clip
from studio.live.clock import MasterClock
from studio.live.outputs import close_output, output_state
from studio.live.program import FrameContent, Source
from studio.live.stats import LiveStatus, StatsRecorder
from studio.media.clock import frame_start_sample
from studio.outputs.base import AudioChunk, Output, OutputStats, StreamFormat, VideoFrame

_POLL_S = 0.1


class FrameRenderer(Protocol):
    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray: ...


class MouthPlanner(Protocol):
    """Turns the driver's mouth into what a renderer's ``render`` takes, for frames in order.

    ``plan``: live, one frame at a time (``ahead``: the next frames' mouths as far as the source
    knows them, possibly none); ``plan_track``: a whole track at once (a file render)."""

    def plan(self, frame_index: int, mouth: np.ndarray, ahead: np.ndarray) -> np.ndarray: ...

    def plan_track(self, values: np.ndarray) -> np.ndarray: ...


class PassThroughPlanner:
    """The planner of renderers that need nothing but the mouth itself (a photo, the slate)."""

    def plan(self, frame_index: int, mouth: np.ndarray, ahead: np.ndarray) -> np.ndarray:
        return mouth

    def plan_track(self, values: np.ndarray) -> np.ndarray:
        return values


# (frame, its content) -> the frame with the product card and caption; it may draw in place.
Overlay = Callable[[np.ndarray, FrameContent], np.ndarray]


@dataclass(frozen=True)
class EngineConfig:
    lead_frames: int = 6  # plan this far ahead of the clock: time to render, and audio buffered ahead
    skip_after_frames: int = 2  # a frame planned this late is skipped instead of rendered
    duration_s: float | None = None  # stop after this much show time
    # The watchdog's restart (``live.watchdog``): plan from this frame on the clock already running,
    # into the outputs already started; None: a new show from frame 0.
    first_frame: int | None = None


@dataclass(frozen=True)
class _Ticket:
    content: FrameContent
    worker: int | None  # None: skipped
    deadline: int  # clock position at which the frame is shown


_END = object()


class LiveEngine:
    def __init__(
        self,
        fmt: StreamFormat,
        source: Source,
        renderers: Sequence[FrameRenderer],
        outputs: Sequence[Output],
        clock: MasterClock,
        config: EngineConfig | None = None,
        provider: str = "",
        planner: MouthPlanner | None = None,
        overlay: Overlay | None = None,
    ) -> None:
        if not renderers:
            raise ValueError("the engine needs at least one renderer")
        self.fmt = fmt
        self.source = source
        self.outputs = list(outputs)
        self.clock = clock
        self.config = config or EngineConfig()
        self.provider = provider
        self.stats = StatsRecorder()
        self.error: BaseException | None = None
        self.audio_end = 0  # the pts after the last audio sent: a restart goes on from there
        self.abandoned = False  # given up as stalled (``abandon``): another engine took over
        self._virtual = bool(getattr(clock, "virtual", False))
        self._renderers = list(renderers)
        self._planner: MouthPlanner = planner or PassThroughPlanner()
        self._overlay = overlay  # drawn over a frame with a card, on its render thread
        # Each renderer can hold every frame planned ahead: at the start (and after a hiccup)
        # the planner hands out a lead's worth at once, and must not have to skip them.
        depth = self.config.lead_frames + 2
        self._jobs: list[queue.Queue[FrameContent]] = [queue.Queue(depth) for _ in renderers]
        self._results: list[queue.Queue[tuple[int, np.ndarray]]] = [queue.Queue(depth) for _ in renderers]
        # Replacement renderers, one slot per render thread (latest wins), and the generation
        # each result was rendered with: results older than ``_stale_below`` are never shown.
        self._swap_lock = threading.Lock()
        self._pending: list[FrameRenderer | None] = [None] * len(renderers)
        self._generation = 0
        self._stale_below = 0
        self._stale_frame: np.ndarray | None = None
        # Held by the presenter from choosing a frame's picture until every output has it: a
        # withdrawal waits for it, so once it returns no frame chosen before it can go out.
        # Re-entrant: an output may withdraw from inside ``send_video`` (the presenter's thread).
        self._sending = threading.RLock()
        self._outputs_lock = threading.Lock()
        # Room for every frame planned ahead plus those in the renderers: the planner only ever
        # waits here if the presenter itself has stopped.
        self._tickets: queue.Queue[object] = queue.Queue(self.config.lead_frames + 3 * len(renderers) + 30)
        self._stop = threading.Event()
        self._done = threading.Event()
        self._threads: list[threading.Thread] = []
        self._out_stats: dict[str, OutputStats] = {}
        # Told (on the presenter thread, so it must not wait) when a clip's first frame is shown
        # or skipped, with its pts: the session log's "said".
        self.on_clip: Callable[[Clip, int], None] | None = None

    # -- control ---------------------------------------------------------------------------
    def start(self) -> None:
        resuming = self.config.first_frame is not None  # the outputs and the clock run on
        started: list[Output] = []
        try:
            for output in [] if resuming else self.outputs:
                output.start(self.fmt)
                started.append(output)
        except BaseException:
            for output in started:
                output.close()
            raise
        lead = frame_start_sample(self.config.lead_frames, self.fmt.sample_rate, self.fmt.fps)
        if not resuming:
            self.clock.start(lead / self.fmt.sample_rate)
        threads = [threading.Thread(target=self._plan, name="studio-live-plan")]
        threads += [
            threading.Thread(target=self._render, args=(k,), name=f"studio-render-{k}")
            for k in range(len(self._renderers))
        ]
        threads.append(threading.Thread(target=self._present, name="studio-live-show"))
        for thread in threads:
            thread.daemon = True
            thread.start()
        self._threads = threads

    def wait(self, timeout: float | None = None) -> bool:
        """True once the show has ended by itself (duration reached, source finished, error)."""
        return self._done.wait(timeout) and not self.abandoned

    def stop(self) -> dict[str, OutputStats]:
        """Stop now, join every thread and close (finalise) every output. Safe to call twice."""
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self._threads = []
        with self._outputs_lock:
            for output in self.outputs:
                if output.name not in self._out_stats:
                    self._out_stats[output.name] = close_output(output)
        return dict(self._out_stats)

    def abandon(self, join_s: float = 1.0) -> None:
        """Give up a stalled show without waiting for it (the watchdog's restart): its threads are
        told to stop and it sends nothing more to the outputs, which stay open for the engine that
        takes over. A thread stuck in a renderer or a voice ends when (if ever) that returns."""
        self.abandoned = True
        self._stop.set()
        for thread in self._threads:
            thread.join(join_s / len(self._threads))
        with self._outputs_lock:
            self.outputs = []
        self._threads = []

    def replace_renderers(
        self,
        renderers: Sequence[FrameRenderer],
        stale: np.ndarray | None = None,
        planner: MouthPlanner | None = None,
    ) -> None:
        """Render the next frames with ``renderers`` (one per render thread, as at the start),
        planned by ``planner`` (theirs; None: the mouth as it is). The plan thread and each render
        thread switch at their next frame, so a frame may be planned by one set and drawn by the
        other: a renderer reads only the plans it recognises (see ``studio.twin.plan``).
        ``stale``: the picture shown instead of every frame rendered before this call and not yet
        shown (a withdrawn face); without it, those frames are shown as rendered. With ``stale``
        it returns only once a frame being sent has gone out: no output gets the face after it."""
        if len(renderers) != len(self._renderers):
            raise ValueError(f"the engine has {len(self._renderers)} render threads, not {len(renderers)}")
        if stale is not None:
            stale = np.array(stale, np.uint8)  # a copy of its own, never written to again
            stale.setflags(write=False)
        with self._swap_lock:
            self._generation += 1
            self._pending = list(renderers)
            self._planner = planner or PassThroughPlanner()
            if stale is not None:
                self._stale_below, self._stale_frame = self._generation, stale
        if stale is not None:
            with self._sending:  # a frame picked before the withdrawal is out by now
                pass
        if not self._threads:  # not started (or stopped): the threads take them as they start
            self._renderers = list(renderers)

    def add_output(self, output: Output) -> None:
        """Start ``output`` and send it the show from the next frame on (its errors reach the
        caller, the show goes on). Its first frame and sound have the show's pts at that moment:
        recordings and streams count their own time from their first frame."""
        with self._outputs_lock:
            if any(o.name == output.name for o in self.outputs):
                raise ValueError(f"the show already has an output named {output.name!r}")
            if self._threads:  # before the start, ``start`` starts it with the others
                output.start(self.fmt)
            self._out_stats.pop(output.name, None)
            # A new list, never one changed in place: the threads iterate the one they read.
            self.outputs = [*self.outputs, output]

    def remove_output(self, name: str) -> OutputStats | None:
        """Stop sending to the output called ``name`` and close (finalise) it; None if the show
        has none. The other outputs never miss a frame."""
        with self._outputs_lock:
            found = next((o for o in self.outputs if o.name == name), None)
            if found is None:
                return None
            self.outputs = [o for o in self.outputs if o is not found]
        return close_output(found)

    def status(self) -> LiveStatus:
        outputs = {o.name: output_state(o) for o in self.outputs}
        return self.stats.snapshot(self.clock.now() / self.fmt.sample_rate, self.provider, outputs)

    # -- threads ---------------------------------------------------------------------------
    def _plan(self) -> None:
        rate, fps = self.fmt.sample_rate, self.fmt.fps
        lead = frame_start_sample(self.config.lead_frames, rate, fps)
        skip_after = frame_start_sample(self.config.skip_after_frames, rate, fps)
        end = None if self.config.duration_s is None else round(self.config.duration_s * rate)
        delay = self.source.delay_samples
        index, worker = self.config.first_frame or 0, 0
        try:
            while not self._stop.is_set():
                pts = frame_start_sample(index, rate, fps)
                if (end is not None and pts >= end) or self.source.finished:
                    break
                if not self.clock.wait_until(pts + delay - lead, self._stop):
                    break
                content = self.source.frame(index, _POLL_S)
                if content is None:
                    continue  # the microphone has not delivered this frame's sound yet
                chunk = AudioChunk(content.pts, content.audio)
                for output in self.outputs:
                    output.send_audio(chunk)
                self.audio_end = content.pts + len(content.audio)
                deadline = content.pts + delay
                ticket = _Ticket(content, None, deadline)  # skipped, unless a renderer takes it
                if self._virtual:
                    content = self._planned(index, content)
                    if not self._put(self._jobs[worker], content):
                        break
                    ticket = _Ticket(content, worker, deadline)
                # Never wait for a busy renderer: the next frames' sound must go out on time. Only
                # this thread fills the job queues, so one not full now takes the frame; a frame
                # that is skipped is never planned (the planner's "previous frame" was shown).
                elif self.clock.now() <= deadline + skip_after and not self._jobs[worker].full():
                    content = self._planned(index, content)
                    self._jobs[worker].put_nowait(content)
                    ticket = _Ticket(content, worker, deadline)
                if ticket.worker is not None:
                    worker = (worker + 1) % len(self._renderers)
                if not self._put(self._tickets, ticket):
                    break
                index += 1
        except BaseException as exc:  # noqa: BLE001 - reported by the caller, never lost in a thread
            self._fail(exc)
        finally:
            self._put(self._tickets, _END)

    def _planned(self, index: int, content: FrameContent) -> FrameContent:
        """``content`` with its mouth as the renderers' planner decides it."""
        with self._swap_lock:
            planner = self._planner
        mouth = planner.plan(index, content.mouth, content.ahead)
        return content if mouth is content.mouth else dataclasses.replace(content, mouth=mouth)

    def _render(self, k: int) -> None:
        renderer, jobs, results = self._renderers[k], self._jobs[k], self._results[k]
        generation = 0
        try:
            while not self._stop.is_set():
                try:
                    content = jobs.get(timeout=_POLL_S)
                except queue.Empty:
                    continue
                with self._swap_lock:
                    pending = self._pending[k]
                    if pending is not None:
                        renderer, self._pending[k] = pending, None
                    generation = self._generation
                image = renderer.render(content.index, content.mouth)
                if (content.card is not None or content.caption) and self._overlay is not None:
                    image = self._overlay(image, content)
                image.setflags(write=False)
                if not self._put(results, (generation, image)):
                    return
        except BaseException as exc:  # noqa: BLE001
            self._fail(exc)

    def _present(self) -> None:
        rate = self.fmt.sample_rate
        try:
            while not self._stop.is_set():
                try:
                    ticket = self._tickets.get(timeout=_POLL_S)
                except queue.Empty:
                    continue
                if ticket is _END:
                    break
                assert isinstance(ticket, _Ticket)
                if ticket.worker is None:
                    self.stats.skip()
                    self._account_start(ticket.content, time.monotonic())
                    continue
                result = self._get(self._results[ticket.worker])
                if result is None:
                    break
                late = not self._virtual and self.clock.now() > ticket.deadline
                if not self.clock.wait_until(ticket.deadline, self._stop):
                    break
                shown_at, wall = self.clock.now(), time.monotonic()
                with self._sending:
                    # Chosen only now, at its time: a face withdrawn while it waited is not sent.
                    frame = VideoFrame(ticket.content.index, ticket.content.pts, self._fresh(*result))
                    for output in self.outputs:
                        output.send_video(frame)
                self._account(ticket, late, (shown_at - ticket.deadline) * 1000 / rate, wall)
        except BaseException as exc:  # noqa: BLE001
            self._fail(exc)
        finally:
            self._done.set()

    def _account(self, ticket: _Ticket, late: bool, av_ms: float, wall: float) -> None:
        content = ticket.content
        latency = None if content.captured_at is None else (wall - content.captured_at) * 1000
        self._account_start(content, wall)
        self.stats.shown(content.pts, 0.0 if self._virtual else av_ms, late, latency, content.label)

    def _account_start(self, content: FrameContent, wall: float) -> None:
        started = content.started
        if started is None:
            return
        if started.submitted_at is not None:
            self.stats.interjection((wall - started.submitted_at) * 1000)
        if self.on_clip is not None:
            self.on_clip(started, content.pts)

    def _fresh(self, generation: int, image: np.ndarray) -> np.ndarray:
        with self._swap_lock:
            if generation < self._stale_below and self._stale_frame is not None:
                return self._stale_frame
        return image

    # -- helpers ---------------------------------------------------------------------------
    def _fail(self, exc: BaseException) -> None:
        if self.error is None:
            self.error = exc
        self._stop.set()
        self._done.set()

    def _put(self, q: queue.Queue[Any], item: Any) -> bool:
        while True:
            try:
                q.put(item, timeout=_POLL_S)
                return True
            except queue.Full:
                if self._stop.is_set():
                    return False

    def _get(self, q: queue.Queue[tuple[int, np.ndarray]]) -> tuple[int, np.ndarray] | None:
        while not self._stop.is_set():
            try:
                return q.get(timeout=_POLL_S)
            except queue.Empty:
                continue
        return None
