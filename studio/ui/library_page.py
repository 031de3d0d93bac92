"""The avatar library: thumbnails, details, and the verbs of ``studio avatar``.

New avatars come from the capture wizard (webcam, photo or video file); rename and delete
call the same ``AvatarLibrary`` methods as the CLI. Deleting asks first, because it removes
the person's biometric data for good.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.avatar.library import DEMO_NAME, AvatarLibrary, demo_package_path
from studio.avatar.package import IMAGE, AvatarManifest
from studio.errors import StudioError
from studio.ui.dialogs import confirm, show_error
from studio.ui.file_dialogs import PHOTO_FILTER, VIDEO_FILTER, memory_of
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.library_thumbs import ThumbnailLoader, badged, fitted, square
from studio.ui.library_words import describe
from studio.ui.twin_hover import KIND_ROLE, TwinTiles

THUMB = 148
IN_USE = QT_TRANSLATE_NOOP("library_page", "✓ in use")

# (mode, source file or None) -> a wizard widget with an ``avatar_created(str)`` signal.
WizardFactory = Callable[[str, Path | None], Any]
TWIN_MODES = ("twin-webcam", "twin-video")


class LibraryPage(QWidget):
    """Thumbnails of every avatar; ``avatar_selected(ref)`` when the user picks one for the show,
    and when the avatar in use is renamed or deleted (the main window says which is in use);
    a new avatar from the wizard is selected, then ``avatar_created(name)`` says it is new.
    ``avatar_deleting(folder)`` comes first, before any file goes: a show using it takes the face
    off the air at once (withdrawn consent must not wait for the files, nor for Stop)."""

    avatar_selected = Signal(str)
    avatar_deleting = Signal(object)  # Path: the package folder about to go
    avatar_created = Signal(str)  # after avatar_selected: a new avatar, now the one selected

    def __init__(
        self,
        library: AvatarLibrary,
        open_wizard: WizardFactory,
        parent: QWidget | None = None,
        open_twin_wizard: WizardFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self._open_wizard = open_wizard
        self._open_twin = open_twin_wizard or self._twin_wizard
        self._manifests: dict[str, AvatarManifest] = {}
        self._in_use = DEMO_NAME
        self.wizard: Any = None
        self.thumbs = ThumbnailLoader(self)
        self.thumbs.ready.connect(self._thumbnail_ready)

        title = QLabel(self.tr("Avatars"))
        title.setProperty("role", "title")
        subtitle = QLabel(
            self.tr(
                "Your digital twins. Each one is made from one consenting person and labelled "
                "AI-generated whenever it is shown."
            )
        )
        subtitle.setProperty("role", "subtitle")
        subtitle.setWordWrap(True)

        self.new_webcam = self._button(self.tr("New from webcam…"), "newFromWebcam", primary=True)
        self.new_photo = self._button(self.tr("New from photo…"), "newFromPhoto")
        self.new_video = self._button(self.tr("New from video…"), "newFromVideo")
        self.new_twin_webcam = self._button(self.tr("New twin from webcam…"), "newTwinFromWebcam")
        self.new_twin_video = self._button(self.tr("New twin from video…"), "newTwinFromVideo")
        self.new_twin_webcam.setToolTip(
            self.tr("A ~45 s recording becomes your own talking face, lips and head motion")
        )
        self.new_twin_video.setToolTip(
            self.tr("A video of you talking (15 s or more) becomes your own talking face")
        )
        self.new_webcam.clicked.connect(lambda: self.start_wizard("webcam"))
        self.new_photo.clicked.connect(self.ask_photo)
        self.new_video.clicked.connect(self.ask_video)
        self.new_twin_webcam.clicked.connect(lambda: self.start_wizard("twin-webcam"))
        self.new_twin_video.clicked.connect(self.ask_twin_video)
        create_row = QHBoxLayout()
        for b in (self.new_webcam, self.new_photo, self.new_video, self.new_twin_webcam, self.new_twin_video):
            create_row.addWidget(b)
        create_row.addStretch(1)

        self.grid = QListWidget()
        self.grid.setObjectName("avatarGrid")
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(THUMB, THUMB))
        self.grid.setGridSize(QSize(THUMB + 28, THUMB + 58))  # room for the name and 'in use'
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setSpacing(6)
        self.grid.setWordWrap(True)
        self.grid.currentItemChanged.connect(self._current_changed)
        self.grid.itemDoubleClicked.connect(lambda _item: self.use_selected())
        self.tiles = TwinTiles(self.grid, library, self.thumbs, THUMB)  # a twin's loop on hover

        self.details = self._details_card()
        body = QHBoxLayout()
        body.addWidget(self.grid, 3)
        body.addWidget(self.details, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(create_row)
        layout.addLayout(body, 1)
        self.refresh()

    # -- layout --------------------------------------------------------------------------
    def _button(self, text: str, name: str, primary: bool = False, danger: bool = False) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        if primary:
            b.setProperty("role", "primary")
        if danger:
            b.setProperty("role", "danger")
        return b

    def _details_card(self) -> QFrame:
        card = QFrame()
        card.setProperty("role", "card")
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.preview = QLabel()
        self.preview.setObjectName("avatarPreview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(200)
        self.name_label = QLabel()
        self.name_label.setProperty("role", "title")
        self.info_label = QLabel()
        self.info_label.setObjectName("avatarInfo")
        self.info_label.setWordWrap(True)
        self.info_label.setTextFormat(Qt.TextFormat.PlainText)
        self.info_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.use_button = self._button(self.tr("Use this avatar"), "useAvatar", primary=True)
        self.use_button.setToolTip(self.tr("Make it the avatar of the show and the live preview"))
        self.use_button.clicked.connect(self.use_selected)
        self.rename_button = self._button(self.tr("Rename…"), "renameAvatar")
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button = self._button(self.tr("Delete…"), "deleteAvatar", danger=True)
        self.delete_button.setToolTip(
            self.tr("Removes the avatar and all its biometric data from this computer")
        )
        self.delete_button.clicked.connect(self.ask_delete)
        buttons = QHBoxLayout()
        buttons.addWidget(self.use_button)
        buttons.addStretch(1)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.delete_button)
        lay = QVBoxLayout(card)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.addWidget(self.preview)
        lay.addWidget(self.name_label)
        lay.addWidget(self.info_label, 1)
        lay.addLayout(buttons)
        return card

    # -- contents ------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        """Re-read the library: manifests here (small JSON files), pictures on a worker."""
        current = select or self.selected_name()
        self.grid.clear()
        self._manifests.clear()
        entries: list[tuple[str, Path, AvatarManifest | None]] = [(DEMO_NAME, demo_package_path(), None)]
        for manifest in self.library.list():
            entries.append((manifest.name, self.library.path_for(manifest.name), manifest))
        for name, folder, listed in entries:
            if listed is not None:
                self._manifests[name] = listed
            kind = "photo" if listed is None or listed.is_damaged else listed.kind
            item = QListWidgetItem(
                QIcon(badged(square(self.thumbs.image(folder / IMAGE), THUMB), kind)), name
            )
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setData(Qt.ItemDataRole.UserRole + 1, str(folder / IMAGE))
            item.setData(KIND_ROLE, kind)
            self.grid.addItem(item)
        self._mark_in_use()
        self.thumbs.request([folder / IMAGE for _name, folder, _listed in entries])
        self.select(current or DEMO_NAME)

    def _thumbnail_ready(self, path: str) -> None:
        image = self.thumbs.image(Path(path))
        for i in range(self.grid.count()):
            item = self.grid.item(i)
            if item.data(Qt.ItemDataRole.UserRole + 1) == path:
                item.setIcon(QIcon(badged(square(image, THUMB), str(item.data(KIND_ROLE)))))
                self.grid.viewport().update()
                if item is self.grid.currentItem():
                    self.preview.setPixmap(fitted(image, 360, 200))

    def set_in_use(self, name: str) -> None:
        """Which avatar the show uses (the main window decides; the page shows it)."""
        self._in_use = name
        self._mark_in_use()
        self._current_changed(self.grid.currentItem(), None)

    def _mark_in_use(self) -> None:
        for i in range(self.grid.count()):
            item = self.grid.item(i)
            name = str(item.data(Qt.ItemDataRole.UserRole))
            manifest = self._manifests.get(name)
            used = name.casefold() == self._in_use.casefold()
            text = f"⚠ {name} (damaged)" if manifest is not None and manifest.is_damaged else name
            item.setText(f"{text}\n{translated('library_page', IN_USE)}" if used else text)
            font = QFont(item.font())
            font.setBold(used)
            item.setFont(font)
            tip = self.tr("The built-in demo avatar") if name == DEMO_NAME else name
            item.setToolTip(self.tr("{tip} (the avatar of the show)").format(tip=tip) if used else tip)

    def names(self) -> list[str]:
        return [self.grid.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.grid.count())]

    def select(self, name: str) -> None:
        for i in range(self.grid.count()):
            item = self.grid.item(i)
            if str(item.data(Qt.ItemDataRole.UserRole)).casefold() == name.casefold():
                self.grid.setCurrentItem(item)
                return
        if self.grid.count():
            self.grid.setCurrentRow(0)

    def selected_name(self) -> str | None:
        item = self.grid.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def _current_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        name = None if item is None else str(item.data(Qt.ItemDataRole.UserRole))
        is_demo = name == DEMO_NAME
        manifest = self._manifests.get(name or "")
        damaged = bool(manifest and manifest.is_damaged)
        # The demo can be neither renamed nor deleted: hidden, not greyed, so nothing looks
        # clickable that is not.
        self.rename_button.setVisible(name is not None and not is_demo)
        self.rename_button.setEnabled(not damaged)
        self.delete_button.setVisible(name is not None and not is_demo)
        used = name is not None and name.casefold() == self._in_use.casefold()
        self.use_button.setEnabled(name is not None and not damaged and not used)
        self.use_button.setText(self.tr("In use for the show") if used else self.tr("Use this avatar"))
        self.name_label.setText(name or "")
        if item is not None:
            image = self.thumbs.image(Path(str(item.data(Qt.ItemDataRole.UserRole + 1))))
            self.preview.setPixmap(fitted(image, 360, 200))
        self.info_label.setText(describe(name, manifest))

    # -- verbs ---------------------------------------------------------------------------
    def use_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            self.avatar_selected.emit(name)

    def start_wizard(self, mode: str, source: Path | None = None) -> Any:
        try:
            opener = self._open_twin if mode in TWIN_MODES else self._open_wizard
            wizard = opener(mode, source)
        except StudioError as exc:
            show_error(self, exc)
            return None
        self.wizard = wizard
        if isinstance(wizard, QWidget):  # it holds a face picture and maybe a recording
            wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.avatar_created.connect(self._created)
        wizard.finished.connect(self._wizard_closed)
        wizard.open()
        return wizard

    def _wizard_closed(self, _result: int) -> None:
        self.wizard = None

    def _created(self, name: str) -> None:
        self.refresh(select=name)
        self.avatar_selected.emit(name)
        self.avatar_created.emit(name)

    def ask_photo(self) -> None:
        path = memory_of(self).open_file(
            self, "photo", self.tr("Choose a face photo"), translated("file_dialogs", PHOTO_FILTER)
        )
        if path is not None:
            self.start_wizard("photo", path)

    def ask_video(self) -> None:
        path = memory_of(self).open_file(
            self, "video", self.tr("Choose a video of the face"), translated("file_dialogs", VIDEO_FILTER)
        )
        if path is not None:
            self.start_wizard("video", path)

    def _twin_wizard(self, mode: str, source: Path | None) -> Any:
        """Without the main window's factory (a page on its own): the system's devices."""
        from studio.ui.twin_wizard import open_twin  # noqa: PLC0415 - PyAV, the face model

        return open_twin(self, self.library, mode, source)

    def ask_twin_video(self) -> None:
        path = memory_of(self).open_file(
            self,
            "video",
            self.tr("Choose a video of the person talking"),
            translated("file_dialogs", VIDEO_FILTER),
        )
        if path is not None:
            self.start_wizard("twin-video", path)

    def _ask_rename(self) -> None:
        old = self.selected_name()
        if old is None:
            return
        dialog = QInputDialog(self)
        dialog.setObjectName("renameDialog")
        dialog.setWindowTitle(self.tr("Rename avatar"))
        dialog.setLabelText(self.tr("New name for '{old}':").format(old=old))
        dialog.setTextValue(old)
        dialog.textValueSelected.connect(lambda new: self.rename(old, new))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def rename(self, old: str, new: str) -> bool:
        try:
            folder = self.library.rename(old, new)
        except StudioError as exc:
            show_error(self, exc, self.tr("Could not rename the avatar"))
            return False
        was_in_use = old.casefold() == self._in_use.casefold()
        self.refresh(select=folder.name)
        if was_in_use:  # the show keeps its avatar under the new name
            self.avatar_selected.emit(folder.name)
        return True

    def ask_delete(self) -> Any:
        name = self.selected_name()
        if name is None or name == DEMO_NAME:
            return None
        return confirm(
            self,
            self.tr("Delete avatar"),
            self.tr(
                "Delete '{name}'?\n\nThis removes the avatar and all its biometric data (the "
                "photo, the face landmarks and any consent recording) from this computer. It "
                "cannot be undone."
            ).format(name=name)
            + (
                self.tr("\n\nIt is the avatar of the show: the show will use the demo avatar instead.")
                if name.casefold() == self._in_use.casefold()
                else ""
            ),
            self.tr("Delete"),
            lambda: self._delete_quietly(name),
        )

    def _delete_quietly(self, name: str) -> None:
        self.delete(name)

    def shutdown(self) -> None:
        self.tiles.shutdown()
        self.thumbs.shutdown()

    def delete(self, name: str) -> bool:
        try:
            self.avatar_deleting.emit(self.library.find(name))
            self.library.delete(name)
        except StudioError as exc:
            show_error(self, exc, self.tr("Could not delete the avatar"))
            return False
        self.refresh(select=DEMO_NAME)
        if name.casefold() == self._in_use.casefold():  # the show cannot keep a deleted avatar
            self.avatar_selected.emit(DEMO_NAME)
        return True
