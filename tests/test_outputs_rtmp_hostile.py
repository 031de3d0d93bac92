"""RtmpOutput against a hostile or broken server (a scripted fake on 127.0.0.1): garbage ends
that connection and the output reconnects, sizes are bounded, the stream key never shows in
any form, and a server's text is printed with its control characters escaped."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from fractions import Fraction

import numpy as np
import pytest
from rtmp_fake_server import FakeConnection, FakeRtmpServer, Script

from studio.outputs import rtmp as rtmp_module
from studio.outputs.base import AudioChunk, OutputError, StreamFormat, VideoFrame
from studio.outputs.rtmp import RtmpOutput, parse_rtmp_url
from studio.outputs.rtmp_client import printable
from studio.outputs.rtmp_wire import (
    MAX_SERVER_MESSAGE,
    ChunkReader,
    RtmpError,
    amf_decode,
    amf_encode,
    chunked,
)

W, H, RATE = 64, 64, 48000
FPS = Fraction(30)
FMT = StreamFormat(W, H, FPS)
KEY = "live_8f3k2-mq9z-4tbd-secret"
QUERY_KEY = f"{KEY}?token=sig-9x8y7w6v"


Serve = Callable[..., FakeRtmpServer]


def feed(out: RtmpOutput, until: Callable[[], bool], seconds: float = 8.0) -> list[str]:
    """Send 30 fps of grey frames and silence until ``until()``; the states seen on the way."""
    states: list[str] = []
    image = np.full((H, W, 3), 128, np.uint8)
    samples = RATE // 30
    t0 = time.monotonic()
    i = 0
    while not until():
        assert time.monotonic() - t0 < seconds, f"not reached in {seconds} s; states: {states}"
        out.send_audio(AudioChunk(i * samples, np.zeros(samples, np.float32)))
        out.send_video(VideoFrame(i, i * samples, image))
        if not states or states[-1] != out.stats.state:
            states.append(out.stats.state)
        i += 1
        time.sleep(max(0.0, t0 + i / 30 - time.monotonic()))
    states.append(out.stats.state)
    return states


@pytest.fixture
def serve() -> Iterator[Serve]:
    servers: list[FakeRtmpServer] = []

    def start(*scripts: Script) -> FakeRtmpServer:
        servers.append(FakeRtmpServer(*scripts))
        return servers[-1]

    yield start
    for server in servers:
        server.close()
        assert not server.failures, server.failures


def well_behaved(c: FakeConnection) -> None:
    c.let_in()
    c.hold()


def header(fmt: int, csid: int, length: int, msg_type: int) -> bytes:
    head = bytes([fmt << 6 | csid]) + bytes(3)
    return head + length.to_bytes(3, "big") + bytes([msg_type]) + bytes(4) if fmt == 0 else head


GARBAGE = {
    "a continuation chunk on a chunk stream never opened": bytes([0xC0 | 40]) + b"xyz",
    "a 16 MB message length": header(0, 3, 0xFFFFFF, 20) + b"\x02\x00",
    "a zero chunk size": chunked(2, 1, 0, 0, (0).to_bytes(4, "big")),
    "a huge chunk size, then a message over the limit": chunked(2, 1, 0, 0, (0x7FFFFFFF).to_bytes(4, "big"))
    + header(0, 3, MAX_SERVER_MESSAGE + 1, 20),
    "garbage AMF": chunked(3, 20, 0, 0, b"\x99\x01\x02garbage"),
    "an AMF string longer than its message": chunked(3, 20, 0, 0, b"\x02\xff\xffonly a few bytes"),
    "AMF objects nested 5000 deep": chunked(3, 20, 0, 0, b"\x02\x00\x01x" + b"\x03\x00\x01k" * 5000),
    "an empty command": chunked(3, 20, 0, 0, b""),
    "unfinished messages on many chunk streams": b"".join(
        chunked(csid, 20, 0, 0, amf_encode("x" * 60000))[:40000] for csid in range(3, 63)
    ),
}


@pytest.mark.parametrize("when", ["while publishing", "instead of the connect reply"])
@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=GARBAGE.keys())
def test_a_malformed_message_drops_that_connection_and_the_output_reconnects(
    serve: Serve,
    garbage: bytes,
    when: str,
) -> None:
    def hostile(c: FakeConnection) -> None:
        if when == "while publishing":
            c.let_in()
            c.wait_for_media(10)
        else:
            c.handshake()
            c.wait_for("connect")
        c.sock.sendall(garbage)
        c.hold()  # returns once the publisher hangs up

    server = serve(hostile, well_behaved)
    out = RtmpOutput(server.url(KEY), timeout_s=5.0)
    out.start(FMT)
    try:
        states = feed(out, until=lambda: out.publishes == (2 if when == "while publishing" else 1))
        feed(out, until=lambda: out.stats.frames > 20)
    finally:
        stats = out.close()
    seen = " | ".join(states)
    assert "reconnecting in 1 s (attempt 1): the server sent a malformed message" in seen, seen
    assert not any(s.startswith("failed") for s in states), seen
    assert server.connections == 2 and stats.state == "closed"
    assert stats.errors == 1, "one connection dropped, not a wait for a timeout"


@pytest.mark.parametrize("stream_id", [float("nan"), float("inf"), -1.0, 2.0**40])
def test_a_nonsense_stream_id_is_a_refusal_not_a_crash(serve: Serve, stream_id: float) -> None:
    def odd(c: FakeConnection) -> None:
        c.handshake()
        connect = c.wait_for("connect")
        c.send_command("_result", connect[1], None, {"code": "NetConnection.Connect.Success"})
        create = c.wait_for("createStream")
        c.send_command("_result", create[1], None, stream_id)
        c.hold()

    server = serve(odd, well_behaved)
    out = RtmpOutput(server.url(KEY), timeout_s=5.0)
    out.start(FMT)
    try:
        states = feed(out, until=lambda: out.publishes == 1)
    finally:
        stats = out.close()
    assert "did not create a stream" in " | ".join(states) and stats.errors == 1
    assert server.connections == 2


def test_the_reader_bounds_what_it_buffers() -> None:
    reader = ChunkReader()
    reader.chunk_size = 0x7FFFFFFF
    assert reader.chunk_size == MAX_SERVER_MESSAGE
    reader.buffer += header(0, 3, MAX_SERVER_MESSAGE + 1, 20)
    with pytest.raises(RtmpError, match="malformed"):
        list(reader.messages())
    with pytest.raises(RtmpError, match="chunk size 0"):
        ChunkReader().chunk_size = 0
    with pytest.raises(ValueError, match="nested"):
        amf_decode(b"\x0a\x00\x00\x00\x01" * 100)
    with pytest.raises(ValueError, match="truncated"):
        amf_decode(b"\x00\x01\x02")


def refuse_with(description: str) -> Script:
    def script(c: FakeConnection) -> None:
        c.handshake()
        connect = c.wait_for("connect")
        c.send_command("_result", connect[1], None, {"code": "NetConnection.Connect.Success"})
        create = c.wait_for("createStream")
        c.send_command("_result", create[1], None, 1.0)
        c.wait_for("publish")
        error = {"level": "error", "code": "NetStream.Publish.BadName", "description": description}
        c.send_command("onStatus", 0.0, None, error, stream=1)
        c.hold()

    return script


def test_the_key_is_masked_in_every_form_a_server_echoes_it(serve: Serve) -> None:
    key_alone, token = QUERY_KEY.split("?")
    echo = f"Stream {key_alone} is already publishing (token={token.split('=')[1]}, full {QUERY_KEY})"
    server = serve(refuse_with(echo))
    out = RtmpOutput(server.url(QUERY_KEY), timeout_s=5.0)
    out.start(FMT)
    try:
        states = feed(out, until=lambda: out.stats.errors >= 1)
    finally:
        stats = out.close()
    texts = [*states, stats.last_error, repr(out), repr(out.target), out.target.masked]
    assert "already publishing" in stats.last_error and "NetStream.Publish.BadName" in stats.last_error
    for text in texts:
        assert "secret" not in text and "9x8y7w6v" not in text and "mq9z" not in text, text


def test_a_servers_control_characters_are_escaped(serve: Serve) -> None:
    server = serve(refuse_with("bad\x1b[2J\x1b[31mname\r\n\x07\u202etxt.exe" + "!" * 5000))
    out = RtmpOutput(server.url(KEY), timeout_s=5.0)
    out.start(FMT)
    try:
        feed(out, until=lambda: out.stats.errors >= 1)
    finally:
        stats = out.close()
    shown = stats.last_error
    assert "bad\\x1b[2J\\x1b[31mname\\r\\n\\x07\\u202etxt.exe" in shown, shown
    assert all(ch.isprintable() for ch in stats.state), stats.state
    assert len(shown) < 300, "a server cannot fill the screen"


@pytest.mark.parametrize(
    "url",
    [
        "rtmp://live_8f3k2-mq9z-4tbd-secret",
        "rtmp://live_8f3k2-mq9z-4tbd-secret/",
        "rtmps://[live_8f3k2-mq9z-4tbd-secret/live/x",
        "live_8f3k2-mq9z-4tbd-secret:443",
        "rtmp://host/live_8f3k2-mq9z-4tbd-secret",
    ],
)
def test_an_address_that_is_only_a_key_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(OutputError) as err:
        parse_rtmp_url(url)
    assert "secret" not in str(err.value) and "mq9z" not in str(err.value), str(err.value)


def test_redaction_covers_the_key_its_path_and_its_query() -> None:
    target = parse_rtmp_url(f"rtmp://ingest.example/live/{QUERY_KEY}")
    assert target.key == QUERY_KEY and "secret" not in repr(target)
    text = f"a {QUERY_KEY} b {KEY} c sig-9x8y7w6v d token=sig-9x8y7w6v"
    shown = target.redact(text)
    assert "secret" not in shown and "9x8y7w6v" not in shown
    assert shown.startswith("a live**** b live**** c ")
    # A short key is masked as a word, without eating the same letters inside other words.
    short = parse_rtmp_url("rtmp://host/app/abc")
    assert short.redact("key abc refused; abcdef stays") == "key **** refused; abcdef stays"
    assert printable("ok\tthen\x00\x9b[1m") == "ok\\tthen\\x00\\x9b[1m"


def test_a_failure_outside_the_connection_is_shown_with_the_key_masked(
    serve: Serve,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken_encoder(self: object, frame: VideoFrame) -> bool:
        raise RuntimeError(f"encoder broke while sending to {KEY}\n second line")

    monkeypatch.setattr(rtmp_module._Session, "video", broken_encoder)
    server = serve(well_behaved)
    out = RtmpOutput(server.url(KEY), timeout_s=5.0)
    out.start(FMT)
    try:
        states = feed(out, until=lambda: out.stats.state.startswith("failed"))
    finally:
        stats = out.close()
    assert "encoder broke" in stats.last_error and "\n" not in stats.last_error
    for text in [*states, stats.last_error]:
        assert KEY not in text and "secret" not in text, text
