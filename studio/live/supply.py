"""Speech made ahead of time, so sentences follow without gaps.

Two workers share the voices (the engines are thread-safe: eSpeak behind a lock, onnxruntime
sessions by design). The rundown worker keeps about ``ahead_s`` seconds of sentences ready,
one sentence at a time, at a lower priority once the voice is loaded: it works seconds ahead,
while frames are due every 33 ms. The interjection worker speaks what the operator types at
normal priority, so it never waits behind a rundown sentence.

A third worker makes viewers' suggested answers before the operator approves them
(``live.prepared``), at the rundown's priority and only while the rundown is made ahead and no
interjection is being made: an answer approved as suggested then goes on air without waiting for
its synthesis, and the show's own sentences never wait for a preparation.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator

from studio.compliance.disclosure import Disclosure
from studio.errors import NetworkError, StudioError
from studio.lipsync.mouth import LipSyncDriver
from studio.live.clause_cuts import clause_cuts
from studio.live.clips import Clip, ClipCache, Synthesize, make_clip, synthesize_live
from studio.live.prepared import Preparation, Preparations
from studio.live.rundown import Line, Rundown
from studio.live.speech_stream import ClipStream, stream_clips
from studio.live.warnings import Warnings
from studio.outputs.base import StreamFormat
from studio.tasks import Cancelled, CancelToken
from studio.voice import Speech, default_voice_id
from studio.voice.base import speech_cancelled_by

OnInterjection = Callable[[Clip, bool], None]
INTERJECTION = "interjection: "  # what an interjection's label starts with; the sentence follows
_RETRY_S = 1.0  # after a failed sentence, so a voice that always fails cannot spin a core
_JOIN_S = 5.0  # a synthesis still running at the end of the show is not waited for longer
_YIELD_S = 2.0  # a preparation waiting this long for the voice between two pieces stops there


def _lower_priority() -> None:
    # On Linux the nice value is per thread. The voice's onnxruntime threads were created
    # (at its first sentence) by a thread at normal priority, so interjections keep them.
    if hasattr(os, "setpriority") and sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class SpeechSupply:
    def __init__(
        self,
        fmt: StreamFormat,
        driver: LipSyncDriver,
        rundown: Rundown | None,
        *,
        synthesize: Synthesize = synthesize_live,
        ahead_s: float = 6.0,
        cache: ClipCache | None = None,
        disclosure: Disclosure | None = None,
    ) -> None:
        self.fmt = fmt
        self._driver = driver
        self._synthesize = synthesize
        self._lines: Iterator[Line] | None = rundown.lines() if rundown else None
        self._ahead = int(ahead_s * fmt.sample_rate)
        self._cache = cache or ClipCache(fmt.sample_rate)
        self._ready: deque[Clip] = deque()
        self._ready_samples = 0
        self._requests: deque[tuple[str, str | None, bool, float, tuple[str, str]]] = deque()
        self._cond = threading.Condition()
        self._stop = False
        self._cancel = CancelToken()
        self._threads: list[threading.Thread] = []
        self.on_interjection: OnInterjection | None = None
        # Each warning is said once per cause: a looping rundown meets the same one every lap.
        self.warnings = Warnings()
        self.synthesised = 0
        self._disclosure = disclosure
        self._notices: dict[tuple[str, str], Clip] = {}  # (text, voice): a few per show
        self._streaming: ClipStream | None = None  # the interjection being made, a clause at a time
        self.prepared = Preparations()  # viewers' answers made before their approval

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._run_rundown, name="studio-tts", daemon=True),
            threading.Thread(target=self._run_interjections, name="studio-tts-now", daemon=True),
            threading.Thread(target=self._run_preparations, name="studio-tts-prepare", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._cancel.cancel()  # a neural voice mid-sentence stops now, not seconds later
        for thread in self._threads:
            thread.join(_JOIN_S)
        self._threads = []

    def submit(
        self,
        text: str,
        interrupt: bool = False,
        voice: str | None = None,
        answers: tuple[str, str] = ("", ""),
    ) -> None:
        """Queue an interjection; it is spoken after the current sentence, or at once.
        ``answers``: the viewer's question it answers (its id, and "user: question")."""
        text = text.strip()
        if not text:
            return
        with self._cond:
            self._requests.append((text, voice, interrupt, time.monotonic(), answers))
            if interrupt and self._streaming is not None:
                self._streaming.stop_making()  # "at once": the line being made is not finished
            self._cond.notify_all()

    def prepare(self, key: str, text: str, voice: str | None) -> None:
        """Make ``text`` (a viewer's suggested answer, question ``key``) ahead, in case it is
        approved as it is: ``submit`` with the same words, voice and ``answers[0] == key`` then
        finds it made. ``voice`` as ``submit`` will be given it."""
        text = text.strip()
        if text:
            self.prepared.add(key, text, voice)
            with self._cond:
                self._cond.notify_all()

    def discard(self, key: str) -> None:
        """Question ``key`` was rejected, edited or dropped: its preparation goes."""
        self.prepared.discard(key)

    def take(self, timeout: float = 0.0) -> Clip | None:
        """The next rundown clip, if one is ready (waiting up to ``timeout`` seconds)."""
        with self._cond:
            if not self._ready and timeout > 0:
                self._cond.wait_for(lambda: bool(self._ready) or self.finished, timeout)
            if not self._ready:
                return None
            clip = self._ready.popleft()
            self._ready_samples -= len(clip.audio)
            self._cond.notify_all()
            return clip

    @property
    def finished(self) -> bool:
        """A rundown that does not loop has been spoken to the end."""
        return self._lines is None and not self._ready

    @property
    def ahead_seconds(self) -> float:
        return self._ready_samples / self.fmt.sample_rate

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the first sentence is ready (or there is no rundown): a show that starts
        before it would open with silence, and the voice's first load competes with rendering."""
        with self._cond:
            return self._cond.wait_for(lambda: bool(self._ready) or self._lines is None, timeout)

    # -- workers ---------------------------------------------------------------------------
    def _run_rundown(self) -> None:
        with speech_cancelled_by(self._cancel):
            self._make_rundown()

    def _make_rundown(self) -> None:
        lowered = False
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stop or self._want_more(), 0.5)
                if self._stop:
                    return
                if not self._want_more():
                    continue
            self._guarded(self._next_line)
            if not lowered and self.synthesised:
                _lower_priority()
                lowered = True

    def _run_interjections(self) -> None:
        with speech_cancelled_by(self._cancel):
            self._make_interjections()

    def _make_interjections(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._stop or bool(self._requests), 0.5)
                if self._stop:
                    return
                if not self._requests:
                    continue
                request = self._requests.popleft()
            self._guarded(functools.partial(self._interjection, *request))

    def _run_preparations(self) -> None:
        _lower_priority()  # as the rundown's: a lower one could hold eSpeak's lock for seconds
        with speech_cancelled_by(self._cancel):
            while True:
                with self._cond:
                    self._cond.wait_for(lambda: self._stop or self._may_prepare(), 0.5)
                    if self._stop:
                        return
                    if not self._may_prepare():
                        continue
                stream = ClipStream(self._cancel)
                job = self.prepared.start_next(stream.cancel)
                if job is None:
                    stream.close()  # unlinks it from the show's token, which would keep it
                    continue
                try:
                    self._guarded(functools.partial(self._prepare, job, stream))
                finally:
                    stream.close()
                    self.prepared.finish(job.key)

    def _may_prepare(self) -> bool:
        """Inside ``_cond``: a preparation waits and nothing more urgent needs the voice."""
        return self.prepared.waiting and self._voice_free()

    def _voice_free(self) -> bool:
        """Inside ``_cond``: the rundown is made ahead and no interjection is waiting or being made."""
        return not self._want_more() and not self._requests and self._streaming is None

    def _prepare(self, job: Preparation, stream: ClipStream) -> None:
        label = f"{INTERJECTION}{job.text}"

        def speak(piece: str) -> Speech:  # no fallback voice here: the approval's synthesis has it
            return self._synthesize(piece, job.voice)

        try:
            for clip in stream_clips(
                job.text, speak, self.fmt, self._driver, label, "interjection", stream, 250
            ):
                if not self.prepared.put(job.key, clip):
                    return  # decided or dropped meanwhile
                with self._cond:  # before the next piece: the show's own speech comes first
                    free = self._cond.wait_for(lambda: self._stop or self._voice_free(), _YIELD_S)
                    if self._stop or not free:
                        return  # the rest is made if it is approved
        except (Cancelled, StudioError):
            pass  # a speculation: the approval makes it again, and says why if it fails then

    def _want_more(self) -> bool:
        return self._lines is not None and self._ready_samples < self._ahead

    def _guarded(self, work: Callable[[], None]) -> None:
        """Run one piece of work; whatever goes wrong is reported and the show goes on."""
        try:
            work()
        except Exception as exc:  # noqa: BLE001 - a worker that dies would silence the show
            self._warn(f"speech failed: {type(exc).__name__}: {exc}")
            with self._cond:
                self._cond.wait_for(lambda: self._stop, _RETRY_S)

    def _warn(self, message: str) -> None:
        self.warnings.add(message)

    def _interjection(
        self, text: str, voice: str | None, interrupt: bool, submitted: float, answers: tuple[str, str]
    ) -> None:
        """Spoken a clause at a time (``live.speech_stream``): the first clause goes on air as
        soon as it is made, the others are made while it plays."""
        label = f"{INTERJECTION}{text}"
        stream = ClipStream(self._cancel)
        with self._cond:
            self._streaming = stream
        # An answer approved as suggested was made while it waited: its pieces go first, and
        # only the ones not made yet are made now.
        made = self.prepared.claim(answers[0], text, voice) if answers[0] else ()
        try:
            speak = functools.partial(self._speak_piece, voice=voice, where=label)
            pieces = itertools.chain(
                (dataclasses.replace(clip, rest=stream) for clip in made),
                stream_clips(
                    text, speak, self.fmt, self._driver, label, "interjection", stream, 250, len(made)
                ),
            )
            for number, clip in enumerate(pieces):
                if number == 0:
                    with self._cond:
                        self.synthesised += 1
                    first = dataclasses.replace(
                        clip, submitted_at=submitted, answers=answers[0], question=answers[1]
                    )
                    if self.on_interjection is not None:
                        self.on_interjection(first, interrupt)
                elif not stream.put(clip):
                    break  # cut by an interrupting line
        except Cancelled:
            pass  # an interrupting line, or the show stopping: nothing to say about it
        except StudioError as exc:
            self._warn(f"{label}: {exc}")  # the pieces made so far are said; the line ends there
        finally:
            stream.close()
            with self._cond:
                self._streaming = None

    def _speak_piece(self, text: str, voice: str | None, where: str) -> Speech:
        return self._speak(text, voice, where)[0]

    def _next_line(self) -> None:
        assert self._lines is not None
        line = next(self._lines, None)
        if line is None:
            with self._cond:
                self._lines = None
                self._cond.notify_all()
            return
        # The label is what the status line shows as being said: the sentence itself. Warnings
        # name the segment instead, which is how the operator finds it on the Show page.
        where = f"segment {line.segment}" + (f" ({line.title})" if line.title else "")
        clip = self._clip(line.text, line.voice, line.pause_ms, line.text, "rundown", where)
        if clip is None:
            return
        clip = dataclasses.replace(clip, segment=line.segment, notice=self._notice(line.text, clip.voice))
        with self._cond:
            self._ready.append(clip)
            self._ready_samples += len(clip.audio)
            self._cond.notify_all()

    def _notice(self, line: str, voice: str) -> Clip | None:
        """The AI disclosure in ``line``'s language, in ``voice`` (made once per voice)."""
        text = self._disclosure.text_for(line) if self._disclosure is not None else ""
        if not text:
            return None
        notice = self._notices.get((text, voice))
        if notice is None:
            notice = self._clip(text, voice, 300, text, "disclosure", "the AI disclosure", cache=False)
            if notice is not None:
                self._notices[(text, voice)] = notice
        return notice

    def _speak(self, text: str, voice: str | None, where: str) -> tuple[Speech, bool]:
        """An online voice that loses the network mid-show hands the sentence to the offline
        voice for its language, so the stream never goes quiet; the operator is told. The
        second value says whether that happened."""
        try:
            return self._synthesize(text, voice), False
        except NetworkError as exc:
            fallback = default_voice_id(text)
            self._warn(f"{where}: {exc.problem} Spoken with {fallback} instead.")
            return self._synthesize(text, fallback), True

    def _clip(
        self,
        text: str,
        voice: str | None,
        pause_ms: int,
        label: str,
        kind: str,
        where: str,
        cache: bool = True,
    ) -> Clip | None:
        """``label``: what the status shows while it is said; ``where``: what warnings name."""
        key = (text, voice or "", pause_ms)
        cached = self._cache.get(key) if cache else None
        if cached is not None:
            return Clip(cached.audio, cached.track, label, kind, cached.voice, cuts=cached.cuts)
        try:
            speech, fell_back = self._speak(text, voice, where)
            clip = make_clip(speech, self.fmt, self._driver, label, kind, pause_ms)
            if kind == "rundown":  # where an answer may cut in (found here, off the frame thread)
                clip = dataclasses.replace(
                    clip, cuts=clause_cuts(speech, text, clip.audio, self.fmt.sample_rate)
                )
        except Cancelled:
            return None  # the show is stopping: nothing to say about it
        except StudioError as exc:
            self._warn(f"{where}: {exc}")
            with self._cond:
                self._cond.wait_for(lambda: self._stop, _RETRY_S)
            return None
        with self._cond:
            self.synthesised += 1
        if cache and not fell_back:  # once the network is back, the real voice is heard again
            self._cache.put(key, clip)
        return clip
