"""File dialogs that open where a user keeps such files, and then where they last looked.

The process's working folder means nothing to someone who started the app from a menu, so a
photo dialog opens in Pictures, a video dialog in Videos, a show in Documents; once a file is
chosen, the next dialog of that kind opens in its folder (for this session).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from studio.ui.i18n import QT_TRANSLATE_NOOP

PHOTO_FILTER = QT_TRANSLATE_NOOP(
    "file_dialogs", "Photos (*.jpg *.jpeg *.png *.webp *.bmp *.tif *.tiff);;All files (*)"
)
VIDEO_FILTER = QT_TRANSLATE_NOOP(
    "file_dialogs", "Videos (*.mp4 *.mov *.m4v *.mkv *.webm *.avi);;All files (*)"
)
SHOW_FILTER = QT_TRANSLATE_NOOP(
    "file_dialogs", "Shows and scripts (*.toml *.txt);;Shows (*.toml);;Text scripts (*.txt);;All files (*)"
)

_PLACES = {
    "photo": QStandardPaths.StandardLocation.PicturesLocation,
    "video": QStandardPaths.StandardLocation.MoviesLocation,
    "show": QStandardPaths.StandardLocation.DocumentsLocation,
    "folder": QStandardPaths.StandardLocation.HomeLocation,
}


class FolderMemory:
    """The folder each kind of dialog opens in. One per window, not a module global."""

    def __init__(self) -> None:
        self._last: dict[str, Path] = {}

    def start(self, kind: str) -> str:
        remembered = self._last.get(kind)
        if remembered is not None and remembered.is_dir():
            return str(remembered)
        for place in (_PLACES.get(kind, _PLACES["folder"]), _PLACES["folder"]):
            folder = QStandardPaths.writableLocation(place)
            if folder and Path(folder).is_dir():
                return folder
        return str(Path.home())

    def remember(self, kind: str, chosen: str) -> None:
        if chosen:
            path = Path(chosen)
            self._last[kind] = path if path.is_dir() else path.parent

    def open_file(self, parent: QWidget | None, kind: str, title: str, filters: str) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(parent, title, self.start(kind), filters)
        self.remember(kind, path)
        return Path(path) if path else None

    def save_file(
        self, parent: QWidget | None, kind: str, title: str, name: str, filters: str
    ) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, str(Path(self.start(kind)) / name), filters)
        self.remember(kind, path)
        return Path(path) if path else None

    def folder(self, parent: QWidget | None, title: str, current: str = "") -> Path | None:
        start = current if current and Path(current).is_dir() else self.start("folder")
        path = QFileDialog.getExistingDirectory(parent, title, start)
        self.remember("folder", path)
        return Path(path) if path else None


def memory_of(widget: QWidget | None) -> FolderMemory:
    """The memory of the nearest widget up the parent chain that keeps one (the main window),
    so a page inside a dialog, which is a window of its own, shares it too. Widgets used on
    their own (tests) get a fresh one."""
    while widget is not None:
        found = getattr(widget, "folder_memory", None)
        if isinstance(found, FolderMemory):
            return found
        widget = widget.parentWidget()
    return FolderMemory()
