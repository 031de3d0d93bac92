"""Push the show to an RTMP server (YouTube, Twitch, a local nginx-rtmp): H.264 + AAC in FLV.

PyAV encodes and muxes FLV into memory; ``rtmp_client.RtmpPublisher`` sends the tags, on the
output's own thread, so neither a slow connect nor a dead server can hold up the engine.
When the server drops or refuses, the output retries after 1, 2, 4, 8 ... (at most 30) s and
discards what arrives meanwhile; each new publish starts with fresh headers, a keyframe and
timestamps counted from its own start.
"""

from __future__ import annotations

import contextlib
import ssl
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import av
import numpy as np

from studio import GENERATOR
from studio.errors import one_line
from studio.media.avstreams import X264_PRESETS, AvEncoder, audio_channels_of, rgb_to_i420
from studio.outputs.aigc_label import aigc_metadata, parse_aigc
from studio.outputs.base import AudioChunk, OutputError, OutputStats, StreamFormat, ThreadedOutput, VideoFrame
from studio.outputs.rtmp_client import RtmpPublisher, RtmpTarget
from studio.outputs.rtmp_wire import split_flv_tags
from studio.translation import tr

__all__ = ["RtmpOutput", "RtmpTarget", "parse_rtmp_url"]

URL_FORM = "rtmp://host[:port]/app/key"
_DEFAULT_PORTS = {"rtmp": 1935, "rtmps": 443}
_MAX_BACKOFF_S = 30
_AUDIO_CHANNELS = 2  # what platforms expect; mono is duplicated
_MAX_HELD_AUDIO_S = 2  # audio kept while a new publish waits for its first video frame
_FLV_HEADER = 13  # file signature + first PreviousTagSize: a stream starts after it


def parse_rtmp_url(url: str) -> RtmpTarget:
    """Check an RTMP address and split it; the error names the problem without the key."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        host, path = parts.hostname, parts.path.lstrip("/")
    except ValueError:  # e.g. an unclosed "[" around an IPv6 address
        scheme, host, path = text.partition("://")[0].lower(), None, ""
    # The host is named only when an app follows it: in "rtmp://KEY" the "host" is the key.
    shown = f"{scheme}://{host}/..." if scheme in _DEFAULT_PORTS and host and path else f"{scheme}://..."

    def bad(problem: str) -> OutputError:
        if scheme in _DEFAULT_PORTS:
            said = tr("{problem} ({address}).").format(problem=problem, address=shown)
        else:
            said = tr("{problem}.").format(problem=problem)
        return OutputError(
            said,
            tr("Use the form {form} (rtmps:// for TLS), as your streaming platform shows it.").format(
                form=URL_FORM
            ),
        )

    if scheme not in _DEFAULT_PORTS:
        raise bad(tr("The stream address must start with rtmp:// or rtmps://"))
    if not host:
        raise bad(tr("The stream address has no host, or one that cannot be read"))
    try:
        port = parts.port or _DEFAULT_PORTS[scheme]
    except ValueError:
        raise bad(tr("The stream address has an invalid port")) from None
    app, _, key = path.partition("/")
    if not app:
        raise bad(tr("The stream address has no app (the part after the host)"))
    key = key.strip("/") + (f"?{parts.query}" if parts.query else "")
    if not key:
        raise bad(tr("The stream address has no stream key (the part after the app)"))
    return RtmpTarget(scheme, host, port, app, key)


class _FlvSink:
    """A write-only file for PyAV: collects the FLV byte stream and cuts it into tags. Having
    no seek, it makes the muxer write a live stream (no duration to patch at the end)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._skip = _FLV_HEADER

    def write(self, data: bytes) -> int:
        self._buffer += data
        return len(data)

    def tags(self) -> list[tuple[int, int, bytes]]:
        if self._skip:
            dropped = min(self._skip, len(self._buffer))
            del self._buffer[:dropped]
            self._skip -= dropped
        return list(split_flv_tags(self._buffer))


def _flv_encoder(
    fmt: StreamFormat, bitrate: int, preset: str, metadata: dict[str, str] | None = None
) -> tuple[Any, AvEncoder, _FlvSink]:
    sink = _FlvSink()
    container = av.open(sink, "w", format="flv", container_options={"flvflags": "no_duration_filesize"})
    # FFmpeg's FLV muxer writes the container's tags into onMetaData as strings.
    for key, value in (metadata or {}).items():
        container.metadata[key] = value
    try:
        encoder = AvEncoder(
            container,
            fmt.width,
            fmt.height,
            fmt.fps,
            fmt.sample_rate,
            # zerolatency: no B-frames (dts = pts) and no lookahead, so a frame leaves at once.
            video_options={
                "preset": preset,
                "tune": "zerolatency",
                "maxrate": str(bitrate),
                "bufsize": str(2 * bitrate),
            },
            audio_channels=_AUDIO_CHANNELS,
            video_bit_rate=bitrate,
        )
        container.start_encoding()
    except BaseException:
        with contextlib.suppress(Exception):
            container.close()
        raise
    return container, encoder, sink


