"""The stream's server name is looked up within the connect time limit.

``socket.create_connection``'s timeout does not cover the name lookup: with an unreachable
name server the output stayed silent for 20-40 s before it could say the stream failed.
"""

from __future__ import annotations

import socket
import threading

import pytest

from studio.outputs import rtmp_client
from studio.outputs.rtmp_client import open_connection, resolve


def test_a_numeric_address_resolves_to_itself() -> None:
    assert resolve("127.0.0.1", 1935, 5.0) == [("127.0.0.1", 1935)]


def test_the_next_address_is_tried_when_the_first_does_not_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # A name whose first address refuses (as an IPv6 address does without an IPv6 route) and
    # whose second is a real listening socket on this machine.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: connecting is refused at once
    port = server.getsockname()[1]
    addresses = [("127.0.0.1", dead_port), ("127.0.0.1", port)]
    monkeypatch.setattr(rtmp_client, "resolve", lambda host, p, timeout: addresses)
    try:
        with open_connection("live.example.invalid", port, 5.0) as sock:
            assert sock.getpeername() == ("127.0.0.1", port)
    finally:
        server.close()


def test_when_no_address_answers_the_last_refusal_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    dead_port = closed.getsockname()[1]
    closed.close()
    monkeypatch.setattr(rtmp_client, "resolve", lambda host, p, timeout: [("127.0.0.1", dead_port)])
    with pytest.raises(ConnectionRefusedError):
        open_connection("live.example.invalid", dead_port, 5.0)


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
