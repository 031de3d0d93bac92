"""The Live page's readiness list: for each output (virtual camera, the voice for other apps,
RTMP, recording) whether it can work on this computer, and its fix one click away.

A fix either opens a page in the browser (Windows, macOS: OBS, VB-CABLE, BlackHole) or runs
on a worker (Linux: the camera's setup script through pkexec, the Studio Voice sink through
pactl). The list is checked again after a fix has run, and when the user comes back to the
app from the page a fix opened (installing OBS happens outside the app). Checks and fixes run
on workers; only this box, in the Qt thread, touches its widgets.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication, QShowEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from studio.errors import StudioError
from studio.outputs.readiness import (
    BLACKHOLE_URL,
    OBS_URL,
    VB_CABLE_URL,
    Fix,
    OutputKind,
    OutputReadiness,
    readiness,
)
from studio.settings.app_settings import default_record_dir
from studio.ui.bridge import TaskRunner

Checker = Callable[[Path, str], list[OutputReadiness]]
FixRunner = Callable[[Fix], str]
UrlOpener = Callable[[QUrl], bool]
Context = Callable[[], tuple[Path, str]]  # (the recording folder, the stream address as typed)


def check_this_machine(record_dir: Path, rtmp_url: str) -> list[OutputReadiness]:
    """Every output's readiness here, with the real probes (run on a worker)."""
    from studio.outputs.readiness_probes import real_probes  # noqa: PLC0415 - imports PyAV

    system = platform.system()
    return readiness(system, real_probes(system), record_dir, rtmp_url)


def run_linux_fix(fix: Fix) -> str:
    """Run ``fix``'s action (run on a worker: pkexec waits for the password)."""
    from studio.outputs.readiness_fixes import run_fix  # noqa: PLC0415
    from studio.outputs.readiness_probes import find_setup_script  # noqa: PLC0415

    return run_fix(fix.action, find_setup_script())


def _default_context() -> tuple[Path, str]:
    return default_record_dir(), ""


