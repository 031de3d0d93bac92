"""Engine "edge": Microsoft Edge's online neural voices through the ``edge-tts`` package.

Nothing is written to disk: the MP3 stream is collected in memory and decoded with PyAV, so a
failed download can never leave an empty or truncated file behind.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import io
from collections.abc import Coroutine
from typing import Any, TypeVar

import numpy as np

from studio.errors import InputError, NetworkError, StudioError
from studio.translation import tr
from studio.voice.base import Speech, VoiceInfo, WordTiming, check_request, no_text_error
from studio.voice.language import espeak_language

_PREFIX = "edge:"
_TICKS_PER_SECOND = 10_000_000  # WordBoundary offsets and durations are in 100 ns units
CONNECT_TIMEOUT_S = 10
RECEIVE_TIMEOUT_S = 60


def offline_alternatives() -> str:
    """The offline voices Studio itself would speak English and Chinese with, as a hint."""
    from studio.voice.registry import default_voice_id  # noqa: PLC0415 - the registry imports us

    return tr("{english} (English) or {chinese} (Chinese)").format(
        english=default_voice_id("Hello"), chinese=default_voice_id("大家好")
    )


# (short name, language, gender): well-known voices, listed without asking the service.
_CURATED: tuple[tuple[str, str, str], ...] = (
    ("zh-CN-XiaoxiaoNeural", "zh-CN", "female"),
    ("zh-CN-XiaoyiNeural", "zh-CN", "female"),
    ("zh-CN-YunjianNeural", "zh-CN", "male"),
    ("zh-CN-YunxiNeural", "zh-CN", "male"),
    ("zh-CN-YunyangNeural", "zh-CN", "male"),
    ("zh-TW-HsiaoChenNeural", "zh-TW", "female"),
    ("zh-HK-HiuMaanNeural", "zh-HK", "female"),
    ("en-US-AriaNeural", "en-US", "female"),
    ("en-US-JennyNeural", "en-US", "female"),
    ("en-US-GuyNeural", "en-US", "male"),
    ("en-US-EmmaMultilingualNeural", "en-US", "female"),
    ("en-US-AndrewMultilingualNeural", "en-US", "male"),
    ("en-GB-SoniaNeural", "en-GB", "female"),
    ("en-GB-RyanNeural", "en-GB", "male"),
    ("ja-JP-NanamiNeural", "ja-JP", "female"),
    ("ja-JP-KeitaNeural", "ja-JP", "male"),
    ("ko-KR-SunHiNeural", "ko-KR", "female"),
    ("ko-KR-InJoonNeural", "ko-KR", "male"),
    ("es-ES-ElviraNeural", "es-ES", "female"),
    ("es-MX-DaliaNeural", "es-MX", "female"),
    ("fr-FR-DeniseNeural", "fr-FR", "female"),
    ("fr-FR-HenriNeural", "fr-FR", "male"),
    ("de-DE-KatjaNeural", "de-DE", "female"),
    ("de-DE-ConradNeural", "de-DE", "male"),
    ("it-IT-ElsaNeural", "it-IT", "female"),
    ("pt-BR-FranciscaNeural", "pt-BR", "female"),
    ("ru-RU-SvetlanaNeural", "ru-RU", "female"),
    ("hi-IN-SwaraNeural", "hi-IN", "female"),
    ("ar-SA-ZariyahNeural", "ar-SA", "female"),
)

_T = TypeVar("_T")


def _run(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine to completion even when the caller already has an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def decode_mp3(data: bytes) -> tuple[np.ndarray, int]:
    """MP3 bytes to float32 mono samples and their rate."""
    import av

    chunks: list[np.ndarray] = []
    rate = 0
    try:
        with av.open(io.BytesIO(data), mode="r", format="mp3") as container:
            stream = container.streams.audio[0]
            rate = int(stream.rate or stream.codec_context.sample_rate)
            resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):  # flush what the resampler still holds
                chunks.append(out.to_ndarray().reshape(-1))
    except (av.error.FFmpegError, IndexError) as exc:
        raise NetworkError(
            tr("the online voice sent audio that cannot be decoded."), tr("Try again later.")
        ) from exc
    audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)
    return np.clip(audio, -1.0, 1.0), rate


def _rate_option(rate: float) -> str:
    return f"{round((rate - 1.0) * 100):+d}%"


class EdgeEngine:
    name = "edge"

    def voices(self) -> list[VoiceInfo]:
        return [
            VoiceInfo(
                id=_PREFIX + short,
                engine=self.name,
                language=language,
                name=short.split("-", 2)[2].removesuffix("Neural"),
                needs_network=True,
                gender=gender,
            )
            for short, language, gender in _CURATED
        ]

    async def _stream(self, text: str, short_name: str, rate: float) -> tuple[bytes, list[Any]]:
        import edge_tts

        communicate = edge_tts.Communicate(
            text,
            short_name,
            rate=_rate_option(rate),
            boundary="WordBoundary",  # the default, SentenceBoundary, gives no word timings
            connect_timeout=CONNECT_TIMEOUT_S,
            receive_timeout=RECEIVE_TIMEOUT_S,
        )
        audio = io.BytesIO()
        boundaries: list[Any] = []
        async for chunk in communicate.stream():
            if chunk["type"] == "audio":
                audio.write(chunk["data"])
            elif chunk["type"] == "WordBoundary":
                boundaries.append(chunk)
        return audio.getvalue(), boundaries

    def synthesize(self, text: str, voice: VoiceInfo, rate: float = 1.0) -> Speech:
        check_request(voice, self.name, tr("an Edge"), rate)
        if not text.strip():
            raise no_text_error()
        try:
            import aiohttp
            import edge_tts.exceptions
        except ImportError as exc:
            raise StudioError(
                tr("the online voices are not installed."), tr("Install them with 'pip install edge-tts'.")
            ) from exc
        short_name = voice.id.removeprefix(_PREFIX)
        try:
            data, boundaries = _run(self._stream(text, short_name, rate))
        except ValueError as exc:  # edge-tts checks the voice name's shape before connecting
            raise InputError(
                tr("'{name}' is not an Edge voice name.").format(name=short_name),
                tr("Run 'studio voices' to list them."),
            ) from exc
        except (TimeoutError, aiohttp.ClientError, OSError, edge_tts.exceptions.EdgeTTSException) as exc:
            raise NetworkError(
                tr(
                    "the online voice {voice} needs the network, "
                    "and its service could not be reached ({error})."
                ).format(voice=voice.id, error=type(exc).__name__),
                tr("Use an offline voice instead: {voices}.").format(voices=offline_alternatives()),
            ) from exc
        audio, sample_rate = decode_mp3(data)
        words = [
            WordTiming(
                word=str(b.get("text", "")),
                start=int(b["offset"]) / _TICKS_PER_SECOND,
                end=(int(b["offset"]) + int(b["duration"])) / _TICKS_PER_SECOND,
            )
            for b in boundaries
        ]
        return Speech(
            audio=audio,
            sample_rate=sample_rate,
            words=words,
            voice_id=voice.id,
            text=text,
            # The language a phonemizer reads the words in, so the mouth follows the right sounds.
            meta={"engine": self.name, "language": espeak_language(voice.language)},
        )
