"""The live preview: the newest frame of the show, scaled to the widget, keeping its aspect.

The widget paints a ``QImage`` that wraps the engine's frame in place (frames are never
written to after they are sent), so a repaint costs one scaled draw and no copy into a
``QPixmap``. It repaints only when a new frame has arrived.

The dark picture area takes the aspect of the video size (the settings' before the first frame,
the frame's after), sits at the top and is as wide as fits; the rest is page, so a 16:9 show
is not a picture floating in a tall black box, and a portrait one still fits by its height.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from studio.outputs.base import VideoFrame
from studio.ui.images import frame_image

_BACKGROUND = QColor("#15181d")
_PLACEHOLDER = QColor("#aab2bf")


class PreviewView(QWidget):
    """Shows frames handed to ``show_frame``; a calm placeholder text until there is one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("livePreview")
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._placeholder = self.tr("Press Start to preview the avatar")
        self._image: QImage | None = None
        self._pixels: np.ndarray | None = None  # keeps the memory under ``_image`` alive
        self._frame: tuple[int, int] | None = None  # (index, pts) of the frame on screen
        self._aspect = QSize(16, 9)
        self.frames_shown = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._aspect.scaled(QSize(640, 480), Qt.AspectRatioMode.KeepAspectRatio)

    def set_aspect(self, width: int, height: int) -> None:
        """The video size the next show has: the picture area takes its shape."""
        if width > 0 and height > 0 and QSize(width, height) != self._aspect:
            self._aspect = QSize(width, height)
            self.updateGeometry()
            self.update()

    # -- what to show ----------------------------------------------------------------------
    @property
    def placeholder(self) -> str:
        return self._placeholder

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if self._image is None:
            self.update()

    @property
    def showing_frame(self) -> bool:
        return self._image is not None

    def show_frame(self, frame: VideoFrame) -> bool:
        """Show ``frame`` unless it is already on screen; True when it was new."""
        key = (frame.index, frame.pts)
        if key == self._frame:
            return False
        # The QImage reads these pixels in place: keep the very array it points into.
        self._pixels = np.ascontiguousarray(frame.image)
        self._image = frame_image(self._pixels)
        self._frame = key
        self.frames_shown += 1
        self.update()
        return True

    def clear(self) -> None:
        """Back to the placeholder (the show is over, or about to start afresh)."""
        self._image, self._pixels, self._frame = None, None, None
        self.update()

    # -- painting ---------------------------------------------------------------------------
    def picture_rect(self) -> QRect:
        """The dark area the picture (or the placeholder) fills: the frame's shape, else the
        video size's; as large as fits, at the top, centred across."""
        shape = self._image.size() if self._image is not None else self._aspect
        size = shape.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        return QRect((self.width() - size.width()) // 2, 0, size.width(), size.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Window))
            area = self.picture_rect()
            painter.fillRect(area, _BACKGROUND)
            if self._image is not None:
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
                painter.drawImage(area, self._image)
            else:
                painter.setPen(_PLACEHOLDER)
                font = painter.font()
                font.setPointSizeF(font.pointSizeF() * 1.2)
                painter.setFont(font)
                margin = area.adjusted(24, 24, -24, -24)
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(margin, int(flags), self._placeholder)
        finally:
            painter.end()
