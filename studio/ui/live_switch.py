"""Outputs switched on and off while the show runs, as in OBS: the Outputs box's toggles are
applied to the running show on a worker (a recording takes a moment to finish), and the others
go on undisturbed. An output that cannot start goes back off and a dialog says why.

While live it also watches the recording: one that stopped mid-show (a full disk) is said under
Record, once, with what was kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from studio.errors import StudioError
from studio.pipeline.live_show import LiveShow
from studio.settings.app_settings import OutputSettings
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.dialogs import show_error
from studio.ui.live_outputs import OutputsBox
from studio.ui.live_plan import checked_rtmp_url, new_recording, recorded_seconds

Change = tuple[str, bool, Any]  # (output name, on, its target: file, address or None)


def switched_off(outputs: OutputSettings, name: str) -> OutputSettings:
    return {
        "vcam": replace(outputs, vcam=False),
        "record": replace(outputs, record=False),
        "rtmp": replace(outputs, rtmp=False),
    }.get(name, outputs)


class OutputSwitch(QObject):
    refused = Signal(object)  # OutputSettings: the toggle of an output that could not start, off
    done = Signal()  # a switch has ended, the box is free again

    def __init__(self, parent: QWidget, box: OutputsBox, live: Callable[[], LiveShow | None]) -> None:
        """``live``: the running show, None when none runs (then nothing is switched)."""
        super().__init__(parent)
        self._parent, self._box, self._live = parent, box, live
        self._outputs = OutputSettings()
        self.runner = TaskRunner(self)
        self.runner.succeeded.connect(self._switched)
        self.runner.failed.connect(self._failed)
        self._watched: tuple[object, set[str]] | None = None  # a recording, what was said of it

    def check_recording(self) -> None:
        """Say, once, that the running recording failed (with what was kept). The live panel
        calls this with each status refresh."""
        show = self._live()
        output = None if show is None else next((o for o in show.engine.outputs if o.name == "record"), None)
        if output is None:
            return
        if self._watched is None or self._watched[0] is not output:
            self._watched = (output, set())  # a new recording: nothing said of it yet
        told = self._watched[1]
        state = output.stats.state if hasattr(output, "stats") else ""
        # Once the output has said what it kept ("...; what was recorded until then is kept in").
        if state.startswith("failed:") and "kept in" in state and "failed" not in told:
            told.add("failed")
            self._box.recording.show_recording_failed(state, Path(output.path))  # type: ignore[attr-defined]

    def apply(self, outputs: OutputSettings) -> None:
        """Start or stop the outputs whose toggle in ``outputs`` differs from the running show."""
        self._outputs = outputs
        show = self._live()
        if show is None or self.runner.running:
            return  # a switch under way looks again when it ends
        running = show.targets()
        changes: list[Change] = []
        for name, on in (("vcam", outputs.vcam), ("record", outputs.record), ("rtmp", outputs.rtmp)):
            if on == (name in running):
                continue
            try:
                target: Any = None
                if on and name == "record":
                    target = new_recording(self._box.record_folder())
                    self._box.recording.set_recording_file(
                        self.tr("Recording to {name}").format(name=target.name)
                    )
                elif on and name == "rtmp":
                    target = checked_rtmp_url(self._box.typed_rtmp_url)
            except StudioError as exc:
                self._refuse(exc, name)
                return
            changes.append((name, on, target))
        if not changes:
            return

        def work(_p: ProgressFn, _t: CancelToken) -> list[tuple[str, Any]]:
            results: list[tuple[str, Any]] = []
            for name, on, target in changes:
                try:
                    if on:
                        show.add_output(name, target)
                        results.append((name, None))
                    else:
                        results.append((name, show.remove_output(name)))
                except StudioError as exc:
                    results.append((name, exc))
            return results

        self._box.set_mode("busy")
        self.runner.start(work, "switching outputs")

    def _switched(self, results: list[tuple[str, Any]]) -> None:
        show = self._live()
        refused = next(((n, r) for n, r in results if isinstance(r, StudioError)), None)
        for name, result in results:
            if name == "record" and result is not None and show is not None and show.recordings:
                path, stats = show.recordings[-1]
                self._box.recording.set_recording_file("")
                self._box.recording.show_recording_result(path, recorded_seconds(stats, show.fmt.fps))
        self.done.emit()
        if refused is not None:
            self._refuse(refused[1], refused[0])
        elif show is not None:
            self.apply(self._outputs)  # toggled again while this switch ran

    def _failed(self, exc: BaseException) -> None:
        self.done.emit()
        show_error(self._parent, exc, self.tr("Could not switch the output"))

    def _refuse(self, exc: StudioError, name: str) -> None:
        if name == "record":
            self._box.recording.set_recording_file("")
        self._outputs = switched_off(self._outputs, name)
        self.refused.emit(self._outputs)
        show_error(self._parent, exc, self.tr("Could not switch the output on"))
