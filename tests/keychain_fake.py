"""An OS keychain for tests (``pytest_plugins = ["keychain_fake"]``), installed through keyring's
own hook (``keyring.set_keyring``): the settings' real keyring adapter runs against it, and no test
touches the developer's keychain."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError


class MemoryKeychain(KeyringBackend):
    """A keychain held in a dict; ``locked`` makes every call fail as a locked keychain does."""

    priority = 1  # type: ignore[assignment]  # a real keychain: above keyring's fail backend (0)

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.locked = False
        self.writes = 0

    def _check(self) -> None:
        if self.locked:
            raise KeyringLocked("the collection is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._check()
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._check()
        self.writes += 1
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._check()
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


@pytest.fixture
def keychain() -> Iterator[MemoryKeychain]:
    """A fresh memory keychain as keyring's backend for one test, the previous one put back after."""
    before = keyring.get_keyring()
    fake = MemoryKeychain()
    keyring.set_keyring(fake)
    try:
        yield fake
    finally:
        keyring.set_keyring(before)


@pytest.fixture
def no_keychain() -> Iterator[None]:
    """keyring's own "no keychain here" backend, as on a server without a Secret Service."""
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(before)
