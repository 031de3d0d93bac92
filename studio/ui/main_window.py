"""The main window: 1 Avatars → 2 Show → 3 Live, plus Settings.

It wires pages together and persists what the user chose; the pages hold the widgets and
the core packages do the work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.avatar.library import DEMO_NAME, AvatarLibrary
from studio.errors import StudioError
from studio.live.rundown import Rundown, format_rundown, load_rundown, save_rundown
from studio.outputs.playback import check_output_device, play_clip
from studio.render.framing import propose_output_size
from studio.resources import asset_path
from studio.settings.app_settings import AppSettings, save_settings
from studio.ui.catalog_page import CatalogPage
from studio.ui.dialogs import confirm, show_error
from studio.ui.file_dialogs import FolderMemory
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.library_page import LibraryPage
from studio.ui.live_panel import LivePanel
from studio.ui.live_words import ON_AIR_OUTPUTS
from studio.ui.main_menus import add_menus
from studio.ui.settings_page import SettingsPage
from studio.ui.show_editor import ShowEditor

PAGES = ("avatars", "show", "live", "settings")
ALL_PAGES = (*PAGES, "catalogue")  # the Catalogue page comes after Settings in the list
_NAV = (
    QT_TRANSLATE_NOOP("main_window", "1   Avatars"),
    QT_TRANSLATE_NOOP("main_window", "2   Show"),
    QT_TRANSLATE_NOOP("main_window", "3   Live"),
    QT_TRANSLATE_NOOP("main_window", "Settings"),
)
_NAV_TIPS = (
    QT_TRANSLATE_NOOP("main_window", "Create your twin from a webcam, a photo or a video"),
    QT_TRANSLATE_NOOP("main_window", "Write what the avatar says: product scripts, voices, repeats"),
    QT_TRANSLATE_NOOP(
        "main_window", "Preview the avatar talking and go live to a virtual camera, a recording or RTMP"
    ),
    QT_TRANSLATE_NOOP("main_window", "Devices, video size, the AI label"),
)
DEMO_RUNDOWN = ("demo", "demo.rundown.toml")
AUTOSAVE_MS = 800
_EMPTY_SHOW_MAX_BYTES = 256  # an empty show's file is a few lines of header


def empty_show(path: Path) -> Rundown | None:
    """The empty show the autosave holds after New show (a rundown with no segments, which the
    rundown loader refuses, since a show file with nothing to say is a mistake), else None."""
    try:
        if path.stat().st_size > _EMPTY_SHOW_MAX_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    for loop in (True, False):
        if data == format_rundown(Rundown((), loop)).encode("utf-8"):
            return Rundown((), loop)
    return None


def titled(title: str, subtitle: str, body: QWidget) -> QWidget:
    """A page with the same heading and margins as the others, around a widget that has none."""
    page = QWidget()
    heading = QLabel(title)
    heading.setProperty("role", "title")
    note = QLabel(subtitle)
    note.setProperty("role", "subtitle")
    note.setWordWrap(True)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(24, 20, 24, 20)
    layout.addWidget(heading)
    layout.addWidget(note)
    layout.addWidget(body, 1)
    return page


class MainWindow(QMainWindow):
    def __init__(
        self,
        settings: AppSettings,
        settings_path: Path,
        *,
        library_dir: Path | None = None,
        open_wizard: Callable[[str, Path | None], Any] | None = None,
        live_panel_options: dict[str, Any] | None = None,
        show_editor_options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Studio"))
        self.setObjectName("mainWindow")
        self.resize(1240, 800)
        self.settings = settings
        self.settings_path = settings_path
        self.rundown_autosave = settings_path.parent / "show.rundown.toml"
        self._library_override = library_dir
        self.library = AvatarLibrary(self._library_root(settings))
        self._open_wizard_factory = open_wizard
        self._save_failed = False
        self._quit_confirmed = False
        self.folder_memory = FolderMemory()

        self.library_page = LibraryPage(
            self.library, self._open_wizard, open_twin_wizard=self._open_twin_wizard
        )
        # The voice preview plays where the show's voice goes (read when pressed, so a change
        # on the Live page applies at once).
        editor_options: dict[str, Any] = {
            "play": lambda samples, rate: play_clip(samples, rate, self.settings.outputs.audio_device),
            "check_output": lambda: check_output_device(self.settings.outputs.audio_device),
        }
        self.show_editor = ShowEditor(**{**editor_options, **(show_editor_options or {})})
        self.live_panel = LivePanel(**(live_panel_options or {}))
        self.settings_page = SettingsPage(settings, settings_path, library_override=library_dir)
        self.live_panel.set_settings(settings)
        self.live_panel.set_rundown_source(self.show_editor.rundown)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(190)
        self.nav.setIconSize(QSize(18, 18))
        self.pages = QStackedWidget()
        show_page = titled(
            self.tr("Show"),
            self.tr(
                "What the avatar says: segments of product script, each with a voice, repeated and looped."
            ),
            self.show_editor,
        )
        for text, tip, page in zip(
            _NAV,
            _NAV_TIPS,
            (self.library_page, show_page, self.live_panel, self.settings_page),
            strict=True,
        ):
            item = QListWidgetItem(translated("main_window", text))
            item.setToolTip(translated("main_window", tip))
            self.nav.addItem(item)
            self.pages.addWidget(page)
        # The products and what the host may say of them (ALL_PAGES: "catalogue").
        self.catalog_page = CatalogPage()
        catalog_item = QListWidgetItem(self.tr("Catalogue"))
        catalog_item.setToolTip(self.tr("Products, prices, facts and FAQ: all the host may say about them"))
        self.nav.addItem(catalog_item)
        self.pages.addWidget(
            titled(
                self.tr("Catalogue"),
                self.tr("The products, and everything the host may say about them; every fact is checked."),
                self.catalog_page,
            )
        )
        self.catalog_page.show_written.connect(self._show_from_catalog)
        self.catalog_page.catalog_saved.connect(self.live_panel.catalog_box.offer_catalog)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.avatar_label = QLabel()
        self.avatar_label.setObjectName("currentAvatar")
        self.statusBar().addPermanentWidget(self.avatar_label)
        add_menus(self)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_rundown_now)
        self.library_page.avatar_selected.connect(self.use_avatar)
        self.library_page.avatar_created.connect(self._fit_frame_to_new_avatar)
        self.library_page.avatar_deleting.connect(self.live_panel.withdraw_avatar)
        self.settings_page.settings_changed.connect(self.apply_settings)
        self.live_panel.settings_changed.connect(self.apply_settings)
        self._load_rundown()
        # Connected after loading: only the user's edits are autosaved, so a show file that
        # could not be read is never overwritten by the fallback.
        self.show_editor.changed.connect(self._autosave.start)
        self.show_editor.path_changed.connect(self._rundown_path_changed)
        self.use_avatar(settings.avatar or DEMO_NAME, quiet=True)
        if not settings_path.exists():  # first launch: the defaults become the user's file
            self.apply_settings(self.settings)
        self.nav.setCurrentRow(0)

    # -- navigation ----------------------------------------------------------------------
    def go_to(self, page: str) -> None:
        self.nav.setCurrentRow(ALL_PAGES.index(page))

    def current_page(self) -> str:
        return ALL_PAGES[self.nav.currentRow()]

    # -- avatars -------------------------------------------------------------------------
    def _library_root(self, settings: AppSettings) -> Path | None:
        if self._library_override is not None:
            return self._library_override
        return Path(settings.library_dir).expanduser() if settings.library_dir else None

    def _open_wizard(self, mode: str, source: Path | None) -> Any:
        if self._open_wizard_factory is not None:
            return self._open_wizard_factory(mode, source)
        from studio.ui.capture_wizard import CaptureWizard  # noqa: PLC0415 - loads the face tracker

        return CaptureWizard(
            self.library,
            mode,
            self,
            source=source,
            camera_device=self.settings.camera,
            microphone_device=self.settings.microphone,
        )

    def _open_twin_wizard(self, mode: str, source: Path | None) -> Any:
        from studio.ui.twin_wizard import open_twin  # noqa: PLC0415 - PyAV, the face model

        return open_twin(
            self,
            self.library,
            mode,
            source,
            camera_device=self.settings.camera,
            microphone_device=self.settings.microphone,
        )

    def use_avatar(self, ref: str, quiet: bool = False) -> None:
        """Make ``ref`` the avatar of the live panel; an avatar that is gone falls back to the demo."""
        try:
            avatar = self.library.load(ref)
        except StudioError as exc:
            if ref != DEMO_NAME:
                if not quiet:
                    show_error(self, exc, self.tr("Could not open the avatar"))
                self.statusBar().showMessage(
                    self.tr("Avatar '{ref}' could not be opened; using the demo.").format(ref=ref), 8000
                )
                self.use_avatar(DEMO_NAME, quiet=True)
                return
            raise
        self.live_panel.set_avatar(avatar)
        self.library_page.set_in_use(ref)
        self.library_page.select(ref)
        self.avatar_label.setText(self.tr("Avatar: {ref}").format(ref=ref))
        if self.settings.avatar != ref:
            self.apply_settings(replace(self.settings, avatar=ref))

    def _fit_frame_to_new_avatar(self, name: str) -> None:
        """A new avatar from a portrait photo gets a portrait frame (9:16, what phone platforms
        show full screen), said in the status bar; the Settings page shows it, to change back.
        Only when it is made: a size the user picks afterwards is theirs, and a portrait frame
        chosen before is kept."""
        avatar = self.live_panel.avatar
        if avatar is None or avatar.name.casefold() != name.casefold():
            return  # it could not be opened: the demo stands in, and says so
        photo_height, photo_width = avatar.image.shape[:2]
        width, height = propose_output_size(photo_width, photo_height)
        if width >= height or self.settings.height > self.settings.width:
            return
        self.apply_settings(replace(self.settings, width=width, height=height))
        self.statusBar().showMessage(
            self.tr("Portrait photo: video set to {width}×{height} (9:16). Change it in Settings.").format(
                width=width, height=height
            ),
            20000,
        )

    # -- settings ------------------------------------------------------------------------
    def apply_settings(self, settings: AppSettings) -> None:
        library_moved = self._library_root(settings) != self._library_root(self.settings)
        self.settings = settings
        if self.settings_page.settings != settings:
            self.settings_page.apply_settings(settings)
        self.live_panel.set_settings(settings)
        if library_moved:
            self.library = AvatarLibrary(self._library_root(settings))
            self.library_page.library = self.library
            self.library_page.refresh()
        try:
            save_settings(settings, self.settings_path)
            self._save_failed = False
        except StudioError as exc:
            if not self._save_failed:  # say it once, not on every keystroke
                show_error(self, exc, self.tr("Settings not saved"))
            self._save_failed = True

    # -- the show's rundown --------------------------------------------------------------
    def _load_rundown(self) -> None:
        """The show as the user left it (autosaved), else the last file, else the demo show."""
        candidates = [self.rundown_autosave]
        if self.settings.rundown_path:
            candidates.append(Path(self.settings.rundown_path))
        candidates.append(asset_path(*DEMO_RUNDOWN))
        for path in candidates:
            if not path.is_file():
                continue
            empty = empty_show(path) if path == self.rundown_autosave else None
            if empty is not None:  # the user's New show (or all its text deleted), kept empty
                self.show_editor.set_rundown(empty)
                return
            try:
                # The user's own draft opens even with a flagged line, so it can be fixed;
                # the show checks every line again before it goes on air.
                self.show_editor.set_rundown(load_rundown(path, check_claims=False))
                return
            except StudioError as exc:
                note = self.tr("Could not read {name}: {exc}").format(name=path.name, exc=exc)
                if path == self.rundown_autosave:  # keep it for the user, out of the autosave's way
                    kept = path.with_name(path.name + ".damaged")
                    path.replace(kept)
                    note += self.tr(" It was kept as {name}.").format(name=kept.name)
                self.statusBar().showMessage(note, 15000)

    def save_rundown_now(self) -> None:
        """Keep the show on the Show page for the next launch. An empty show (New show, or all
        its text deleted) is kept as a rundown with no segments, so the next launch opens it
        empty rather than the last file or the demo show."""
        rundown: Rundown = self.show_editor.rundown()
        try:
            save_rundown(rundown, self.rundown_autosave)
        except OSError as exc:
            self.statusBar().showMessage(self.tr("Could not autosave the show: {exc}").format(exc=exc), 10000)
            return
        self.show_editor.note_saved(self.rundown_autosave)

    def _show_from_catalog(self, rundown: Rundown) -> None:
        """The Catalogue page wrote a show: it replaces the Show page's (autosaved as any edit),
        once the user agrees when that page holds a show of its own."""

        def replace_show() -> None:
            self.show_editor.set_rundown(rundown)
            self.go_to("show")

        self.catalog_page.confirm_replace(bool(self.show_editor.rundown().segments), replace_show)

    def open_rundown(self, path: Path) -> None:
        if self.show_editor.import_file(path):
            self.go_to("show")

    def _rundown_path_changed(self, path: str) -> None:
        """The editor imported or exported a file: remember it as the show's file."""
        self.apply_settings(replace(self.settings, rundown_path=path))

    # -- closing -------------------------------------------------------------------------
    def _quit_question(self) -> str:
        targets = self.live_panel.current_show.targets() if self.live_panel.current_show else {}
        if any(name in targets for name in ON_AIR_OUTPUTS):
            return self.tr(
                "You are live. Quitting stops the show for everyone watching.\n\nStop the show and quit?"
            )
        if "record" in targets:
            return self.tr(
                "The show is being recorded. Quitting stops it and finishes the recording.\n\nStop and quit?"
            )
        return self.tr("The preview is running. Quitting stops it.\n\nStop the preview and quit?")

    def _quit_anyway(self) -> None:
        self._quit_confirmed = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        if self.live_panel.state in ("starting", "live") and not self._quit_confirmed:
            # Closing ends the stream for every viewer: ask, without blocking the show.
            event.ignore()
            self.go_to("live")
            self.quit_box = confirm(
                self,
                self.tr("Quit Studio"),
                self._quit_question(),
                self.tr("Stop and quit"),
                self._quit_anyway,
            )
            return
        if self.catalog_page.dirty and not self._quit_confirmed:  # the catalogue has no autosave
            event.ignore()
            self.go_to("catalogue")
            self.quit_box = confirm(
                self,
                self.tr("Quit Studio"),
                self.tr("The catalogue has changes that are not saved.\n\nQuit without saving them?"),
                self.tr("Quit without saving"),
                self._quit_anyway,
            )
            return
        if self._autosave.isActive():  # edits not yet saved
            self._autosave.stop()
            self.save_rundown_now()
        self.live_panel.shutdown()
        self.show_editor.shutdown()
        self.library_page.shutdown()
        self.settings_page.shutdown()
        wizard = self.library_page.wizard
        if wizard is not None:
            wizard.close()
        super().closeEvent(event)
