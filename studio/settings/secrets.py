"""Secrets the settings refer to but never hold: the RTMP stream key lives in the OS keychain.

``settings.json`` keeps the stream address without its key (``rtmp://host/app``) and says where
the whole address went (``"rtmp_key": "keychain"``). The address with its key is kept by the
``keyring`` library (macOS Keychain, Windows Credential Manager, the Secret Service on Linux)
under the settings file's own name, so two settings files never share a key. Where there is no
keychain (a server, a minimal Linux without a Secret Service) it goes into a private file beside
the settings (``settings.secrets.json``, mode 0600), and the user is told so in one line.

Nothing here ever puts the key into a message: problems name the address without it.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from studio.errors import InputError, one_line
from studio.storage.atomic import atomic_file
from studio.storage.input_file import MAX_TEXT_BYTES, read_input_bytes
from studio.translation import tr

SERVICE = "Studio"  # the keychain entry's service name, as the user's keychain app lists it
RTMP_URL = "outputs.rtmp_url"  # the secret's name: the setting it completes
KEY_FIELD = "rtmp_key"  # in settings.json's outputs: where the key is kept
KEYCHAIN, FILE = "keychain", "file"
_FILE_VERSION = 1


def public_address(url: str) -> str:
    """The part of a stream address that is no secret: ``scheme://host[:port]/app``.

    The key, a ``?query`` (tokens), and a ``user:password@`` are left out. Without an app there
    is no telling the host from a key (``rtmp://KEY``), so nothing of it is public."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:  # an unclosed "[" or a port that is not a number: nothing of it is shown
        return ""
    app = parts.path.lstrip("/").partition("/")[0]
    if not parts.scheme or not host or not app:
        return ""
    netloc = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{netloc}{f':{port}' if port else ''}/{app}"


def has_secret(url: str) -> bool:
    """True when ``url`` holds more than its public address (a key, a token, a password)."""
    return bool(url.strip()) and url.strip() != public_address(url)


def shown_address(url: str) -> str:
    """How a message names a stream address: its public part, the rest as "…"."""
    public = public_address(url)
    if not has_secret(url):
        return public or tr("(none)")
    return f"{public}/…" if public else tr("an address whose key is hidden")


class SecretStore:
    """The secrets that belong to the settings file ``settings_path``: in the OS keychain when
    there is one, else in ``fallback_path`` (private, 0600). Problems are ``InputError``s that
    never repeat a secret."""

    def __init__(self, settings_path: Path) -> None:
        import keyring  # noqa: PLC0415 - only the app's settings need it, not every CLI command

        self.settings_path = Path(settings_path)
        self.fallback_path = self.settings_path.with_name(self.settings_path.stem + ".secrets.json")
        self._keyring = keyring.get_keyring()
        # The fail backend (priority 0) is what keyring picks where no keychain exists; the null
        # and an empty chainer (below 0) store nothing either.
        self.where = KEYCHAIN if self._keyring.priority > 0 else FILE
        self._account = f"{self.settings_path.absolute()}#"

    @property
    def fallback_notice(self) -> str:
        return tr(
            "No OS keychain was found, so the stream key is kept in {path} "
            "(readable only by you). Install a keychain (e.g. gnome-keyring) to keep it there instead."
        ).format(path=self.fallback_path)

    # -- the three operations -------------------------------------------------------------
    def get(self, name: str) -> str | None:
        if self.where == KEYCHAIN:
            value = self._keychain("read", lambda: self._keyring.get_password(SERVICE, self._account + name))
            return value if isinstance(value, str) else None
        value = self._read_file().get(name)
        return value if isinstance(value, str) else None

    def put(self, name: str, value: str) -> None:
        if self.get(name) == value:
            return  # unchanged: no keychain write (and no prompt) on every settings save
        if self.where == KEYCHAIN:
            self._keychain(
                "keep", lambda: self._keyring.set_password(SERVICE, self._account + name, value), value
            )
        else:
            self._write_file({**self._read_file(), name: value}, told=False)

    def delete(self, name: str) -> None:
        if self.where == KEYCHAIN:
            if self.get(name) is not None:
                self._keychain("remove", lambda: self._keyring.delete_password(SERVICE, self._account + name))
            return
        self.drop_from_file(name)

    def move_from_file(self, name: str) -> str | None:
        """A secret kept in the fallback file before this system had a keychain: moved into the
        keychain, then out of the file (killed in between, both hold it and the next start
        finishes). None when the file does not hold it."""
        value = self._read_file().get(name) if self.fallback_path.exists() else None
        if self.where == KEYCHAIN and value is not None:
            self.put(name, value)
            self.drop_from_file(name)
        return value

    def drop_from_file(self, name: str) -> None:
        held = self._read_file()
        if name in held:
            del held[name]
            if held:
                self._write_file(held)
            else:
                with contextlib.suppress(FileNotFoundError):
                    self.fallback_path.unlink()

    # -- the keychain -----------------------------------------------------------------------
    def _keychain(self, verb: str, call: Callable[[], Any], secret: str = "") -> Any:
        try:
            return call()
        except Exception as exc:  # noqa: BLE001 - locked, refused, or the OS service went away
            # keyring's messages name the service and account, not the password; masked anyway.
            why = one_line(exc).replace(secret, "****") if secret else one_line(exc)
            problem = {
                "read": tr("could not read the stream key in the OS keychain ({error}: {why})."),
                "keep": tr("could not keep the stream key in the OS keychain ({error}: {why})."),
                "remove": tr("could not remove the stream key in the OS keychain ({error}: {why})."),
            }[verb]
            raise InputError(
                problem.format(error=type(exc).__name__, why=why),
                tr("Unlock the keychain (or allow Studio to use it) and try again."),
            ) from None

    # -- the fallback file ------------------------------------------------------------------
    def _read_whole(self) -> dict[str, Any]:
        path = self.fallback_path
        if not path.exists():
            return {}
        with contextlib.suppress(OSError):  # a copy made readable by others is made private again
            if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
                os.chmod(path, 0o600)
        try:
            raw = read_input_bytes(path, tr("secrets file"), tr("a secrets file"), MAX_TEXT_BYTES)
            data = json.loads(raw.decode("utf-8"))
        except (InputError, ValueError) as exc:
            why = exc.problem if isinstance(exc, InputError) else tr("it is not a secrets file")
            raise InputError(
                tr("could not read the stream key from {path} ({reason}).").format(
                    path=path, reason=why.rstrip(".")
                ),
                tr("Move {name} away and type the stream address again on the Live page.").format(
                    name=path.name
                ),
            ) from None
        return data if isinstance(data, dict) else {}

    def _read_file(self) -> dict[str, str]:
        held = self._read_whole().get("secrets")
        return {k: v for k, v in held.items() if isinstance(v, str)} if isinstance(held, dict) else {}

    def take_notice(self) -> str | None:
        """The fallback file's warning, once after each new secret was put in it; None otherwise."""
        if self.where != FILE:
            return None
        data = self._read_whole()
        if data.get("told", True) is not False:
            return None
        self._write_file(self._read_file(), told=True)
        return self.fallback_notice

    def _write_file(self, held: Mapping[str, str], told: bool = True) -> None:
        data = {"version": _FILE_VERSION, "secrets": dict(held), "told": told}
        try:
            with atomic_file(self.fallback_path, mode=0o600) as tmp:  # private from its first byte
                tmp.write_bytes((json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        except OSError as exc:
            raise InputError(
                tr("could not save the stream key to {path} ({reason}).").format(
                    path=self.fallback_path, reason=exc.strerror or exc
                ),
                tr("Check that the folder is writable and the disk is not full, then try again."),
            ) from None


# -- the settings file's side -----------------------------------------------------------------


def settle_rtmp_url(
    path: Path, data: dict[str, Any], url: str, check: Callable[[str], str]
) -> tuple[str, list[str]]:
    """The stream address to use, given ``url`` as read from the settings file ``path`` (whose
    parsed content is ``data``), and what the user should be told.

    A file written before the keychain still holds the key: it is moved into the store, and only
    then is the file rewritten without it (killed in between, both hold it and the next start
    does it again; nothing is lost). Otherwise the address is completed from the store its
    ``rtmp_key`` names. ``check`` vets what the store gives back (raising ``ValueError``)."""
    if has_secret(url):
        return url, _move_key_out(path, data, url)
    outputs = data.get("outputs")
    where = outputs.get(KEY_FIELD) if isinstance(outputs, dict) else None
    if where not in (KEYCHAIN, FILE):
        return url, []
    if where == KEYCHAIN:
        lost = tr(
            "The stream key for {address} was not found in the keychain it was kept in; "
            "type the stream address again on the Live page."
        )
    else:
        lost = tr(
            "The stream key for {address} was not found in the file it was kept in; "
            "type the stream address again on the Live page."
        )
    lost = lost.format(address=shown_address(url))
    try:
        store = SecretStore(path)
        store.move_from_file(RTMP_URL)  # kept in the file before this system had a keychain
        full = store.get(RTMP_URL)
        notice = store.take_notice()
    except InputError as exc:
        return url, [f"{_sentence(exc.problem)} {exc.hint}"]
    if full is None or public_address(full) != url:
        return url, [lost]
    try:
        full = check(full)
    except ValueError:
        return url, [lost]
    return full, [notice] if notice else []


def stash_rtmp_url(path: Path, outputs: dict[str, Any]) -> Callable[[], None]:
    """Before ``outputs`` (a settings file's outputs, about to be written to ``path``) is written:
    a key in its ``rtmp_url`` goes into the store and the address is cut to its public part.

    Returns what to do once the file is written: forget a key the user has removed (only then,
    so a crash before the write leaves the old file's key where it points)."""
    url = str(outputs.get("rtmp_url", ""))
    outputs.pop(KEY_FIELD, None)
    if has_secret(url):
        store = SecretStore(path)
        store.put(RTMP_URL, url)
        outputs["rtmp_url"], outputs[KEY_FIELD] = public_address(url), store.where
        return lambda: None
    if not _kept_apart(path):  # no keychain call on every save of someone who never streams
        return lambda: None

    def forget() -> None:
        with contextlib.suppress(InputError):  # the key is out of the settings either way
            SecretStore(path).delete(RTMP_URL)

    return forget


def _move_key_out(path: Path, data: dict[str, Any], url: str) -> list[str]:
    try:
        store = SecretStore(path)
        store.put(RTMP_URL, url)
        notice = store.take_notice()
    except InputError as exc:
        return [
            tr("The stream key is still in {path}: {problem} {hint}").format(
                path=path, problem=exc.problem, hint=exc.hint
            )
        ]
    outputs = {**data["outputs"], "rtmp_url": public_address(url), KEY_FIELD: store.where}
    try:
        with atomic_file(path, mode=0o600) as tmp:
            text = json.dumps({**data, "outputs": outputs}, indent=2, ensure_ascii=False) + "\n"
            tmp.write_bytes(text.encode("utf-8"))
    except OSError as exc:
        if store.where == KEYCHAIN:
            copied = tr(
                "The stream key was copied to the keychain but is still in {path} too "
                "({reason}); Studio moves it out next time."
            )
        else:
            copied = tr(
                "The stream key was copied to the file but is still in {path} too "
                "({reason}); Studio moves it out next time."
            )
        return [copied.format(path=path, reason=exc.strerror or exc)]
    return [notice] if notice else []


def _kept_apart(path: Path) -> bool:
    """Whether the settings file at ``path`` says its stream key is kept in a store."""
    try:
        data = json.loads(read_input_bytes(path, tr("settings file"), tr("a settings file"), MAX_TEXT_BYTES))
    except (InputError, ValueError, RecursionError):
        return False
    outputs = data.get("outputs") if isinstance(data, dict) else None
    return isinstance(outputs, dict) and outputs.get(KEY_FIELD) in (KEYCHAIN, FILE)


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:]
