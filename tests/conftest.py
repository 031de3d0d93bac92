"""Shared test policy: a test that leaves a thread running fails (as napari's fixtures do),
and no test reaches the OS keychain.

Workers (the encoder's, later the live engine's) must always be joined, even on errors and
Ctrl-C; a leaked thread would keep a file open or a device busy in the real app.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

# The app's tests run Qt without a display (pytest-qt); screenshots use Xvfb instead.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests read the app's English texts whatever the machine's locale (studio.ui.i18n); the
# translation's own tests install the Chinese catalogue themselves.
os.environ.setdefault("STUDIO_LANGUAGE", "en")


@pytest.fixture(autouse=True)
def core_speaks_english_after() -> Iterator[None]:
    """A test that switched the core's messages to Chinese (studio.translation is per process,
    as the CLI and the app need) leaves English for the next one."""
    yield
    from studio.translation import ENGLISH, use_language  # noqa: PLC0415

    use_language(ENGLISH)


@pytest.fixture(autouse=True)
def no_thread_left_behind() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 2.0
    leaked: list[threading.Thread] = []
    while time.monotonic() < deadline:
        leaked = [
            t for t in threading.enumerate() if t not in before and t.is_alive() and not _is_library_pool(t)
        ]
        if not leaked:
            return
        time.sleep(0.02)
    pytest.fail(f"test left threads running: {[t.name for t in leaked]}")


@pytest.fixture(autouse=True, scope="session")
def session_logs_kept_apart(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Shows started by tests (in this process or a child) log into a temporary folder, never
    into the user's data folder; a test that reads its log sets its own folder."""
    before = os.environ.get("STUDIO_SESSION_LOGS")
    os.environ["STUDIO_SESSION_LOGS"] = str(tmp_path_factory.mktemp("session-logs"))
    yield
    if before is None:
        os.environ.pop("STUDIO_SESSION_LOGS", None)
    else:
        os.environ["STUDIO_SESSION_LOGS"] = before


@pytest.fixture(autouse=True)
def no_real_keychain() -> Iterator[None]:
    """Settings saved by any test keep their stream key in memory, never in the developer's
    keychain (a test of the keychain itself installs its own backend over this one)."""
    import keyring

    from tests.keychain_fake import MemoryKeychain

    before = keyring.get_keyring()
    keyring.set_keyring(MemoryKeychain())
    yield
    keyring.set_keyring(before)


def _is_library_pool(thread: threading.Thread) -> bool:
    # asyncio's default executor and similar pools are owned by the library, not by Studio.
    return thread.name.startswith(("asyncio_", "ThreadPoolExecutor"))
