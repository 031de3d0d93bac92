"""Assemble a live show from options: avatar, what drives it, which outputs, which clock.

The CLI and the app both build shows here, so a verb means the same in each.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.avatar.consent import check_consent
from studio.avatar.package import Avatar
from studio.compliance import Checker
from studio.compliance.session_log import BLOCKED, SessionLog, default_log_dir
from studio.errors import InputError, printable
from studio.lipsync.mouth import LipSyncDriver
from studio.live.clock import MasterClock, show_clock
from studio.live.engine import EngineConfig, LiveEngine
from studio.live.file_supply import AudioFileSupply
from studio.live.mic_source import MicSource
from studio.live.outputs import JOINABLE, make_output, output_targets, redact_key
from studio.live.program import Program, Source
from studio.live.renderers import SlateRenderer, renderers_for
from studio.live.rundown import (  # noqa: F401 - read_show_script: the show editor's door
    Rundown,
    read_show_script,
    refuse_claims,
    spoken_voices,
    with_default_voice,
)
from studio.live.stats import LiveStatus
from studio.live.supply import SpeechSupply
from studio.live.watchdog import Watchdog
from studio.media.clock import frame_start_sample
from studio.outputs.base import Output, OutputStats, StreamFormat
from studio.pipeline.live_options import LiveOptions
from studio.pipeline.render_job import (
    default_driver,
    describe_driver,
    make_driver,
    output_metadata,
)
from studio.pipeline.show_log import ShowLogger, check_unlabelled, log_output_started, log_output_stopped
from studio.render.factory import RendererSet
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings
from studio.tasks import CancelToken, ProgressFn, no_progress
from studio.translation import tr
from studio.voice.registry import all_voices, require_known_voices

if TYPE_CHECKING:
    from studio.live.clips import Clip
    from studio.pipeline.live_room import ShowRoom

PREROLL_S = 15.0  # at most, waiting for the first sentence before going live
_PREPARE_POLL_S = 0.1  # how often a start waiting for its first sentence looks at Cancel
PREPARING = "Preparing the first sentence…"  # English: the app translates it (studio.ui.i18n_core)


class LiveShow:
    """A running show: start, interject, read the status, stop."""

    def __init__(
        self,
        avatar: Avatar,
        settings: RenderSettings,
        options: LiveOptions,
        microphone: Any = None,
        *,
        extra_outputs: Sequence[Output] = (),
        clock: MasterClock | None = None,
    ) -> None:
        """``microphone``: something with ``start(consumer)`` and ``close()`` to use instead of
        the system's (``studio.outputs.file_microphone.FileMicrophone`` plays a file).
        ``extra_outputs`` go after the ones the options ask for (the app's preview)."""
        drivers = (
            options.script is not None,
            options.rundown is not None,
            options.mic,
            options.audio is not None,
        )
        if sum(drivers) != 1:
            raise InputError(
                tr("a live show needs exactly one of a script, the microphone or an audio file.")
            )
        # Before anything starts. The microphone and an audio file speak with no Studio voice;
        # a script's default voice is unknown here (None) unless --voice names it.
        speaking = options.script is not None or options.rundown is not None
        voices: tuple[str, ...] | None = (options.voice,) if options.voice else None if speaking else ()
        check_consent(avatar, "live", voices)
        streamed = [name for name, on in (("vcam", options.vcam), ("rtmp", options.rtmp is not None)) if on]
        check_unlabelled(settings.label, streamed, options.unlabelled_by)
        self.consent_voices = voices  # as the consent was checked
        self.avatar, self.settings, self.options = avatar, settings, options
        self.rundown: Rundown | None = None  # the script's, once read
        self.fmt = StreamFormat(settings.width, settings.height, settings.fps)
        self.supply: SpeechSupply | None = None
        self.file_supply: AudioFileSupply | None = None  # an --audio file, decoded as it plays
        self.program: Program | None = None
        self.microphone: Any = microphone
        self._mic_source: MicSource | None = None
        self.driver: LipSyncDriver
        self._checker = Checker()  # every typed line passes it before it is spoken
        source = self._source()
        self.room: ShowRoom | None = None  # made before anything that would need closing
        if options.room is not None:
            from studio.pipeline.live_room import ShowRoom  # noqa: PLC0415 - the page loads aiohttp

            self.room = ShowRoom(self, options.room)
            source = self.room.with_cards(source)
        config = EngineConfig(duration_s=options.duration_s)
        outputs, audio_device = self._outputs()
        outputs += list(extra_outputs)
        preroll = frame_start_sample(config.lead_frames, self.fmt.sample_rate, self.fmt.fps)
        self.clock = clock or show_clock(self.fmt.sample_rate, preroll, self._mic_source, audio_device)
        renderers = renderers_for(avatar, settings, options.render_threads)
        self._renderers = renderers  # closed when the show stops
        self.withdrawn = False  # the avatar's face was taken off the air (``change_avatar``)
        self.recordings: list[tuple[Path, OutputStats]] = []  # finished ones, in order
        self.engine = LiveEngine(
            self.fmt, source, renderers.workers, outputs, self.clock, config,
            f"lip sync: {describe_driver(self.driver)}", renderers.planner,
            self.room.overlay if self.room and self.room.cards else None,
        )  # fmt: skip
        show = self.rundown.source if self.rundown and self.rundown.source else self.driven_by
        self.log = SessionLog(
            options.log_dir or default_log_dir(), "live", show, avatar.name, part_bytes=options.log_part_bytes
        )
        self.watchdog = Watchdog(self, options.watchdog_s) if options.watchdog_s else None
        self._logger = ShowLogger(self.log, self)

    def _source(self) -> Source:
        o = self.options
        if o.mic:
            from studio.inference.lipsync_model import LipSyncModel  # noqa: PLC0415 - loads onnxruntime
            from studio.lipsync.model_driver import ModelDriver  # noqa: PLC0415

            model = LipSyncModel(provider=o.provider)
            self.driver = ModelDriver(model)  # one session for the stream and the status line
            self._mic_source = MicSource(self.fmt, model.stream, model.info.lookahead_ms / 1000)
            return self._mic_source
        if o.audio is not None:
            self.driver = make_driver("model", o.provider)
            # Streamed, not loaded whole: any length plays in a few seconds of memory.
            self.file_supply = AudioFileSupply(o.audio, self.fmt, self.driver)
            self.program = Program(self.fmt, self.file_supply, end_when_done=True)
            return self.program
        self.driver = make_driver(o.lipsync, o.provider) if o.lipsync == "model" else default_driver()
        if o.rundown is not None:
            refuse_claims(o.rundown)  # the editor's rundown: checked again as it goes on air
            rundown = with_default_voice(o.rundown, o.voice)
        else:
            assert o.script is not None
            rundown = read_show_script(o.script, o.voice)
        require_known_voices(rundown.segments, all_voices())  # not live silent after a wait
        # The consent was checked with --voice; a segment may name another voice of its own.
        check_consent(self.avatar, "live", spoken_voices(rundown))
        self.consent_voices = spoken_voices(rundown)
        notice = o.disclosure.checked(self._checker) if o.disclosure is not None else None
        self.rundown = rundown
        self.supply = SpeechSupply(self.fmt, self.driver, rundown, disclosure=notice)
        self.program = Program(self.fmt, self.supply, disclosure_every_s=notice.every_s if notice else None)
        self.supply.on_interjection = self.program.interject
        return self.program

    def _outputs(self) -> tuple[list[Output], Any]:
        o = self.options
        outputs: list[Output] = []
        audio_device = None
        if o.vcam:
            outputs.append(self._make_output("vcam", o.vcam_device))
        if o.audio_out is not None:
            from studio.outputs.audio_device import AudioDeviceOutput  # noqa: PLC0415

            audio_device = AudioDeviceOutput(o.audio_out or None, offset_ms=o.av_offset_ms)
            outputs.append(audio_device)
        if o.record is not None:
            outputs.append(self._make_output("record", o.record))
        if o.rtmp is not None:
            outputs.append(self._make_output("rtmp", o.rtmp))
        return outputs, audio_device

    def _make_output(self, name: str, target: str | Path | None) -> Output:
        return make_output(name, target, self.metadata() if name == "record" else {})

    def metadata(self) -> dict[str, str]:
        return output_metadata(
            self.avatar, self.settings.label.text, live=True, credit_name=self.options.credit_name
        )

    # -- what the app shows -----------------------------------------------------------------
    @property
    def driven_by(self) -> str:
        """ "script", "microphone" or "audio file"."""
        if self._mic_source is not None:
            return "microphone"
        return "script" if self.supply is not None else "audio file"

    @property
    def can_interject(self) -> bool:
        """Typed lines can be spoken: only a show on a script has a voice to speak them."""
        return self.supply is not None

    @property
    def label(self) -> LabelSettings:
        return self.settings.label

    @property
    def recording(self) -> Path | None:
        """The file being recorded now, if any."""
        output = self._output("record")
        return None if output is None else Path(output.path)  # type: ignore[attr-defined]

    def _output(self, name: str) -> Output | None:
        return next((o for o in self.engine.outputs if o.name == name), None)

    def targets(self) -> dict[str, str]:
        """Where each output goes, by output name; the stream key masked."""
        return output_targets(self.engine.outputs, self.options.vcam_device, self.options.audio_out)

    def redact(self, text: str) -> str:
        """``text`` with the RTMP stream key masked, for anything shown on screen or logged."""
        return redact_key(self.engine.outputs, text)

    # -- changes while live ---------------------------------------------------------------------
    def add_output(self, name: str, target: str | Path | None = None) -> None:
        """Start the output ``name`` ("vcam", "record", "rtmp"; ``target`` its device, file or
        address) and send it the show from the next frame on; the others go on undisturbed.
        An output that cannot start raises (an ``OutputError`` saying why)."""
        check_unlabelled(self.settings.label, [name], self.options.unlabelled_by)
        output = self._make_output(name, target)
        self.engine.add_output(output)
        log_output_started(self.log, output, self.targets().get(name, ""), self.status().seconds)

    def remove_output(self, name: str) -> OutputStats | None:
        """Stop and finalise the output ``name`` (a recording becomes a finished file, listed
        in ``recordings``); the show goes on. None if the show had none."""
        if name not in JOINABLE:
            raise ValueError(f"{name!r} cannot leave a running show (it can: {', '.join(JOINABLE)})")
        path = self.recording if name == "record" else None
        stats = self.engine.remove_output(name)
        if path is not None and stats is not None:
            self.recordings.append((path, stats))
        if stats is not None:
            log_output_stopped(self.log, name, stats, self.redact)
        return stats

    def change_avatar(self, avatar: Avatar | None, renderers: RendererSet | None = None) -> None:
        """Take the current face off every output from the next frame on (frames already
        rendered with it included) and show ``avatar`` instead, or a neutral slate with the AI
        label for None. For a withdrawn consent: nothing of the old face is sent again.
        ``renderers``: ``avatar``'s from ``build_renderers``, made beforehand off the GUI thread."""
        if not self.withdrawn:  # the slate first: it is ready at once
            slate = SlateRenderer(self.settings)
            self.engine.replace_renderers([slate] * self.options.render_threads, stale=slate.frame)
            self.withdrawn = True
        if avatar is not None:
            made = renderers or self.build_renderers(avatar)
            self.engine.replace_renderers(made.workers, planner=made.planner)
            # The old set may still be drawing a frame on a render thread: it is not closed
            # here, and lets go of what it holds when it is dropped.
            self.avatar, self.withdrawn, self._renderers = avatar, False, made

    def adopt_renderers(self, renderers: RendererSet) -> None:
        """The watchdog's restart draws with ``renderers`` from now on: they are closed at the stop."""
        self._renderers = renderers

    def build_renderers(self, avatar: Avatar) -> RendererSet:
        """``avatar``'s renderers for this show (slow: ~75 ms each at 720p); they touch nothing
        of the running show, so any thread may make them."""
        return renderers_for(avatar, self.settings, self.options.render_threads)

    @property
    def error(self) -> BaseException | None:
        """What stopped the engine by itself, if anything did."""
        return self.engine.error

    # -- running ---------------------------------------------------------------------------
    def start(self, progress: ProgressFn | None = None, token: CancelToken | None = None) -> None:
        """Go live. On a script, wait (up to ``PREROLL_S``) for the first sentence's speech,
        reporting ``PREPARING`` to ``progress``; ``token`` cancels that wait, and a cancelled
        or failed start stops everything it started before raising."""
        progress = progress or no_progress
        try:
            self._logger.begin()  # a log that cannot be written stops the start, in one line
            if self.supply is not None:
                self.supply.start()
                self._prepare(progress, token)
            if self.file_supply is not None:
                self.file_supply.start()
            progress(1.0, tr("Starting the outputs…"))
            if token is not None:
                token.check(tr("going live"))
            self.engine.start()
            self._logger.started()
            if self.watchdog is not None:
                self.watchdog.start()
            if self.room is not None:
                self.room.start()
            if self._mic_source is not None:
                if self.microphone is None:
                    from studio.outputs.microphone import Microphone  # noqa: PLC0415

                    self.microphone = Microphone(self.options.mic_device, self.fmt.sample_rate)
                self.microphone.start(self._mic_source.feed)
        except BaseException:
            self.stop()
            raise

    @property
    def log_path(self) -> Path:
        """The session log's first part (``studio report`` reads its later parts with it)."""
        return self.log.path

    def _prepare(self, progress: ProgressFn, token: CancelToken | None) -> None:
        assert self.supply is not None
        started = time.monotonic()
        while True:
            waited = time.monotonic() - started
            progress(min(waited / PREROLL_S, 0.99), tr("Preparing the first sentence…"))
            if token is not None:
                token.check(tr("going live"))
            left = PREROLL_S - waited
            if left <= 0 or self.supply.wait_ready(min(_PREPARE_POLL_S, left)):
                return  # ready, or given up waiting: the show opens with silence until speech comes

    def interject(
        self,
        text: str,
        interrupt: bool = False,
        answers: tuple[str, str] = ("", ""),
        voice: str | None = None,
    ) -> bool:
        """Say ``text`` after the current sentence (or at once); False when not on a script.
        ``InputError`` (nothing is said) when the line makes a prohibited claim. ``answers``: the
        viewer's question it answers (its id in the room, and "user: question"). ``voice``: instead
        of the show's (a Chinese answer in an English show is said by a Chinese voice)."""
        if self.supply is None:
            return False
        findings = self._checker.check(text)
        if findings:
            self.log.record(
                BLOCKED, text=text, rules=[f.rule.id for f in findings], pts_s=self.status().seconds
            )
            raise InputError(
                tr("not said: {reason}.").format(reason=printable(findings[0].describe())),
                tr("Rephrase the line and send it again."),
            )
        self.supply.submit(text, interrupt, voice or self.options.voice, answers)
        return True

    def on_said(self, listener: Callable[[Clip], None]) -> None:
        """Call ``listener(clip)`` on the presenter thread as each clip goes on air (it must not wait)."""
        self._logger.on_said.append(listener)

    def wait(self, timeout: float | None = None) -> bool:
        end = None if timeout is None else time.monotonic() + timeout
        while True:  # the watchdog may replace the engine meanwhile: then the wait goes on with the new one
            engine = self.engine
            left = None if end is None else max(0.0, end - time.monotonic())
            if engine.wait(left):
                return True
            if not engine.abandoned or left == 0:
                return False
            time.sleep(0.01)  # given up as stalled: the engine taking over is being started

    def status(self) -> LiveStatus:
        return self.engine.status()

    def warnings(self) -> tuple[int, list[str]]:
        """How many different warnings so far, and the latest of them (the speech worker keeps
        20); each is said once per cause, however often it recurs."""
        if self._mic_source is not None and self._mic_source.stalls:
            quiet = tr("the microphone went quiet; the avatar idles until its sound comes back.")
            return 1, [quiet]
        supply = self.supply or self.file_supply
        if supply is None:
            return 0, []
        return supply.warnings.snapshot()  # the count and the list read together

    def stop(self) -> dict[str, OutputStats]:
        """Stop everything; each step runs even if one before it failed (the recording must
        be finalised whatever the microphone did)."""
        try:
            if self.watchdog is not None:
                self.watchdog.stop()  # no restart while the show stops
            if self.room is not None:
                self.room.stop()  # no answer is taken that could not be said
            if self.microphone is not None:
                microphone, self.microphone = self.microphone, None
                microphone.close()
        finally:
            try:
                path = self.recording
                stats = self.engine.stop()
                if path is not None and "record" in stats and all(p != path for p, _ in self.recordings):
                    self.recordings.append((path, stats["record"]))
            finally:
                self._renderers.close()  # the render threads have ended
                if self.supply is not None:
                    self.supply.close()
                if self.file_supply is not None:
                    self.file_supply.close()
                self._logger.end()
        return stats
