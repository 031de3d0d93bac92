"""The capture preview (frame, face outline, countdown) and the live checklist beside it.

Both only show what they are handed; the capture page feeds them from its timer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from studio.capture.checklist import KEYS, LABELS, Checklist
from studio.face import topology as T
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.images import frame_image

_BACKGROUND = QColor("#15181d")
_PLACEHOLDER = QColor("#aab2bf")
_GOOD = QColor("#3ecf8e")
_BAD = QColor("#f0b429")
_NEUTRAL = QColor("#9aa4b2")
# Contours drawn over the face: enough to show what was found, little enough to see the face.
_DOTS: tuple[int, ...] = (
    *T.RIGHT_EYE_UPPER,
    *T.RIGHT_EYE_LOWER,
    *T.LEFT_EYE_UPPER,
    *T.LEFT_EYE_LOWER,
    *T.LIPS_OUTER_UPPER,
    *T.LIPS_OUTER_LOWER,
    T.NOSE_TIP,
)


# The checklist's titles (studio.capture.checklist.LABELS), for the catalogue.
_LABEL_WORDS = (
    QT_TRANSLATE_NOOP("camera_view", "One face"),
    QT_TRANSLATE_NOOP("camera_view", "Centred"),
    QT_TRANSLATE_NOOP("camera_view", "Big enough"),
    QT_TRANSLATE_NOOP("camera_view", "Facing the camera"),
    QT_TRANSLATE_NOOP("camera_view", "Lighting"),
    QT_TRANSLATE_NOOP("camera_view", "Sharp"),
)
WAITING = QT_TRANSLATE_NOOP("camera_view", "Waiting for a picture.")
# The checklist's fixed words for how a check stands (studio.capture.checklist); words with a
# measurement or advice in them stay in the core's English.
_STATE_WORDS = (
    QT_TRANSLATE_NOOP("camera_view", "One face found"),
    QT_TRANSLATE_NOOP("camera_view", "In the middle"),
    QT_TRANSLATE_NOOP("camera_view", "Good size"),
    QT_TRANSLATE_NOOP("camera_view", "Looking at the camera"),
    QT_TRANSLATE_NOOP("camera_view", "Good light"),
    QT_TRANSLATE_NOOP("camera_view", "In focus"),
    QT_TRANSLATE_NOOP("camera_view", "Needs exactly one face"),
    QT_TRANSLATE_NOOP("camera_view", "No face found"),
    QT_TRANSLATE_NOOP("camera_view", "Off-centre"),
    QT_TRANSLATE_NOOP("camera_view", "Face cut off"),
    QT_TRANSLATE_NOOP("camera_view", "Face too small"),
    QT_TRANSLATE_NOOP("camera_view", "Too close"),
    QT_TRANSLATE_NOOP("camera_view", "Head tilted"),
    QT_TRANSLATE_NOOP("camera_view", "Head turned"),
    QT_TRANSLATE_NOOP("camera_view", "Blurry"),
)


class CameraView(QWidget):
    """A picture scaled to fit, with the faces' outlines and an optional big countdown number."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraView")
        self.setMinimumSize(320, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._pixels: np.ndarray | None = None
        self._image: QImage | None = None
        self._faces: list[np.ndarray] = []
        self._labels: list[str] = []
        self._ok: bool | None = None
        self._countdown: int | None = None
        self._message = ""
        self.frames_shown = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, 480)

    @property
    def message(self) -> str:
        return self._message

    @property
    def countdown(self) -> int | None:
        return self._countdown

    @property
    def labels(self) -> list[str]:
        """The names drawn on the faces (a group photo's numbers)."""
        return list(self._labels)

    @property
    def showing_frame(self) -> bool:
        return self._image is not None

    def set_frame(
        self,
        frame: np.ndarray,
        faces: Sequence[np.ndarray] = (),
        ok: bool | None = None,
        labels: Sequence[str] = (),
    ) -> None:
        """Show ``frame`` (RGB uint8) with each face's (478, 2+) landmarks in its pixels,
        outlined green when every check passes, amber when one fails; ``labels`` name the
        faces in the picture (a group photo's numbers, as its crop buttons say)."""
        self._pixels = np.ascontiguousarray(frame)
        self._image = frame_image(self._pixels)
        self._faces = [np.asarray(f)[:, :2] for f in faces]
        self._labels = list(labels)
        self._ok = ok
        self._message = ""
        self.frames_shown += 1
        self.update()

    def set_countdown(self, value: int | None) -> None:
        if value != self._countdown:
            self._countdown = value
            self.update()

    def clear(self, message: str) -> None:
        self._pixels = self._image = None
        self._faces, self._labels, self._countdown, self._message = [], [], None, message
        self.update()

    def _target(self) -> QRectF:
        assert self._image is not None
        w, h = self._image.width(), self._image.height()
        scale = min(self.width() / w, self.height() / h)
        return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2, w * scale, h * scale)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKGROUND)
        if self._image is None:
            painter.setPen(_PLACEHOLDER)
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message
            )
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        target = self._target()
        painter.drawImage(target, self._image)
        scale = target.width() / self._image.width()
        colour = _NEUTRAL if self._ok is None else _GOOD if self._ok else _BAD
        for k, marks in enumerate(self._faces):
            pts = marks * scale + np.array([target.x(), target.y()])
            self._paint_face(painter, pts, colour)
            if k < len(self._labels):
                self._paint_label(painter, pts, self._labels[k])
        if self._countdown is not None:
            self._paint_countdown(painter, target)

    def _paint_face(self, painter: QPainter, pts: np.ndarray, colour: QColor) -> None:
        painter.setPen(QPen(colour, 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        oval = QPolygonF([QPointF(float(pts[i, 0]), float(pts[i, 1])) for i in T.FACE_OVAL])
        painter.drawPolygon(oval)
        x0, y0 = pts.min(axis=0)
        x1, y1 = pts.max(axis=0)
        pad = 0.08 * (y1 - y0)
        painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
        painter.drawRect(QRectF(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        for i in _DOTS:
            painter.drawEllipse(QPointF(float(pts[i, 0]), float(pts[i, 1])), 1.6, 1.6)

    def _paint_label(self, painter: QPainter, pts: np.ndarray, text: str) -> None:
        """A round badge above the face with its number."""
        x0, y0 = pts.min(axis=0)
        x1 = float(pts[:, 0].max())
        radius = max(10.0, 0.12 * (x1 - x0))
        centre = QPointF((x0 + x1) / 2, max(radius, y0 - 1.4 * radius))
        self._paint_disc(painter, centre, radius, text, alpha=170, min_px=10)

    def _paint_countdown(self, painter: QPainter, target: QRectF) -> None:
        radius = min(target.width(), target.height()) * 0.16
        self._paint_disc(painter, target.center(), radius, str(self._countdown), alpha=140, min_px=12)

    def _paint_disc(
        self, painter: QPainter, centre: QPointF, radius: float, text: str, alpha: int, min_px: int
    ) -> None:
        """White bold ``text`` centred on a translucent black disc."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, alpha))
        painter.drawEllipse(centre, radius, radius)
        font = QFont(self.font())
        font.setPixelSize(max(min_px, int(radius * 1.2)))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        box = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class ChecklistView(QWidget):
    """One row per check: a mark, its name and, in plain words, how it stands (and what to do).
    The measured numbers are in each row's tooltip.

    ``live`` (a person in front of the camera) words failures as advice to that person; a
    photo or a video frame cannot be changed, so for a file a failure only says what is wrong.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklistView")
        self.live = True
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        self._rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        for row, key in enumerate(KEYS):
            mark, title, detail = QLabel(), QLabel(translated("camera_view", LABELS[key])), QLabel()
            mark.setObjectName(f"check_{key}_mark")
            mark.setFixedWidth(18)
            mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
            title.setObjectName(f"check_{key}_label")
            title.setStyleSheet("font-weight: 600;")
            detail.setObjectName(f"check_{key}_detail")
            detail.setWordWrap(True)
            detail.setProperty("role", "hint")
            grid.addWidget(mark, 2 * row, 0, 2, 1)
            grid.addWidget(title, 2 * row, 1)
            grid.addWidget(detail, 2 * row + 1, 1)
            self._rows[key] = (mark, title, detail)
        grid.setRowStretch(2 * len(KEYS), 1)
        self.set_checklist(None)

    def set_checklist(self, checklist: Checklist | None, waiting: str = WAITING) -> None:
        for key, (mark, title, detail) in self._rows.items():
            if checklist is None:
                mark.setText("•")
                mark.setStyleSheet(f"color: {_NEUTRAL.name()}; font-weight: 700;")
                detail.setText(translated("camera_view", waiting) if key == KEYS[0] else "")
                tip = ""
            elif key != KEYS[0] and not checklist.item(KEYS[0]).ok:
                # Without exactly one face nothing else can be measured: say nothing rather
                # than five crosses repeating the first problem.
                mark.setText("•")
                mark.setStyleSheet(f"color: {_NEUTRAL.name()}; font-weight: 700;")
                detail.setText("")
                tip = self.tr("Checked once exactly one face is found")
            else:
                item = checklist.item(key)
                mark.setText("✓" if item.ok else "✗")
                colour = (_GOOD if item.ok else _BAD).darker(130).name()
                mark.setStyleSheet(f"color: {colour}; font-weight: 700;")
                detail.setText(
                    translated("camera_view", (item.words if self.live else item.state) or item.detail)
                )
                tip = self.tr("Measured: {detail}").format(detail=item.detail)
            for label in (mark, title, detail):
                label.setToolTip(tip)

    def state(self, key: str) -> tuple[str, str]:
        """(mark, words) of a row, as shown."""
        mark, _title, detail = self._rows[key]
        return mark.text(), detail.text()

    def tooltip(self, key: str) -> str:
        return self._rows[key][2].toolTip()
