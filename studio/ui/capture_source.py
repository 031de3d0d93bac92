"""The wizard's first page: the picture, from a webcam (live checklist, countdown, capture),
a photo file or a video file (its best frame; see ``capture_files``).

The camera runs on ``LiveCapture``'s thread (see ``CameraFeed``); a 30 fps timer here pulls
its latest frame, so widgets are only ever touched from the Qt thread. A camera that fails
is said once: a dialog, plus one short line beside the preview.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from studio.capture.camera import NO_CAMERA_HINT, CameraOpener
from studio.capture.countdown import Countdown, Phase
from studio.capture.live import LiveFrame, camera_problem
from studio.capture.sources import list_cameras
from studio.errors import InputError, StudioError
from studio.translation import tr as core_tr
from studio.ui.bridge import TaskRunner
from studio.ui.capture_common import CLOSE_WAIT_S, NO_PICTURE, CameraFeed, Deadline, release, step_title
from studio.ui.capture_files import PicturePage
from studio.ui.dialogs import show_error
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

PREVIEW_INTERVAL_MS = 33  # ~30 fps
NO_CAMERA_ITEM = QT_TRANSLATE_NOOP("capture_source", "No camera found")
_TITLES = {
    "webcam": (
        QT_TRANSLATE_NOOP("capture_source", "Take a picture"),
        QT_TRANSLATE_NOOP(
            "capture_source", "Face the camera in even light. When every check is ticked, press Capture."
        ),
    ),
    "photo": (
        QT_TRANSLATE_NOOP("capture_source", "Check the photo"),
        QT_TRANSLATE_NOOP(
            "capture_source", "A frontal, sharp, well-lit photo of one person makes the best avatar."
        ),
    ),
    "video": (
        QT_TRANSLATE_NOOP("capture_source", "Pick a frame"),
        QT_TRANSLATE_NOOP(
            "capture_source", "Studio picks the sharpest frame of the video in which every check passes."
        ),
    ),
}


def _button(text: str, name: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _row(*items: QWidget | None) -> QHBoxLayout:
    """The widgets side by side; None is a stretch."""
    row = QHBoxLayout()
    for item in items:
        if item is None:
            row.addStretch(1)
        else:
            row.addWidget(item)
    return row


def _set_role(button: QPushButton, role: str) -> None:
    button.setProperty("role", role)
    button.style().unpolish(button)  # the style sheet matches on the property: apply it again
    button.style().polish(button)


class SourcePage(PicturePage):
    def __init__(
        self,
        mode: str,
        source: Path | None,
        camera_device: str,
        open_camera: CameraOpener,
        countdown_s: float,
    ) -> None:
        super().__init__(mode, source)
        self.setObjectName("sourcePage")
        self._camera_device = camera_device
        self._countdown_s = countdown_s
        self._countdown: Countdown | None = None
        self.feed = CameraFeed(open_camera)
        self._last: LiveFrame | None = None
        self._cameras_listed = False
        self._started = False
        self._closed = False

        self.camera_combo = QComboBox()
        self.camera_combo.setObjectName("cameraCombo")
        self.camera_combo.setToolTip(self.tr("The camera to take the picture with"))
        self.camera_combo.setMinimumWidth(260)
        self.camera_combo.activated.connect(self._camera_chosen)
        self.camera_label = QLabel(self.tr("Camera:"))
        self.capture_button = _button(
            self.tr("Capture"),
            "captureButton",
            self.toggle_countdown,
            self.tr("Counts down 3, 2, 1 and takes the picture while every check passes"),
        )
        self.capture_button.setProperty("role", "primary")
        self.retake_button = _button(self.tr("Retake"), "retakeButton", self.retake)
        self.use_photo = _button(
            self.tr("Use a photo instead…"),
            "usePhotoButton",
            lambda: self.switch_mode("photo", True),
        )
        self.use_video = _button(
            self.tr("Use a video file instead…"),
            "useVideoButton",
            lambda: self.switch_mode("video", True),
        )
        self._webcam_only = (self.camera_label, self.camera_combo, self.use_photo, self.use_video)

        side = QVBoxLayout()
        side.addWidget(self.checks)
        side.addWidget(self.status)
        side.addWidget(self.people)
        side.addStretch(1)
        side.addLayout(_row(self.capture_button, self.retake_button))
        panel = QWidget()
        panel.setLayout(side)
        panel.setFixedWidth(300)
        middle = _row(self.view, panel)
        middle.setStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(
            _row(self.camera_label, self.camera_combo, self.file_label, None, self.choose_button)
        )
        layout.addLayout(middle, 1)
        layout.addLayout(_row(None, self.use_photo, self.use_video))
        layout.addWidget(self.hint)

        self.timer = QTimer(self)
        self.timer.setInterval(PREVIEW_INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.list_runner = TaskRunner(self)
        self.list_runner.succeeded.connect(self._cameras_found)
        self.list_runner.failed.connect(self._cameras_not_listed)
        self._show_mode()

    # -- the page's life -------------------------------------------------------------------
    def initializePage(self) -> None:  # noqa: N802 - Qt's name
        if self._started:
            return
        self._started = True  # once: coming back with Back keeps the picture
        if self.mode == "webcam":
            self.start_webcam()
        elif self.file is not None:
            self.load_file(self.file)
        else:
            self.view.clear(translated("capture_common", NO_PICTURE))

    def shutdown(self, timeout: float = CLOSE_WAIT_S) -> None:
        """Stop the camera and every worker, waiting up to ``timeout`` s for their threads;
        any still running then ends on its own, cut off from this page."""
        self._closed = True
        self.timer.stop()
        deadline = Deadline(timeout)
        self.feed.close(deadline.left)
        for runner in (self.file_runner, self.list_runner, self.still_runner):
            release(runner, deadline.left)

    def _show_mode(self) -> None:
        webcam = self.mode == "webcam"
        self.setTitle(step_title(1, translated("capture_source", _TITLES[self.mode][0])))
        self.setSubTitle(translated("capture_source", _TITLES[self.mode][1]))
        for widget in self._webcam_only:
            widget.setVisible(webcam)
        self.capture_button.setVisible(webcam and self.picture is None and not self._no_camera)
        self.retake_button.setVisible(webcam and self.picture is not None)
        super()._show_mode()

    def switch_mode(self, mode: str, ask: bool = False) -> None:
        """Go over to another source (the route offered when there is no camera)."""
        self.stop_camera()
        self.mode, self.file, self.source_note = mode, None, ""
        self._show_people(None)
        self._set_picture(None, False)
        self.checks.set_checklist(None)
        self.status.setText("")
        self.view.clear(translated("capture_common", NO_PICTURE))
        self._show_mode()
        if mode == "webcam":
            self.start_webcam()
        elif ask:
            self.choose_file()

    # -- webcam ------------------------------------------------------------------------------
    def start_webcam(self) -> None:
        self.view.clear(self.tr("Looking for cameras…"))
        self.status.setText("")
        if self._cameras_listed:
            self._start_chosen()
        elif not self.list_runner.running:
            self.list_runner.start(list_cameras, "list cameras")

    def _cameras_not_listed(self, _exc: BaseException) -> None:
        self._cameras_found([])

    def _cameras_found(self, cameras: list[tuple[str, str]]) -> None:
        if self._closed:
            return  # the listing finished while the wizard was closing
        self._cameras_listed = True
        self.camera_combo.clear()
        wanted = self._camera_device.strip()
        labels = [(f"{name} ({device})", device) for name, device in cameras]
        if wanted and wanted not in [device for _name, device in cameras]:
            # A device the listing missed, or a video file played as a camera (rehearsals).
            labels.insert(0, (Path(wanted).name if Path(wanted).is_file() else wanted, wanted))
        for label, device in labels:
            self.camera_combo.addItem(label, device)
        if not labels:
            self.camera_combo.addItem(translated("capture_source", NO_CAMERA_ITEM), None)
        self.camera_combo.setEnabled(bool(labels))
        if wanted:
            self.camera_combo.setCurrentIndex(max(0, self.camera_combo.findData(wanted)))
        if self.mode == "webcam":
            self._start_chosen()

    def _start_chosen(self) -> None:
        device = self.camera_combo.currentData()
        if device is None:
            self.no_camera(
                InputError(self.tr("no camera was found on this computer."), core_tr(NO_CAMERA_HINT))
            )
            return
        self.start_camera(str(device))

    def _camera_chosen(self, _index: int) -> None:
        if self.mode == "webcam":
            self._start_chosen()

    def start_camera(self, device: str) -> None:
        """Show ``device``'s picture; a camera still letting go is waited for by the timer."""
        self._no_camera = False
        self._set_picture(None, False)
        self._last = None
        self._countdown = None
        self.view.clear(self.tr("Starting the camera…"))
        self.checks.set_checklist(None, self.tr("Waiting for the camera."))
        self.status.setText("")
        self.capture_button.setText(self.tr("Capture"))
        _set_role(self.use_photo, "")
        self._show_mode()
        self.feed.start(device)
        self.timer.start()

    def stop_camera(self) -> None:
        """Ask the camera to stop; returns at once (the timer sees it end)."""
        self._countdown = None
        self.feed.stop()

    @property
    def camera_running(self) -> bool:
        """A camera is on, or starting, for this page."""
        return self.feed.active

    def no_camera(self, exc: StudioError) -> None:
        self._no_camera = True
        self.view.clear(translated("capture_common", NO_PICTURE))
        self.checks.set_checklist(None, "")
        self.status.setText(self.tr("No camera available."))
        self._show_mode()
        _set_role(self.use_photo, "primary")
        self.use_photo.setFocus()
        show_error(self, exc, self.tr("No camera"))

    def tick(self) -> None:
        live = self.feed.poll()
        if live is None:
            if self.feed.idle:
                self.timer.stop()
            return
        if live.error is not None:
            error = camera_problem(live.error)
            self.stop_camera()
            self.no_camera(error)
            return
        frame = live.latest()
        if frame is None:
            return
        if self._last is None or frame.seq != self._last.seq:
            self._last = frame
            self.view.set_frame(frame.frame, [f.landmarks for f in frame.faces], frame.checklist.all_ok)
            self.checks.set_checklist(frame.checklist)
        if self._countdown is None:
            return
        state = self._countdown.update(time.monotonic(), frame.checklist.all_ok)
        if state.phase is Phase.CAPTURE:
            self._capture(frame, live.camera_name)
        elif state.phase is Phase.COUNTING:
            self.view.set_countdown(state.seconds_left)
            self.status.setText(self.tr("Hold still…"))
        else:
            self.view.set_countdown(None)
            problem = frame.checklist.first_problem
            self.status.setText(f"{problem.words}." if problem else "")

    def toggle_countdown(self) -> None:
        if self._countdown is not None:
            self._countdown = None
            self.view.set_countdown(None)
            self.capture_button.setText(self.tr("Capture"))
            self.status.setText("")
            return
        self._countdown = Countdown(self._countdown_s)
        self.capture_button.setText(self.tr("Stop countdown"))
        self.status.setText(self.tr("Hold still…"))

    def _capture(self, frame: LiveFrame, camera_name: str) -> None:
        self.stop_camera()
        self.source_note = self.camera_combo.currentText() or camera_name
        self.view.set_frame(frame.frame, [f.landmarks for f in frame.faces], True)
        self.view.set_countdown(None)
        self.checks.set_checklist(frame.checklist)
        self.status.setText(self.tr("Captured. Press Next to continue, or Retake."))
        self._set_picture(frame.frame, True)
        self._show_mode()

    def retake(self) -> None:
        self._start_chosen()
