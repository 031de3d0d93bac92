"""The wizard's first page: the picture, from a webcam (live checklist, countdown, capture),
a photo file or a video file (its best frame).

The camera runs on ``LiveCapture``'s thread; a 30 fps timer here pulls its latest frame, so
widgets are only ever touched from the Qt thread. Files are read on ``TaskRunner`` threads.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from studio.capture.camera import NO_CAMERA_HINT, Camera
from studio.capture.checklist import Checklist
from studio.capture.countdown import Countdown, Phase
from studio.capture.live import LiveCapture, LiveFrame, camera_problem
from studio.capture.sources import Picture, list_cameras, pick_video_frame, read_photo
from studio.errors import InputError, StudioError
from studio.tasks import Cancelled
from studio.ui.bridge import TaskRunner
from studio.ui.camera_view import CameraView, ChecklistView
from studio.ui.dialogs import run_with_progress, show_error

PHOTO_FILTER = "Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff);;All files (*)"
VIDEO_FILTER = "Videos (*.mp4 *.mov *.m4v *.mkv *.webm *.avi);;All files (*)"
PREVIEW_INTERVAL_MS = 33  # ~30 fps
ADVICE = "Items marked ✗ are advice: a better photo makes a better avatar."
_TITLES = {
    "webcam": ("Take a picture", "Face the camera in even light. When every check is ticked, press Capture."),
    "photo": ("Check the photo", "A frontal, sharp, well-lit photo of one person makes the best avatar."),
    "video": ("Pick a frame", "Studio picks the sharpest frame of the video in which every check passes."),
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


class SourcePage(QWizardPage):
    def __init__(
        self,
        mode: str,
        source: Path | None,
        camera_device: str,
        open_camera: Callable[[str], Camera],
        countdown_s: float,
    ) -> None:
        super().__init__()
        self.setObjectName("sourcePage")
        self.mode = mode
        self.file: Path | None = source
        self.picture: np.ndarray | None = None
        self.checklist: Checklist | None = None
        self.source_note = ""
        self.usable = False
        self._camera_device = camera_device
        self._open_camera = open_camera
        self._countdown_s = countdown_s
        self._countdown: Countdown | None = None
        self._live: LiveCapture | None = None
        self._last: LiveFrame | None = None
        self._cameras_listed = False
        self._started = False

        self.view = CameraView()
        self.checks = ChecklistView()
        self.status = QLabel()
        self.status.setObjectName("sourceStatus")
        self.status.setWordWrap(True)
        self.camera_combo = QComboBox()
        self.camera_combo.setObjectName("cameraCombo")
        self.camera_combo.setToolTip("The camera to take the picture with")
        self.camera_combo.setMinimumWidth(260)
        self.camera_combo.activated.connect(self._camera_chosen)
        self.camera_label = QLabel("Camera:")
        self.file_label = QLabel()
        self.file_label.setObjectName("sourceFile")
        self.choose_button = _button("Choose a file…", "chooseFileButton", self.choose_file)
        self.capture_button = _button(
            "Capture",
            "captureButton",
            self.toggle_countdown,
            "Counts down 3, 2, 1 and takes the picture while every check passes",
        )
        self.capture_button.setProperty("role", "primary")
        self.retake_button = _button("Retake", "retakeButton", self.retake)
        self.use_photo = _button(
            "Use a photo instead…", "usePhotoButton", lambda: self.switch_mode("photo", True)
        )
        self.use_video = _button(
            "Use a video file instead…", "useVideoButton", lambda: self.switch_mode("video", True)
        )
        self._webcam_only = (
            self.camera_label,
            self.camera_combo,
            self.capture_button,
            self.use_photo,
            self.use_video,
        )

        side = QVBoxLayout()
        side.addWidget(self.checks)
        side.addWidget(self.status)
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

        self.timer = QTimer(self)
        self.timer.setInterval(PREVIEW_INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.file_runner = TaskRunner(self)
        # run_with_progress drops a cancelled task quietly; the page still has to say so.
        self.file_runner.finished.connect(self._video_done)
        self.list_runner = TaskRunner(self)
        self.list_runner.succeeded.connect(self._cameras_found)
        self.list_runner.failed.connect(lambda exc: self._cameras_found([]))
        self.still_runner = TaskRunner(self)
        self.still_runner.succeeded.connect(self._still_ready)
        self.still_runner.failed.connect(self._file_failed)
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
            self.view.clear(f"Choose a {self.mode} file.")

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.picture is not None and self.usable

    def shutdown(self) -> None:
        """Stop the camera and every worker, and wait for their threads."""
        self.stop_camera()
        for runner in (self.file_runner, self.list_runner, self.still_runner):
            runner.cancel()
            runner.wait()

    def _set_picture(self, picture: np.ndarray | None, checklist: Checklist | None, usable: bool) -> None:
        self.picture, self.checklist, self.usable = picture, checklist, usable
        self.completeChanged.emit()

    def _show_mode(self) -> None:
        webcam = self.mode == "webcam"
        self.setTitle(_TITLES[self.mode][0])
        self.setSubTitle(_TITLES[self.mode][1])
        for widget in self._webcam_only:
            widget.setVisible(webcam)
        self.retake_button.setVisible(webcam and self.picture is not None)
        self.file_label.setVisible(not webcam)
        self.choose_button.setVisible(not webcam)
        self.choose_button.setText(f"Choose {'another' if self.file else 'a'} {self.mode}…")
        self.file_label.setText(self.file.name if self.file else "")

    def switch_mode(self, mode: str, ask: bool = False) -> None:
        """Go over to another source (the route offered when there is no camera)."""
        self.stop_camera()
        self.mode, self.file, self.source_note = mode, None, ""
        self._set_picture(None, None, False)
        self.checks.set_checklist(None)
        self.view.clear(f"Choose a {mode} file." if mode != "webcam" else "Starting the camera…")
        self._show_mode()
        if mode == "webcam":
            self.start_webcam()
        elif ask:
            self.choose_file()

    # -- webcam ------------------------------------------------------------------------------
    def start_webcam(self) -> None:
        self.view.clear("Looking for cameras…")
        self.status.setText("")
        if self._cameras_listed:
            self._start_chosen()
        elif not self.list_runner.running:
            self.list_runner.start(list_cameras, "list cameras")

    def _cameras_found(self, cameras: list[tuple[str, str]]) -> None:
        self._cameras_listed = True
        self.camera_combo.clear()
        wanted = self._camera_device.strip()
        labels = [(f"{name} ({device})", device) for name, device in cameras]
        if wanted and wanted not in [device for _name, device in cameras]:
            # A device the listing missed, or a video file played as a camera (rehearsals).
            labels.insert(0, (Path(wanted).name if Path(wanted).is_file() else wanted, wanted))
        for label, device in labels:
            self.camera_combo.addItem(label, device)
        if wanted:
            self.camera_combo.setCurrentIndex(max(0, self.camera_combo.findData(wanted)))
        if self.mode == "webcam":
            self._start_chosen()

    def _start_chosen(self) -> None:
        device = self.camera_combo.currentData()
        if device is None:
            self.no_camera(InputError("no camera was found on this computer.", NO_CAMERA_HINT))
            return
        self.start_camera(str(device))

    def _camera_chosen(self, _index: int) -> None:
        if self.mode == "webcam":
            self._start_chosen()

    def start_camera(self, device: str) -> None:
        self.stop_camera()
        self._set_picture(None, None, False)
        self._last = None
        self._countdown = None
        self.view.clear("Starting the camera…")
        self.checks.set_checklist(None, "Waiting for the camera.")
        self.capture_button.setText("Capture")
        self.capture_button.setEnabled(True)
        self.capture_button.setVisible(True)
        self.retake_button.setVisible(False)
        self._live = LiveCapture(device, self._open_camera)
        self._live.start()
        self.timer.start()

    def stop_camera(self) -> None:
        self.timer.stop()
        live, self._live = self._live, None
        if live is not None:
            live.stop()

    @property
    def camera_running(self) -> bool:
        return self._live is not None

    def no_camera(self, exc: StudioError) -> None:
        self.view.clear("No camera picture. Use a photo or a video file instead (buttons below).")
        self.checks.set_checklist(None, "No camera.")
        self.status.setText("No camera: you can make the avatar from a photo or a video file instead.")
        self.capture_button.setEnabled(False)
        self.use_photo.setFocus()
        show_error(self, exc, "No camera")

    def tick(self) -> None:
        live = self._live
        if live is None:
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
            self.status.setText("Hold still…")
        else:
            self.view.set_countdown(None)
            problem = frame.checklist.first_problem
            self.status.setText(f"Waiting: {problem.detail}" if problem else "")

    def toggle_countdown(self) -> None:
        if self._countdown is not None:
            self._countdown = None
            self.view.set_countdown(None)
            self.capture_button.setText("Capture")
            self.status.setText("")
            return
        self._countdown = Countdown(self._countdown_s)
        self.capture_button.setText("Stop countdown")
        self.status.setText("Hold still…")

    def _capture(self, frame: LiveFrame, camera_name: str) -> None:
        self.stop_camera()
        self._countdown = None
        self.source_note = self.camera_combo.currentText() or camera_name
        self.view.set_frame(frame.frame, [f.landmarks for f in frame.faces], True)
        self.view.set_countdown(None)
        self.checks.set_checklist(frame.checklist)
        self.capture_button.setVisible(False)
        self.retake_button.setVisible(True)
        self.status.setText("Captured. Press Next to continue, or Retake.")
        self._set_picture(frame.frame, frame.checklist, True)

    def retake(self) -> None:
        self._start_chosen()

    # -- files ---------------------------------------------------------------------------------
    def choose_file(self) -> None:
        photo = self.mode == "photo"
        title, filter_ = ("Choose a face photo", PHOTO_FILTER) if photo else ("Choose a video", VIDEO_FILTER)
        folder = str(self.file.parent) if self.file else ""
        path, _ = QFileDialog.getOpenFileName(self, title, folder, filter_)
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Show ``path`` (photo) or its best frame (video) with the checklist."""
        if self.file_runner.running or self.still_runner.running:
            return
        self.file = Path(path)
        self._show_mode()
        self._set_picture(None, None, False)
        self.checks.set_checklist(None, "Checking…")
        self.status.setText("")
        if self.mode == "photo":
            self.view.clear(f"Reading {self.file.name}…")
            file = self.file
            self.still_runner.start(lambda _p, _t: read_photo(file), "read photo")
            return
        self.view.clear(f"Looking for the best frame of {self.file.name}…")
        video = self.file
        run_with_progress(
            self,
            self.file_runner,
            "Finding the best frame",
            lambda progress, token: pick_video_frame(video, progress, token),
            self._frame_ready,
            self._file_failed,
        )

    def _show_picture(self, picture: Picture, ok: bool) -> None:
        self.view.set_frame(picture.image, [f.landmarks for f in picture.faces], ok)
        self.checks.set_checklist(picture.checklist)

    def _still_ready(self, picture: Picture) -> None:
        checklist, refusal = picture.checklist, picture.refusal
        self._show_picture(picture, refusal is None and checklist.all_ok)
        assert self.file is not None
        self.source_note = self.file.name
        if refusal is not None:
            self.status.setText(f"This photo cannot be used: {refusal.problem} {refusal.hint}")
        elif checklist.all_ok:
            self.status.setText("The photo passes every check. Press Next.")
        else:
            self.status.setText(f"The photo can be used. {ADVICE}")
        self._set_picture(picture.image, checklist, refusal is None)

    def _frame_ready(self, picture: Picture) -> None:
        self._show_picture(picture, True)
        when = picture.checklist.measures.get("time_s", 0.0)
        assert self.file is not None
        self.source_note = f"{self.file.name}, frame at {when:.1f} s"
        self.status.setText(f"Using the frame at {when:.1f} s. Press Next.")
        self._set_picture(picture.image, picture.checklist, True)

    def _video_done(self) -> None:
        if self.picture is None and self.mode == "video" and not self.status.text():
            self.view.clear("Cancelled. Choose a video file.")
            self.checks.set_checklist(None, "")

    def _file_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.view.clear("Cancelled. Choose a file.")
            return
        self.view.clear("This file cannot be used. Choose another one.")
        self.checks.set_checklist(None, "")
        problem = exc.problem if isinstance(exc, StudioError) else str(exc)
        self.status.setText(problem[:1].upper() + problem[1:])
        show_error(self, exc, "Cannot use this file")
