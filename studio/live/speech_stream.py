"""A typed line on air a clause at a time: its first sound after one clause's synthesis.

The speech thread synthesises the line's pieces in order (``voice.clause_stream``): the first
goes to the program as the interjection's clip, as soon as it is made, and starts on the master
clock at the next frame; the others follow through the ``ClipStream`` that the first carries, made
while the ones before them play. The program plays them back to back, each starting on a frame
boundary with its own mouth track, so every piece's lip sync sits on its own pts. A piece is cut
to a whole number of frames inside its trailing silence, so the pause at each join is the one
the punctuation asks for, not that plus part of a frame.

When the voice is slower than real time the next piece can be late: the program then holds the
line with silence and a resting mouth (a clean pause, counted in ``Program.clause_gaps``) and
carries on when it arrives; the rundown never steps into the middle of a line.

An interrupting line, once typed, stops the piece being made, in the middle of its model run
(``stop_making``); what was made plays on until the new line is ready and cuts in, which drops the
rest (``cancel``). The show stopping cancels every stream.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import replace
from fractions import Fraction

import numpy as np

from studio.lipsync.mouth import LipSyncDriver
from studio.live.clips import Clip
from studio.media.audio import resample
from studio.media.clock import frame_count
from studio.outputs.base import StreamFormat
from studio.tasks import CancelToken
from studio.voice import Speech
from studio.voice.base import PhonemeTiming, speech_cancelled_by
from studio.voice.clause_stream import speak_clauses

QUIET = 1e-4  # a frame-rounding cut only removes samples this quiet (the faded trailing silence)


class ClipStream:
    """The pieces of one line after its first, handed from the speech thread to the program.
    Thread-safe. ``token`` is cancelled with the stream; the piece being synthesised listens."""

    def __init__(self, parent: CancelToken | None = None) -> None:
        self._lock = threading.Lock()
        self._pieces: deque[Clip] = deque()
        self._closed = False
        self.token = CancelToken()
        self._unlink = parent.on_cancel(self.cancel) if parent is not None else (lambda: None)
        self.pieces = 0  # put so far (the first piece, which the program gets directly, not counted)

    def put(self, clip: Clip) -> bool:
        """Queue the next piece; False (dropped) once the stream is cancelled."""
        with self._lock:
            if self.token.cancelled or self._closed:
                return False
            self._pieces.append(clip)
            self.pieces += 1
            return True

    def close(self) -> None:
        """No more pieces will come (the line is all made, or its synthesis failed)."""
        with self._lock:
            self._closed = True
        self._unlink()

    def stop_making(self) -> None:
        """Make no more (the synthesis under way is interrupted); what was made still plays, so
        the line goes on until an interrupting line is ready to cut it."""
        with self._lock:
            self._closed = True
        self.token.cancel()

    def cancel(self) -> None:
        """Drop what was not played and stop the synthesis of the rest."""
        with self._lock:
            self._pieces.clear()
            self._closed = True
        self.token.cancel()

    def take(self) -> Clip | None:
        with self._lock:
            return self._pieces.popleft() if self._pieces else None

    @property
    def cancelled(self) -> bool:
        return self.token.cancelled

    @property
    def done(self) -> bool:
        """Nothing more will be played from it."""
        with self._lock:
            return self._closed and not self._pieces


def piece_clip(
    speech: Speech, fmt: StreamFormat, driver: LipSyncDriver, label: str, kind: str, pause_ms: int = 0
) -> Clip:
    """Like ``clips.make_clip``, with the length rounded to whole frames inside the trailing
    silence (where a frame holds a whole number of samples): the next piece, which starts on the
    next frame boundary, then starts exactly when this one's pause ends."""
    audio = resample(speech.audio, speech.sample_rate, fmt.sample_rate).astype(np.float32)
    audio = np.concatenate([audio, np.zeros(fmt.sample_rate * pause_ms // 1000, np.float32)])
    per_frame = Fraction(fmt.sample_rate) / Fraction(fmt.fps)
    if per_frame.denominator == 1 and len(audio):
        size = int(per_frame)
        over = len(audio) % size
        if over and (over > size // 2 or np.abs(audio[len(audio) - over :]).max() > QUIET):
            audio = np.concatenate([audio, np.zeros(size - over, np.float32)])  # pad to the boundary
        elif over:
            audio = audio[: len(audio) - over]  # cut within the silence
    audio.setflags(write=False)
    duration = len(audio) / fmt.sample_rate
    timed = replace(
        speech, audio=audio, sample_rate=fmt.sample_rate, phonemes=_cover(speech.phonemes, duration)
    )
    track = driver.drive(timed, fmt.fps, frame_count(len(audio), fmt.sample_rate, fmt.fps))
    track.values.setflags(write=False)
    return Clip(audio, track, label, kind, speech.voice_id)


def _cover(phonemes: list[PhonemeTiming] | None, duration: float) -> list[PhonemeTiming] | None:
    """``phonemes`` ending at ``duration``: the last pause grown or cut to it."""
    if not phonemes:
        return phonemes
    out = [t for t in phonemes if t.start < duration]
    if not out:
        return [PhonemeTiming("", 0.0, duration)]
    last = out[-1]
    out[-1] = PhonemeTiming(
        last.phoneme, last.start, duration if last.phoneme == "" else min(last.end, duration)
    )
    if out[-1].end < duration:
        out.append(PhonemeTiming("", out[-1].end, duration))
    return out


def stream_clips(
    text: str,
    synthesize: Callable[[str], Speech],
    fmt: StreamFormat,
    driver: LipSyncDriver,
    label: str,
    kind: str,
    stream: ClipStream,
    pause_ms: int = 0,
    skip: int = 0,
) -> Iterator[Clip]:
    """``text``'s pieces as clips, each yielded once made, all carrying ``stream`` (so the
    program plays the next one after each); ``pause_ms`` follows the last. Synthesis runs under
    ``stream.token``: cancelling the stream interrupts it (``Cancelled``). ``skip``: the first
    pieces were made beforehand (``live.prepared``); only the ones after them are made."""

    def synthesize_piece(piece: str) -> Speech:
        stream.token.check("the line")
        with speech_cancelled_by(stream.token):
            return synthesize(piece)

    for speech, last in speak_clauses(text, synthesize_piece, skip):
        clip = piece_clip(speech, fmt, driver, label, kind, pause_ms if last else 0)
        yield replace(clip, rest=stream)
