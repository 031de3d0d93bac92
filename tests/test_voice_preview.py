"""Voice previews: a sample sentence in the voice's language, spoken by the real engines."""

from __future__ import annotations

import time

import numpy as np
import pytest

from studio.errors import NetworkError
from studio.pipeline.voice_preview import preview_text, synthesize_preview
from studio.tasks import Cancelled, CancelToken
from studio.voice.language import has_cjk
from studio.voice.registry import all_voices, resolve

# Where nothing listens: the connection is refused at once, for real, whatever the network.
REFUSED_URL = "wss://127.0.0.1:9/edge/v1?TrustedClientToken=0"


def _voice(voice_id: str):  # type: ignore[no-untyped-def]
    return next(v for v in all_voices() if v.id == voice_id)


@pytest.mark.parametrize(
    ("voice_id", "expected"),
    [
        ("piper:en_US-joe-medium", "Hello! This is how I will sound"),
        ("espeak:cmn", "大家好"),
        ("espeak:yue", "大家好"),
        ("edge:zh-HK-HiuMaanNeural", "大家好"),
        ("edge:ja-JP-NanamiNeural", "こんにちは"),
        ("edge:ko-KR-SunHiNeural", "안녕하세요"),
        ("edge:fr-FR-DeniseNeural", "Bonjour"),
        ("espeak:de", "Hallo"),
        ("espeak:pt-br", "Olá"),
        ("edge:ru-RU-SvetlanaNeural", "Привет"),
        ("espeak:af", "Hello!"),  # no sample in Afrikaans: English
    ],
)
def test_preview_text_is_in_the_voice_language(voice_id: str, expected: str) -> None:
    text = preview_text(_voice(voice_id))
    assert text.startswith(expected)
    assert len(text) < 80  # a preview is one short sentence


def test_every_voice_has_a_preview_text() -> None:
    for voice in all_voices():
        text = preview_text(voice)
        assert text.strip()
        primary = voice.language.lower().split("-")[0]
        assert has_cjk(text) == (primary in {"zh", "cmn", "yue", "hak", "ja", "ko"}), voice


def _loudness(speech_audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(speech_audio.astype(np.float64) ** 2)))


def test_preview_speaks_the_sample_in_the_chosen_voice() -> None:
    steps: list[tuple[float, str]] = []
    speech = synthesize_preview("espeak:cmn", progress=lambda f, m: steps.append((f, m)))
    assert speech.voice_id == "espeak:cmn" and speech.text == preview_text(_voice("espeak:cmn"))
    assert 1.0 < speech.duration < 8.0
    assert _loudness(speech.audio) > 0.02
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("on this computer" in m for _, m in steps)


def test_the_default_voice_follows_the_text() -> None:
    speech = synthesize_preview("", text="你好，欢迎来到直播间。")
    _, expected = resolve(None, "你好")
    assert speech.voice_id == expected.id == "espeak:cmn"
    assert speech.text == "你好，欢迎来到直播间。" and _loudness(speech.audio) > 0.02


def test_the_default_english_voice_preview() -> None:
    speech = synthesize_preview("piper:en_US-joe-medium")
    assert speech.text.startswith("Hello!") and speech.sample_rate == 22050
    assert 1.5 < speech.duration < 6.0 and _loudness(speech.audio) > 0.02


def test_a_cancelled_preview_is_not_spoken() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled, match="voice preview was cancelled"):
        synthesize_preview("espeak:en-us", token=token)


def test_an_online_voice_without_the_network_names_the_offline_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    import edge_tts.communicate

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", REFUSED_URL)
    started = time.monotonic()
    with pytest.raises(NetworkError, match="needs the network") as info:
        synthesize_preview("edge:en-US-AriaNeural")
    assert time.monotonic() - started < 10
    assert "piper:en_US-joe-medium" in info.value.hint and "espeak:cmn" in info.value.hint
