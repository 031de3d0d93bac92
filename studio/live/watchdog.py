"""The watchdog: notices a stalled show and restarts it from the line it was on.

A show left running overnight must not sit frozen because one stage stopped returning (a renderer
stuck in a driver, a voice stuck in its engine). Python cannot kill a thread, so the watchdog does
what a person would: it gives the stalled engine up (``LiveEngine.abandon``: its threads are told
to stop and it sends nothing more), and starts a new one on the same clock, into the same open
outputs, with new renderers, a new voice supply and a new program that begins again at the
rundown line that was on air (``Cue``). The schedule needs nothing: the slots are read from the
time of day, so the new program says what the slot says now.

What counts as stalled, looked at every ``poll_s`` seconds of the system's monotonic time:

* **frames**: the engine has neither shown nor skipped a frame, or sent no audio, for ``stall_s``.
  An overloaded machine skips frames (which is progress), so only a stage that does not return
  trips this;
* **voice**: frames flow but no clip has gone on air for ``voice_stall_s`` (doubled after each voice
  restart that brings no sentence, up to 16 times: an engine hung for good) while the rundown has
  more to say: the program idles in silence because the voice stopped making sentences.

Each stall and each restart is a session-log record (``STALL``, ``RESTART``), with the show time,
the stage and the line resumed; the frames lost in the stall count as skipped (late). The outputs
see a gap in the pts and go on: a recording fills the missing sound with silence, a stream
carries on. Shows on a microphone or an audio file are only logged: they have no line to resume.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from studio.compliance import Checker
from studio.compliance.session_log import WARNING
from studio.errors import one_line
from studio.live.clips import Clip
from studio.live.engine import LiveEngine
from studio.live.program import Program, Source
from studio.live.renderers import renderers_for
from studio.live.rundown import Endless, Line, Rundown
from studio.live.supply import SpeechSupply
from studio.media.clock import frame_start_sample
from studio.render.factory import RendererSet

STALL = "stall"  # stage ("frames", "voice"), seconds, pts_s, segment, text
RESTART = "restart"  # pts_s (where the new engine starts), segment, text (the line resumed), took_s, number
STALL_S = 10.0  # no frame or no sound for this long: the engine is stuck
VOICE_STALL_S = 60.0  # no sentence on air for this long while the rundown has more: the voice is stuck
_READY_S = 5.0  # how long a restart waits for the resumed line's speech before going on air


@dataclass(frozen=True)
class Cue:
    """The rundown line on air: its segment (1-based) and its words."""

    segment: int
    text: str


def resume_at(lines: Iterator[Line], cue: Cue | None) -> Iterator[Line]:
    """``lines`` from ``cue``'s line on: the lines before it in the first lap are passed over.
    A cue that is not met (its segment is not in today's slot now, its text changed) stops the
    passing over at the first line after its segment, or at the lap's end: never more than a lap."""
    previous = 0
    for line in lines:
        if cue is not None:
            before = line.segment < cue.segment or (line.segment == cue.segment and line.text != cue.text)
            if before and line.segment >= previous:  # not yet at the cue, and not round the lap
                previous = line.segment
                continue
            cue = None
        yield line


@dataclass(frozen=True)
class ResumedRundown(Rundown):
    """A rundown said from ``cue`` on (the watchdog's restart), then looping as before."""

    cue: Cue | None = None

    def lines(self, clock: Callable[[], Any] | None = None) -> Iterator[Line]:
        lines = resume_at(self._lines(clock or self.day_clock), self.cue)
        return Endless(lines) if self.loop else lines


def resumed(rundown: Rundown, cue: Cue | None) -> ResumedRundown:
    kept = {f.name: getattr(rundown, f.name) for f in dataclasses.fields(Rundown)}
    return ResumedRundown(**kept, cue=cue)


class WatchedShow(Protocol):
    """What the watchdog reads and replaces of a running show (``pipeline.live_show.LiveShow``)."""

    engine: LiveEngine
    supply: SpeechSupply | None
    program: Program | None
    rundown: Rundown | None
    log: Any  # a SessionLog: ``record(type, **fields)``
    fmt: Any
    driver: Any
    avatar: Any
    settings: Any
    options: Any
    room: Any
    withdrawn: bool

    def on_said(self, listener: Callable[[Clip], None]) -> None: ...

    def adopt_renderers(self, renderers: RendererSet) -> None: ...


class Watchdog:
    """Watches ``show`` from ``start()`` to ``stop()`` on a thread of its own."""

    def __init__(
        self,
        show: WatchedShow,
        stall_s: float = STALL_S,
        voice_stall_s: float = VOICE_STALL_S,
        poll_s: float = 0.25,
        time_fn: Callable[[], float] = time.monotonic,
    ) -> None:
        self.show = show
        self.stall_s, self.voice_stall_s, self.poll_s = stall_s, voice_stall_s, poll_s
        self._time = time_fn
        self.cue: Cue | None = None  # the rundown line on air
        self.restarts = 0
        self._said_at = time_fn()
        # A voice that stays stuck across restarts (its engine hung for good) leaves a thread behind
        # at each: the wait before the next voice restart doubles, up to 16 times, until one is said.
        self._voice_backoff = 1
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.show.on_said(self._on_said)
        self._said_at = self._time()
        self._thread = threading.Thread(target=self._watch, name="studio-watchdog", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _on_said(self, clip: Clip) -> None:
        """On the presenter thread, as a clip goes on air: no waiting here."""
        self._said_at = self._time()
        self._voice_backoff = 1
        if clip.kind == "rundown":
            self.cue = Cue(clip.segment, clip.label)

    def _watch(self) -> None:
        engine = self.show.engine
        seen, since = self._progress(engine), self._time()
        while not self._stop.wait(self.poll_s):
            if self.show.engine is not engine:  # replaced by someone else: watch the new one
                engine, seen, since = self.show.engine, self._progress(self.show.engine), self._time()
            if engine.wait(0):
                return  # ended by itself (its duration, an error): the show reports that
            now, progress = self._time(), self._progress(engine)
            stage = ""
            if any(p == s for p, s in zip(progress, seen, strict=True)):
                stage = "frames" if now - since >= self.stall_s else ""
            else:
                seen, since = progress, now
            supply = self.show.supply
            if not stage and supply is not None and not supply.finished:
                stage = "voice" if now - self._said_at >= self.voice_stall_s * self._voice_backoff else ""
            if stage:
                self._restart(stage, now - (since if stage == "frames" else self._said_at))
                engine, seen, since = self.show.engine, self._progress(self.show.engine), self._time()
                self._said_at = since
                if stage == "voice":
                    self._voice_backoff = min(2 * self._voice_backoff, 16)

    @staticmethod
    def _progress(engine: LiveEngine) -> tuple[int, int]:
        """Frames shown or skipped, and the sound sent: each must move while the show runs."""
        return engine.stats.frames + engine.stats.skipped, engine.audio_end

    def _restart(self, stage: str, seconds: float) -> None:
        show, cue = self.show, self.cue
        old = show.engine
        rate = show.fmt.sample_rate
        where = {"segment": cue.segment, "text": cue.text} if cue else {}
        pts_s = round(old.clock.now() / rate, 3)
        show.log.record(STALL, stage=stage, seconds=round(seconds, 1), pts_s=pts_s, **where)
        if show.supply is None:
            return  # a microphone or a file: nothing to resume, the stall is on record
        began = self._time()
        try:
            # What may fail (a voice or an avatar that no longer loads) is made before the stalled
            # engine is given up: a restart that cannot be made leaves the show as it was, and the
            # watchdog tries again after another ``stall_s``.
            parts = self._next_parts(cue)
        except Exception as exc:  # noqa: BLE001 - the watchdog must outlive what it watches
            show.log.record(WARNING, message=f"the watchdog could not restart the show: {one_line(exc)}")
            return
        outputs = list(old.outputs)
        old.abandon()
        new = self._next_engine(old, outputs, *parts)
        show.engine = new
        new.start()
        self.restarts += 1
        first_s = frame_start_sample(new.config.first_frame or 0, rate, show.fmt.fps) / rate
        took = round(self._time() - began, 2)
        show.log.record(RESTART, pts_s=round(first_s, 3), took_s=took, number=self.restarts, **where)

    def _next_parts(self, cue: Cue | None) -> tuple[Source, RendererSet]:
        """New speech from ``cue`` (the stuck supply is closed on a thread of its own: it may never
        return) and new renderers, handed to the show."""
        show = self.show
        assert show.rundown is not None and show.supply is not None
        notice = show.options.disclosure.checked(Checker()) if show.options.disclosure else None
        supply = SpeechSupply(show.fmt, show.driver, resumed(show.rundown, cue), disclosure=notice)
        threads = show.options.render_threads
        made = renderers_for(None if show.withdrawn else show.avatar, show.settings, threads)
        program = Program(show.fmt, supply, disclosure_every_s=notice.every_s if notice else None)
        supply.on_interjection = program.interject
        stuck = show.supply
        threading.Thread(target=stuck.close, name="studio-tts-abandoned", daemon=True).start()
        supply.start()
        supply.wait_ready(_READY_S)
        show.supply, show.program = supply, program
        show.adopt_renderers(made)  # closed when the show stops; the stuck set is left to its thread
        source = show.room.with_cards(program) if show.room is not None else program
        return source, made

    def _next_engine(
        self, old: LiveEngine, outputs: list[Any], source: Source, made: RendererSet
    ) -> LiveEngine:
        """A new engine on the same clock and outputs, from the first frame after both the clock's
        lead and the sound the stalled one already sent."""
        show = self.show
        fmt, config = show.fmt, old.config
        lead = frame_start_sample(config.lead_frames, fmt.sample_rate, fmt.fps)
        first = first_frame_from(max(old.clock.now() + lead, old.audio_end), fmt.sample_rate, fmt.fps)
        overlay = show.room.overlay if show.room is not None and show.room.cards else None
        new = LiveEngine(
            fmt, source, made.workers, outputs, old.clock, dataclasses.replace(config, first_frame=first),
            old.provider, made.planner, overlay,
        )  # fmt: skip
        new.stats = old.stats  # one count for the whole show: the frames lost in the stall were skipped
        for _ in range(first - (old.stats.frames + old.stats.skipped)):
            new.stats.skip()
        new.on_clip = old.on_clip
        return new


def first_frame_from(sample: float, rate: int, fps: Any) -> int:
    """The first frame whose first sample is at or after ``sample``."""
    index = max(0, int(sample * fps / rate) - 1)
    while frame_start_sample(index, rate, fps) < sample:
        index += 1
    return index
