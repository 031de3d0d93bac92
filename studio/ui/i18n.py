"""The app's language: English (the source texts) or Simplified Chinese (``translations/``).

The language is chosen once, before the main window is built: the setting when the user
picked one on the Settings page, else ``STUDIO_LANGUAGE`` (tests and screenshots pin it), else
the system's locale (any Chinese locale gets Simplified Chinese, everything else English).
Changing it applies when Studio starts next: every page reads its texts when it is built.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from studio.settings.app_settings import APP_LANGUAGES

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = APP_LANGUAGES  # the setting's values; "" follows the system
LANGUAGE_ENV = "STUDIO_LANGUAGE"
TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


def language_names() -> tuple[tuple[str, str], ...]:
    """(setting value, what the Settings page shows): each language in its own words, so a
    user who cannot read the current one still finds theirs."""
    return (
        ("", QCoreApplication.translate("i18n", "System language")),
        (ENGLISH, "English"),
        (CHINESE, "简体中文"),
    )


def system_language(locale: QLocale | None = None) -> str:
    locale = locale if locale is not None else QLocale.system()
    return CHINESE if locale.language() == QLocale.Language.Chinese else ENGLISH


def choose_language(setting: str, locale: QLocale | None = None) -> str:
    """The language to show: the user's choice, else the environment's, else the system's."""
    if setting in LANGUAGES and setting:
        return setting
    pinned = os.environ.get(LANGUAGE_ENV, "").strip()
    if pinned in LANGUAGES and pinned:
        return pinned
    return system_language(locale)


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"studio_{language}.qm"


def install_translation(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the app's catalogue and Qt's own (the standard buttons: OK, Cancel, Next) for
    ``language``; English needs none. Returns the translators, which must outlive the app's
    use of them (the caller keeps them). A missing catalogue leaves the app in English
    rather than stopping it: the texts are still all there."""
    if language == ENGLISH:
        return []
    installed: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    catalogues = ((f"qtbase_{language}.qm", qt_dir), (catalogue_path(language).name, str(TRANSLATIONS_DIR)))
    for name, folder in catalogues:
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.append(translator)
    return installed


def translated(context: str, text: str) -> str:
    """A text marked with ``QT_TRANSLATE_NOOP(context, ...)`` where it is defined (a module's
    constant, read before any catalogue is installed), translated where it is shown."""
    return QCoreApplication.translate(context, text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Marks ``text`` for the catalogue without translating it (Qt's own returns ``object`` to
    type checkers); ``translated(context, text)`` translates it where it is shown."""
    return text
