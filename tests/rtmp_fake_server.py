"""A scripted RTMP server on 127.0.0.1 for the tests that nginx cannot play: one that answers
the publish and then sends garbage, echoes the key, or writes control characters.

Each accepted connection runs the next script (the last one repeats) on the server's thread;
a script gets a ``FakeConnection`` that speaks just enough RTMP to let a publisher in.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from typing import Any

from studio.outputs.rtmp_wire import ChunkReader, amf_decode, amf_encode, chunked

_TIMEOUT = 10.0


class FakeConnection:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.reader = ChunkReader()
        self.media = 0  # audio and video messages received

    def handshake(self) -> None:
        self.recv_exact(1 + 1536)  # C0 C1
        self.sock.sendall(b"\x03" + bytes(8) + os.urandom(1528) + os.urandom(1536))  # S0 S1 S2
        self.recv_exact(1536)  # C2
        self.sock.sendall(chunked(2, 1, 0, 0, (4096).to_bytes(4, "big")))  # as nginx-rtmp does

    def recv_exact(self, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            piece = self.sock.recv(size - len(data))
            if not piece:
                raise ConnectionError("the client hung up")
            data += piece
        return bytes(data)

    def next_command(self, enough_media: int | None = None) -> list[Any] | None:
        """The client's next command, counting the media that comes before it; None once
        ``enough_media`` audio and video messages have arrived."""
        while True:
            for msg_type, payload in self.reader.messages():
                if msg_type == 1:
                    self.reader.chunk_size = int.from_bytes(payload[:4], "big")
                elif msg_type in (8, 9):
                    self.media += 1
                elif msg_type == 20:
                    return amf_decode(payload)
                if enough_media is not None and self.media >= enough_media:
                    return None
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("the client hung up")
            self.reader.buffer += data

    def wait_for(self, name: str) -> list[Any]:
        while True:
            command = self.next_command()
            if command is not None and command[0] == name:
                return command

    def send_command(self, *values: Any, stream: int = 0) -> None:
        self.sock.sendall(chunked(3, 20, stream, 0, amf_encode(*values)))

    def let_in(self) -> None:
        """Handshake, connect, createStream and publish, answered as nginx-rtmp answers them."""
        self.handshake()
        connect = self.wait_for("connect")
        self.send_command(
            "_result", connect[1], {"fmsVer": "FMS/3,0,1,123"}, {"code": "NetConnection.Connect.Success"}
        )
        create = self.wait_for("createStream")
        self.send_command("_result", create[1], None, 1.0)
        self.wait_for("publish")
        start = {"level": "status", "code": "NetStream.Publish.Start", "description": "Start publishing"}
        self.send_command("onStatus", 0.0, None, start, stream=1)

    def wait_for_media(self, count: int) -> None:
        while self.media < count:
            self.next_command(enough_media=count)

    def hold(self) -> None:
        """Read until the client hangs up."""
        while self.sock.recv(65536):
            pass


Script = Callable[[FakeConnection], None]


class FakeRtmpServer:
    def __init__(self, *scripts: Script) -> None:
        self.scripts = list(scripts)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        self.failures: list[str] = []  # script errors other than the client hanging up
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-rtmp", daemon=True)
        self._thread.start()

    def url(self, key: str, app: str = "live") -> str:
        return f"rtmp://127.0.0.1:{self.port}/{app}/{key}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                sock, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            script = self.scripts[min(self.connections, len(self.scripts) - 1)]
            self.connections += 1
            with sock:
                sock.settimeout(_TIMEOUT)
                try:
                    script(FakeConnection(sock))
                except (ConnectionError, TimeoutError):
                    pass  # the publisher hung up, as it should after garbage
                except OSError as exc:
                    self.failures.append(repr(exc))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=_TIMEOUT)
        self.listener.close()