class ReadinessBox(QGroupBox):
    checked = Signal(object)  # list[OutputReadiness], after each check

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        context: Context = _default_context,
        check: Checker = check_this_machine,
        run_fix: FixRunner = run_linux_fix,
        open_url: UrlOpener = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Ready to go live?"))
        self.setObjectName("liveReadiness")
        self._context, self._check, self._run_fix, self._open_url = context, check, run_fix, open_url
        self.asked = False
        self.items: list[OutputReadiness] = []
        self._closed = False
        self._check_on_return = False  # a fix's page was opened: check when the user is back
        self._check_again = False  # asked while a check ran: check once more when it ends
        self._fix_outcome: tuple[str, bool] | None = None  # (words, error) shown after the re-check
        self.check_runner = TaskRunner(self)
        self.check_runner.succeeded.connect(self._show_items)
        self.check_runner.failed.connect(self._check_failed)
        self.check_runner.finished.connect(self._check_finished)
        self._checking = False  # from start until its finished signal arrives (here, not the thread)
        self.fix_runner = TaskRunner(self)
        self.fix_runner.succeeded.connect(self._fix_done)
        self.fix_runner.failed.connect(self._fix_failed)
        self.fix_runner.finished.connect(self._fix_finished)
        self._fixing = False

        self.again_button = QToolButton()
        self.again_button.setObjectName("readinessAgain")
        self.again_button.setText("↻")
        self.again_button.setToolTip(self.tr("Check again (after installing or plugging something in)"))
        self.again_button.clicked.connect(self.check_now)
        # The column beside the preview is tall already: one line per output, what was found
        # and the fix in words on hovering, or shown under each line on asking.
        self.details_button = QToolButton()
        self.details_button.setObjectName("readinessDetails")
        self.details_button.setCheckable(True)
        self.details_button.setText(self.tr("Why?"))
        self.details_button.setToolTip(self.tr("Show what was found for each output, and each fix in words"))
        self.details_button.toggled.connect(self._show_details)
        self.message = QLabel(self.tr("Not checked yet."))
        self.message.setObjectName("readinessMessage")
        self.message.setProperty("role", "hint")
        self.message.setWordWrap(True)
        # Two lines kept for it, so that the summary after a check does not move the page.
        self.message.setMinimumHeight(2 * self.message.fontMetrics().lineSpacing())
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.states: dict[OutputKind, QLabel] = {}
        self.details: dict[OutputKind, QLabel] = {}
        self.fix_buttons: dict[OutputKind, QPushButton] = {}
        self._grid = grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        grid.setVerticalSpacing(2)
        titles: dict[OutputKind, str] = {
            "vcam": self.tr("Virtual camera"),
            "voice": self.tr("Voice to other apps"),
            "rtmp": self.tr("RTMP stream"),
            "record": self.tr("Recording"),
        }
        for row, (kind, title) in enumerate(titles.items()):
            state = QLabel(title)
            state.setObjectName(f"readiness_{kind}")
            detail = QLabel()
            detail.setObjectName(f"readinessDetail_{kind}")
            detail.setProperty("role", "hint")
            detail.setWordWrap(True)
            detail.setVisible(False)
            button = QPushButton()
            button.setObjectName(f"readinessFix_{kind}")
            button.setVisible(False)
            # A row keeps its height whether or not it has a fix: the page does not jump.
            policy = button.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            button.setSizePolicy(policy)
            button.clicked.connect(lambda _checked=False, k=kind: self.apply_fix(k))
            grid.addWidget(state, 2 * row, 0)
            grid.addWidget(button, 2 * row, 1)
            grid.addWidget(detail, 2 * row + 1, 0, 1, 2)
            self.states[kind], self.details[kind], self.fix_buttons[kind] = state, detail, button
        self._titles = titles
        foot = QHBoxLayout()
        foot.addWidget(self.message, 1, Qt.AlignmentFlag.AlignTop)
        foot.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignTop)
        foot.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(foot, 8, 0, 1, 2)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._app_state_changed)

    # -- checking -----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self.asked:
            self.check_now()  # checked when the Live page is first seen

    def check_now(self) -> None:
        """Check every output on a worker (PortAudio and pactl can be slow)."""
        if self._closed:
            return
        if self._checking:
            self._check_again = True
            return
        self.asked = True
        record_dir, rtmp_url = self._context()
        check = self._check
        self.again_button.setEnabled(False)
        self.message.setText(self.tr("Checking…"))
        self._checking = True
        self.check_runner.wait(5.0)  # the last check's worker: its "finished" was its last act
        self.check_runner.start(lambda _p, _t: check(record_dir, rtmp_url), "checking the outputs")

    def settings_changed(self, *_args: object) -> None:
        """The recording folder or the stream address changed: check again, once seen."""
        if self.asked:
            self.check_now()

    def _show_items(self, items: list[OutputReadiness]) -> None:
        if self._closed:
            return
        self.items = items
        busy = self._fixing
        for item in items:
            ready = self.tr("ready") if item.ready else self.tr("not ready")
            mark = "✓" if item.ready else "✗"
            # The mark says it on screen; a screen reader says it in words.
            self.states[item.output].setText(f"{mark} {self._titles[item.output]}")
            self.states[item.output].setAccessibleName(f"{self._titles[item.output]}: {ready}")
            self.states[item.output].setProperty("role", "" if item.ready else "error")
            self._repolish(self.states[item.output])
            detail = self.details[item.output]
            fix_words = item.fix.words if item.fix and not item.ready else ""
            detail.setText(f"{item.detail} {fix_words}".strip())
            self.states[item.output].setToolTip(detail.text())
            button = self.fix_buttons[item.output]
            clickable = item.fix is not None and not item.ready and bool(item.fix.url or item.fix.action)
            button.setVisible(clickable)
            button.setEnabled(not busy)
            if item.fix is not None and clickable:
                button.setText(self._button_text(item.fix))
                button.setToolTip(item.fix.words)
        self.again_button.setEnabled(True)
        self._show_details(self.details_button.isChecked())
        waiting = sum(not item.ready for item in items)
        if self._fix_outcome is not None:  # the fix's own words say what happened
            text, error = self._fix_outcome
            self._fix_outcome = None
            self._say(text, error=error)
        elif waiting:
            self._say(
                self.tr("%n output(s) not ready: the fix is beside each (Why? says more).", "", waiting),
                error=False,
            )
        else:
            self._say(self.tr("Every output is ready."), error=False)
        self.checked.emit(items)

    def _check_finished(self) -> None:
        self._checking = False
        if self._check_again and not self._closed:
            self._check_again = False
            self.check_now()

    def _check_failed(self, exc: BaseException) -> None:
        if not self._closed:
            self.again_button.setEnabled(True)
            reason = exc.problem if isinstance(exc, StudioError) else str(exc)
            self._say(self.tr("The outputs could not be checked: {reason}").format(reason=reason), error=True)

    def _button_text(self, fix: Fix) -> str:
        # The core's words are English; the buttons the user reads are translated here.
        texts = {
            "vcam_setup": self.tr("Set up the Studio Camera"),
            "voice_sink": self.tr("Create Studio Voice"),
            OBS_URL: self.tr("Get OBS Studio"),
            VB_CABLE_URL: self.tr("Get VB-CABLE"),
            BLACKHOLE_URL: self.tr("Get BlackHole"),
        }
        return texts.get(fix.action or fix.url, fix.button)

    # -- fixing -------------------------------------------------------------------------------
    def apply_fix(self, kind: OutputKind) -> None:
        """What the fix button beside ``kind`` does: open its page, or run it on a worker."""
        item = next((item for item in self.items if item.output == kind), None)
        if self._closed or item is None or item.fix is None or item.ready:
            return
        fix = item.fix
        if fix.url:
            if self._open_url(QUrl(fix.url)):
                self._check_on_return = True
                self._say(
                    self.tr(
                        "Opened {url} in your browser. Install it, then come back: Studio checks again."
                    ).format(url=fix.url),
                    error=False,
                )
            else:
                self._say(
                    self.tr("No browser could be opened. Go to {url} yourself.").format(url=fix.url),
                    error=True,
                )
            return
        if not fix.action or self._fixing:
            return
        for button in self.fix_buttons.values():
            button.setEnabled(False)
        self._say(self.tr("Working on it… (your password may be asked for)"), error=False)
        run_fix = self._run_fix
        self._fixing = True
        self.fix_runner.wait(5.0)  # the last fix's worker, ending after its "finished"
        self.fix_runner.start(lambda _p, _t: run_fix(fix), f"fixing {kind}")

    def _fix_finished(self) -> None:
        self._fixing = False
        self.check_now()  # whatever the fix did, the list shows what is there now

    def _fix_done(self, said: str) -> None:
        self._fix_outcome = (said, False)

    def _fix_failed(self, exc: BaseException) -> None:
        text = f"{exc.problem} {exc.hint}" if isinstance(exc, StudioError) else str(exc)
        self._fix_outcome = (text, True)

    def _app_state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationActive and self._check_on_return:
            self._check_on_return = False
            self.check_now()

    # -- showing ------------------------------------------------------------------------------
    def _show_details(self, shown: bool) -> None:
        for detail in self.details.values():
            detail.setVisible(shown and bool(detail.text()))
        self.details_button.setText(self.tr("Hide") if shown else self.tr("Why?"))

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setProperty("role", "error" if error else "hint")
        self._repolish(self.message)

    @staticmethod
    def _repolish(label: QLabel) -> None:
        label.style().unpolish(label)
        label.style().polish(label)

    def shutdown(self) -> None:
        """The app is closing: nothing more is shown; a check still running is waited for a
        moment (a stuck driver must not hold the window), a fix not at all (pkexec may wait)."""
        self._closed = True
        self.check_runner.wait(10.0)
