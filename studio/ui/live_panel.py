"""The Live page: preview the avatar at the show's frame rate, go live, talk over the show.

A ``LiveShow`` (the same one ``studio live`` runs) does the work on its own threads; this
panel starts and stops it on a worker (``TaskRunner``), pulls the preview's newest frame 30
times a second, reads the show's status twice a second, and turns failures into dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QProgressDialog,
    QWidget,
)

from studio.avatar.package import Avatar
from studio.errors import InputError, StudioError
from studio.live.rundown import Rundown
from studio.outputs import devices as device_probe
from studio.outputs.base import OutputStats
from studio.outputs.devices import DeviceList
from studio.outputs.preview import PREVIEW_NAME, PreviewOutput
from studio.pipeline.live_show import LiveShow
from studio.settings.app_settings import AppSettings, OutputSettings
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.dialogs import run_with_progress, show_error
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.live_avatar import OnAirAvatar
from studio.ui.live_interject import NOT_LIVE, ON_MIC
from studio.ui.live_layout import LiveControls, lay_out_live_page
from studio.ui.live_notices import LiveNotices
from studio.ui.live_plan import label_settings, plan_show, recorded_seconds, stop_summary
from studio.ui.live_preview import PreviewView
from studio.ui.live_status import StatusStrip
from studio.ui.live_switch import OutputSwitch

PREVIEW_MS = 33  # ~30 fps: the preview pulls the newest frame; it never waits for one
STATUS_MS = 500
_STATE_TEXT = {
    "stopped": QT_TRANSLATE_NOOP("live_panel", "Stopped"),
    "starting": QT_TRANSLATE_NOOP("live_panel", "Starting…"),
    "stopping": QT_TRANSLATE_NOOP("live_panel", "Stopping…"),
}


def list_sound_devices() -> DeviceList:
    """The machine's sound devices, without opening a camera (elsewhere than Linux, listing
    cameras means opening them: a camera light, maybe a permission prompt, for no reason)."""
    return device_probe.list_devices(camera_indices=range(0))


class LivePanel(QWidget):
    settings_changed = Signal(object)  # AppSettings, when the user flips an output toggle

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        make_show: Callable[..., LiveShow] = LiveShow,
        list_devices: Callable[[], DeviceList] = list_sound_devices,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("livePanel")
        self._make_show = make_show
        self._list_devices = list_devices
        self._settings = AppSettings()
        self._avatar: Avatar | None = None
        self._rundown_source: Callable[[], Rundown] | None = None
        self._state = "stopped"
        self._show: LiveShow | None = None
        self._starting: LiveShow | None = None  # set by the start worker, so shutdown can stop it
        self.preview_output = PreviewOutput()
        self.progress_dialog: QProgressDialog | None = None
        self._closed = False

        self.start_runner = TaskRunner(self)
        self.stop_runner = TaskRunner(self)
        self._build()
        self.notices = LiveNotices(self, self.status_strip, self.preview)

        self.preview_timer = QTimer(self)
        self.preview_timer.setInterval(PREVIEW_MS)
        self.preview_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.preview_timer.timeout.connect(self._pull_frame)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_MS)
        self.status_timer.timeout.connect(self._refresh_status)

        self.start_runner.finished.connect(self._start_finished)
        self.stop_runner.succeeded.connect(self._stopped)
        self.stop_runner.failed.connect(self._stop_failed)
        self.switch = OutputSwitch(
            self, self.outputs_box, lambda: self._show if self._state == "live" else None
        )
        self.switch.refused.connect(self._output_refused)
        self.switch.done.connect(self._switch_done)
        self.on_air = OnAirAvatar(self, lambda: [s for s in (self._show, self._starting) if s is not None])
        self._set_state("stopped")

    def _build(self) -> None:
        self.preview = PreviewView()
        self.controls = side = LiveControls(self._list_devices)
        self.drive_box, self.outputs_box, self.interjection_box = (
            side.drive_box,
            side.outputs_box,
            side.interjection_box,
        )
        self.start_button, self.stop_button = side.start_button, side.stop_button
        self.drive_script, self.drive_mic = side.drive_box.script, side.drive_box.mic
        self.drive_box.changed.connect(self._update_interjections)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.outputs_box.changed.connect(self._outputs_changed)
        self.interjection_box.interjected.connect(self.interject)
        self.room_box = side.room_box
        self.catalog_box = side.catalog_box  # the room for the next start (studio.ui.live_catalog)
        self.catalog_box.chosen.connect(self._catalog_chosen)
        self.room_box.auto_changed.connect(self._auto_chosen)
        self.status_strip = StatusStrip()
        lay_out_live_page(self, self.preview, side, self.status_strip)

    # -- what the main window hands over ------------------------------------------------------
    def set_avatar(self, avatar: Avatar) -> None:
        """The avatar for the next start (a running show keeps its own, unless its face was
        withdrawn: then ``avatar`` replaces the slate on air as soon as it is ready)."""
        self._avatar = avatar
        self.on_air.replace(avatar)
        self._update_placeholder()

    def withdraw_avatar(self, package: Path) -> bool:
        """Take the avatar of the folder ``package`` off every output now (it is being
        deleted): a neutral slate from the next frame, until the avatar chosen for the next
        start, if it is another, is ready to replace it. True if a show was using it."""
        return self.on_air.withdraw(package, self._avatar)

    def set_rundown_source(self, get: Callable[[], Rundown]) -> None:
        self._rundown_source = get

    def set_settings(self, settings: AppSettings) -> None:
        """Show ``settings``; size, voice, label and outputs apply from the next start."""
        self._settings = settings
        self.outputs_box.set_output_settings(settings.outputs)
        self.catalog_box.set_catalog(settings.catalog_path, settings.room_page, port=settings.room_port)
        self.catalog_box.auto = settings.room_auto
        self.room_box.plan(bool(self.catalog_box.catalog), settings.room_auto)
        self.preview.set_aspect(settings.width, settings.height)
        if self._state != "live":
            self.status_strip.set_label(label_settings(self._settings))

    @property
    def settings(self) -> AppSettings:
        return self._settings

    @property
    def avatar(self) -> Avatar | None:
        """The avatar the next start uses."""
        return self._avatar

    def rundown(self) -> Rundown | None:
        """The rundown the next start would play."""
        return None if self._rundown_source is None else self._rundown_source()

    @property
    def state(self) -> str:
        """ "stopped", "starting", "live" or "stopping"."""
        return self._state

    @property
    def current_show(self) -> LiveShow | None:
        """The running show, if any."""
        return self._show

    def _outputs_changed(self, outputs: Any) -> None:
        self._settings = replace(self._settings, outputs=outputs)
        self.settings_changed.emit(self._settings)
        if self._state == "live":
            self.switch.apply(outputs)

    def _catalog_chosen(self, path: str, page: bool, port: int) -> None:
        self._settings = replace(self._settings, catalog_path=path, room_page=page, room_port=port)
        self.room_box.plan(bool(path), self.catalog_box.auto)
        self.settings_changed.emit(self._settings)

    def _auto_chosen(self, kinds: tuple[str, ...]) -> None:
        """The kinds ticked before or during a show are the next show's too."""
        self.catalog_box.auto = kinds
        self._settings = replace(self._settings, room_auto=kinds)
        self.settings_changed.emit(self._settings)

    def _output_refused(self, outputs: OutputSettings) -> None:
        self.outputs_box.set_output_settings(outputs)
        self._outputs_changed(outputs)

    def _switch_done(self) -> None:
        if not self._closed:
            self._set_outputs_mode()
            self._refresh_status()

    def _set_outputs_mode(self) -> None:
        state = self._state
        self.outputs_box.set_mode("stopped" if state == "stopped" else "live" if state == "live" else "busy")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.outputs_box.devices_asked:
            self.outputs_box.refresh_devices()  # the sound devices, listed when first seen

    # -- starting -----------------------------------------------------------------------------
    def start(self) -> None:
        """Build the show from the settings and the rundown, and start it behind a progress
        dialog whose Cancel stops everything it had started."""
        if self._state != "stopped" or self._closed:
            return
        try:
            if self._avatar is None:
                raise InputError(
                    self.tr("no avatar is chosen for the show."), self.tr("Choose one on the Avatars page.")
                )
            avatar = self._avatar
            # The audio toggle as shown: the default (on where a sound output exists) applied.
            # ... and the stream address as typed, even one the settings would not keep.
            outputs = replace(
                self._settings.outputs,
                audio_out=self.outputs_box.audio_on,
                rtmp_url=self.outputs_box.typed_rtmp_url,
            )
            render, options = plan_show(
                replace(self._settings, outputs=outputs),
                self._rundown_source,
                self.drive_mic.isChecked(),
                self.outputs_box.record_folder(),
            )
            room = self.catalog_box.room_options(self.drive_mic.isChecked())  # as --catalog --room
            options = replace(options, room=room)
        except StudioError as exc:
            show_error(self, exc, self.tr("Cannot go live"))
            return
        preview = self.preview_output = PreviewOutput()
        make_show = self._make_show
        self.notices.new_show()
        self.on_air.new_show()
        self.interjection_box.clear_history()

        def work(progress: ProgressFn, token: CancelToken) -> LiveShow:
            progress(
                0.0, QCoreApplication.translate("LivePanel", "Getting {name} ready…").format(name=avatar.name)
            )
            show = make_show(avatar, render, options, extra_outputs=(preview,))
            self._starting = show  # a plain attribute: read by the Qt thread only after a join
            show.start(progress, token)
            return show

        self._set_state("starting")
        if options.record is not None:
            self.outputs_box.recording.set_recording_file(
                self.tr("Recording to {name}").format(name=options.record.name)
            )
        self.progress_dialog = run_with_progress(
            self, self.start_runner, self.tr("Going live"), work, self._started, self._start_failed
        )

    def _started(self, show: LiveShow) -> None:
        self._starting = None
        if self._closed:  # the window closed while the show was starting
            show.stop()
            return
        self._show = show
        self.room_box.attach(show.room.queue if show.room is not None else None)
        self.on_air.started(self._avatar)
        self._set_state("live")
        self._refresh_status()

    def _start_failed(self, exc: BaseException) -> None:
        if not self._closed:
            if isinstance(exc, StudioError):  # voices by the names the Show page gives them
                words = self.notices.words
                exc = StudioError(words.plain(exc.problem), words.plain(exc.hint))
            show_error(self, exc, self.tr("Could not go live"))

    def _start_finished(self) -> None:
        self.progress_dialog = None
        if self._show is None and not self._closed:
            self._starting = None
            self.outputs_box.recording.set_recording_file("")
            self._set_state("stopped")

    # -- live ---------------------------------------------------------------------------------
    def interject(self, text: str, interrupt: bool = False) -> bool:
        """Say ``text`` after the current sentence, or at once; False when it cannot be said."""
        show = self._show
        text = text.strip()
        if show is None or self._state != "live" or not text:
            return False
        try:
            taken = show.interject(text, interrupt)
        except InputError as exc:  # a prohibited claim: the line stays in the field to be rephrased
            self.interjection_box.refused(str(exc))
            return False
        if not taken:
            return False
        self.interjection_box.sent(text, interrupt)
        return True

    def _pull_frame(self) -> None:
        frame = self.preview_output.latest()
        if frame is not None:
            self.preview.show_frame(frame)

    def _refresh_status(self) -> None:
        show = self._show
        if show is None or self._state != "live":
            return
        status = show.status()
        outputs = {name: show.redact(s) for name, s in status.outputs.items() if name != PREVIEW_NAME}
        targets = show.targets()
        self.status_strip.show_live(status, outputs, show.label, targets)
        self.interjection_box.observe(status.saying, status.interjection_ms)
        self.notices.check_warnings(show)
        self.notices.check_stream(outputs, targets, status.seconds)
        self.notices.check_outputs(outputs)
        self.switch.check_recording()
        if show.wait(0):  # ended by itself: an engine error, or the source ran out
            self._stop_show()

    # -- stopping -----------------------------------------------------------------------------
    def stop(self) -> None:
        """Stop the running show on a worker (a recording takes a moment to finish)."""
        if self._state == "live":
            self._stop_show()

    def _stop_show(self) -> None:
        show = self._show
        if show is None or self.stop_runner.running:
            return
        self._set_state("stopping")
        self.stop_runner.start(lambda _p, _t: show.stop(), "stopping the show")

    def _stopped(self, stats: dict[str, OutputStats]) -> None:
        show, self._show = self._show, None
        self.room_box.attach(None)
        if self._closed:
            return
        self._set_state("stopped")
        self.outputs_box.recording.set_recording_file("")
        self.interjection_box.show_ended()
        if show is None:
            return
        self.status_strip.show_summary(stop_summary(show, stats))
        finished = [(p, s) for p, s in show.recordings if p.exists()]
        if finished:
            path, out = finished[-1]
            self.outputs_box.recording.show_recording_result(path, recorded_seconds(out, show.fmt.fps))
        if show.error is not None:
            show_error(self, show.error, self.tr("The show stopped"))

    def _stop_failed(self, exc: BaseException) -> None:
        self._show = None
        if not self._closed:
            self._set_state("stopped")
            self.interjection_box.show_ended()
            show_error(self, exc, self.tr("The show did not stop cleanly"))

    # -- state --------------------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self._state = state
        stopped = state == "stopped"
        self.start_button.setEnabled(stopped)
        self.stop_button.setEnabled(state == "live")
        self.drive_box.set_locked(not stopped)
        self.catalog_box.show_state(state, self._show)
        self._set_outputs_mode()
        if state in _STATE_TEXT:  # live: the strip says where the show goes (_refresh_status)
            self.status_strip.set_state(state, translated("live_panel", _STATE_TEXT[state]))
        if stopped:
            self.preview_timer.stop()
            self.status_timer.stop()
            self.preview.clear()
            self.status_strip.clear_figures()
            self.status_strip.set_label(label_settings(self._settings))
        else:
            self.status_strip.show_summary("")
            self.preview_timer.start()
            if state == "live":
                self.status_timer.start()
        self._update_placeholder()
        self._update_interjections()

    def _update_placeholder(self) -> None:
        name = self._avatar.name if self._avatar is not None else self.tr("the avatar")
        text = {
            "starting": self.tr("Starting {name}…").format(name=name),
            "stopping": self.tr("Stopping…"),
        }.get(self._state, self.tr("Press Start to preview {name}").format(name=name))
        self.preview.set_placeholder(text)

    def _update_interjections(self) -> None:
        show = self._show
        if self._state == "live" and show is not None:
            self.interjection_box.set_available(show.can_interject, ON_MIC)
        else:
            self.interjection_box.set_available(False, ON_MIC if self.drive_mic.isChecked() else NOT_LIVE)

    # -- closing ------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop a running (or starting) show and join every worker; the app is quitting."""
        if self._closed:
            return
        self._closed = True
        self.preview_timer.stop()
        self.status_timer.stop()
        self.start_runner.cancel()
        self.start_runner.wait()
        self.stop_runner.wait()
        self.switch.runner.wait()
        self.on_air.shutdown()
        for show in (self._show, self._starting):
            if show is not None:
                show.stop()  # safe twice: a show a worker stopped already returns at once
        self._show = self._starting = None
        self.outputs_box.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)
