"""Voice lookup, defaults, lazy engines and the `studio voices` command."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

import studio.voice
from studio.cli import voices_cmd
from studio.errors import InputError
from studio.voice import Registry, all_voices, resolve
from studio.voice.base import VoiceEngine
from studio.voice.kokoro_files import VOICE_IDS

pytest_plugins = ["voice_fixtures"]

# The default voices: Kokoro's once fetched (licence-clean), else Piper's joe and eSpeak.
DEFAULTS = pytest.mark.parametrize(
    ("kokoro_state", "english", "chinese"),
    [
        ("kokoro", "kokoro:af_heart", "kokoro:zf_xiaoxiao"),
        ("no-kokoro", "piper:en_US-joe-medium", "espeak:cmn"),
    ],
    indirect=["kokoro_state"],
)


@DEFAULTS
def test_defaults_follow_the_text(kokoro_state: str, english: str, chinese: str) -> None:
    engine, voice = resolve(None, "Hello there.")
    assert (engine.name, voice.id) == (english.partition(":")[0], english)
    engine, voice = resolve("", "今天天气很好")
    assert (engine.name, voice.id) == (chinese.partition(":")[0], chinese)
    assert resolve(None)[1].id == english
    assert resolve(None, "こんにちは")[1].id == "espeak:cmn"  # kana: no Mandarin voice reads it


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("piper:en_US-joe-medium", "piper:en_US-joe-medium"),
        ("en_US-joe-medium", "piper:en_US-joe-medium"),
        ("cmn", "espeak:cmn"),
        ("espeak:EN-US", "espeak:en-us"),
        ("zh-CN-XiaoxiaoNeural", "edge:zh-CN-XiaoxiaoNeural"),
        ("edge:en-US-AriaNeural", "edge:en-US-AriaNeural"),
        ("espeak:en-us+f2", "espeak:en-us+f2"),
    ],
)
def test_resolve_qualified_and_bare_ids(given: str, expected: str) -> None:
    engine, voice = resolve(given)
    assert voice.id == expected
    assert engine.name == voice.engine


@pytest.mark.parametrize("bad", ["nope", "piper:nope", "edge:cmn", "espeak:xx+f2"])
def test_unknown_voice_says_how_to_list_them(bad: str) -> None:
    with pytest.raises(InputError) as info:
        resolve(bad)
    assert info.value.hint == "Run 'studio voices' to list them."


@pytest.mark.parametrize(
    ("kokoro_state", "engines", "kokoro_ids"),
    [
        ("kokoro", {"kokoro", "piper", "espeak", "edge"}, {f"kokoro:{v}" for v in VOICE_IDS}),
        ("no-kokoro", {"piper", "espeak", "edge"}, set()),
    ],
    indirect=["kokoro_state"],
)
def test_all_voices_from_every_engine(kokoro_state: str, engines: set[str], kokoro_ids: set[str]) -> None:
    voices = all_voices()
    ids = [v.id for v in voices]
    assert len(ids) == len(set(ids))
    assert {v.engine for v in voices} == engines
    assert {"piper:en_US-joe-medium", "espeak:cmn", "edge:zh-CN-XiaoxiaoNeural"} <= set(ids)
    assert {i for i in ids if i.startswith("kokoro:")} == kokoro_ids
    assert not any(v.needs_network for v in all_voices(offline_only=True))


def test_engines_are_made_once_and_only_when_needed() -> None:
    made: list[str] = []

    def factory(name: str) -> VoiceEngine:
        from studio.voice.registry import _make_engine

        made.append(name)
        return _make_engine(name)

    registry = Registry(factory)
    assert made == []
    registry.resolve("espeak:cmn")
    registry.resolve("cmn")
    registry.resolve("espeak:en-us")
    assert made.count("espeak") == 1 and "edge" not in made


def test_importing_the_package_loads_no_heavy_module() -> None:
    code = (
        "import sys, studio.voice; "
        "print(sorted(m for m in ('onnxruntime', 'onnx', 'edge_tts', 'av', 'aiohttp') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@DEFAULTS
def test_synthesize_speaks_chinese_offline_by_default(kokoro_state: str, english: str, chinese: str) -> None:
    speech = studio.voice.synthesize("你好")
    assert speech.voice_id == chinese
    assert speech.duration > 0.3 and speech.phonemes


def _run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    parser = argparse.ArgumentParser()
    voices_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["voices", *argv])
    assert args.handler(args) == 0
    return capsys.readouterr().out


def test_voices_command_table(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run_cli(capsys).splitlines()
    assert lines[0].split() == ["ID", "ENGINE", "LANGUAGE", "NETWORK"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[1:]}
    assert rows["piper:en_US-joe-medium"] == ["piper", "en-US", "no"]
    assert rows["edge:zh-CN-XiaoxiaoNeural"] == ["edge", "zh-CN", "yes"]


def test_voices_command_filters(capsys: pytest.CaptureFixture[str]) -> None:
    out = _run_cli(capsys, "--language", "zh", "--offline")
    assert "espeak:cmn " in out and "edge:" not in out and "piper:" not in out
    out = _run_cli(capsys, "--language", "en")
    assert "piper:en_US-joe-medium" in out and "edge:en-US-AriaNeural" in out
    assert "espeak:cmn" not in out
