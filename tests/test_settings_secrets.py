"""The stream key is kept in the OS keychain, not in settings.json; a private file only where no
keychain exists; settings written before the keychain are moved over without losing the key."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import keyring
import pytest

import studio.storage.atomic as atomic
from studio.errors import InputError
from studio.settings import AppSettings, OutputSettings, load_settings, save_settings
from studio.settings.secrets import SERVICE, public_address, shown_address

if TYPE_CHECKING:
    from keychain_fake import MemoryKeychain

pytest_plugins = ["keychain_fake"]

KEY = "live_8841_sk_9fQ2xLr7TzW"
URL = f"rtmp://live.example.com:1935/app/{KEY}"
SETTINGS = AppSettings(fps=25, outputs=OutputSettings(rtmp=True, rtmp_url=URL))


def _file(path: Path) -> dict[str, object]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(
    ("url", "public"),
    [
        (URL, "rtmp://live.example.com:1935/app"),
        ("rtmps://a.rtmps.youtube.com/live2/abcd-efgh-ijkl", "rtmps://a.rtmps.youtube.com/live2"),
        ("rtmp://user:pa55@host/app/key?token=xyz", "rtmp://host/app"),
        ("rtmp://[::1]:1935/app/key", "rtmp://[::1]:1935/app"),
        ("rtmp://host/app", "rtmp://host/app"),
        ("rtmp://THEKEY", ""),  # no app: the "host" may be the key
        ("rtmp://[::1/app/key", ""),
    ],
)
def test_the_public_part_of_an_address_holds_no_secret(url: str, public: str) -> None:
    assert public_address(url) == public
    shown = shown_address(url)
    assert not any(secret in shown for secret in (KEY, "THEKEY", "pa55", "abcd-efgh", "/key", "xyz"))


def test_the_key_goes_to_the_keychain_and_the_file_keeps_only_the_address(
    tmp_path: Path, keychain: MemoryKeychain
) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    raw = path.read_text(encoding="utf-8")
    assert KEY not in raw
    outputs = _file(path)["outputs"]
    assert outputs == {**outputs, "rtmp_url": "rtmp://live.example.com:1935/app", "rtmp_key": "keychain"}
    ((service, account), held), *more = keychain.entries.items()
    assert not more and service == SERVICE and held == URL and str(path) in account
    assert load_settings(path) == (SETTINGS, [])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]  # no fallback file
    # Saving other changes neither writes the keychain again nor changes the key.
    save_settings(replace(SETTINGS, fps=30), path)
    assert keychain.writes == 1 and load_settings(path)[0] == replace(SETTINGS, fps=30)


def test_two_settings_files_keep_their_own_keys(tmp_path: Path, keychain: MemoryKeychain) -> None:
    other = replace(
        SETTINGS, outputs=replace(SETTINGS.outputs, rtmp_url="rtmp://live.example.com:1935/app/x2")
    )
    save_settings(SETTINGS, tmp_path / "a.json")
    save_settings(other, tmp_path / "b.json")
    assert load_settings(tmp_path / "a.json")[0] == SETTINGS
    assert load_settings(tmp_path / "b.json")[0] == other


def test_removing_the_address_removes_the_key(tmp_path: Path, keychain: MemoryKeychain) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    save_settings(replace(SETTINGS, outputs=OutputSettings(rtmp=False, rtmp_url="")), path)
    assert keychain.entries == {} and "rtmp_key" not in _file(path)["outputs"]  # type: ignore[operator]
    assert load_settings(path) == (replace(SETTINGS, outputs=OutputSettings()), [])


def test_an_address_without_a_key_stays_in_the_file(tmp_path: Path, keychain: MemoryKeychain) -> None:
    path = tmp_path / "settings.json"
    settings = replace(SETTINGS, outputs=OutputSettings(rtmp_url="rtmp://live.example.com/app"))
    save_settings(settings, path)
    assert keychain.entries == {} and load_settings(path) == (settings, [])


def test_an_old_file_with_the_key_is_moved_to_the_keychain_on_load(
    tmp_path: Path, keychain: MemoryKeychain
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "fps": 25, "outputs": {"rtmp": True, "rtmp_url": URL}}))
    assert load_settings(path) == (SETTINGS, [])
    assert KEY not in path.read_text(encoding="utf-8") and list(keychain.entries.values()) == [URL]
    assert _mode(path) & 0o077 == 0
    assert load_settings(path) == (SETTINGS, [])  # and read back from there


def test_a_command_that_needs_no_key_leaves_the_keychain_and_the_file_alone(
    tmp_path: Path, keychain: MemoryKeychain
) -> None:
    # studio render reads the settings for the spoken notice only: no keychain read (no unlock
    # prompt), and an old file is not moved over behind the user's back.
    path = tmp_path / "settings.json"
    before = json.dumps({"schema_version": 1, "fps": 25, "outputs": {"rtmp": True, "rtmp_url": URL}})
    path.write_text(before)
    keychain.locked = True  # any keychain call would fail
    settings, warnings = load_settings(path, with_secrets=False)
    assert settings.fps == 25 and warnings == []
    assert path.read_text() == before and keychain.entries == {} and keychain.writes == 0


def test_a_move_cut_short_loses_nothing_and_finishes_next_time(
    tmp_path: Path, keychain: MemoryKeychain, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    old = json.dumps({"schema_version": 1, "fps": 25, "outputs": {"rtmp": True, "rtmp_url": URL}})
    path.write_text(old)

    def full_disk(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        raise OSError(28, "No space left on device")  # the rewrite of settings.json never lands

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    settings, warnings = load_settings(path)
    monkeypatch.undo()
    assert settings == SETTINGS and path.read_text() == old  # the key is in both places
    assert len(warnings) == 1 and "No space left" in warnings[0] and KEY not in warnings[0]
    assert load_settings(path) == (SETTINGS, []) and KEY not in path.read_text(encoding="utf-8")


def test_a_locked_keychain_refuses_the_save_without_showing_the_key(
    tmp_path: Path, keychain: MemoryKeychain
) -> None:
    path = tmp_path / "settings.json"
    save_settings(replace(SETTINGS, outputs=OutputSettings()), path)
    before = path.read_bytes()
    keychain.locked = True
    with pytest.raises(InputError, match="keychain") as refused:
        save_settings(SETTINGS, path)
    assert KEY not in str(refused.value) and "Unlock the keychain" in refused.value.hint
    assert path.read_bytes() == before
    # An old file is left as it was (its key too) while the keychain is locked, and said so.
    path.write_text(json.dumps({"outputs": {"rtmp_url": URL}}))
    settings, warnings = load_settings(path)
    assert settings.outputs.rtmp_url == URL and KEY in path.read_text()
    assert len(warnings) == 1 and "still in" in warnings[0] and KEY not in warnings[0]


def test_a_key_missing_from_the_keychain_is_said_without_guessing(
    tmp_path: Path, keychain: MemoryKeychain
) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    keychain.entries.clear()  # e.g. the settings file was copied to another computer
    settings, warnings = load_settings(path)
    assert settings.outputs.rtmp_url == "rtmp://live.example.com:1935/app"
    assert len(warnings) == 1 and "type the stream address again" in warnings[0]
    assert "rtmp://live.example.com:1935/app" in warnings[0]


def test_without_a_keychain_the_key_goes_to_a_private_file_with_one_warning(
    tmp_path: Path, no_keychain: None
) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    secrets = tmp_path / "settings.secrets.json"
    assert KEY not in path.read_text() and _file(path)["outputs"]["rtmp_key"] == "file"  # type: ignore[index]
    assert _mode(secrets) == 0o600 and _mode(path) & 0o077 == 0
    assert _file(secrets)["secrets"] == {"outputs.rtmp_url": URL}
    settings, warnings = load_settings(path)
    assert settings == SETTINGS
    assert len(warnings) == 1 and "No OS keychain" in warnings[0] and str(secrets) in warnings[0]
    assert KEY not in warnings[0]
    assert load_settings(path) == (SETTINGS, [])  # said once, not at every start
    assert _mode(secrets) == 0o600
    # Removing the address removes the file.
    save_settings(replace(SETTINGS, outputs=OutputSettings()), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]


def test_a_fallback_file_made_readable_is_made_private_again(tmp_path: Path, no_keychain: None) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    secrets = tmp_path / "settings.secrets.json"
    os.chmod(secrets, 0o644)
    assert load_settings(path)[0] == SETTINGS
    assert _mode(secrets) == 0o600


def test_a_damaged_fallback_file_is_said_in_one_line(tmp_path: Path, no_keychain: None) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    (tmp_path / "settings.secrets.json").write_text("{not json")
    settings, warnings = load_settings(path)
    assert settings.outputs.rtmp_url == "rtmp://live.example.com:1935/app"
    assert len(warnings) == 1 and "settings.secrets.json" in warnings[0] and "\n" not in warnings[0]


def test_a_key_kept_in_the_file_moves_into_a_keychain_installed_later(
    tmp_path: Path, no_keychain: None
) -> None:
    path = tmp_path / "settings.json"
    save_settings(SETTINGS, path)
    from keychain_fake import MemoryKeychain  # noqa: PLC0415 - loaded by pytest_plugins first

    later = MemoryKeychain()  # e.g. gnome-keyring installed since
    keyring.set_keyring(later)
    assert load_settings(path) == (SETTINGS, [])
    assert list(later.entries.values()) == [URL]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]  # the plain copy is gone
    save_settings(replace(SETTINGS, fps=30), path)
    assert _file(path)["outputs"]["rtmp_key"] == "keychain"  # type: ignore[index]
    assert load_settings(path)[0] == replace(SETTINGS, fps=30)
