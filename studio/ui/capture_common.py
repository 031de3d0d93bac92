"""What the capture wizard's pages share: the step titles, the "To continue" hint, the camera
feed that never makes the window wait for a camera, and letting go of slow workers.

A wizard is deleted once it closes (WA_DeleteOnClose), so nothing it owns may still be
signalling afterwards: a worker that outlives the bounded wait at close is cut off from the
page (its signals disconnected, itself no longer the page's child) and ends on its own.
"""

from __future__ import annotations

import time
import warnings

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel

from studio.avatar.library import AvatarLibrary, check_new_name
from studio.capture.camera import CameraOpener
from studio.capture.live import LiveCapture
from studio.errors import InputError
from studio.ui.app_words import app_words
from studio.ui.bridge import TaskRunner
from studio.ui.i18n import QT_TRANSLATE_NOOP

STEPS = 3
# How long closing the wizard may wait for its threads, in all, before leaving them to end
# on their own: long enough for a cancelled step to finish, short enough not to feel stuck.
CLOSE_WAIT_S = 3.0
NO_PICTURE = QT_TRANSLATE_NOOP("capture_common", "No picture yet")

# Runners cut off from a closed page: kept referenced here until their thread ends.
_LEFT_RUNNING: set[TaskRunner] = set()


def name_problem(typed: str, library: AvatarLibrary) -> str:
    """Why a typed avatar name cannot be used ("" when it can), in the app's words."""
    try:
        clean = check_new_name(typed)
    except InputError as exc:
        problem = app_words(exc.problem)
        return f"{problem[:1].upper()}{problem[1:]} {app_words(exc.hint)}".strip()
    if library.exists(clean):
        return QCoreApplication.translate(
            "capture_common", "An avatar called '{clean}' already exists. Choose another name."
        ).format(clean=clean)
    return ""


def step_title(step: int, text: str) -> str:
    return QCoreApplication.translate("capture_common", "Step {step} of {STEPS} · {text}").format(
        step=step, STEPS=STEPS, text=text
    )


def next_hint(name: str) -> QLabel:
    """The line under a page that says what is missing before Next (or Create) works."""
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return label


def set_hint(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


def release(runner: TaskRunner, timeout: float) -> bool:
    """Cancel ``runner`` and wait up to ``timeout`` s; True when its thread ended. A thread
    still running then is cut off from its page, so the page can be deleted safely."""
    runner.cancel()
    if runner.wait(max(0.0, timeout)):
        return True
    for signal in (runner.progress, runner.succeeded, runner.failed, runner.finished):
        with warnings.catch_warnings():  # a signal with nothing connected warns
            warnings.simplefilter("ignore", RuntimeWarning)
            signal.disconnect()
    runner.setParent(None)
    _LEFT_RUNNING.add(runner)
    runner.finished.connect(lambda: _LEFT_RUNNING.discard(runner))
    return False


class Deadline:
    """One time limit shared by several waits."""

    def __init__(self, seconds: float) -> None:
        self._end = time.monotonic() + seconds

    @property
    def left(self) -> float:
        return max(0.0, self._end - time.monotonic())


class CameraFeed:
    """The source page's camera: one ``LiveCapture`` at a time, switched without waiting.

    ``stop()`` only asks the camera thread to end. A camera asked for meanwhile starts from
    ``poll()`` (the page's timer) once the old one has let go of its device, so switching
    cameras never blocks the window while one is still opening.
    """

    def __init__(self, open_camera: CameraOpener) -> None:
        self._open_camera = open_camera
        self.live: LiveCapture | None = None
        self._wanted: str | None = None
        self._stopping: list[LiveCapture] = []

    @property
    def active(self) -> bool:
        """A camera is running or about to start."""
        return self.live is not None or self._wanted is not None

    @property
    def idle(self) -> bool:
        """Nothing running, starting or stopping: the page's timer may stop."""
        return not self.active and not self._stopping

    def start(self, device: str) -> None:
        self.stop()
        self._wanted = device
        self.poll()

    def stop(self) -> None:
        self._wanted = None
        live, self.live = self.live, None
        if live is not None:
            live.stop()
            self._stopping.append(live)

    def poll(self) -> LiveCapture | None:
        """The running capture, after starting the wanted one if the old ones have ended."""
        self._stopping = [capture for capture in self._stopping if capture.running]
        if self._wanted is not None and not self._stopping:
            self.live = LiveCapture(self._wanted, self._open_camera)
            self._wanted = None
            self.live.start()
        return self.live

    def close(self, timeout: float) -> bool:
        """Stop every camera and wait up to ``timeout`` s; True when all have ended."""
        self.stop()
        deadline = Deadline(timeout)
        ended = all([capture.join(deadline.left) for capture in self._stopping])
        self._stopping = [capture for capture in self._stopping if capture.running]
        return ended
