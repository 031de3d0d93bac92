"""What is said at each frame: interjections first, then the rundown, else idle.

The program is asked for frames in order, one call per frame, by the engine's conductor.
Each clip starts on a frame boundary, so its mouth track (made at the show's frame rate from
the clip's start) lines up with the frames exactly, and each frame's audio is the slice of
the clip between this frame's first sample and the next one's: nothing is lost or repeated
at the joins, for hours.

An approved answer to a viewer does not wait for the sentence on air to end: it cuts in at the
sentence's next pause at a clause boundary (``Clip.cuts``, ``live.clause_cuts``), on the first
frame boundary inside that pause, and the rest of the sentence is said after the answer (and any
answers queued behind it), from the very next sample and with its mouth track going on from the
frame where it stopped: nothing lost or said twice.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from studio.lipsync.mouth import MOUTH_PARAMS, MouthTrack
from studio.live.clips import Clip
from studio.media.clock import frame_start_sample
from studio.outputs.base import StreamFormat

REST = np.zeros(len(MOUTH_PARAMS), np.float32)
REST.setflags(write=False)
NOTHING_AHEAD = np.zeros((0, len(MOUTH_PARAMS)), np.float32)
NOTHING_AHEAD.setflags(write=False)
# How many coming frames' mouths a frame carries when the source knows them (a clip's track):
# a renderer choosing among the person's own mouth images looks this far ahead (0.27 s at 30 fps).
AHEAD_FRAMES = 8


@dataclass(frozen=True)
class FrameContent:
    """Everything one frame needs, fixed when the frame is planned."""

    index: int
    pts: int
    audio: np.ndarray  # this frame's samples, float32 mono
    mouth: np.ndarray  # 5 mouth parameters
    label: str  # what is being said ("" when idle)
    started: Clip | None = None  # a clip whose first frame this is
    captured_at: float | None = None  # microphone: when this frame's first sample was heard
    # (K, 5): the next frames' mouths, as far as known (K <= AHEAD_FRAMES); shared read-only default.
    ahead: np.ndarray = field(default_factory=lambda: NOTHING_AHEAD)
    card: tuple[str, float] | None = None  # the product card shown, and its fade (``live.cards``)
    caption: str = ""  # the viewer's question ("user: question") while its answer is said


class Source(Protocol):
    """What drives the engine: the program (rundown, interjections, a file) or the microphone."""

    delay_samples: int  # how long after its first sample a frame can be shown

    def frame(self, index: int, timeout: float) -> FrameContent | None:
        """Frame ``index`` (asked in order), or None if its sound has not arrived yet."""
        ...

    @property
    def finished(self) -> bool: ...


class ClipSupply(Protocol):
    def take(self, timeout: float = 0.0) -> Clip | None: ...

    @property
    def finished(self) -> bool: ...


class Program:
    """A ``Source`` playing clips from a supply (the rundown), with interjections on top."""

    delay_samples = 0

    def __init__(
        self,
        fmt: StreamFormat,
        supply: ClipSupply | None = None,
        clips: tuple[Clip, ...] = (),
        *,
        wait_for_speech_s: float = 0.0,
        end_when_done: bool = False,
        disclosure_every_s: float | None = None,
    ) -> None:
        """``disclosure_every_s``: say a rundown clip's ``notice`` (the AI disclosure) before the
        first clip and then before the first clip starting this long after the last notice; 0:
        only at the start; None: never."""
        self.fmt = fmt
        self._supply = supply
        self._queued: deque[Clip] = deque(clips)
        self._interjections: deque[Clip] = deque()
        self._interrupt = False
        self._lock = threading.Lock()
        self._wait = wait_for_speech_s  # > 0 only off the real-time clock (soak tests, rendering)
        self._ends = end_when_done  # an audio file ends its show; a live show idles until stopped
        self._clip: Clip | None = None
        self._clip_start = 0  # first sample of the current clip on the show clock
        self._clip_frame = 0
        self.idle_frames = 0
        self.gaps = 0  # times the rundown had nothing ready when a sentence ended
        # A line spoken a clause at a time whose next clause was not made when the one before
        # ended (a voice slower than real time): joins held in silence, and the frames held.
        self.clause_gaps = 0
        self.clause_gap_frames = 0
        self._holding = False
        # The rest of a sentence an answer cut into, said once no interjection waits (one at most:
        # a rundown sentence starts only when nothing is left of the one before).
        self._resume: Clip | None = None
        self.cut_ins = 0  # answers that went on air at a pause inside a sentence
        every = disclosure_every_s
        self._notice_every = None if every is None else round(every * fmt.sample_rate)
        self._notice_due: int | None = 0  # show sample from which the next notice is said

    def interject(self, clip: Clip, interrupt: bool) -> None:
        """Called (from the speech thread) when an interjection's speech is ready."""
        with self._lock:
            if interrupt:  # "at once" goes before lines queued to follow the sentence
                self._interjections.appendleft(clip)
            else:
                self._interjections.append(clip)
            self._interrupt = self._interrupt or interrupt

    @property
    def finished(self) -> bool:
        if not self._ends:
            return False
        with self._lock:
            pending = self._clip is not None or self._queued or self._interjections or self._resume
        supply_done = self._supply is None or self._supply.finished
        return not pending and supply_done

    def frame(self, index: int, timeout: float = 0.0) -> FrameContent:
        rate, fps = self.fmt.sample_rate, self.fmt.fps
        start, end = frame_start_sample(index, rate, fps), frame_start_sample(index + 1, rate, fps)
        with self._lock:
            cut = self._interrupt and bool(self._interjections) and self._clip is not None
            if cut:
                self._interrupt = False
        if cut:
            return self._fade_out(index, start, end)
        if self._clip is not None and self._answer_cuts_in(start):
            self._split(index, start)
        started = None
        if self._clip is None or start - self._clip_start >= len(self._clip.audio):
            rest = self._clip.rest if self._clip is not None else None
            piece = rest.take() if rest is not None else None
            if piece is None and rest is not None and not rest.done:
                return self._hold(index, start, end)  # the line's next clause is not made yet
            # A line going on (its next clause, or a sentence resumed after the answers that cut
            # into it) is not a new start: it is not said (logged) again.
            piece = piece or self._take_resumed()
            if piece is not None:
                self._clip, self._clip_start, self._clip_frame, self._holding = piece, start, index, False
            else:
                self._clip = self._next_clip(start)
                if self._clip is not None:
                    self._clip_start, self._clip_frame, started = start, index, self._clip
        if self._clip is None:
            self.idle_frames += 1
            return FrameContent(index, start, np.zeros(end - start, np.float32), REST, "")
        clip = self._clip
        audio = clip.audio[start - self._clip_start : end - self._clip_start]
        if len(audio) < end - start:
            audio = np.concatenate([audio, np.zeros(end - start - len(audio), np.float32)])
        k = index - self._clip_frame
        mouth = clip.track.frame(k)
        ahead = clip.track.values[k + 1 : k + 1 + AHEAD_FRAMES]
        return FrameContent(index, start, audio, mouth, clip.label, started, ahead=ahead)

    def _answer_cuts_in(self, start: int) -> bool:
        """An answer waits and this frame starts inside a pause where the clip on air may be cut
        (not at its end: that is the ordinary way to the next clip)."""
        assert self._clip is not None
        offset = start - self._clip_start
        if offset >= len(self._clip.audio) or not any(lo <= offset <= hi for lo, hi in self._clip.cuts):
            return False
        with self._lock:
            return any(clip.answers for clip in self._interjections)

    def _split(self, index: int, start: int) -> None:
        """Stop the clip on air here (in a pause, so no fade is needed); its rest waits in
        ``_resume``, starting at the next sample, its mouth track at this frame."""
        assert self._clip is not None
        clip, offset, k = self._clip, start - self._clip_start, index - self._clip_frame
        later = tuple((lo - offset, hi - offset) for lo, hi in clip.cuts if lo > offset)
        track = MouthTrack(clip.track.values[k:], clip.track.fps)
        self._resume = replace(clip, audio=clip.audio[offset:], track=track, cuts=later, notice=None)
        self._clip = None
        self.cut_ins += 1

    def _take_resumed(self) -> Clip | None:
        """The interrupted sentence's rest, once no interjection is waiting to go before it."""
        with self._lock:
            if self._interjections or self._resume is None:
                return None
            resumed, self._resume = self._resume, None
            return resumed

    def _next_clip(self, start: int) -> Clip | None:
        with self._lock:
            if self._interjections:
                self._interrupt = False
                return self._interjections.popleft()
            if self._queued:
                return self._queued.popleft()
        if self._supply is None:
            return None
        clip = self._supply.take(self._wait)
        if clip is None and not self._supply.finished:
            self.gaps += 1 if self._clip is not None else 0
        return self._disclosed(clip, start)

    def _disclosed(self, clip: Clip | None, start: int) -> Clip | None:
        """``clip``'s notice instead of it (``clip`` follows) when one is due; else ``clip``."""
        due = self._notice_due
        if clip is None or clip.notice is None or self._notice_every is None or due is None or start < due:
            return clip
        self._notice_due = start + self._notice_every if self._notice_every > 0 else None
        with self._lock:
            self._queued.appendleft(clip)
        return clip.notice

    def _fade_out(self, index: int, start: int, end: int) -> FrameContent:
        """Cut the current clip for an interrupt: one frame that fades its sound to silence
        (a hard cut would click) and eases the mouth toward rest."""
        assert self._clip is not None
        clip, offset = self._clip, start - self._clip_start
        audio = np.zeros(end - start, np.float32)
        tail = clip.audio[offset : offset + len(audio)]
        audio[: len(tail)] = tail * np.linspace(1.0, 0.0, len(audio), dtype=np.float32)[: len(tail)]
        mouth = (clip.track.frame(index - self._clip_frame) * 0.5).astype(np.float32)
        self._clip = None
        if clip.rest is not None:  # the rest of a line spoken a clause at a time goes too
            clip.rest.cancel()
        return FrameContent(index, start, audio, mouth, clip.label)

    def _hold(self, index: int, start: int, end: int) -> FrameContent:
        """A frame of silence, mouth at rest, inside a line whose next clause is late: the
        pieces end in faded silence, so the wait is a longer pause, never a click."""
        assert self._clip is not None
        if not self._holding:
            self.clause_gaps += 1
            self._holding = True
        self.clause_gap_frames += 1
        return FrameContent(index, start, np.zeros(end - start, np.float32), REST, self._clip.label)
