"""A small RTMP publisher: handshake, connect, publish, then FLV tags sent as RTMP messages.

Why not FFmpeg's rtmp protocol through PyAV: PyAV opens an output URL with ``avio_open``
while holding the GIL and without options, so DNS, the handshake and a silent server freeze
every Python thread of the app (the engine's included) and no ``rw_timeout`` can be set. The
socket calls here release the GIL and honour a timeout; PyAV only muxes FLV into memory.

Protocol as OBS and FFmpeg speak it to YouTube, Twitch and nginx-rtmp: the plain handshake,
``connect`` to the app, ``releaseStream``/``FCPublish``/``createStream``, ``publish`` the key,
then audio (8), video (9) and ``@setDataFrame`` data (18) messages on their own chunk streams.
"""

from __future__ import annotations

import contextlib
import os
import re
import select
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from studio import errors
from studio.outputs.rtmp_wire import (
    OUT_CHUNK,
    ChunkReader,
    RtmpError,
    amf_decode,
    amf_encode,
    chunked,
    malformed,
)

__all__ = [
    "RtmpError",
    "RtmpPublisher",
    "RtmpTarget",
    "printable",
    "redact_key",
]

_HANDSHAKE = 1536
_CS_CONTROL, _CS_COMMAND, _CS_AUDIO, _CS_DATA, _CS_VIDEO = 2, 3, 4, 5, 6
_SET_CHUNK_SIZE, _ACK, _USER_CONTROL, _WINDOW_ACK, _PEER_BW = 1, 3, 4, 5, 6
_AUDIO, _VIDEO, _DATA_AMF0, _CMD_AMF3, _CMD_AMF0 = 8, 9, 18, 17, 20
_PING_REQUEST, _PING_RESPONSE = 6, 7
_CHANNEL_OF = {_AUDIO: _CS_AUDIO, _VIDEO: _CS_VIDEO, _DATA_AMF0: _CS_DATA}
_MAX_QUEUED_COMMANDS = 64  # unanswered commands kept while waiting for one
_MAX_SHOWN = 200  # characters of server text shown to the user


def printable(text: str, limit: int = _MAX_SHOWN) -> str:
    """``text`` safe to print (a server's text could otherwise move the cursor, recolour or
    rewrite a terminal), cut to ``limit`` characters."""
    return errors.printable(text, limit)


def resolve(host: str, port: int, timeout: float) -> list[tuple[str, int]]:
    """``host``'s TCP addresses, in the resolver's order, looked up within ``timeout`` seconds.

    ``create_connection``'s timeout covers the connect, not the name lookup: with an
    unreachable name server, glibc's resolver retries for 20-40 s before any state can be
    reported. The lookup runs on a daemon thread that is abandoned when it takes too long.
    """
    found: list[tuple[str, int]] = []
    failed: list[OSError] = []

    def look_up() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            found.extend((str(info[4][0]), int(info[4][1])) for info in infos)
        except OSError as exc:
            failed.append(exc)

    worker = threading.Thread(target=look_up, name="rtmp-resolve", daemon=True)
    worker.start()
    worker.join(timeout)
    if found:
        return found
    if failed:
        raise failed[0]
    raise TimeoutError(f"the server's name could not be looked up in {timeout:g} s")