class _Session:
    """One publish: a connection plus the encoders whose stream it carries. Timestamps count
    from the first video frame sent in it; audio that arrives earlier waits for that frame."""

    def __init__(
        self, publisher: RtmpPublisher, fmt: StreamFormat, bitrate: int, preset: str, metadata: dict[str, str]
    ) -> None:
        self.publisher = publisher
        self.fmt = fmt
        self.container, self.encoder, self.sink = _flv_encoder(fmt, bitrate, preset, metadata)
        self.base: int | None = None
        self.held: deque[AudioChunk] = deque()
        self.dropped_audio = 0  # held too long waiting for the first frame
        self._send()  # metadata and codec headers

    def video(self, frame: VideoFrame) -> bool:
        if self.base is None:
            self.base = frame.pts
            while self.held:
                self._audio(self.held.popleft())
        pts = frame.pts - self.base
        if pts < 0:
            return False
        yuv = rgb_to_i420(frame.image, self.fmt.width, self.fmt.height)
        # FLV carries no durations; one frame's span keeps the encoder's bookkeeping simple.
        self.encoder.encode_video(yuv, pts, round(self.fmt.sample_rate / self.fmt.fps))
        self._send()
        return True

    def audio(self, chunk: AudioChunk) -> bool:
        if self.base is not None:
            self._audio(chunk)
            self._send()
            return True
        self.held.append(chunk)
        while self.held[-1].pts - self.held[0].pts > _MAX_HELD_AUDIO_S * self.fmt.sample_rate:
            self.held.popleft()
            self.dropped_audio += 1
        return True

    def _audio(self, chunk: AudioChunk) -> None:
        assert self.base is not None
        samples = audio_channels_of(chunk.samples, _AUDIO_CHANNELS)
        start = chunk.pts - self.base
        written = self.encoder.audio_end
        if start < written:  # before this publish began
            samples, start = samples[written - start :], written
        if samples.shape[0]:
            self.encoder.write_audio(np.ascontiguousarray(samples), start)

    def _send(self) -> None:
        for tag in self.sink.tags():
            self.publisher.send(*tag)
        self.publisher.poll()

    def finish(self) -> None:
        """Flush the encoders and say goodbye to the server."""
        try:
            self.encoder.finish()
            self.container.close()
            self._send()
        finally:
            self.publisher.close()

    def abandon(self) -> None:
        self.publisher.abort()
        with contextlib.suppress(Exception):
            self.container.close()
        self.publisher.close()


