"""Where ``studio live --rtmp`` finds the stream address, so its key need not be typed.

An address given on the command line is visible to every user of the computer (``ps``) and lands
in the shell's history. Two other ways keep the key out of both:

- ``--rtmp saved``: the address saved on the app's Live page (its key is in the OS keychain);
- ``--rtmp env:NAME``: the address from the environment variable ``NAME``.

A literal address still works, with a one-line note when it carries a key.
"""

from __future__ import annotations

import os
import re

from studio.errors import InputError
from studio.settings.secrets import has_secret, public_address
from studio.translation import tr

SAVED = "saved"
ENV_PREFIX = "env:"
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def key_shown_note() -> str:
    """The note for an address typed with its key, in the language chosen (translated when
    shown, not at import, which comes before the language is chosen)."""
    return tr(
        "note: the stream key in --rtmp is visible to other users of this computer (ps) and in your "
        "shell history; use --rtmp saved (the app's saved address) or --rtmp env:STUDIO_RTMP_URL."
    )


KEY_SHOWN_NOTE = key_shown_note()  # in the language of the import (English in tests); shown: key_shown_note()


def rtmp_address(given: str, settings_path: object = None) -> tuple[str, str | None]:
    """The address to push to for ``--rtmp given``, and a note for the user (or None).

    ``settings_path`` is the settings file for ``saved`` (None: the app's default)."""
    given = given.strip()
    if given == SAVED:
        return _saved_address(settings_path), None
    if given.startswith(ENV_PREFIX):
        name = given[len(ENV_PREFIX) :]
        if not _ENV_NAME.fullmatch(name):
            raise InputError(
                tr("--rtmp {given} does not name an environment variable.").format(given=given),
                tr("Give --rtmp env:NAME, e.g. --rtmp env:STUDIO_RTMP_URL."),
            )
        value = os.environ.get(name, "").strip()
        if not value:
            raise InputError(
                tr("the environment variable {name} named by --rtmp is not set.").format(name=name),
                tr("Set it to the stream address first, e.g. export {name}=rtmp://host/app/KEY.").format(
                    name=name
                ),
            )
        return value, None
    # Only a usable stream address gets the note: one that is refused next needs no advice on its key.
    usable = given.lower().startswith(("rtmp://", "rtmps://"))
    return given, (key_shown_note() if usable and has_secret(given) else None)


def _saved_address(settings_path: object) -> str:
    from pathlib import Path

    from studio.settings.app_settings import default_settings_path, load_settings

    path = Path(str(settings_path)) if settings_path is not None else default_settings_path()
    settings, warnings = load_settings(path)
    url = settings.outputs.rtmp_url.strip()
    if not url:
        raise InputError(
            tr("--rtmp saved: no stream address is saved in {path}.").format(path=path),
            tr("Enter it on the app's Live page (Stream), or give --rtmp rtmp://host/app/KEY."),
        )
    if not has_secret(url) and public_address(url):
        if warnings:
            problem = tr(
                "--rtmp saved: the saved stream address {url} has no stream key ({warning})."
            ).format(url=url, warning=warnings[0])
        else:
            problem = tr("--rtmp saved: the saved stream address {url} has no stream key.").format(url=url)
        raise InputError(problem, tr("Enter the whole address with its key on the app's Live page."))
    return url
