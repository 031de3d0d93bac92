"""The stream's server name is looked up within the connect time limit.

``socket.create_connection``'s timeout does not cover the name lookup: with an unreachable
name server the output stayed silent for 20-40 s before it could say the stream failed.
"""

from __future__ import annotations

import socket
import threading

import pytest

from studio.outputs import rtmp_client
from studio.outputs.rtmp_client import resolve


def test_a_numeric_address_resolves_to_itself() -> None:
    assert resolve("127.0.0.1", 1935, 5.0) == ("127.0.0.1", 1935)


def test_a_lookup_that_hangs_ends_at_the_time_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    # The resolver is the network boundary: this one never answers, as with a dead name server.
    released = threading.Event()

    def hanging(*args: object, **kwargs: object) -> list[object]:
        released.wait(30)
        raise socket.gaierror("released")

    monkeypatch.setattr(rtmp_client.socket, "getaddrinfo", hanging)
    try:
        with pytest.raises(TimeoutError, match=r"could not be looked up in 0\.2 s"):
            resolve("live.example.invalid", 1935, 0.2)
    finally:
        released.set()


def test_a_lookup_that_fails_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*args: object, **kwargs: object) -> list[object]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(rtmp_client.socket, "getaddrinfo", failing)
    with pytest.raises(socket.gaierror, match="Name or service not known"):
        resolve("live.example.invalid", 1935, 5.0)
