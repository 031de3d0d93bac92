"""What a show writes into its session log (``studio.compliance.session_log``), and when.

The engine's presenter thread tells ``said`` when a clip's first frame is shown (one cheap
``record`` call); everything else is read by a watcher thread once a second from what the show
already exposes (its warnings, its outputs' states, the engine's frame counts), so nothing on
the render or audio path ever waits for the log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studio.avatar.consent import expiry
from studio.avatar.package import Avatar
from studio.compliance.override import Override
from studio.compliance.session_log import (
    CONSENT,
    FRAMES,
    LABEL,
    OUTPUT,
    OVERRIDE,
    SAID,
    UNLABELLED,
    WARNING,
    SessionLog,
)
from studio.errors import InputError, one_line
from studio.live.clips import Clip
from studio.live.rundown import Rundown
from studio.live.supply import INTERJECTION
from studio.outputs.aigc_label import parse_aigc
from studio.outputs.base import Output, OutputStats
from studio.render.label import LabelSettings
from studio.translation import tr

if TYPE_CHECKING:
    from studio.pipeline.live_show import LiveShow
    from studio.pipeline.render_job import StageTimes

WATCH_S = 1.0  # warnings and output states are looked at this often
FRAMES_EVERY_S = 10.0  # the engine's frame counts go into the log this often (late frames over time)
STREAMED = ("vcam", "rtmp")  # outputs that reach an audience as they happen


def log_consent(log: SessionLog, avatar: Avatar, use: str, voices: Sequence[str] | None) -> None:
    """The consent that was checked before the show (the check itself raised if it failed)."""
    consent = avatar.manifest.consent
    ends = expiry(consent)
    log.record(
        CONSENT, avatar=avatar.name, use=use, scope=list(consent.scope), voices=list(consent.voices),
        checked_voices=None if voices is None else list(voices), method=consent.method,
        expires=ends.isoformat() if ends else "", ok=True,
    )  # fmt: skip


def log_label(log: SessionLog, label: LabelSettings, unlabelled_by: str, outputs: Sequence[str]) -> None:
    log.record(LABEL, visible=label.enabled, text=label.text if label.enabled else "", corner=label.corner)
    streamed = [name for name in outputs if name in STREAMED]
    if not label.enabled and unlabelled_by:
        log.record(UNLABELLED, by=unlabelled_by, outputs=streamed)


def log_overrides(log: SessionLog, rundown: Rundown | None) -> None:
    for number, segment in enumerate(rundown.segments if rundown else (), 1):
        for override in segment.overrides:
            log.record(OVERRIDE, segment=number, **override.as_json())


def implicit_label(output: Output) -> str:
    """The GB 45438 ProduceID in what ``output`` writes, or "" when it writes no metadata."""
    metadata = getattr(output, "metadata", None)
    label = parse_aigc(metadata) if isinstance(metadata, Mapping) else None
    return label.get("ProduceID", "") if label else ""


def log_output_started(log: SessionLog, output: Output, target: str, pts_s: float | None = None) -> None:
    produce_id = implicit_label(output)
    log.record(
        OUTPUT, name=output.name, event="started", target=target, implicit_label=bool(produce_id),
        produce_id=produce_id, **({} if pts_s is None else {"pts_s": round(pts_s, 3)}),
    )  # fmt: skip


def log_output_stopped(log: SessionLog, name: str, stats: OutputStats, redact: Callable[[str], str]) -> None:
    log.record(
        OUTPUT, name=name, event="stopped", state=redact(stats.state), frames=stats.frames,
        dropped=stats.dropped, errors=stats.errors, last_error=redact(stats.last_error or ""),
    )  # fmt: skip


class ShowLogger:
    """Feeds one live show's log: the header at the start, ``said`` from the presenter, the rest
    from a watcher thread, the outputs' results and the ``end`` record when the show stops."""

    def __init__(self, log: SessionLog, show: LiveShow) -> None:
        self.log = log
        self._show = show
        self._rate = show.fmt.sample_rate
        self._segments: list[tuple[Override, ...]] = []  # to name the overrides a spoken line used
        self._products: list[str | None] = []  # each segment's product, for the report's airtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._warned = 0
        self._states: dict[str, str] = {}
        self._late = 0
        # Told on the presenter thread after a clip's ``said`` is logged (the room follows the
        # product on air and marks answers spoken); each must return at once.
        self.on_said: list[Callable[[Clip], None]] = []

    def begin(self) -> None:
        """Open the log with the show's terms (``InputError`` if it cannot be written)."""
        show = self._show
        self.log.open()
        log_consent(self.log, show.avatar, "live", show.consent_voices)
        log_label(self.log, show.label, show.options.unlabelled_by, [o.name for o in show.engine.outputs])
        log_overrides(self.log, show.rundown)
        self._segments = [s.overrides for s in show.rundown.segments] if show.rundown else []
        self._products = [s.product for s in show.rundown.segments] if show.rundown else []

    def started(self) -> None:
        """The show is live: its outputs, then ``said`` and the watcher."""
        targets = self._show.targets()
        for output in self._show.engine.outputs:
            log_output_started(self.log, output, targets.get(output.name, ""))
        self._show.engine.on_clip = self.said
        self._thread = threading.Thread(target=self._watch, name="studio-show-log", daemon=True)
        self._thread.start()

    def end(self) -> None:
        """After the engine stopped: a last look, each output's result, the ``end`` record."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if not self.log.is_open:
            return
        self._look(frames=True)
        engine = self._show.engine
        for name, out in engine.stop().items():  # stopped already: the stats it kept
            log_output_stopped(self.log, name, out, self._show.redact)
        error = engine.error
        reason = f"failed: {self._show.redact(one_line(error))}" if error is not None else "stopped"
        self.log.close(reason, engine.status().seconds)

    def said(self, clip: Clip, pts: int) -> None:
        """Called on the presenter thread when ``clip``'s first frame is shown: no I/O here."""
        text = clip.label[len(INTERJECTION) :] if clip.kind == "interjection" else clip.label
        overrides = self._segments[clip.segment - 1] if 0 < clip.segment <= len(self._segments) else ()
        used = [o.rule for o in overrides if o.text in text]
        extra: dict[str, object] = {"overrides": used} if used else {}
        if clip.answers:
            extra.update(answers=clip.answers, question=clip.question)
        if 0 < clip.segment <= len(self._products) and self._products[clip.segment - 1]:
            extra["product"] = self._products[clip.segment - 1]
        self.log.record(
            SAID, kind=clip.kind, text=text, voice=clip.voice, pts_s=round(pts / self._rate, 3),
            segment=clip.segment, **extra,
        )  # fmt: skip
        for listener in self.on_said:
            listener(clip)

    def _watch(self) -> None:
        ticks, every = 0, max(1, round(FRAMES_EVERY_S / WATCH_S))
        while not self._stop.wait(WATCH_S):
            ticks += 1
            self._look(frames=ticks % every == 0)

    def _look(self, frames: bool) -> None:
        show = self._show
        total, latest = show.warnings()
        if total > self._warned:
            for message in latest[len(latest) - min(total - self._warned, len(latest)) :]:
                self.log.record(WARNING, message=show.redact(message))
            self._warned = total
        status = show.status()
        for name, state in status.outputs.items():
            if self._states.get(name) != state:
                if (name in self._states or not state.startswith("running")) and state != "closed":
                    self.log.record(OUTPUT, name=name, event="state", state=show.redact(state))
                self._states[name] = state
        if frames or status.late > self._late:
            self.log.record(
                FRAMES, pts_s=round(status.seconds, 3), frames=status.frames, late=status.late,
                skipped=status.skipped,
            )  # fmt: skip
            self._late = status.late


