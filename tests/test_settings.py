"""The app's settings file: round trip, damage, bad values, newer versions, crashes mid-write."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import studio.storage.atomic as atomic
from studio.errors import InputError
from studio.settings import (
    SCHEMA_VERSION,
    AppSettings,
    OutputSettings,
    default_record_dir,
    default_settings_path,
    load_settings,
    save_settings,
    validate,
)

if TYPE_CHECKING:
    from keychain_fake import MemoryKeychain

pytest_plugins = ["keychain_fake"]


@pytest.fixture(autouse=True)
def _stream_keys_in_a_test_keychain(keychain: MemoryKeychain) -> None:
    """The stream key goes to the OS keychain (test_settings_secrets): here a memory one."""


CUSTOM = AppSettings(
    library_dir="/data/avatars",
    avatar="Ana Lima",
    camera="USB Camera",
    microphone="Headset",
    voice="espeak:cmn",
    rundown_path="/shows/monday.rundown.toml",
    width=1920,
    height=1080,
    fps=25,
    label_enabled=False,
    label_text="AI生成内容",
    label_corner="bottom-left",
    provider="cpu",
    outputs=OutputSettings(
        vcam=True,
        audio_out=True,
        audio_device="USB Headset",
        record=True,
        record_dir="/videos",
        rtmp=True,
        rtmp_url="rtmp://live.example.com/app/secret-key",
    ),
)


def test_round_trip_keeps_every_value(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    save_settings(CUSTOM, path)
    assert load_settings(path) == (CUSTOM, [])
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION and data["outputs"]["rtmp"] is True
    assert data["label_text"] == "AI生成内容"  # readable in the file, not \u escapes
    # The stream key is a password: only the user may read the file.
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    # Saving again replaces the file; no temporary files are left beside it.
    save_settings(replace(CUSTOM, fps=60), path)
    assert load_settings(path)[0].fps == 60
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]


def test_missing_file_gives_defaults_quietly(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nothing.json") == (AppSettings(), [])
    assert not (tmp_path / "nothing.json").exists()


@pytest.mark.parametrize(
    "content",
    [b'{"fps": 30,', b"\xff\xfe not text", b"[1, 2, 3]", b"", b"[" * 100_000, b'{"a":' * 50_000],
    ids=["truncated", "binary", "a list", "empty", "nested arrays", "nested objects"],
)
def test_damaged_file_is_kept_aside_and_defaults_used(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(content)
    settings, warnings = load_settings(path)
    assert settings == AppSettings()
    kept = tmp_path / "settings.json.damaged"
    assert kept.read_bytes() == content and not path.exists()
    assert len(warnings) == 1 and "damaged" in warnings[0] and str(kept) in warnings[0]
    # The next save writes a fresh file without touching the kept one.
    save_settings(CUSTOM, path)
    assert load_settings(path) == (CUSTOM, []) and kept.read_bytes() == content


BAD_VALUES = [
    ("width", 1281, "even number from 64 to 3840"),
    ("width", 32, "even number from 64 to 3840"),
    ("height", "720", "even number from 64 to 2160"),
    ("height", True, "even number from 64 to 2160"),
    ("fps", 0, "whole number from 1 to 60"),
    ("fps", 120, "whole number from 1 to 60"),
    ("fps", 29.97, "whole number from 1 to 60"),
    ("label_corner", "middle", "top-left, top-right, bottom-left, bottom-right"),
    ("label_text", "x" * 61, "61 characters"),
    ("label_text", "   ", "label text is empty"),
    ("label_enabled", "yes", "true or false"),
    ("avatar", "../../etc", "contains"),
    ("camera", 3, "must be text"),
    ("provider", "", "inference provider"),
]


@pytest.mark.parametrize(("key", "value", "reason"), BAD_VALUES)
def test_a_bad_value_falls_back_to_its_default_with_a_warning(
    tmp_path: Path, key: str, value: object, reason: str
) -> None:
    path = tmp_path / "settings.json"
    data = asdict(CUSTOM) | {key: value}
    path.write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(path)
    assert getattr(settings, key) == getattr(AppSettings(), key)
    # Everything else is kept.
    assert replace(settings, **{key: getattr(CUSTOM, key)}) == CUSTOM
    assert len(warnings) == 1
    assert f"'{key}'" in warnings[0] and reason in warnings[0] and "default" in warnings[0]
    # The same value is refused when saving, naming the key.
    with pytest.raises(InputError, match=f"'{key}'"):
        save_settings(replace(AppSettings(), **{key: value}), tmp_path / "other.json")
    assert not (tmp_path / "other.json").exists()


def test_bad_output_values_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    data = asdict(CUSTOM)
    data["outputs"] |= {"vcam": "on", "rtmp_url": "http://example.com/live/KEY123", "future_output": True}
    data["theme"] = "dark"  # unknown: ignored without a word
    path.write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings.outputs == replace(CUSTOM.outputs, vcam=False, rtmp_url="")
    assert replace(settings, outputs=CUSTOM.outputs) == CUSTOM
    assert len(warnings) == 2
    assert "'outputs.vcam'" in warnings[0] and "'outputs.rtmp_url'" in warnings[1]
    assert "rtmp://" in warnings[1]
    assert "KEY123" not in warnings[1] and "example.com" not in warnings[1]  # the address holds the key

    data["outputs"] = ["vcam"]
    path.write_text(json.dumps(data), encoding="utf-8")
    settings, warnings = load_settings(path)
    assert settings.outputs == OutputSettings()
    assert len(warnings) == 1 and "'outputs'" in warnings[0]


def test_a_bad_stream_address_is_refused_without_repeating_it(tmp_path: Path) -> None:
    bad = replace(CUSTOM, outputs=replace(CUSTOM.outputs, rtmp_url="http://live.example.com/app/KEY123"))
    with pytest.raises(InputError) as caught:
        save_settings(bad, tmp_path / "settings.json")
    shown = f"{caught.value.problem} {caught.value.hint}"
    assert "'outputs.rtmp_url'" in shown and "must start with rtmp:// or rtmps://" in shown
    assert "KEY123" not in shown and "example.com" not in shown
    assert not (tmp_path / "settings.json").exists()


def test_values_are_tidied(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"label_text": "  AI   generated ", "avatar": " Demo ", "voice": " cmn "}))
    settings, warnings = load_settings(path)
    assert warnings == []
    assert (settings.label_text, settings.avatar, settings.voice) == ("AI generated", "demo", "cmn")
    assert validate(replace(AppSettings(), label_text=" AI  label ")).label_text == "AI label"


def test_an_older_file_without_some_keys_gets_their_defaults(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": 1, "fps": 25, "outputs": {"vcam": True}}))
    assert load_settings(path) == (AppSettings(fps=25, outputs=OutputSettings(vcam=True)), [])


def test_a_newer_file_is_read_as_defaults_and_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    newer = json.dumps({"schema_version": SCHEMA_VERSION + 1, "fps": 50, "hologram": True})
    path.write_text(newer)
    settings, warnings = load_settings(path)
    assert settings == AppSettings()
    assert len(warnings) == 1 and "newer version of Studio" in warnings[0] and "older" in warnings[0]
    with pytest.raises(InputError, match="newer version of Studio") as refused:
        save_settings(CUSTOM, path)
    assert "Update Studio" in refused.value.hint
    assert path.read_text() == newer


def test_a_crash_mid_write_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    save_settings(CUSTOM, path)
    before = path.read_bytes()
    seen: list[bytes] = []

    def fail(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        seen.append(Path(src).read_bytes())  # the new settings were written in full...
        raise OSError(28, "No space left on device")  # ...and the rename onto the old file failed

    monkeypatch.setattr(atomic.os, "replace", fail)
    with pytest.raises(InputError, match="could not save the settings") as info:
        save_settings(replace(CUSTOM, fps=12), path)
    monkeypatch.undo()
    assert "No space left on device" in info.value.problem
    assert json.loads(seen[0])["fps"] == 12
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]
    assert load_settings(path) == (CUSTOM, [])


def test_default_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_SETTINGS", raising=False)
    default = default_settings_path()
    assert default.name == "settings.json" and default.parent.name == "Studio"
    assert default_record_dir().name == "Studio"
    monkeypatch.setenv("STUDIO_SETTINGS", str(tmp_path / "portable.json"))
    assert default_settings_path() == tmp_path / "portable.json"
    save_settings(CUSTOM)
    assert load_settings() == (CUSTOM, [])
    assert (tmp_path / "portable.json").is_file()


def test_unreadable_schema_version_is_read_as_current(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"schema_version": "one", "fps": 24}))
    settings, warnings = load_settings(path)
    assert settings == AppSettings(fps=24)
    assert len(warnings) == 1 and "'schema_version'" in warnings[0]


def test_a_huge_file_is_set_aside_without_being_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    with path.open("wb") as file:
        file.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    monkeypatch.setattr(Path, "read_bytes", _never_called)
    settings, warnings = load_settings(path)
    assert settings == AppSettings() and len(warnings) == 1 and "damaged" in warnings[0]
    assert (tmp_path / "settings.json.damaged").stat().st_size == 200 * 1024 * 1024


def _never_called(*args: object) -> bytes:
    raise AssertionError("a file over the size limit was read whole")


def test_a_fifo_or_device_is_not_read_or_moved(tmp_path: Path) -> None:
    fifo = tmp_path / "settings.json"
    os.mkfifo(fifo)  # reading it would block forever: there is no writer
    for path in (fifo, Path("/dev/zero")):
        settings, warnings = load_settings(path)
        assert settings == AppSettings() and len(warnings) == 1, warnings
        assert "Could not read" in warnings[0] and ("pipe" in warnings[0] or "device" in warnings[0])
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    # Saving replaces the FIFO with a real file (atomic rename), never writes into the pipe.
    save_settings(CUSTOM, fifo)
    assert load_settings(fifo) == (CUSTOM, [])
