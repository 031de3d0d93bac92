"""Clips: speech ready to play on the show clock, with its mouth track.

A clip is resampled to the show's rate and carries its pause, so the program only slices
it frame by frame. Clips of a rundown repeat every loop, so they are cached (bounded by
seconds of audio, so a long show's memory stays flat).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from studio.lipsync.mouth import LipSyncDriver, MouthTrack
from studio.media.audio import resample
from studio.media.clock import frame_count
from studio.outputs.base import StreamFormat
from studio.voice import Speech, resolve

if TYPE_CHECKING:
    from studio.live.speech_stream import ClipStream

Synthesize = Callable[[str, str | None], Speech]


@dataclass(frozen=True)
class Clip:
    audio: np.ndarray  # float32 mono at the show's sample rate, trailing pause included
    track: MouthTrack  # frame 0 is the clip's first frame
    label: str  # what the status line shows while it plays
    kind: str  # "rundown", "interjection" or "file"
    voice: str = ""
    submitted_at: float | None = None  # time.monotonic() of an interjection's submit
    segment: int = 0  # the rundown segment it was said from (1-based); 0 for none
    # The spoken AI disclosure in this clip's voice and language, which the program plays before
    # the clip when one is due (``studio.compliance.disclosure``); rundown clips only.
    notice: Clip | None = None
    # An interjection that answers a viewer: the question's id in the moderation queue, and the
    # words the caption and the log show with it ("user: question").
    answers: str = ""
    question: str = ""
    # A line spoken a clause at a time (``live.speech_stream``): its pieces after this one, which
    # the program plays next, holding the line in silence if the next is not made yet.
    rest: ClipStream | None = None
    # A rundown sentence's pauses at clause boundaries, as sample spans (``live.clause_cuts``): an
    # answer cuts in at the first frame boundary inside one, and the rest is said after it.
    cuts: tuple[tuple[int, int], ...] = ()

    @property
    def frames(self) -> int:
        return len(self.track)


def make_clip(
    speech: Speech, fmt: StreamFormat, driver: LipSyncDriver, label: str, kind: str, pause_ms: int = 0
) -> Clip:
    audio = resample(speech.audio, speech.sample_rate, fmt.sample_rate)
    pause = np.zeros(fmt.sample_rate * pause_ms // 1000, np.float32)
    audio = np.concatenate([audio.astype(np.float32), pause])
    audio.setflags(write=False)
    track = driver.drive(speech, fmt.fps, frame_count(len(audio), fmt.sample_rate, fmt.fps))
    track.values.setflags(write=False)
    return Clip(audio, track, label, kind, speech.voice_id)


def synthesize_live(text: str, voice: str | None) -> Speech:
    engine, info = resolve(voice, text)
    return engine.synthesize(text, info, 1.0)


class ClipCache:
    """Least-recently-used clips keyed by (text, voice, pause), at most ``max_seconds`` of audio."""

    def __init__(self, sample_rate: int, max_seconds: float = 120.0) -> None:
        self._rate = sample_rate
        self._limit = int(max_seconds * sample_rate)
        self._clips: OrderedDict[tuple[str, str, int], Clip] = OrderedDict()
        self._samples = 0
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, key: tuple[str, str, int]) -> Clip | None:
        with self._lock:
            clip = self._clips.get(key)
            if clip is not None:
                self._clips.move_to_end(key)
                self.hits += 1
            return clip

    def put(self, key: tuple[str, str, int], clip: Clip) -> None:
        with self._lock:
            if key in self._clips or len(clip.audio) > self._limit:
                return
            self._clips[key] = clip
            self._samples += len(clip.audio)
            while self._samples > self._limit:
                _, old = self._clips.popitem(last=False)
                self._samples -= len(old.audio)

    @property
    def seconds(self) -> float:
        with self._lock:
            return self._samples / self._rate