def check_unlabelled(label: LabelSettings, outputs: Sequence[str], unlabelled_by: str) -> None:
    """Refuse a stream or a virtual camera without the visible label, unless someone named
    acknowledged it (the session log records who)."""
    streamed = [name for name in outputs if name in STREAMED]
    if label.enabled or not streamed or unlabelled_by.strip():
        return
    names = ["RTMP" if name == "rtmp" else tr("the virtual camera") for name in streamed]
    if len(names) == 2:
        where = tr("{first} and {second}").format(first=names[0], second=names[1])
    else:
        where = " and ".join(names)
    raise InputError(
        tr("the visible AI label is off, and {where} reaches an audience with it off.").format(where=where),
        tr(
            'Switch the label on, or acknowledge it by name (studio live: --acknowledge-unlabelled "NAME"; '
            "the app: Settings, AI label); the session log records who."
        ),
    )


class RenderLog:
    """What ``studio render`` writes into its log: the terms, then the file and what it says."""

    def __init__(self, log: SessionLog) -> None:
        self.log = log

    @property
    def path(self) -> Path:
        return self.log.path

    def begin(self, avatar: Avatar, voices: Sequence[str] | None, label: LabelSettings) -> None:
        log_consent(self.log, avatar, "render", voices)
        log_label(self.log, label, "", ["file"])

    def rendered(self, out: Path, voice: str, notice: str, script: str, times: StageTimes) -> None:
        """The file is complete: what it says (the notice first, at 0 s), and its label."""
        if notice:
            self.log.record(SAID, kind="disclosure", text=notice, voice=voice, pts_s=0.0, segment=0)
        for number, line in enumerate((ln.strip() for ln in script.splitlines() if ln.strip()), 1):
            self.log.record(SAID, kind="script", text=line, voice=voice, segment=number)
        self.log.record(
            OUTPUT, name="file", event="started", target=str(out), implicit_label=bool(times.produce_id),
            produce_id=times.produce_id,
        )  # fmt: skip
        self.log.record(OUTPUT, name="file", event="stopped", state="written", frames=times.frames, dropped=0)
        self.log.close("rendered", times.audio_seconds)

    def failed(self, exc: BaseException) -> None:
        """No file was left (renders are atomic): say why, and close."""
        why = "stopped" if isinstance(exc, KeyboardInterrupt | SystemExit) else one_line(exc)
        self.log.close(f"failed: {why}; no file written")
