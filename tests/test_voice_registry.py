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


def test_defaults_follow_the_text() -> None:
    engine, voice = resolve(None, "Hello there.")
    assert (engine.name, voice.id) == ("piper", "piper:en_US-joe-medium")
    engine, voice = resolve("", "今天天气很好")
    assert (engine.name, voice.id) == ("espeak", "espeak:cmn")
    assert resolve(None)[1].id == "piper:en_US-joe-medium"


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


def test_all_voices_from_every_engine() -> None:
    voices = all_voices()
    ids = [v.id for v in voices]
    assert len(ids) == len(set(ids))
    assert {v.engine for v in voices} == {"piper", "espeak", "edge"}
    assert {"piper:en_US-joe-medium", "espeak:cmn", "edge:zh-CN-XiaoxiaoNeural"} <= set(ids)
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


def test_synthesize_speaks_chinese_offline_by_default() -> None:
    speech = studio.voice.synthesize("你好")
    assert speech.voice_id == "espeak:cmn"
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
