"""Start the desktop app: settings, style, the main window with the demo avatar ready."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from studio.settings.app_settings import default_settings_path, load_settings
from studio.translation import use_language
from studio.ui.dialogs import show_error
from studio.ui.i18n import choose_language, install_translation
from studio.ui.style import apply_style

_STARTED = time.perf_counter()  # as early as the app's own code runs


def make_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName(QCoreApplication.translate("app", "Studio"))
    app.setApplicationDisplayName(QCoreApplication.translate("app", "Studio"))
    app.setOrganizationName(QCoreApplication.translate("app", "Studio"))
    apply_style(app)
    return app


def install_error_dialogs(window: QWidget) -> Callable[[], None]:
    """A bug in a slot must not go unseen (Qt only prints it): show it as a dialog with the
    details to copy into a report, and keep the app running. Returns the undo."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        previous(kind, exc, tb)
        if isinstance(exc, Exception):
            show_error(window, exc)

    sys.excepthook = hook

    def restore() -> None:
        sys.excepthook = previous

    return restore


def run_app(
    library_dir: Path | None = None,
    settings_path: Path | None = None,
    avatar: str | None = None,
    exit_when_ready: bool = False,
    screenshot: Path | None = None,
) -> int:
    app = make_application()
    path = settings_path or default_settings_path()
    settings, warnings = load_settings(path)
    # Before any window exists: every page reads its texts once, when it is built.
    language = choose_language(settings.language)
    translators = install_translation(app, language)
    use_language(language)  # the core's messages in the app's dialogs speak the same language
    if avatar:
        from dataclasses import replace  # noqa: PLC0415

        settings = replace(settings, avatar=avatar)
    from studio.ui.main_window import MainWindow  # noqa: PLC0415 - after the QApplication exists

    window = MainWindow(settings, path, library_dir=library_dir)
    window.show()
    restore_hook = install_error_dialogs(window)
    if warnings:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            QCoreApplication.translate("app", "Settings"),
            # Each line says what happened (a value reset, the stream key kept in a file
            # because there is no keychain): the heading must not claim a reset for all.
            QCoreApplication.translate("app", "About your settings:"),
            QMessageBox.StandardButton.Ok,
            window,
        )
        box.setInformativeText("\n".join(warnings))
        box.open()
    if exit_when_ready:
        # The first turn of the event loop after show(): the window has been laid out, painted
        # and accepts input.
        def ready() -> None:
            print(f"ready in {time.perf_counter() - _STARTED:.3f} s (since studio.ui.app was imported)")
            if screenshot is not None and not window.grab().save(str(screenshot), "PNG"):
                print(f"could not save the screenshot to {screenshot}", file=sys.stderr)
            window.close()
            app.quit()

        QTimer.singleShot(0, ready)
    try:
        code = app.exec()
    finally:
        restore_hook()
    # Destroy the window and its pages now, while Python is whole: left to interpreter exit,
    # Qt objects can be torn down in an order that crashes in the bindings.
    shiboken6.delete(window)
    for translator in translators:
        app.removeTranslator(translator)
    return int(code)
