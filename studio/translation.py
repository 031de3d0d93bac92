"""The core's messages in the user's language: gettext over ``studio/locale/``.

Every sentence the CLI and the core say to a person (errors and their advice, warnings,
progress, ``--help``) is written in English inside ``tr("...")`` and looked up in the
catalogue of the chosen language. A sentence with values in it names them as ``str.format``
fields, so a translation can put them where its grammar wants them::

    raise InputError(tr("{path} is not a video file.").format(path=path), tr("Use an .mp4 file."))

A module constant read before the language is chosen is marked with ``mark("...")`` and
translated where it is shown, with ``tr(constant)``.

The app (``studio.ui``) has its own Qt catalogue; it calls ``use_language`` with its own choice
so that the core's errors in its dialogs speak the same language.

``tools/i18n_catalogue.py`` extracts the sentences and compiles the catalogue;
``tests/test_core_translation.py`` fails on a sentence that has no translation.
"""

from __future__ import annotations

import argparse
import gettext
import json
import os
from pathlib import Path

ENGLISH = "en"
CHINESE = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE)
LANGUAGE_ENV = "STUDIO_LANGUAGE"  # tests and screenshots pin the language with it
DOMAIN = "studio"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_SETTINGS_PEEK_LIMIT = 256 * 1024  # settings.json is a few KB; a bigger one is not read here


class _Current:
    """The process's catalogue. It is one per process on purpose, like the translators Qt
    installs on its application: a message deep in the core has no settings at hand."""

    catalogue: gettext.NullTranslations = gettext.NullTranslations()
    language: str = ENGLISH


def tr(message: str) -> str:
    """``message`` in the chosen language (English when it has no translation)."""
    return _Current.catalogue.gettext(message)


def tr_n(singular: str, plural: str, count: int) -> str:
    """The singular or plural sentence for ``count``, in the chosen language."""
    return _Current.catalogue.ngettext(singular, plural, count)


def mark(message: str) -> str:
    """Marks ``message`` for the catalogue without translating it yet (``tr`` it when shown)."""
    return message


def current_language() -> str:
    return _Current.language


def use_language(language: str) -> str:
    """Speak ``language`` from now on; a language with no catalogue (or a missing catalogue)
    leaves English, which is always complete. Returns the language now in use."""
    if language == ENGLISH or language not in LANGUAGES:
        _Current.catalogue, _Current.language = gettext.NullTranslations(), ENGLISH
        return ENGLISH
    try:
        _Current.catalogue = gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[language])
    except OSError:  # a damaged install: English rather than no Studio
        _Current.catalogue, _Current.language = gettext.NullTranslations(), ENGLISH
        return ENGLISH
    _Current.language = language
    return language


def choose_language(setting: str = "", environ: dict[str, str] | None = None) -> str:
    """The language to speak: the user's choice in Settings, else ``STUDIO_LANGUAGE``, else the
    system's locale as gettext reads it (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``):
    any Chinese locale gets Simplified Chinese, everything else English. The app decides the
    same way (``studio.ui.i18n.choose_language``)."""
    env = os.environ if environ is None else environ
    if setting in LANGUAGES:
        return setting
    pinned = env.get(LANGUAGE_ENV, "").strip()
    if pinned in LANGUAGES:
        return pinned
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:  # the first one set decides, as in gettext; LANGUAGE may list several
            first = value.split(":")[0]
            return CHINESE if first.lower().startswith("zh") else ENGLISH
    return ENGLISH


def translate_argparse() -> None:
    """Route argparse's own sentences ("usage:", "the following arguments are required") through
    this catalogue: argparse asks the process-wide gettext, which knows nothing of Studio's
    language, through its module's ``_`` and ``ngettext``."""
    argparse._ = tr  # type: ignore[attr-defined]
    argparse.ngettext = tr_n  # type: ignore[attr-defined]


def settings_language(path: Path) -> str:
    """The language picked on the app's Settings page, read without side effects (no keychain,
    no setting a damaged file aside): "" when there is none or the file cannot be read."""
    try:
        if path.stat().st_size > _SETTINGS_PEEK_LIMIT:
            return ""
        value = json.loads(path.read_bytes()).get("language", "")
    except (OSError, ValueError, AttributeError):
        return ""
    return value if isinstance(value, str) and value in LANGUAGES else ""
