"""The two states of the Kokoro voices, made explicit for tests whose expectations depend on them.

Loaded with ``pytest_plugins = ["voice_fixtures"]``. With the voices installed (set-up fetches
them: ``scripts/fetch_kokoro.sh``) the default voices are ``kokoro:af_heart`` (English) and
``kokoro:zf_xiaoxiao`` (Chinese); without them, Piper's joe and eSpeak's Mandarin.

- ``kokoro_not_installed``: ``$STUDIO_KOKORO_DIR`` points at an empty folder for the test (and
  for the processes it starts). Nothing needs resetting afterwards: ``kokoro_files.installed()``
  and the engine's voice list look at the folder on every call, nothing is cached.
- ``kokoro_installed``: the real fetched voices; skipped where they are missing (a checkout
  without the set-up), since ``tests/test_voice_kokoro.py`` already fails there saying how.
- ``kokoro_state``: one of the two, chosen by an indirect parameter, ``"kokoro"`` (installed)
  or ``"no-kokoro"``, so one test can state what is expected in each. (Plain strings: a test
  module importing from here before pytest registers it would escape assertion rewriting.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.voice.kokoro_files import FETCH_COMMAND, KOKORO_DIR_ENV, installed

INSTALLED, NOT_INSTALLED = "kokoro", "no-kokoro"


@pytest.fixture
def kokoro_not_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "kokoro-not-installed"
    empty.mkdir()
    monkeypatch.setenv(KOKORO_DIR_ENV, str(empty))
    assert not installed()


@pytest.fixture
def kokoro_installed() -> None:
    if not installed():
        pytest.skip(f"the Kokoro voices are not fetched here: run '{FETCH_COMMAND}'")


@pytest.fixture
def kokoro_state(request: pytest.FixtureRequest) -> str:
    state = getattr(request, "param", None)
    if state == INSTALLED:
        request.getfixturevalue("kokoro_installed")
    elif state == NOT_INSTALLED:
        request.getfixturevalue("kokoro_not_installed")
    else:
        raise ValueError(f"kokoro_state is parametrized indirectly with {INSTALLED!r} or {NOT_INSTALLED!r}")
    return state
