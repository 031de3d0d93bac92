"""A twin's library tile plays its idle loop while the pointer rests on it.

The loop (the package's idle.mp4) is decoded on a worker into small square thumbnails: at
most ``MAX_FRAMES`` of them (a few seconds, every other frame), one loop at a time, so memory
stays bounded whatever the library holds (~150 KB a frame at 148 px: under 10 MB). Leaving
the tile stops the timer, cancels a decode still running and drops the frames.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QIcon, QImage
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import IMAGE
from studio.tasks import CancelToken, ProgressFn
from studio.ui.bridge import TaskRunner
from studio.ui.library_thumbs import ThumbnailLoader, badged, square

IDLE_VIDEO = "idle.mp4"
NAME_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "photo" | "twin", set by the library page
MAX_FRAMES = 60
STEP = 2  # every other frame: half the decode memory, still smooth at a thumbnail's size
FRAME_MS = 80  # ~12 fps, the loop's pace at STEP 2 of 25 fps


def decode_loop(video: Path, side: int, token: CancelToken) -> list[QImage]:
    """Up to ``MAX_FRAMES`` square ``side``-px thumbnails of ``video``, centre-cropped."""
    import av

    frames: list[QImage] = []
    with av.open(str(video)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            token.check(QCoreApplication.translate("twin_hover", "the idle preview"))
            if index % STEP:
                continue
            width, height = frame.width, frame.height
            scale = side / min(width, height)
            size = max(side, round(width * scale)), max(side, round(height * scale))
            small = frame.reformat(width=size[0], height=size[1])
            rgb = small.to_ndarray(format="rgb24")
            y, x = (rgb.shape[0] - side) // 2, (rgb.shape[1] - side) // 2
            crop = rgb[y : y + side, x : x + side].copy()
            image = QImage(crop.data, side, side, crop.strides[0], QImage.Format.Format_RGB888).copy()
            frames.append(image)
            if len(frames) >= MAX_FRAMES:
                break
    return frames


class IdlePreview(QObject):
    """``play(folder, show)`` decodes ``folder``'s idle loop and calls ``show(image)`` per frame;
    ``stop()`` ends it. One loop at a time."""

    def __init__(self, side: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.folder: Path | None = None
        self.frames: list[QImage] = []
        self._show: Callable[[QImage], None] | None = None
        self._index = 0
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._tick)
        self.runner = TaskRunner(self)
        self.runner.succeeded.connect(self._decoded)

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def play(self, folder: Path, show: Callable[[QImage], None]) -> None:
        if self.folder == folder:
            return
        self.stop()
        video = folder / IDLE_VIDEO
        if not video.is_file():
            return
        self.folder, self._show = folder, show
        side = self.side

        def work(_progress: ProgressFn, token: CancelToken) -> tuple[Path, list[QImage]]:
            return folder, decode_loop(video, side, token)

        self.runner.wait()  # a cancelled decode, already past its last signal
        self.runner.start(work, "idle preview")

    def _decoded(self, result: tuple[Path, list[QImage]]) -> None:
        folder, frames = result
        if folder != self.folder or not frames:
            return  # the pointer left meanwhile
        self.frames, self._index = frames, 0
        self.timer.start()
        self._tick()

    def _tick(self) -> None:
        if not self.frames or self._show is None:
            return
        self._show(self.frames[self._index % len(self.frames)])
        self._index += 1

    def stop(self) -> None:
        self.timer.stop()
        self.runner.cancel()
        self.folder, self._show, self.frames = None, None, []

    def shutdown(self) -> None:
        self.stop()
        self.runner.wait(5)


class TwinTiles(QObject):
    """Watches the library grid: the pointer on a twin's tile plays its loop there; on another
    tile, or out of the grid, the loop stops and the tile's still picture comes back."""

    def __init__(self, grid: QListWidget, library: AvatarLibrary, thumbs: ThumbnailLoader, side: int) -> None:
        super().__init__(grid)
        self.grid, self.library, self.thumbs, self.side = grid, library, thumbs, side
        self.preview = IdlePreview(side, self)
        grid.setMouseTracking(True)  # itemEntered needs it
        grid.itemEntered.connect(self.enter)
        # Kept here: the filter sees the viewport's last events while the grid is being
        # destroyed, when asking the grid for its viewport would touch a deleted object.
        self._viewport = grid.viewport()
        self._viewport.installEventFilter(self)

    def _item(self, name: str) -> QListWidgetItem | None:
        for i in range(self.grid.count()):
            if self.grid.item(i).data(NAME_ROLE) == name:
                return self.grid.item(i)
        return None

    def kind_of(self, name: str) -> str:
        item = self._item(name)
        if item is None:
            raise KeyError(name)
        return str(item.data(KIND_ROLE))

    def enter(self, item: QListWidgetItem) -> None:
        name = str(item.data(NAME_ROLE))
        if item.data(KIND_ROLE) != "twin":
            self.leave()
            return
        folder = self.library.path_for(name)
        if self.preview.folder != folder:
            self.leave()
            self.preview.play(folder, lambda image: self._show(name, image))

    def _show(self, name: str, image: QImage) -> None:
        item = self._item(name)
        if item is not None:
            item.setIcon(QIcon(badged(square(image, self.side), "twin")))

    def leave(self) -> None:
        folder = self.preview.folder
        self.preview.stop()
        item = None if folder is None else self._item(folder.name)
        if folder is not None and item is not None:
            still = square(self.thumbs.image(folder / IMAGE), self.side)
            item.setIcon(QIcon(badged(still, str(item.data(KIND_ROLE)))))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Leave and watched is self._viewport and self.preview.folder:
            self.leave()
        return False

    def shutdown(self) -> None:
        self.preview.shutdown()
