"""Avatar thumbnails, decoded on a worker and kept for the session.

A package's image.png can be 2048 px; decoding one takes ~90 ms whatever size is asked for
(PNG has no reduced-size decode), so a library of a dozen avatars would freeze the window for a
second on every refresh. QImage (unlike QPixmap) may be made outside the Qt thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPixmap

from studio.avatar.package import MAX_IMAGE_BYTES
from studio.errors import InputError
from studio.storage.input_file import read_input_bytes
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

KEEP_SIDE = 420  # big enough for the details card, small enough to keep a hundred


def read_scaled(path: Path, side: int = KEEP_SIDE) -> QImage:
    """The picture at ``path`` scaled to at most ``side`` px; a null image when it cannot be
    read. Only a regular file of a package's size is read: a FIFO planted in the library would
    otherwise block this worker for good."""
    try:
        data = read_input_bytes(
            path, "image", QCoreApplication.translate("library_thumbs", "an image file"), MAX_IMAGE_BYTES
        )
    except InputError:
        return QImage()
    image = QImage.fromData(data)
    if image.isNull() or max(image.width(), image.height()) <= side:
        return image
    return image.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


def square(image: QImage | None, side: int) -> QPixmap:
    """The image cropped to a square of ``side`` px, or a grey tile while it is not loaded."""
    if image is None or image.isNull():
        tile = QPixmap(side, side)
        tile.fill(Qt.GlobalColor.lightGray)
        return tile
    scaled = QPixmap.fromImage(image).scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatioByExpanding, Qt.TransformationMode.SmoothTransformation
    )
    # Cropped to the centre: every tile is the same square, so the grid never re-lays out
    # (and leaves no ghost of a tile) when a wide picture replaces the grey placeholder.
    x, y = (scaled.width() - side) // 2, (scaled.height() - side) // 2
    return scaled.copy(x, y, side, side)


def fitted(image: QImage | None, width: int, height: int) -> QPixmap:
    if image is None or image.isNull():
        return QPixmap()
    return QPixmap.fromImage(image).scaled(
        width, height, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )


class ThumbnailLoader(QObject):
    """``request(paths)`` decodes what is not cached on a worker; ``ready(path)`` per image."""

    ready = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: dict[tuple[str, int], QImage] = {}
        self._wanted: list[Path] = []
        self.runner = TaskRunner(self)
        self.runner.succeeded.connect(self._store)
        self.runner.finished.connect(self._next)

    def image(self, path: Path) -> QImage | None:
        return self._cache.get(self._key(path))

    def request(self, paths: list[Path]) -> None:
        self._wanted = [p for p in paths if self._key(p) not in self._cache]
        if not self.runner.running:
            self._next()

    def _key(self, path: Path) -> tuple[str, int]:
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = -1
        return str(path), stamp

    def _next(self) -> None:
        if not self._wanted or self.runner.running:
            return
        batch, self._wanted = self._wanted, []

        def work(_progress: ProgressFn, token: CancelToken) -> list[tuple[Path, QImage]]:
            done = []
            for path in batch:
                token.check(QCoreApplication.translate("ThumbnailLoader", "loading thumbnails"))
                done.append((path, read_scaled(path)))
            return done

        self.runner.start(work, "thumbnails")

    def _store(self, done: list[tuple[Path, QImage]]) -> None:
        for path, image in done:
            self._cache[self._key(path)] = image
            self.ready.emit(str(path))

    def shutdown(self) -> None:
        self._wanted = []
        self.runner.cancel()
        self.runner.wait(5)


_BADGES = {
    "twin": (QT_TRANSLATE_NOOP("library_thumbs", "TWIN"), QColor("#6d4aff")),
    "photo": (QT_TRANSLATE_NOOP("library_thumbs", "PHOTO"), QColor("#4b5563")),
}


def badged(pixmap: QPixmap, kind: str) -> QPixmap:
    """``pixmap`` with the avatar's kind (photo or twin) in a pill at its top-left corner."""
    if kind not in _BADGES:
        return pixmap
    text, colour = _BADGES[kind]
    text = translated("library_thumbs", text)  # painted into the picture: no widget to walk
    out = QPixmap(pixmap)
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(painter.font())
    font.setPixelSize(11)
    font.setBold(True)
    painter.setFont(font)
    width = painter.fontMetrics().horizontalAdvance(text) + 12
    pill = QRectF(5, 5, width, 17)
    # A thin light rim keeps the pill apart from a background of its own hue (franck's blue).
    painter.setPen(QPen(QColor(255, 255, 255, 210), 1.5))
    painter.setBrush(colour)
    painter.drawRoundedRect(pill, 8, 8)
    painter.setPen(QColor("white"))
    painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return out
