"""The webcam twin's recording page: preview, checklist, teleprompter and the mouth-shape meter.

The camera runs on ``LiveCapture``'s thread (``CameraFeed``); a 30 fps timer here takes its
latest frame, shows it with the checklist and, while recording, hands it to the
``VideoRecorder`` (whose thread encodes it) and to the meter. The quiet part measures the
person's closed mouth at rest, against which the meter classifies every later frame.
When the plan's time is up, the file is finished on a worker and the page is complete.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from studio.capture.camera import CameraOpener
from studio.capture.consent_audio import ConsentMicrophone
from studio.capture.live import LiveFrame, camera_problem
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.camera_view import CameraView, ChecklistView
from studio.ui.capture_common import CameraFeed, Deadline, next_hint, release, set_hint
from studio.ui.i18n import translated
from studio.ui.style import ACCENT
from studio.ui.twin_build import one_line
from studio.ui.twin_recorder import AudioTake, VideoRecorder
from studio.ui.twin_script import CLASS_WORDS, CLASSES, CoverageCount, RecordingPlan, mouth_shape

PREVIEW_INTERVAL_MS = 33
READY, RECORDING, SAVING, RECORDED = "ready", "recording", "saving", "recorded"
# Every bar styled alike (a style sheet on the chunk alone drops the native frame), and a
# shape seen enough turns green, near the checklist's ✓.
METER_STYLE = f"""
QProgressBar {{ border: 1px solid #c9ced6; border-radius: 4px; background: #f1f3f6; }}
QProgressBar::chunk {{ background: {ACCENT}; border-radius: 3px; }}
QProgressBar[enough="true"]::chunk {{ background: #2fae74; }}
"""


class CoverageMeter(QFrame):
    """One bar per mouth shape, filling as the camera sees it, and what is still wanted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageMeter")
        self.setProperty("role", "card")
        self.setStyleSheet(METER_STYLE)
        grid = QGridLayout(self)
        title = QLabel(self.tr("Mouth shapes seen"))
        title.setProperty("role", "subtitle")
        grid.addWidget(title, 0, 0, 1, 2)
        self.bars: dict[str, QProgressBar] = {}
        for row, name in enumerate(CLASSES, start=1):
            grid.addWidget(QLabel(translated("twin_script", CLASS_WORDS[name])), row, 0)
            bar = QProgressBar()
            bar.setObjectName(f"coverage_{name}")
            bar.setRange(0, 100)
            bar.setTextVisible(False)
            bar.setFixedHeight(10)
            self.bars[name] = bar
            grid.addWidget(bar, row, 1)
        self.advice = QLabel("")
        self.advice.setObjectName("coverageAdvice")
        self.advice.setWordWrap(True)
        grid.addWidget(self.advice, len(CLASSES) + 1, 0, 1, 2)

    def show_count(self, count: CoverageCount) -> None:
        for name, bar in self.bars.items():
            bar.setValue(round(100 * count.level(name)))
            enough = count.level(name) >= 1.0
            if bar.property("enough") != enough:  # a full bar turns green: that shape is done
                bar.setProperty("enough", enough)
                bar.style().unpolish(bar)
                bar.style().polish(bar)
        self.advice.setText(count.advice())


class Teleprompter(QFrame):
    """The part of the recording now, its seconds left, and the words to read in large type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teleprompter")
        self.setProperty("role", "card")
        self.heading = QLabel("")
        self.heading.setObjectName("teleprompterHeading")
        self.heading.setProperty("role", "subtitle")
        self.text = QLabel("")
        self.text.setObjectName("teleprompterText")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.text.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        self.text.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)

    def show_words(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        self.text.setText(text)


class TwinRecordPage(QWizardPage):
    """``plan()`` gives the recording's plan (it names the person, read from the consent page)."""

    def __init__(
        self,
        camera_device: str,
        open_camera: CameraOpener,
        plan: Callable[[], RecordingPlan],
        microphone: Callable[[], Callable[[], ConsentMicrophone] | None],
    ) -> None:
        super().__init__()
        self.setObjectName("twinRecordPage")
        self.setTitle(self.tr("Step 2 of 3 · Record"))
        self.setSubTitle(self.tr("About 45 s: keep quiet, read the statement, then read the script."))
        self._device = camera_device
        self._plan_of = plan
        self._microphone_of = microphone
        self.feed = CameraFeed(open_camera)
        self.plan = plan()
        self.count = CoverageCount()
        self.state = READY
        self.recorder: VideoRecorder | None = None
        self.audio: AudioTake | None = None
        self._microphone: ConsentMicrophone | None = None
        self.recording_path: Path | None = None
        self.consent_audio: tuple[np.ndarray, int] | None = None
        self.problem = ""
        self._t0 = 0.0
        self._last: LiveFrame | None = None

        self.view = CameraView()
        self.checks = ChecklistView()
        self.meter = CoverageMeter()
        self.prompter = Teleprompter()
        self.progress = QProgressBar()
        self.progress.setObjectName("recordingProgress")
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.record_button = QPushButton(self.tr("Start recording"))
        self.record_button.setObjectName("startRecordingButton")
        self.record_button.setProperty("role", "primary")
        self.record_button.clicked.connect(self.toggle)
        self.status = QLabel("")
        self.status.setObjectName("recordingStatus")
        self.status.setWordWrap(True)
        # The checklist and the meter have the page's whole height beside the picture and the
        # teleprompter: squeezed under the picture's height their wrapped rows were clipped.
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.checks)
        side.addSpacing(8)
        side.addWidget(self.meter)
        side.addStretch(1)
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(300)
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        row.addWidget(self.progress, 1)
        main = QVBoxLayout()
        main.addWidget(self.view, 3)
        main.addWidget(self.prompter, 2)
        main.addLayout(row)
        top = QHBoxLayout()
        top.addLayout(main, 1)
        top.addWidget(panel)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.status)
        self.hint = next_hint("twinRecordHint")
        layout.addWidget(self.hint)

        self.timer = QTimer(self)
        self.timer.setInterval(PREVIEW_INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.save_runner = TaskRunner(self)
        self.save_runner.succeeded.connect(self._saved)
        self.save_runner.failed.connect(self._not_saved)
        self._show_ready()

    # -- the page's life -------------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        self.plan = self._plan_of()
        self.setSubTitle(
            self.tr("About {total_s:.0f} s: keep quiet, read the statement, then read the script.").format(
                total_s=self.plan.total_s
            )
        )
        if not self.feed.active:
            self.view.clear(self.tr("Starting the camera…"))
            self.feed.start(self._device)
            self.timer.start()
        self._show_ready()

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.state == RECORDED

    def _show_ready(self) -> None:
        if self.state == READY:
            self.prompter.show_words(
                self.tr("Ready · about {total_s:.0f} s").format(total_s=self.plan.total_s),
                self.tr(
                    "Press Start recording, then follow this box: first keep quiet, then read the "
                    "statement, then the script."
                ),
            )
        self.meter.show_count(self.count)
        set_hint(
            self.hint,
            self.tr("To continue: record yourself (Start recording).") if self.state == READY else "",
        )

    def tick(self) -> None:
        live = self.feed.poll()
        if live is None:
            return
        if live.error is not None:
            self._stop_recording(keep=False)
            self.feed.stop()
            self.problem = one_line(camera_problem(live.error))
            self.view.clear(self.tr("No camera"))
            self.status.setText(f"✗ {self.problem}")
            return
        frame = live.latest()
        if frame is None or (self._last is not None and frame.seq == self._last.seq):
            if self.state == RECORDING:
                self._advance(time.monotonic() - self._t0)
            return
        self._last = frame
        self.view.set_frame(frame.frame, [f.landmarks for f in frame.faces], frame.checklist.all_ok)
        self.checks.set_checklist(frame.checklist)
        if self.state != RECORDING or self.recorder is None:
            return
        elapsed = time.monotonic() - self._t0
        self.recorder.add(frame.frame, elapsed)
        if len(frame.faces) == 1:
            shape = mouth_shape(frame.faces[0].landmarks, frame.faces[0].blendshapes)
            if shape is not None:
                phase = self.plan.at(elapsed).key
                if phase == "idle":
                    self.count.calibrate(shape)
                elif phase in ("consent", "script"):
                    self.count.add(shape)
                self.meter.show_count(self.count)
        self._advance(elapsed)

    def _advance(self, elapsed: float) -> None:
        phase = self.plan.at(elapsed)
        self.progress.setValue(round(1000 * phase.fraction))
        self.prompter.show_words(f"{phase.title} · {phase.seconds_left:.0f} s", phase.text)
        if phase.key == "done":
            self._stop_recording(keep=True)

    # -- recording -------------------------------------------------------------------------
    def toggle(self) -> None:
        if self.state == RECORDING:
            self._stop_recording(keep=False)
            self.status.setText(self.tr("Stopped: nothing was kept. Press Start recording to begin again."))
            self._show_ready()
        elif self.state in (READY, RECORDED):
            self.start_recording()

    def start_recording(self) -> None:
        self._discard()
        self.count.reset()
        self.problem = ""
        self.recorder = VideoRecorder()
        self.audio = None
        factory = self._microphone_of()
        if factory is not None:
            try:
                self._microphone = factory()
                self.audio = AudioTake(self._microphone.sample_rate)
                self._microphone.start(self.audio.consumer)
            except Exception as exc:  # noqa: BLE001 - the recording goes on without sound, and says so
                self._microphone, self.audio = None, None
                self.status.setText(
                    self.tr("Recording without sound: {one_line}").format(one_line=one_line(exc))
                )
        self._t0 = time.monotonic()
        self.state = RECORDING
        self.record_button.setText(self.tr("Stop"))
        self.record_button.setObjectName("stopRecordingButton")
        set_hint(self.hint, "")  # the teleprompter says what to do now
        self.completeChanged.emit()

    def _stop_recording(self, keep: bool) -> None:
        if self.state != RECORDING:
            return
        self._close_microphone()
        recorder, audio = self.recorder, self.audio
        if not keep or recorder is None:
            self._discard()
            self.state = READY
            self.record_button.setText(self.tr("Start recording"))
            self._show_ready()
            return
        self.state = SAVING
        self.record_button.setEnabled(False)
        self.status.setText(self.tr("Saving the recording…"))
        sound = None if audio is None else (audio.audio(), audio.sample_rate)
        start, end = self.plan.consent_window
        self.consent_audio = None if audio is None else (audio.between(start, end), audio.sample_rate)

        def save(_progress: ProgressFn, _token: CancelToken) -> Path:
            return recorder.finish(sound)

        self.save_runner.start(save, "save the twin recording")

    def _saved(self, path: Path) -> None:
        self.recording_path = path
        self.state = RECORDED
        self.record_button.setEnabled(True)
        self.record_button.setText(self.tr("Record again"))
        self.record_button.setObjectName("recordAgainButton")
        self.status.setText(
            self.tr("Recorded {total_s:.0f} s. {advice} Press Next.").format(
                total_s=self.plan.total_s, advice=self.count.advice()
            )
        )
        self._show_ready()
        self.completeChanged.emit()

    def _not_saved(self, exc: BaseException) -> None:
        self._discard()
        self.state = READY
        self.record_button.setEnabled(True)
        self.record_button.setText(self.tr("Start recording"))
        self.problem = one_line(exc)
        self.status.setText(f"✗ {self.problem}")
        self._show_ready()

    def _close_microphone(self) -> None:
        microphone, self._microphone = self._microphone, None
        if microphone is not None:
            microphone.close()

    def _discard(self) -> None:
        """Delete the recording: the person's face never lingers in the temporary folder."""
        recorder, self.recorder = self.recorder, None
        self.recording_path, self.consent_audio = None, None
        if recorder is not None:
            recorder.discard()

    def shutdown(self, timeout: float) -> None:
        self.timer.stop()
        self._close_microphone()
        deadline = Deadline(timeout)
        self.feed.close(deadline.left)
        release(self.save_runner, deadline.left)
        self._discard()
