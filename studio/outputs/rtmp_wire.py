"""The RTMP wire format a publisher needs: AMF0 values, FLV tags from the muxer, and the
chunk stream both ways. The reader refuses anything malformed or oversized with RtmpError, so
a hostile server cannot crash the output or make it allocate gigabytes."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from typing import Any

__all__ = [
    "MAX_SERVER_MESSAGE",
    "OUT_CHUNK",
    "ChunkReader",
    "RtmpError",
    "amf_decode",
    "amf_encode",
    "chunked",
    "malformed",
    "split_flv_tags",
]

OUT_CHUNK = 4096  # the chunk size a publisher announces and sends with
# What a server may make the publisher hold. It only sends small commands and control messages,
# so these are generous, and a hostile server cannot make the app allocate gigabytes.
MAX_SERVER_MESSAGE = 1 << 20  # bytes of one message
_MAX_PENDING = 4 << 20  # bytes of messages still arriving, all chunk streams together
_MAX_AMF_DEPTH = 32  # objects within objects


class RtmpError(ConnectionError):
    """The server refused, dropped, never answered or sent something malformed."""


def malformed(what: str) -> RtmpError:
    return RtmpError(f"the server sent a malformed message ({what})")


# -- AMF0 -------------------------------------------------------------------------------------
def amf_encode(*values: Any) -> bytes:
    out = bytearray()
    for value in values:
        _amf_put(out, value)
    return bytes(out)


def _amf_put(out: bytearray, value: Any) -> None:
    if value is None:
        out.append(0x05)
    elif isinstance(value, bool):
        out += bytes([0x01, int(value)])
    elif isinstance(value, int | float):
        out += b"\x00" + struct.pack(">d", float(value))
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        out += b"\x02" + struct.pack(">H", len(raw)) + raw
    elif isinstance(value, dict):
        out.append(0x03)
        for key, item in value.items():
            raw = str(key).encode("utf-8")
            out += struct.pack(">H", len(raw)) + raw
            _amf_put(out, item)
        out += b"\x00\x00\x09"
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as AMF0")


def amf_decode(data: bytes) -> list[Any]:
    """The AMF0 values in ``data``; ValueError if it is not AMF0 we can read."""
    values, pos = [], 0
    try:
        while pos < len(data):
            value, pos = _amf_get(data, pos, 0)
            values.append(value)
    except (IndexError, struct.error) as exc:
        raise ValueError(f"truncated AMF0 at byte {pos}") from exc
    if pos > len(data):
        raise ValueError("truncated AMF0 at the end")
    return values


def _amf_get(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    if depth > _MAX_AMF_DEPTH:
        raise ValueError(f"AMF0 nested deeper than {_MAX_AMF_DEPTH}")
    marker, pos = data[pos], pos + 1
    if marker == 0x00:
        return struct.unpack_from(">d", data, pos)[0], pos + 8
    if marker == 0x01:
        return bool(data[pos]), pos + 1
    if marker in (0x02, 0x0C):
        size = 2 if marker == 0x02 else 4
        length = int.from_bytes(data[pos : pos + size], "big")
        pos += size
        if pos + length > len(data):
            raise IndexError("string runs past the message")
        return data[pos : pos + length].decode("utf-8", "replace"), pos + length
    if marker in (0x03, 0x08):
        pos += 4 if marker == 0x08 else 0  # an ECMA array's count is only a hint
        obj: dict[str, Any] = {}
        while data[pos : pos + 3] != b"\x00\x00\x09":
            if pos + 2 > len(data):
                raise IndexError("object runs past the message")
            length = int.from_bytes(data[pos : pos + 2], "big")
            key = data[pos + 2 : pos + 2 + length].decode("utf-8", "replace")
            obj[key], pos = _amf_get(data, pos + 2 + length, depth + 1)
        return obj, pos + 3
    if marker == 0x0A:
        count, pos = int.from_bytes(data[pos : pos + 4], "big"), pos + 4
        items = []
        for _ in range(count):  # each item takes a byte at least: a false count runs out
            item, pos = _amf_get(data, pos, depth + 1)
            items.append(item)
        return items, pos
    if marker in (0x05, 0x06):
        return None, pos
    if marker == 0x0B:
        return struct.unpack_from(">d", data, pos)[0], pos + 10
    raise ValueError(f"unsupported AMF0 marker 0x{marker:02x}")


# -- FLV ---------------------------------------------------------------------------------------
def split_flv_tags(buffer: bytearray) -> Iterator[tuple[int, int, bytes]]:
    """Take whole (type, timestamp ms, payload) tags off the front of an FLV byte stream;
    a partial tag stays in ``buffer``. The 13-byte file header must already be gone."""
    while len(buffer) >= 11:
        size = int.from_bytes(buffer[1:4], "big")
        if len(buffer) < 11 + size + 4:
            return
        ts = int.from_bytes(buffer[4:7], "big") | (buffer[7] << 24)
        tag = (buffer[0] & 0x1F, ts, bytes(buffer[11 : 11 + size]))
        del buffer[: 11 + size + 4]
        yield tag


# -- chunk stream ------------------------------------------------------------------------------
class ChunkReader:
    """Reassembles the server's messages from its chunk stream, fed in pieces. A header that
    makes no sense, or a size beyond the limits above, raises RtmpError: the connection is
    then dropped and made again."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self._chunk_size = 128
        self._headers: dict[int, list[int]] = {}  # csid -> [timestamp field, length, type, stream]
        self._partial: dict[int, bytearray] = {}

    @property
    def chunk_size(self) -> int:
        return self._chunk_size

    @chunk_size.setter
    def chunk_size(self, size: int) -> None:
        # The protocol allows up to 2^31 - 1; no message we accept is larger than our limit.
        if not 1 <= size <= 0x7FFFFFFF:
            raise malformed(f"chunk size {size}")
        self._chunk_size = min(size, MAX_SERVER_MESSAGE)

    def messages(self) -> Iterator[tuple[int, bytes]]:
        while True:
            message = self._next()
            if message is None:
                return
            if message[0] >= 0:
                yield message

    def _next(self) -> tuple[int, bytes] | None:
        buf = self.buffer
        if not buf:
            return None
        fmt, csid, pos = buf[0] >> 6, buf[0] & 0x3F, 1
        if csid < 2:
            need = 1 if csid == 0 else 2
            if len(buf) < 1 + need:
                return None
            csid = 64 + buf[1] + (buf[2] << 8 if csid == 1 else 0)
            pos += need
        size = (11, 7, 3, 0)[fmt]
        if len(buf) < pos + size:
            return None
        if fmt >= 2 and csid not in self._headers:
            # Types 2 and 3 reuse the length of an earlier message on this chunk stream.
            raise malformed(f"chunk header type {fmt} on a new chunk stream {csid}")
        header = list(self._headers.get(csid, [0, 0, 0, 0]) if fmt else [0, 0, 0, 0])
        if fmt <= 2:
            header[0] = int.from_bytes(buf[pos : pos + 3], "big")
        if fmt <= 1:
            header[1] = int.from_bytes(buf[pos + 3 : pos + 6], "big")
            header[2] = buf[pos + 6]
        if fmt == 0:
            header[3] = int.from_bytes(buf[pos + 7 : pos + 11], "little")
        pos += size
        if header[1] > MAX_SERVER_MESSAGE:
            raise malformed(f"a message of {header[1]} bytes, more than {MAX_SERVER_MESSAGE}")
        if header[0] == 0xFFFFFF:
            pos += 4  # extended timestamp: only pings carry times we use, in their payload
        partial = self._partial.get(csid, bytearray())
        if fmt < 3 and partial:
            raise malformed(f"a new message on chunk stream {csid} before the last one ended")
        take = min(self._chunk_size, header[1] - len(partial))
        if len(buf) < pos + take:
            return None
        partial += buf[pos : pos + take]
        del buf[: pos + take]
        self._headers[csid] = header
        if len(partial) < header[1]:
            self._partial[csid] = partial
            if sum(map(len, self._partial.values())) > _MAX_PENDING:
                raise malformed(f"more than {_MAX_PENDING} bytes of unfinished messages")
            return (-1, b"")
        self._partial.pop(csid, None)
        return header[2], bytes(partial)


def chunked(csid: int, msg_type: int, stream: int, timestamp: int, payload: bytes) -> bytes:
    ts = timestamp & 0xFFFFFFFF
    extended = ts >= 0xFFFFFF
    ext = ts.to_bytes(4, "big") if extended else b""
    head = (
        bytes([csid])
        + min(ts, 0xFFFFFF).to_bytes(3, "big")
        + len(payload).to_bytes(3, "big")
        + bytes([msg_type])
        + stream.to_bytes(4, "little")
        + ext
    )
    parts = [head, payload[:OUT_CHUNK]]
    for offset in range(OUT_CHUNK, len(payload), OUT_CHUNK):
        parts += [bytes([0xC0 | csid]) + ext, payload[offset : offset + OUT_CHUNK]]
    return b"".join(parts)
