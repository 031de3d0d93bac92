"""The audience page on loopback, driven by a real HTTP and WebSocket client (aiohttp's)."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from studio.commerce import load_catalog
from studio.errors import InputError
from studio.room import ModerationQueue
from studio.room.server import ASSETS, OUTBOX, PAGES, AudiencePage, Limits, Outbox

CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog" / "catalog.toml"
XSS = "<img src=x onerror=\"document.title='pwned'\"><script>alert(1)</script>"


@pytest.fixture
def room() -> ModerationQueue:
    return ModerationQueue(load_catalog(CATALOG), product="mug")


@pytest.fixture
def page(room: ModerationQueue) -> Iterator[AudiencePage]:
    served = AudiencePage(room)
    served.start()
    yield served
    served.stop()


def moderator_socket(page: AudiencePage, token: str | None = None) -> str:
    return f"ws://127.0.0.1:{page.port}/ws/moderator?token={token if token is not None else page.token}"


async def until(ws: aiohttp.ClientWebSocketResponse, kind: str, test: Any = None) -> dict[str, Any]:
    """The next message of type ``kind`` (that passes ``test``), skipping the others."""
    while True:
        message = await asyncio.wait_for(ws.receive_json(), 20)
        if message["type"] == kind and (test is None or test(message)):
            return message


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_a_comment_is_queued_with_its_answer_approved_by_the_moderator_and_shown_to_viewers(
    page: AudiencePage, room: ModerationQueue
) -> None:
    async def scenario() -> dict[str, Any]:
        async with aiohttp.ClientSession() as http:
            viewer = await http.ws_connect(f"ws://127.0.0.1:{page.port}/ws")
            moderator = await http.ws_connect(moderator_socket(page))
            assert (await until(moderator, "queue"))["items"] == []
            await viewer.send_json({"type": "comment", "user": "ann", "text": "Is it microwave safe?"})
            queued = await until(viewer, "queued")
            waiting = await until(moderator, "queue", lambda m: m["items"])
            [item] = waiting["items"]
            assert item["id"] == queued["id"] and item["user"] == "ann"
            assert item["suggested"] == "No, the steel body must not go in the microwave."
            assert (item["kind"], item["sources"]) == ("faq", ["mug/faq/1"])
            await moderator.send_json({"type": "approve", "id": item["id"], "by": "maria"})
            await until(moderator, "queue", lambda m: m["waiting_to_be_spoken"] == 1)
            reply = await asyncio.to_thread(room.next_reply, 20)  # the show takes it and says it
            assert reply is not None and reply.by == "maria"
            room.spoken(reply)
            shown = await until(viewer, "spoken")
            await viewer.close()
            await moderator.close()
            return shown

    shown = run(scenario())
    assert shown["text"] == "No, the steel body must not go in the microwave."
    assert (shown["user"], shown["question"]) == ("ann", "Is it microwave safe?")


def test_a_viewer_cannot_reach_the_moderators_page_or_socket(page: AudiencePage) -> None:
    async def scenario() -> list[int]:
        statuses = []
        async with aiohttp.ClientSession() as http:
            for url in (f"http://127.0.0.1:{page.port}/moderator", page.moderator_url + "x"):
                async with http.get(url) as response:
                    statuses.append(response.status)
            for token in ("", "guess", page.token[:-1]):
                with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                    await http.ws_connect(moderator_socket(page, token))
                statuses.append(refused.value.status)
            async with http.get(page.moderator_url) as response:
                statuses.append(response.status)
        return statuses

    assert run(scenario()) == [403, 403, 403, 403, 403, 200]
    assert page.moderator_url.startswith("http://127.0.0.1:") and len(page.token) >= 20


def test_an_edit_that_breaks_a_rule_is_refused_on_the_moderators_socket(
    page: AudiencePage, room: ModerationQueue
) -> None:
    async def scenario() -> dict[str, Any]:
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"http://127.0.0.1:{page.port}/comment", json={"user": "bob", "text": "who designed it?"}
            ) as response:
                assert response.status == 200
                queued = await response.json()
            moderator = await http.ws_connect(moderator_socket(page))
            await moderator.send_json(
                {"type": "edit", "id": queued["id"], "text": "The best mug in the world."}
            )
            refused = await until(moderator, "error")
            await moderator.close()
            return {"refused": refused, "id": queued["id"]}

    result = run(scenario())
    assert result["refused"]["id"] == result["id"]
    assert re.search(r"EN-ABS-01 .*the best", result["refused"]["message"])
    assert [i.id for i in room.pending()] == [result["id"]]


def test_oversized_messages_floods_and_crowds_are_refused(room: ModerationQueue) -> None:
    page = AudiencePage(room, limits=Limits(message_bytes=1024, burst=2, every_s=3600, viewers=1))
    page.start()

    async def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with aiohttp.ClientSession() as http:
            viewer = await http.ws_connect(f"ws://127.0.0.1:{page.port}/ws")
            with pytest.raises(aiohttp.WSServerHandshakeError) as crowded:
                await http.ws_connect(f"ws://127.0.0.1:{page.port}/ws")
            seen["crowded"] = crowded.value.status
            answers = []
            for n in range(3):
                await viewer.send_json({"type": "comment", "user": "spam", "text": f"question number {n}?"})
                answers.append(await asyncio.wait_for(viewer.receive_json(), 20))
            seen["answers"] = [a["type"] for a in answers]
            seen["slow_down"] = answers[-1].get("message", "")
            await viewer.send_str('{"type": "comment", "text": "' + "x" * 2000 + '"}')
            closing = await asyncio.wait_for(viewer.receive(), 20)
            seen["closed"] = (closing.type, viewer.close_code)
            async with http.post(
                f"http://127.0.0.1:{page.port}/comment", data=b'{"text": "' + b"x" * 4000 + b'"}'
            ) as response:
                seen["post"] = response.status
        return seen

    try:
        seen = run(scenario())
    finally:
        page.stop()
    assert seen["crowded"] == 503
    assert seen["answers"] == ["queued", "queued", "error"] and "slow down" in seen["slow_down"]
    assert seen["closed"] == (aiohttp.WSMsgType.CLOSE, aiohttp.WSCloseCode.MESSAGE_TOO_BIG)
    assert seen["post"] == 413
    assert len(room.pending()) == 2


def test_untrusted_text_travels_as_data_and_the_pages_never_parse_it_as_html(page: AudiencePage) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, str]]:
        async with aiohttp.ClientSession() as http:
            moderator = await http.ws_connect(moderator_socket(page))
            async with http.post(f"http://127.0.0.1:{page.port}/comment", json={"user": XSS, "text": XSS}):
                pass
            queued = await until(moderator, "queue", lambda m: m["items"])
            await moderator.close()
            async with http.get(f"http://127.0.0.1:{page.port}/") as response:
                headers = dict(response.headers)
            return queued["items"][0], headers

    item, headers = run(scenario())
    assert item["question"] == XSS  # kept as written: the page shows it as text
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'none'" in csp
    for script in ("viewer.js", "moderator.js"):
        source = resources.files("studio.room").joinpath("static", script).read_text(encoding="utf-8")
        assert "textContent" in source
        assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", source)


def test_the_pages_come_from_the_package_with_no_outside_address(page: AudiencePage) -> None:
    async def fetch(path: str) -> str:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{page.port}{path}") as response,
        ):
            assert response.status == 200
            return await response.text()

    for path in (
        "/",
        page.moderator_url.split(str(page.port), 1)[1],
        "/static/room.css",
        "/static/viewer.js",
        "/static/moderator.js",
    ):
        body = run(fetch(path))
        assert not re.search(r"https?://(?!127\.0\.0\.1)", body), path


def test_a_port_in_use_is_one_clear_error(room: ModerationQueue) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(InputError, match=f"cannot listen on 127.0.0.1:{port}.*another --port"):
            AudiencePage(room, port=port).start()
    with pytest.raises(InputError, match="not a TCP port"):
        AudiencePage(room, port=70000)


def test_every_page_file_is_declared_package_data_so_the_wheel_carries_it() -> None:
    import fnmatch
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["studio.room"]
    static = resources.files("studio.room").joinpath("static")
    files = sorted(f"static/{entry.name}" for entry in static.iterdir() if entry.is_file())
    assert files and all(any(fnmatch.fnmatch(f, p) for p in patterns) for f in files), (files, patterns)
    served = {*PAGES.values(), *ASSETS}
    assert {
        f.removeprefix("static/") for f in files
    } == served  # nothing shipped unserved, nothing served missing


def test_another_site_or_another_name_for_the_server_gets_nothing(page: AudiencePage) -> None:
    async def statuses() -> list[int]:
        got = []
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{page.port}"
            for path, headers in (
                ("/", {"Host": f"evil.example:{page.port}"}),  # a rebound name for 127.0.0.1
                ("/", {"Host": f"localhost:{page.port}"}),
                ("/", {}),
            ):
                async with http.get(base + path, headers=headers) as response:
                    got.append(response.status)
            for origin in ("http://evil.example", base):
                async with http.post(
                    base + "/comment", json={"text": "hello?"}, headers={"Origin": origin}
                ) as response:
                    got.append(response.status)
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(base + "/ws", origin="http://evil.example")
            got.append(refused.value.status)
        return got

    assert run(statuses()) == [421, 200, 200, 403, 200, 403]


class StuckSocket:
    """A socket whose reader stopped reading: every send waits until ``release``."""

    def __init__(self) -> None:
        self.closed = False
        self.sent: list[dict[str, Any]] = []
        self.release = asyncio.Event()

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.release.wait()
        self.sent.append(message)


def test_a_reader_that_stops_reading_holds_a_bounded_backlog_and_the_newest_queue() -> None:
    async def scenario() -> tuple[list[dict[str, Any]], int, int]:
        ws = StuckSocket()
        outbox = Outbox(ws)
        for n in range(100):
            outbox.put({"type": "queue", "items": [n]})
            outbox.put({"type": "spoken", "id": n})
        waiting = len(outbox.waiting)
        ws.release.set()
        for _ in range(1000):
            if not outbox.waiting:
                break
            await asyncio.sleep(0)
        return ws.sent, waiting, outbox.dropped

    sent, waiting, dropped = run(scenario())
    assert waiting <= OUTBOX and dropped > 0
    queues = [m for m in sent if m["type"] == "queue"]
    assert queues[-1]["items"] == [99] and len(queues) <= 2  # the one in flight, then the newest
    assert [m["id"] for m in sent if m["type"] == "spoken"][-1] == 99


def test_a_post_whose_bytes_are_not_its_text_is_refused_in_one_reply(
    page: AudiencePage, room: ModerationQueue, caplog: pytest.LogCaptureFixture
) -> None:
    # A viewer's malformed body must not be a server error with a traceback in the operator's terminal.
    async def post() -> list[tuple[int, dict[str, Any]]]:
        got = []
        async with aiohttp.ClientSession() as http:
            for body, kind in [
                (b'{"user": "a", "text": "\xff\xfe is it cheap?"}', "application/json"),
                (b'{"text": "hi"}', "application/json; charset=no-such-codec"),
                (b'{"text": "hi"}', "text/plain; charset=utf-16"),
                (b"[" * 2000, "application/json"),  # deeper than json.loads recurses
            ]:
                url = f"http://127.0.0.1:{page.port}/comment"
                async with http.post(url, data=body, headers={"Content-Type": kind}) as response:
                    got.append((response.status, await response.json()))
        return got

    replies = asyncio.run(post())
    # JSON is UTF-8 whatever charset the request claims (RFC 8259).
    assert [status for status, _ in replies] == [400, 200, 200, 400]
    assert all(reply["type"] == "error" for status, reply in replies if status == 400)
    assert not [r for r in caplog.records if r.exc_info]
    assert [item.comment.text for item in room.pending()] == ["hi"]  # the second "hi" is a repeat
