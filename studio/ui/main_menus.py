"""The main window's menus: File (new avatars, the show file: New, Import, Save as; Quit) and
Help. The show's actions open the Show page, where the show editor asks what it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from studio import __version__
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

if TYPE_CHECKING:
    from studio.ui.main_window import MainWindow

GETTING_STARTED = QT_TRANSLATE_NOOP(
    "main_menus",
    "1. Avatars: make your twin with New from webcam (or from a photo or a video). "
    "The demo avatar is ready to try.\n2. Show: write what it says, pick a voice and "
    "press Preview to hear it.\n3. Live: press Start to watch it talk, then switch on "
    "the virtual camera, recording or RTMP.",
)
ABOUT = QT_TRANSLATE_NOOP(
    "main_menus",
    "Studio {version}\n\nA digital twin of a real, consenting creator that can host a "
    "live stream. Everything runs on this computer; only online voices send text to a "
    "service. Every frame carries a visible AI-generated label and every file an "
    "AI-generated metadata tag.",
)


def about_text() -> str:
    return translated("main_menus", ABOUT).format(version=__version__)


def _action(
    window: QWidget,
    text: str,
    then: Callable[[], object],
    name: str = "",
    shortcut: QKeySequence.StandardKey | None = None,
) -> QAction:
    action = QAction(text, window)
    if name:
        action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(lambda: then())
    return action


def _on_show_page(window: MainWindow, ask: str) -> Callable[[], None]:
    """Opens the Show page, then calls the show editor's method ``ask`` (looked up then)."""

    def go() -> None:
        window.go_to("show")
        getattr(window.show_editor, ask)()

    return go


def message(parent: QWidget, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def add_menus(window: MainWindow) -> None:
    library = window.library_page
    keys = QKeySequence.StandardKey
    file_menu = window.menuBar().addMenu(QCoreApplication.translate("main_menus", "&File"))
    file_menu.addActions(
        [
            _action(
                window,
                QCoreApplication.translate("main_menus", "New avatar from webcam…"),
                lambda: library.start_wizard("webcam"),
            ),
            _action(
                window, QCoreApplication.translate("main_menus", "New avatar from photo…"), library.ask_photo
            ),
            _action(
                window, QCoreApplication.translate("main_menus", "New avatar from video…"), library.ask_video
            ),
            _action(
                window,
                QCoreApplication.translate("main_menus", "New twin from webcam…"),
                lambda: library.start_wizard("twin-webcam"),
                "newTwinWebcamAction",
            ),
            _action(
                window,
                QCoreApplication.translate("main_menus", "New twin from video…"),
                library.ask_twin_video,
                "newTwinVideoAction",
            ),
        ]
    )
    new_show = _on_show_page(window, "ask_new")
    import_show = _on_show_page(window, "ask_import")
    save_as = _on_show_page(window, "ask_save_as")
    file_menu.addSeparator()
    file_menu.addActions(
        [
            _action(
                window,
                QCoreApplication.translate("main_menus", "New show"),
                new_show,
                "newShowAction",
                keys.New,
            ),
            _action(
                window,
                QCoreApplication.translate("main_menus", "Import show…"),
                import_show,
                shortcut=keys.Open,
            ),
            _action(
                window,
                QCoreApplication.translate("main_menus", "Save show as…"),
                save_as,
                "saveShowAsAction",
                keys.SaveAs,
            ),
        ]
    )
    file_menu.addSeparator()
    file_menu.addAction(
        _action(window, QCoreApplication.translate("main_menus", "Quit"), window.close, shortcut=keys.Quit)
    )
    help_menu = window.menuBar().addMenu(QCoreApplication.translate("main_menus", "&Help"))
    help_menu.addActions(
        [
            _action(
                window,
                QCoreApplication.translate("main_menus", "Getting started"),
                lambda: message(
                    window,
                    QCoreApplication.translate("main_menus", "Getting started"),
                    translated("main_menus", GETTING_STARTED),
                ),
            ),
            _action(
                window,
                QCoreApplication.translate("main_menus", "About Studio"),
                lambda: message(
                    window, QCoreApplication.translate("main_menus", "About Studio"), about_text()
                ),
            ),
        ]
    )