def open_connection(host: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to the first of ``host``'s addresses that answers (an IPv6 address
    listed first on a network without an IPv6 route must fall back to IPv4, as
    ``create_connection`` does with a name)."""
    last: OSError | None = None
    for address in resolve(host, port, timeout):
        try:
            return socket.create_connection(address, timeout=timeout)
        except OSError as exc:
            last = exc
    assert last is not None  # resolve() returns at least one address or raises
    raise last


@dataclass(frozen=True)
class RtmpTarget:
    scheme: str  # "rtmp" or "rtmps"
    host: str
    port: int
    app: str
    key: str = field(repr=False)

    @property
    def tc_url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}/{self.app}"

    @property
    def masked_key(self) -> str:
        # Enough to tell two keys apart in a log, never enough to stream with.
        return f"{self.key[:4]}****" if len(self.key) >= 12 else "****"

    @property
    def masked(self) -> str:
        return f"{self.tc_url}/{self.masked_key}"

    def redact(self, text: str) -> str:
        """``text`` made safe to show: the key masked wherever it appears, with or without its
        ``?query`` (servers echo the key without it) and the query alone, then control
        characters escaped. Every text that may carry the address or a server's words goes
        through here."""
        return printable(redact_key(text, self.key, self.masked_key))


def redact_key(text: str, key: str, masked: str = "****") -> str:
    """``text`` with ``key``, its part before ``?``, its query and the query's values (tokens,
    signatures) each replaced by ``masked``."""
    path, _, query = key.partition("?")
    values = {pair.partition("=")[2] for pair in query.split("&")}
    secrets = {key, path, query} | {value for value in values if len(value) >= 4}
    for secret in sorted(secrets - {""}, key=len, reverse=True):
        if len(secret) >= 6:
            text = text.replace(secret, masked)
        else:  # a short key only as a whole word, or every "live" in a message would go
            text = re.sub(rf"(?<![\w-]){re.escape(secret)}(?![\w-])", masked, text)
    return text


# -- the publisher ----------------------------------------------------------------------------
class RtmpPublisher:
    """One publishing connection. ``connect`` blocks (up to ``timeout`` per step) and must run
    on the output's own thread; ``send`` and ``poll`` raise ``RtmpError``/``OSError`` when the
    server is gone. ``abort`` may be called from any thread."""

    def __init__(self, target: RtmpTarget, timeout: float, ssl_context: ssl.SSLContext | None = None) -> None:
        self.target = target
        self.timeout = timeout
        self._ssl_context = ssl_context
        self._sock: socket.socket | None = None
        self._reader = ChunkReader()
        self._stream_id = 0
        self._window = 2_500_000
        self._received = 0
        self._acked = 0
        self._txn = 0
        self._commands: list[list[Any]] = []

    def connect(self) -> None:
        t = self.target
        sock = open_connection(t.host, t.port, self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if t.scheme == "rtmps":
            context = self._ssl_context or ssl.create_default_context()
            sock = context.wrap_socket(sock, server_hostname=t.host)
        self._sock = sock
        self._handshake()
        self._send_raw(chunked(_CS_CONTROL, _SET_CHUNK_SIZE, 0, 0, OUT_CHUNK.to_bytes(4, "big")))
        props = {"app": t.app, "type": "nonprivate", "flashVer": "FMLE/3.0 (compatible; Studio)"}
        reply = self._call("connect", {**props, "tcUrl": t.tc_url})
        if reply[0] != "_result":
            raise RtmpError(f"the server refused the app '{t.app}': {self._describe(reply)}")
        self._command("releaseStream", None, t.key)
        self._command("FCPublish", None, t.key)
        reply = self._call("createStream", None)
        # A stream id goes into every message header as 4 bytes (NaN compares false: refused).
        if (
            reply[0] != "_result"
            or len(reply) < 4
            or not isinstance(reply[3], float)
            or not 0 <= reply[3] < 2**32
        ):
            raise RtmpError(f"the server did not create a stream: {self._describe(reply)}")
        self._stream_id = int(reply[3])
        self._command("publish", None, t.key, "live", stream=self._stream_id, txn=0)
        status = self._wait(lambda c: c[0] == "onStatus" and "Publish" in str(self._info(c).get("code", "")))
        info = self._info(status)
        if info.get("code") != "NetStream.Publish.Start":
            raise RtmpError(f"the server refused to publish: {self._describe(status)}")

    def send(self, tag_type: int, timestamp: int, payload: bytes) -> None:
        """Send one FLV tag's payload as an RTMP message."""
        if tag_type == _DATA_AMF0:
            # A stream's metadata goes to the server as "@setDataFrame", as FFmpeg and OBS send it.
            payload = amf_encode("@setDataFrame") + payload
        channel = _CHANNEL_OF.get(tag_type)
        if channel is not None:
            self._send_raw(chunked(channel, tag_type, self._stream_id, timestamp, payload))

    def poll(self) -> None:
        """Handle what the server sent (pings, acks, errors) without waiting."""
        sock = self._sock
        assert sock is not None
        pending = isinstance(sock, ssl.SSLSocket) and sock.pending() > 0
        if pending or select.select([sock], [], [], 0)[0]:
            self._receive()
        for command in self._commands:
            if command[0] == "onStatus" and self._info(command).get("level") == "error":
                raise RtmpError(f"the server stopped the stream: {self._describe(command)}")
        self._commands.clear()

    def close(self) -> None:
        """Say goodbye if the connection still works; never raises."""
        if self._sock is None:
            return
        with contextlib.suppress(OSError):
            self._command("FCUnpublish", None, self.target.key)
            self._command("deleteStream", None, float(self._stream_id))
        self.abort()
        self._sock.close()

    def abort(self) -> None:
        """Make any blocked send or receive return at once (from any thread)."""
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    # -- internals ------------------------------------------------------------------------
    def _handshake(self) -> None:
        # Plain handshake (version 3, zero "version" field in C1): every server accepts it
        # from a publisher; the digest variant only matters to Flash players.
        c1 = bytes(8) + os.urandom(_HANDSHAKE - 8)
        self._send_raw(b"\x03" + c1)
        s0s1 = self._recv_exact(1 + _HANDSHAKE)
        if s0s1[0] != 3:
            raise RtmpError(f"not an RTMP server (handshake version {s0s1[0]})")
        self._send_raw(s0s1[1:])  # C2 echoes S1
        self._recv_exact(_HANDSHAKE)  # S2

    def _command(self, name: str, *args: Any, stream: int = 0, txn: int | None = None) -> int:
        if txn is None:
            self._txn += 1
            txn = self._txn
        payload = amf_encode(name, float(txn), *args)
        self._send_raw(chunked(_CS_COMMAND, _CMD_AMF0, stream, 0, payload))
        return txn

    def _call(self, name: str, *args: Any) -> list[Any]:
        txn = self._command(name, *args)
        return self._wait(lambda c: c[0] in ("_result", "_error") and len(c) > 1 and c[1] == txn)

    def _wait(self, match: Callable[[list[Any]], bool]) -> list[Any]:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, command in enumerate(self._commands):
                if match(command):
                    del self._commands[: i + 1]
                    return command
            if time.monotonic() > deadline:
                raise RtmpError(f"no answer from the server in {self.timeout:.0f} s")
            self._receive()

    def _receive(self) -> None:
        assert self._sock is not None
        data = self._sock.recv(65536)
        if not data:
            raise RtmpError("the server closed the connection")
        self._received += len(data)
        self._reader.buffer += data
        try:
            for msg_type, payload in self._reader.messages():
                self._handle(msg_type, payload)
        except (ValueError, IndexError, struct.error, RecursionError) as exc:
            raise malformed(printable(str(exc) or type(exc).__name__)) from None
        if self._received - self._acked >= self._window // 2:
            self._acked = self._received
            ack = (self._received & 0xFFFFFFFF).to_bytes(4, "big")
            self._send_raw(chunked(_CS_CONTROL, _ACK, 0, 0, ack))

    def _handle(self, msg_type: int, payload: bytes) -> None:
        if msg_type == _SET_CHUNK_SIZE:
            if len(payload) < 4:
                raise malformed("a short Set Chunk Size")
            self._reader.chunk_size = int.from_bytes(payload[:4], "big") & 0x7FFFFFFF
        elif msg_type == _WINDOW_ACK:
            self._window = max(1, int.from_bytes(payload[:4], "big"))
        elif msg_type == _USER_CONTROL and payload[:2] == _PING_REQUEST.to_bytes(2, "big"):
            # Servers drop a client that does not answer pings (nginx-rtmp after ping_timeout).
            pong = _PING_RESPONSE.to_bytes(2, "big") + payload[2:6]
            self._send_raw(chunked(_CS_CONTROL, _USER_CONTROL, 0, 0, pong))
        elif msg_type in (_CMD_AMF0, _CMD_AMF3):
            body = payload[1:] if msg_type == _CMD_AMF3 else payload
            command = amf_decode(body)
            if not command or not isinstance(command[0], str):
                raise malformed("a command without a name")
            self._commands.append(command)
            del self._commands[:-_MAX_QUEUED_COMMANDS]

    def _send_raw(self, data: bytes) -> None:
        assert self._sock is not None
        self._sock.sendall(data)

    def _recv_exact(self, size: int) -> bytes:
        assert self._sock is not None
        data = bytearray()
        while len(data) < size:
            piece = self._sock.recv(size - len(data))
            if not piece:
                raise RtmpError("the server closed the connection during the handshake")
            data += piece
        return bytes(data)

    @staticmethod
    def _info(command: list[Any]) -> dict[str, Any]:
        found = [v for v in command[2:] if isinstance(v, dict) and "code" in v]
        return found[0] if found else {}

    def _describe(self, command: list[Any]) -> str:
        info = self._info(command)
        text = " ".join(str(info.get(k, "")) for k in ("code", "description")).strip()
        return self.target.redact(text or str(command[0]))
