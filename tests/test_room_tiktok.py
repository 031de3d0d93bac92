"""TikTok LIVE comments through the real TikTokLive client, with fakes only where it meets the
network: its web client (room id, live check, the signed first response) and its WebSocket
(which yields the room's messages). The library's own decoding and event dispatch run for real:
a chat message goes in as TikTok's protobuf bytes and comes out as a ``Comment``."""

from __future__ import annotations

import asyncio
import queue
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from studio.commerce import load_catalog
from studio.errors import InputError
from studio.room import Comment, ModerationQueue
from studio.room.tiktok import TikTokComments, creator_id

TikTokLive = pytest.importorskip(
    "TikTokLive", reason="the tiktok extra is not installed (pip install studio[tiktok])"
)
from TikTokLive import TikTokLiveClient  # noqa: E402
from TikTokLive.proto import (  # noqa: E402
    ProtoMessageFetchResult,
    ProtoMessageFetchResultBaseProtoMessage,
    User,
    WebcastChatMessage,
)

CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog" / "catalog.toml"


def chat(nick: str, text: str) -> ProtoMessageFetchResultBaseProtoMessage:
    """One chat message as TikTok's Webcast server sends it: the method name and protobuf bytes."""
    payload = bytes(WebcastChatMessage(user_info=User(nick_name=nick), content=text))
    return ProtoMessageFetchResultBaseProtoMessage(method="WebcastChatMessage", payload=payload)


class FakeWeb:
    """The HTTP side: the room is live and signs the first response, which holds ``messages``."""

    def __init__(self, first: ProtoMessageFetchResult, live: bool = True) -> None:
        self.first, self.live = first, live
        self.params: dict[str, Any] = {}
        self.cookies: dict[str, str] = {}
        self.headers = {"User-Agent": "test"}
        self.authenticate_websocket = False
        self.fetch_video_data = type("Recorder", (), {"is_recording": False})()
        self.asked_for: list[str] = []

    async def fetch_room_id_from_html(self, unique_id: str) -> int:
        self.asked_for.append(unique_id)
        return 7000001

    async def fetch_is_live(self, room_id: int) -> bool:
        return self.live

    async def fetch_signed_websocket(self, preferred_agent_id: str | None = None) -> ProtoMessageFetchResult:
        return self.first

    async def close(self) -> None:
        pass


class FakeSocket:
    """The WebSocket: yields the first response and then ``later``, then stays open until closed."""

    def __init__(self, later: list[ProtoMessageFetchResult]) -> None:
        self.later = later
        self.closed = asyncio.Event()
        self.connected = False

    async def connect(
        self, initial_webcast_response: ProtoMessageFetchResult, **_: Any
    ) -> AsyncIterator[Any]:
        self.connected = True
        yield initial_webcast_response
        for response in self.later:
            yield response
        await self.closed.wait()
        self.connected = False

    async def disconnect(self) -> None:
        self.closed.set()


def faked(first: list[Any], later: list[list[Any]], live: bool = True) -> Any:
    """A ``client_factory``: the real client, its network sides replaced."""
    made: list[Any] = []

    def factory(unique_id: str) -> Any:
        client = TikTokLiveClient(unique_id)
        client._web = FakeWeb(ProtoMessageFetchResult(messages=first, is_first=True), live)
        client._ws = FakeSocket([ProtoMessageFetchResult(messages=m) for m in later])
        made.append(client)
        return client

    factory.made = made  # type: ignore[attr-defined]
    return factory


def test_chat_messages_become_comments_and_reach_the_moderation_queue() -> None:
    room = ModerationQueue(load_catalog(CATALOG), product="mug")
    got: queue.Queue[Comment] = queue.Queue()

    def deliver(comment: Comment) -> None:
        room.submit(comment)
        got.put(comment)

    factory = faked(
        [chat("Ann", "Is it microwave safe?")], [[chat("Bo", "可以放微波炉吗？"), chat("Cy", "  ")]]
    )
    source = TikTokComments("https://www.tiktok.com/@studio_demo/live", client_factory=factory)
    source.start(deliver)
    try:
        first, second = got.get(timeout=30), got.get(timeout=30)
    finally:
        source.stop()
    assert (first.user, first.text, first.source) == ("Ann", "Is it microwave safe?", "tiktok")
    assert (second.user, second.text) == ("Bo", "可以放微波炉吗？")
    assert source.connected.is_set() and source.count == 2 and source.problem is None
    assert factory.made[0]._web.asked_for == ["studio_demo"]
    answers = {i.comment.user: i.answer for i in room.pending()}
    assert answers["Ann"].text == "No, the steel body must not go in the microwave."
    assert answers["Bo"].text == "不可以，不锈钢杯身不能放进微波炉。"
    assert got.empty()  # the blank message gave no comment


def test_a_flood_is_cut_to_the_rate_limit_and_counted() -> None:
    got: queue.Queue[Comment] = queue.Queue()
    flood = [chat(f"v{n}", f"question {n}") for n in range(50)]
    source = TikTokComments("@studio_demo", burst=5, every_s=3600, client_factory=faked(flood, []))
    source.start(got.put)
    try:
        assert source.connected.wait(30)
        for _ in range(5):
            got.get(timeout=30)
    finally:
        source.stop()
    assert got.empty() and (source.count, source.skipped) == (5, 45)


def test_a_room_that_is_not_live_is_a_problem_not_a_crash() -> None:
    source = TikTokComments("@studio_demo", client_factory=faked([], [], live=False))
    source.start(lambda comment: None)
    assert source.finished.wait(30)
    source.stop()
    assert source.problem is not None
    assert source.problem.startswith("TikTok LIVE comments from @studio_demo stopped (UserOfflineError")


def test_a_creator_is_named_by_handle_or_address() -> None:
    assert (
        creator_id("@studio_demo") == creator_id("https://www.tiktok.com/@studio_demo/live") == "studio_demo"
    )
    with pytest.raises(InputError, match="not a TikTok creator"):
        creator_id("two words")


def test_a_library_that_fails_to_import_in_the_thread_is_a_problem_not_a_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys
    import threading

    # TikTokLive's events module cannot be imported (a broken or half-upgraded install).
    monkeypatch.setitem(sys.modules, "TikTokLive.events", None)
    source = TikTokComments("@studio_demo", client_factory=faked([], []))
    starting = threading.Thread(target=source.start, args=(lambda comment: None,), daemon=True)
    starting.start()
    starting.join(20)
    assert not starting.is_alive(), "start() waited forever for a client that never came"
    source.stop()
    assert source.problem is not None and "TikTokLive.events" in source.problem
