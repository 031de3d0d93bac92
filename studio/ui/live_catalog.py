"""The Live page's room: which catalogue viewers' questions are answered from, and the audience page.

With a catalogue chosen, Start gives the show the same ``RoomOptions`` that ``studio live --catalog
FILE --room`` builds (``room_options``), so the app and the command line run the same room: answers
only from the catalogue, the product card while its segment runs, and, with the audience page on,
a page on this computer where viewers post questions and the moderator decides. While the show
runs, the page's addresses are shown here to open or copy.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.errors import InputError
from studio.ui.file_dialogs import memory_of

if TYPE_CHECKING:
    from studio.pipeline.live_room import RoomOptions
    from studio.pipeline.live_show import LiveShow

AskCatalog = Callable[[], Path | None]


class CatalogBox(QGroupBox):
    """Choose the room's catalogue and the audience page for the next start; its addresses while live."""

    chosen = Signal(str, bool, int)  # the catalogue ("" for none), the page's switch and port, to remember

    def __init__(self, parent: QWidget | None = None, *, ask_catalog: AskCatalog | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Products and viewers"))
        self.setObjectName("liveCatalog")
        self._ask_catalog = ask_catalog or self._catalog_dialog
        self.auto: tuple[str, ...] = ()  # the kinds approved without a person (the settings' room_auto)
        self.path_edit = QLineEdit()
        self.path_edit.setReadOnly(True)
        self.path_edit.setPlaceholderText(self.tr("No catalogue: viewers' questions are not taken"))
        self.choose_button = QPushButton(self.tr("Catalogue…"))
        self.choose_button.setToolTip(self.tr("The catalog.toml whose facts answer viewers' questions"))
        self.clear_button = QPushButton(self.tr("None"))
        self.page_check = QCheckBox(self.tr("Audience page (viewers ask in a browser)"))
        self.page_check.setToolTip(
            self.tr("A page on this computer where viewers post questions, and you approve the answers")
        )
        self.port_box = QSpinBox()
        self.port_box.setRange(0, 65535)
        self.port_box.setSpecialValueText(self.tr("any free port"))
        self.port_box.setToolTip(
            self.tr("The audience page's port on this computer: a fixed one keeps its address the same")
        )
        self.viewer_link = QLabel()
        self.viewer_link.setObjectName("audiencePageLink")
        self.viewer_link.setOpenExternalLinks(True)
        self.viewer_link.setWordWrap(True)
        self.copy_button = QPushButton(self.tr("Copy address"))
        self.copy_moderator_button = QPushButton(self.tr("Copy moderator address"))
        self._viewer_url = self._moderator_url = ""

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.clear_button)
        copies = QHBoxLayout()
        copies.addWidget(self.copy_button)
        copies.addWidget(self.copy_moderator_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        page_row = QHBoxLayout()
        page_row.addWidget(self.page_check, 1)
        self.port_label = QLabel(self.tr("Port:"))
        page_row.addWidget(self.port_label)
        page_row.addWidget(self.port_box)
        layout.addLayout(page_row)
        layout.addWidget(self.viewer_link)
        layout.addLayout(copies)

        self.choose_button.clicked.connect(self.ask)
        self.clear_button.clicked.connect(lambda: self.set_catalog("", remember=True))
        self.page_check.toggled.connect(self._page_toggled)
        self.port_box.editingFinished.connect(self._page_toggled)
        self.copy_button.clicked.connect(lambda: self._copy(self._viewer_url))
        self.copy_moderator_button.clicked.connect(lambda: self._copy(self._moderator_url))
        self.show_state("stopped", None)
        self._update()

    # -- the next start -----------------------------------------------------------------------------
    @property
    def catalog(self) -> str:
        return self.path_edit.text()

    def set_catalog(
        self, path: str, page: bool | None = None, remember: bool = False, port: int | None = None
    ) -> None:
        """Show ``path`` (and the page's switch and port) as chosen; ``remember`` tells the settings."""
        self.path_edit.setText(path)
        self.path_edit.setToolTip(path)
        if page is not None:
            self.page_check.blockSignals(True)
            self.page_check.setChecked(page)
            self.page_check.blockSignals(False)
        if port is not None:
            self.port_box.setValue(port)
        self._update()
        if remember:
            self.chosen.emit(self.catalog, self.page_check.isChecked(), self.port_box.value())

    def offer_catalog(self, path: str) -> None:
        """A catalogue just saved on the Catalogue page: the room takes it when it has none yet
        and no show is running (a chosen one is the operator's, and is kept)."""
        if not self.catalog and self.choose_button.isEnabled():
            self.set_catalog(path, remember=True)

    def ask(self) -> None:
        path = self._ask_catalog()
        if path is not None:
            self.set_catalog(str(path), remember=True)

    def room_options(self, mic: bool = False) -> RoomOptions | None:
        """The room for the next start, as ``studio live --catalog FILE [--room]`` makes it; None
        without a catalogue. ``InputError`` when the chosen file has gone, or the show is driven
        by the microphone (answers are said in the script's voice, and a microphone has none)."""
        from studio.pipeline.live_room import RoomOptions  # noqa: PLC0415 - the room loads aiohttp

        if not self.catalog:
            return None
        path = Path(self.catalog)
        if mic:
            raise InputError(
                self.tr("viewers' questions are answered in the show's voice, and the microphone has none."),
                self.tr("Drive the show by its script, or choose None next to Catalogue…."),
            )
        if not path.is_file():
            raise InputError(
                self.tr("the catalogue {path} is not there any more.").format(path=path),
                self.tr("Choose it again next to Catalogue…, or choose None."),
            )
        page = self.page_check.isChecked()
        return RoomOptions(path, page=page, port=self.port_box.value() if page else 0, auto=self.auto)

    # -- the running show ---------------------------------------------------------------------------
    def show_state(self, state: str, show: LiveShow | None) -> None:
        """Locked while a show runs; the audience page's addresses while it serves them."""
        stopped = state == "stopped"
        for widget in (self.choose_button, self.clear_button, self.page_check, self.port_box):
            widget.setEnabled(stopped)
        page = show.room.page if show is not None and show.room is not None else None
        if state == "live" and page is not None:
            self._viewer_url, self._moderator_url = page.viewer_url, page.moderator_url
            self.viewer_link.setText(
                self.tr('Audience page: <a href="%1">%1</a> · <a href="%2">moderator</a>')
                .replace("%1", self._viewer_url)
                .replace("%2", self._moderator_url)
            )
        elif state != "live":
            self._viewer_url = self._moderator_url = ""
            self.viewer_link.setText("")
        self._update()

    @property
    def viewer_url(self) -> str:
        return self._viewer_url

    @property
    def moderator_url(self) -> str:
        return self._moderator_url

    # -- inside -------------------------------------------------------------------------------------
    def _update(self) -> None:
        self.clear_button.setVisible(bool(self.catalog))
        self.page_check.setVisible(bool(self.catalog))
        port_shown = bool(self.catalog) and self.page_check.isChecked()
        self.port_label.setVisible(port_shown)
        self.port_box.setVisible(port_shown)
        serving = bool(self._viewer_url)
        for widget in (self.viewer_link, self.copy_button, self.copy_moderator_button):
            widget.setVisible(serving)

    def _page_toggled(self) -> None:
        self._update()
        self.chosen.emit(self.catalog, self.page_check.isChecked(), self.port_box.value())

    def _copy(self, url: str) -> None:
        if url:
            QGuiApplication.clipboard().setText(url)

    def _catalog_dialog(self) -> Path | None:
        return memory_of(self).open_file(
            self, "show", self.tr("Choose the catalogue"), self.tr("Catalogues (*.toml);;All files (*)")
        )