class RtmpOutput(ThreadedOutput):
    """An RTMP push that reconnects by itself; ``stats.state`` says how it is doing."""

    name = "rtmp"

    def __init__(
        self,
        url: str,
        video_bitrate: int = 2_500_000,
        preset: str = "veryfast",
        *,
        timeout_s: float = 5.0,
        ssl_context: ssl.SSLContext | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.target = parse_rtmp_url(url)
        # The stream is labelled as AI-generated in onMetaData: our tag and GB 45438-2025's, with
        # one ProduceID for the show that every reconnect repeats.
        self.metadata = {"ai_generated": "true", "generator": GENERATOR, **(metadata or {})}
        if parse_aigc(self.metadata) is None:
            self.metadata.update(aigc_metadata())
        if video_bitrate < 100_000:
            raise OutputError(
                tr("A video bitrate of {bitrate} bit/s is too low to stream.").format(bitrate=video_bitrate),
                tr("Use at least 100000 (platforms suggest 2500000-6000000 for 720p)."),
            )
        if preset not in X264_PRESETS:
            choices = ", ".join(X264_PRESETS)
            raise OutputError(
                tr("Unknown encoder preset '{preset}'.").format(preset=preset),
                tr("Use one of {choices}.").format(choices=choices),
            )
        self.video_bitrate = video_bitrate
        self.preset = preset
        self.timeout_s = timeout_s
        self.ssl_context = ssl_context
        self.publishes = 0  # successful connections, the first one included
        self._audio_discarded = 0  # chunks discarded by publishes that have ended, or while disconnected
        self._session: _Session | None = None
        self._connecting: RtmpPublisher | None = None
        self._attempt = 0
        self._next_try = 0.0
        self._discarded = 0  # video frames discarded while disconnected

    def __repr__(self) -> str:
        return f"RtmpOutput({self.target.masked})"

    @property
    def audio_dropped(self) -> int:
        """Audio chunks discarded: sent while disconnected, or held too long for a first frame."""
        session = self._session
        return self._audio_discarded + (session.dropped_audio if session is not None else 0)

    # -- ThreadedOutput ---------------------------------------------------------------------
    def _open(self, fmt: StreamFormat) -> None:
        # Only local checks here; the connection is made on the output's thread.
        try:
            container, _, _ = _flv_encoder(fmt, self.video_bitrate, self.preset)
            container.close()
        except (av.FFmpegError, ValueError) as exc:
            raise OutputError(
                tr("Cannot encode a {width}x{height} stream at {fps} fps: {error}.").format(
                    width=fmt.width, height=fmt.height, fps=fmt.fps, error=exc
                ),
                tr("Use an even frame size and a standard frame rate."),
            ) from exc
        self._attempt, self._next_try = 0, 0.0
        self._wake.set()  # connect as soon as the thread runs, not at the first frame

    def close(self) -> OutputStats:
        self._stop.set()
        connecting = self._connecting
        if connecting is not None:
            connecting.abort()  # do not wait out a handshake with a silent server
        stats = super().close()
        stats.dropped = self._video.dropped + self._discarded
        return stats

    def _drain(self) -> None:
        try:
            self._drain_connected()
        except Exception as exc:
            raise self._shown(exc) from None

    def _drain_connected(self) -> None:
        # The base's order (all audio, then one frame) but what arrives while disconnected is
        # discarded, and a connection lost halfway is retried instead of failing the output.
        while True:
            if self._session is None and not self._reconnect_if_due():
                self._discard_backlog()
                return
            session = self._session
            assert session is not None
            if self._audio:
                chunk = self._audio.popleft()
                if self._guard(session.audio, chunk):
                    self.stats.audio_chunks += 1
                continue
            frame = self._video.get(timeout=0)
            if frame is None:
                return
            assert isinstance(frame, VideoFrame)
            if self._guard(session.video, frame):
                self.stats.frames += 1
            else:
                self._discarded += 1
            self.stats.dropped = self._video.dropped + self._discarded

    def _close(self) -> None:
        try:
            self._finish_session()
        except Exception as exc:
            raise self._shown(exc) from None

    def _shown(self, exc: Exception) -> OutputError:
        """What the base prints when this output fails: one line, with the key masked."""
        return OutputError(self.target.redact(one_line(exc)))

    def _finish_session(self) -> None:
        session, self._session = self._session, None
        if not self.stats.state.startswith("failed"):
            self.stats.state = "closed"
        if session is not None:
            self._audio_discarded += session.dropped_audio
            try:
                session.finish()
            except OSError:
                session.abandon()  # the server is gone: nothing left to say goodbye to

    # -- connection -----------------------------------------------------------------------
    def _guard(self, write: Callable[[Any], bool], item: AudioChunk | VideoFrame) -> bool:
        """Run one write; True if it went out. A lost connection is retried, not raised."""
        try:
            return write(item)
        except OSError as exc:  # socket errors, timeouts, RtmpError
            session, self._session = self._session, None
            if session is not None:
                self._audio_discarded += session.dropped_audio
                session.abandon()
            self._retry_later(exc)
            return False

    def _reconnect_if_due(self) -> bool:
        if self._stop.is_set() or time.monotonic() < self._next_try:
            return False
        if self._attempt == 0:
            self.stats.state = f"connecting to {self.target.masked}"
        assert self.fmt is not None
        publisher = RtmpPublisher(self.target, self.timeout_s, self.ssl_context)
        self._connecting = publisher
        try:
            publisher.connect()
            self._session = _Session(publisher, self.fmt, self.video_bitrate, self.preset, self.metadata)
        except BaseException as exc:
            publisher.abort()
            publisher.close()
            if not isinstance(exc, OSError):
                raise
            self._retry_later(exc)
            return False
        finally:
            self._connecting = None
        self._attempt = 0
        self.publishes += 1
        self.stats.state = "running"
        # What piled up during the handshake is already late: the new publish starts from now.
        self._discard_backlog()
        return True

    def _retry_later(self, exc: OSError) -> None:
        self._attempt += 1
        delay = min(_MAX_BACKOFF_S, 2 ** (self._attempt - 1))
        self._next_try = time.monotonic() + delay
        reason = self.target.redact(exc.strerror if exc.strerror else (str(exc) or type(exc).__name__))
        self.stats.errors += 1
        self.stats.last_error = reason
        self.stats.state = f"reconnecting in {delay} s (attempt {self._attempt}): {reason}"

    def _discard_backlog(self) -> None:
        while True:
            try:
                self._audio.popleft()
            except IndexError:
                break
            self._audio_discarded += 1
        while self._video.get(timeout=0) is not None:
            self._discarded += 1
        self.stats.dropped = self._video.dropped + self._discarded
