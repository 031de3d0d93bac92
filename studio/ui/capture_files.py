"""The source page's picture and its file routes: a photo, or the best frame of a video.

``PicturePage`` holds what the first wizard page has picked (the picture, its checklist,
whether the build can use it), the preview and the checklist beside it, and reads files on
``TaskRunner`` threads; ``capture_source.SourcePage`` adds the webcam and lays it all out.
A failure is said once: a dialog, plus one short line beside the preview, which itself goes
back to a calm placeholder.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget, QWizardPage

from studio.capture.face_crop import left_to_right
from studio.capture.sources import Picture, crop_photo, pick_video_frame, read_photo
from studio.ui.app_words import app_words
from studio.ui.bridge import TaskRunner
from studio.ui.camera_view import CameraView, ChecklistView
from studio.ui.capture_common import NO_PICTURE, next_hint, set_hint
from studio.ui.dialogs import run_with_progress, show_error
from studio.ui.file_dialogs import PHOTO_FILTER, VIDEO_FILTER, memory_of
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

ADVICE = QT_TRANSLATE_NOOP(
    "capture_files", "Items marked ✗ are advice: a better photo makes a better avatar."
)
HINTS = {
    "webcam": QT_TRANSLATE_NOOP("capture_files", "To continue: press Capture when every check is ticked."),
    "no camera": QT_TRANSLATE_NOOP(
        "capture_files", "To continue: use a photo or a video file instead (buttons above)."
    ),
    "photo": QT_TRANSLATE_NOOP("capture_files", "To continue: choose a photo with one clear face."),
    "group": QT_TRANSLATE_NOOP("capture_files", "To continue: pick the person to make the avatar of."),
    "video": QT_TRANSLATE_NOOP(
        "capture_files", "To continue: choose a video in which one face is clearly visible."
    ),
}


class PicturePage(QWizardPage):
    def __init__(self, mode: str, source: Path | None) -> None:
        super().__init__()
        self.mode = mode
        self.file: Path | None = source
        self.picture: np.ndarray | None = None
        self.source_note = ""
        self.usable = False
        self._no_camera = False

        self.view = CameraView()
        self.checks = ChecklistView()
        self.status = QLabel()
        self.status.setObjectName("sourceStatus")
        self.status.setWordWrap(True)
        self.hint = next_hint("sourceHint")
        self.file_label = QLabel()
        self.file_label.setObjectName("sourceFile")
        self.choose_button = QPushButton(self.tr("Choose a file…"))
        self.choose_button.setObjectName("chooseFileButton")
        self.choose_button.clicked.connect(self.choose_file)

        # A photo of several people: their numbered faces, one button each to crop to them.
        self._group: Picture | None = None
        self._chosen: int | None = None
        self.people = QWidget()
        self.people.setObjectName("peoplePicker")
        people = QVBoxLayout(self.people)
        people.setContentsMargins(0, 0, 0, 0)
        people.addWidget(QLabel(self.tr("Make the avatar of:")))
        self._people_grid = QGridLayout()
        people.addLayout(self._people_grid)
        self.person_buttons: list[QPushButton] = []
        self.people.hide()

        self.file_runner = TaskRunner(self)
        self.still_runner = TaskRunner(self)
        self.still_runner.succeeded.connect(self._still_ready)
        self.still_runner.failed.connect(self._file_failed)

    def isComplete(self) -> bool:  # noqa: N802 - Qt's name
        return self.picture is not None and self.usable

    def _set_picture(self, picture: np.ndarray | None, usable: bool) -> None:
        self.picture, self.usable = picture, usable
        self._update_hint()
        self.completeChanged.emit()

    def _update_hint(self) -> None:
        waiting = self.picture is None or not self.usable
        key = self.tr("no camera") if self.mode == "webcam" and self._no_camera else self.mode
        if self.mode == "photo" and self._group is not None and self._chosen is None:
            key = "group"
        set_hint(self.hint, translated("capture_files", HINTS[key]) if waiting else "")

    def _show_mode(self) -> None:
        webcam = self.mode == "webcam"
        self.checks.live = webcam
        self.file_label.setVisible(not webcam)
        self.choose_button.setVisible(not webcam)
        self.choose_button.setText(
            (self.tr("Choose another photo…") if self.file else self.tr("Choose a photo…"))
            if self.mode == "photo"
            else (self.tr("Choose another video…") if self.file else self.tr("Choose a video…"))
        )
        self.file_label.setText(self.file.name if self.file else "")
        self._update_hint()

    # -- files ---------------------------------------------------------------------------------
    def choose_file(self) -> None:
        if self.mode == "photo":
            path = memory_of(self).open_file(
                self, "photo", self.tr("Choose a face photo"), translated("file_dialogs", PHOTO_FILTER)
            )
        else:
            path = memory_of(self).open_file(
                self, "video", self.tr("Choose a video"), translated("file_dialogs", VIDEO_FILTER)
            )
        if path is not None:
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        """Show ``path`` (photo) or its best frame (video) with the checklist."""
        if self.file_runner.running or self.still_runner.running:
            return
        self.file = Path(path)
        self._show_people(None)
        self._set_picture(None, False)
        self._show_mode()
        self.checks.set_checklist(None, self.tr("Checking…"))
        self.status.setText("")
        if self.mode == "photo":
            self.view.clear(self.tr("Reading {name}…").format(name=self.file.name))
            file = self.file
            self.still_runner.start(lambda _p, _t: read_photo(file), "read photo")
            return
        self.view.clear(self.tr("Looking for the best frame of {name}…").format(name=self.file.name))
        video = self.file
        run_with_progress(
            self,
            self.file_runner,
            self.tr("Finding the best frame"),
            lambda progress, token: pick_video_frame(video, progress, token),
            self._frame_ready,
            self._file_failed,
            on_cancel=self._cancelled,
        )

    def _show_picture(self, picture: Picture, ok: bool) -> None:
        self.view.set_frame(picture.image, [f.landmarks for f in picture.faces], ok)
        self.checks.set_checklist(picture.checklist)

    def _still_ready(self, picture: Picture) -> None:
        checklist, refusal = picture.checklist, picture.refusal
        if refusal is not None and len(picture.faces) > 1 and self._chosen is None:
            self._show_people(picture)
            return
        self._show_picture(picture, refusal is None and checklist.all_ok)
        assert self.file is not None
        self.source_note = self.file.name
        if self._group is not None and self._chosen is not None:
            self.source_note += self.tr(", person {value} of {count}").format(
                value=self._chosen + 1, count=len(self._group.faces)
            )
        if refusal is not None:
            said = f"{app_words(refusal.problem)} {app_words(refusal.hint)}"
            self.status.setText(self.tr("This photo cannot be used: {said}").format(said=said))
        elif checklist.all_ok:
            self.status.setText(self.tr("The photo passes every check. Press Next."))
        else:
            self.status.setText(
                self.tr("The photo can be used. {ADVICE}").format(ADVICE=translated("capture_files", ADVICE))
            )
        self._set_picture(picture.image, refusal is None)

    # -- a photo of several people ---------------------------------------------------------------
    def _show_people(self, group: Picture | None) -> None:
        """Offer a crop to each face of ``group`` (None: not a group photo, hide the offer)."""
        self._group, self._chosen = group, None
        for button in self.person_buttons:
            button.deleteLater()
        self.person_buttons = []
        self.people.setVisible(group is not None)
        if group is None:
            return
        faces = left_to_right(group.faces)
        for k in range(len(faces)):
            button = QPushButton(self.tr("Person {value}").format(value=k + 1))
            button.setObjectName(f"personButton{k + 1}")
            button.setCheckable(True)
            button.setToolTip(
                self.tr("Crop the photo around person {value} (numbered left to right)").format(value=k + 1)
            )
            button.clicked.connect(lambda _checked=False, k=k: self.choose_person(k))
            self._people_grid.addWidget(button, k // 2, k % 2)
            self.person_buttons.append(button)
        self.view.set_frame(
            group.image, [f.landmarks for f in faces], False, [str(k + 1) for k in range(len(faces))]
        )
        self.checks.set_checklist(group.checklist)
        self.status.setText(
            self.tr(
                "This photo shows {count} people. Pick the one to make the avatar of: the photo "
                "is cropped around them, then checked."
            ).format(count=len(faces))
        )
        self._set_picture(group.image, False)

    def choose_person(self, index: int) -> None:
        """Crop the group photo around person ``index`` (0 = leftmost) and check the crop."""
        group = self._group
        if group is None or self.still_runner.running or not 0 <= index < len(group.faces):
            return
        self._chosen = index
        for k, button in enumerate(self.person_buttons):
            button.setChecked(k == index)
        self.status.setText(self.tr("Cropping to person {value}…").format(value=index + 1))
        self.checks.set_checklist(None, self.tr("Checking…"))
        self._set_picture(None, False)
        name = self.file.name if self.file else self.tr("the photo")
        self.still_runner.start(lambda _p, _t: crop_photo(group, index, name), "crop photo")

    def _frame_ready(self, picture: Picture) -> None:
        self._show_picture(picture, True)
        when = picture.checklist.measures.get("time_s", 0.0)
        assert self.file is not None
        self.source_note = self.tr("{name}, frame at {when:.1f} s").format(name=self.file.name, when=when)
        self.status.setText(self.tr("Using the frame at {when:.1f} s. Press Next.").format(when=when))
        self._set_picture(picture.image, True)

    def _cancelled(self) -> None:
        self.view.clear(translated("capture_common", NO_PICTURE))
        self.checks.set_checklist(None)
        self.status.setText(self.tr("Cancelled."))

    def _file_failed(self, exc: BaseException) -> None:
        self.view.clear(translated("capture_common", NO_PICTURE))
        self.checks.set_checklist(None)
        name = self.file.name if self.file else self.tr("This file")
        self.status.setText(self.tr("{name} cannot be used.").format(name=name))
        show_error(self, exc, self.tr("Cannot use this file"))
