"""``studio live --rtmp saved | env:NAME``: the stream key need not be typed where ps shows it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from studio.cli.live_cmd import options_from
from studio.cli.main import build_parser
from studio.cli.rtmp_address import KEY_SHOWN_NOTE, rtmp_address
from studio.errors import InputError
from studio.settings.app_settings import AppSettings, save_settings

if TYPE_CHECKING:
    from keychain_fake import MemoryKeychain

pytest_plugins = ["keychain_fake"]

ADDRESS = "rtmp://live.example.com/app/sk_live_12345"


def _live_args(tmp_path: Path, rtmp: str) -> object:
    script = tmp_path / "show.txt"
    script.write_text("Hello.\n")
    return build_parser().parse_args(["live", "--avatar", "Demo", "--script", str(script), "--rtmp", rtmp])


def test_a_literal_address_is_used_with_a_note_when_it_carries_a_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert options_from(_live_args(tmp_path, ADDRESS)).rtmp == ADDRESS
    err = capsys.readouterr().err
    assert err.strip() == f"studio: {KEY_SHOWN_NOTE}"
    assert "sk_live_12345" not in err
    # An address without a key (a local test server's app only) is nothing to warn about.
    assert rtmp_address("rtmp://127.0.0.1/live") == ("rtmp://127.0.0.1/live", None)


def test_env_names_the_variable_that_holds_the_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STUDIO_RTMP_URL", f"  {ADDRESS}\n")
    assert options_from(_live_args(tmp_path, "env:STUDIO_RTMP_URL")).rtmp == ADDRESS
    assert capsys.readouterr().err == ""

    monkeypatch.delenv("STUDIO_RTMP_URL")
    with pytest.raises(InputError, match="STUDIO_RTMP_URL named by --rtmp is not set") as unset:
        options_from(_live_args(tmp_path, "env:STUDIO_RTMP_URL"))
    assert "export STUDIO_RTMP_URL=" in str(unset.value)
    with pytest.raises(InputError, match="does not name an environment variable"):
        rtmp_address("env:1 bad")


def test_saved_takes_the_apps_address_with_its_key_from_the_keychain(
    tmp_path: Path, keychain: MemoryKeychain
) -> None:
    settings = tmp_path / "settings.json"
    base = AppSettings()
    save_settings(replace(base, outputs=replace(base.outputs, rtmp_url=ADDRESS)), settings)
    assert "sk_live_12345" not in settings.read_text()  # the file holds no key: the keychain does
    assert rtmp_address("saved", settings) == (ADDRESS, None)


def test_saved_without_an_address_says_where_to_enter_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no stream address is saved") as none:
        rtmp_address("saved", tmp_path / "settings.json")
    assert "Live page" in str(none.value)
