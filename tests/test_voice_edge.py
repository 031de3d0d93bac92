"""Edge online voices: offline failure for real, and the happy path against a stand-in service."""

from __future__ import annotations

import asyncio
import inspect
import io
import socket
import time
from collections.abc import AsyncIterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from studio.errors import InputError, NetworkError
from studio.voice.base import VoiceInfo
from studio.voice.edge import EdgeEngine, decode_mp3
from studio.voice.registry import default_voice_id


def _service_reachable() -> bool:
    try:
        socket.getaddrinfo("speech.platform.bing.com", 443)
    except OSError:
        return False
    return True


def _voice(voice_id: str = "edge:zh-CN-XiaoxiaoNeural") -> VoiceInfo:
    return next(v for v in EdgeEngine().voices() if v.id == voice_id)


def _mp3(seconds: float = 1.0, rate: int = 24000) -> bytes:
    import av

    buf = io.BytesIO()
    t = np.arange(int(seconds * rate)) / rate
    samples = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None, :]
    with av.open(buf, "w", format="mp3") as container:
        stream = container.add_stream("libmp3lame", rate=rate, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    return buf.getvalue()


def test_curated_voices_need_the_network() -> None:
    voices = EdgeEngine().voices()
    ids = {v.id for v in voices}
    assert {"edge:zh-CN-XiaoxiaoNeural", "edge:en-US-AriaNeural", "edge:ja-JP-NanamiNeural"} <= ids
    assert all(v.needs_network and v.engine == "edge" for v in voices)
    assert len(ids) == len(voices)


def test_installed_edge_tts_can_report_word_boundaries() -> None:
    import edge_tts

    params = inspect.signature(edge_tts.Communicate).parameters
    assert "boundary" in params and "connect_timeout" in params


@pytest.mark.skipif(_service_reachable(), reason="the Edge service is reachable from here")
def test_offline_fails_fast_with_one_line_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    started = time.monotonic()
    with pytest.raises(NetworkError) as info:
        EdgeEngine().synthesize("你好，世界。", _voice())
    assert time.monotonic() - started < 15
    message = str(info.value)
    assert "\n" not in message
    assert "network" in message
    # The offline voices Studio itself would speak with (Kokoro's where installed).
    assert default_voice_id("Hello") in message and default_voice_id("大家好") in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "error",
    [OSError("unreachable"), TimeoutError(), "aiohttp", "edge_tts"],
)
def test_every_transport_failure_becomes_network_error(error: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import aiohttp
    import edge_tts

    if error == "aiohttp":
        error = aiohttp.ClientPayloadError("cut off")
    elif error == "edge_tts":
        error = edge_tts.exceptions.NoAudioReceived("none")

    async def failing(self: Any) -> AsyncIterator[dict[str, Any]]:
        raise error
        yield {}  # makes this an async generator, like the real stream()

    monkeypatch.setattr(edge_tts.Communicate, "stream", failing)
    with pytest.raises(NetworkError, match=default_voice_id("大家好")):
        EdgeEngine().synthesize("hello", _voice("edge:en-US-AriaNeural"))


def test_speech_and_word_timings_from_the_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    import edge_tts

    mp3 = _mp3()
    seen: dict[str, Any] = {}

    class FakeCommunicate:
        def __init__(self, text: str, voice: str, **kwargs: Any) -> None:
            seen.update(kwargs, text=text, voice=voice)

        async def stream(self) -> AsyncIterator[dict[str, Any]]:
            yield {"type": "WordBoundary", "offset": 1_000_000, "duration": 3_000_000, "text": "Hi"}
            for i in range(0, len(mp3), 1000):
                yield {"type": "audio", "data": mp3[i : i + 1000]}
            yield {"type": "WordBoundary", "offset": 5_000_000, "duration": 2_000_000, "text": "there"}

    monkeypatch.setattr(edge_tts, "Communicate", FakeCommunicate)
    speech = EdgeEngine().synthesize("Hi there", _voice("edge:en-US-AriaNeural"), rate=1.25)
    assert seen["voice"] == "en-US-AriaNeural"
    assert seen["boundary"] == "WordBoundary"
    assert seen["rate"] == "+25%"
    assert seen["connect_timeout"] <= 10
    assert speech.sample_rate == 24000
    assert speech.audio.dtype == np.float32 and speech.audio.ndim == 1
    assert speech.duration == pytest.approx(1.0, abs=0.1)
    assert [(w.word, w.start, w.end) for w in speech.words or []] == [
        ("Hi", 0.1, 0.4),
        ("there", 0.5, 0.7),
    ]


def test_works_inside_a_running_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    import edge_tts

    mp3 = _mp3(0.3)

    class FakeCommunicate:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        async def stream(self) -> AsyncIterator[dict[str, Any]]:
            yield {"type": "audio", "data": mp3}

    monkeypatch.setattr(edge_tts, "Communicate", FakeCommunicate)

    async def inside() -> float:
        return EdgeEngine().synthesize("hi", _voice()).duration

    assert asyncio.run(inside()) > 0.2


def test_bad_input() -> None:
    engine = EdgeEngine()
    with pytest.raises(InputError):
        engine.synthesize("  ", _voice())
    with pytest.raises(NetworkError):
        decode_mp3(b"not an mp3 at all")


@pytest.mark.parametrize(
    ("voice_id", "language"),
    [
        ("edge:zh-CN-XiaoxiaoNeural", "cmn"),
        ("edge:en-GB-SoniaNeural", "en-gb"),
        ("edge:ja-JP-NanamiNeural", "ja"),
    ],
)
def test_words_are_phonemized_in_the_voice_language(
    voice_id: str, language: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edge_tts

    from studio.lipsync.phoneme_driver import PhonemeDriver

    mp3 = _mp3(0.5)

    class FakeCommunicate:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        async def stream(self) -> AsyncIterator[dict[str, Any]]:
            yield {"type": "audio", "data": mp3}
            yield {"type": "WordBoundary", "offset": 1_000_000, "duration": 3_000_000, "text": "你好"}

    monkeypatch.setattr(edge_tts, "Communicate", FakeCommunicate)
    speech = EdgeEngine().synthesize("你好", _voice(voice_id))
    assert speech.meta["language"] == language
    asked: list[str] = []

    def phonemize(text: str, lang: str) -> list[str]:
        asked.append(lang)
        return ["m", "a"]

    PhonemeDriver(phonemize).drive(speech, Fraction(25), 12)
    assert asked == [language]
