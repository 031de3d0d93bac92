"""TikTok LIVE comments, through the TikTokLive library (``pip install 'studio[tiktok]'``).

``TikTokComments("@creator")`` connects to that creator's live room as a viewer would and delivers
each chat message (``CommentEvent``) as a ``Comment``; nothing is ever sent to the room. It runs
the library's client on its own event loop in one thread. A busy room can post far more than a
person can read: at most ``burst`` comments are taken at once and then one every ``every_s``
seconds, and the rest are counted in ``skipped`` (the moderation queue bounds what waits).

TikTokLive is an unofficial client of TikTok's web protocol: TikTok may change it or limit it at
any time, and a failure to connect ends up in ``problem`` (the show goes on without the comments).
This module is the only place that imports it (an import-linter contract keeps it so).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Any

from studio.errors import InputError, one_line
from studio.room.comments import Deliver, RateLimit, make_comment
from studio.translation import tr

SOURCE = "tiktok"
EXTRA = "pip install 'studio[tiktok]'"


def _client_class() -> Any:
    try:
        from TikTokLive import TikTokLiveClient
    except ImportError:
        raise InputError(
            tr("TikTok LIVE comments need the TikTokLive library."),
            tr("Install it: {command}.").format(command=EXTRA),
        ) from None
    return TikTokLiveClient


def creator_id(name: str) -> str:
    """``@creator``, ``creator`` or the live room's address, as the creator's unique id."""
    handle = name.strip().rstrip("/")
    if handle.endswith("/live"):
        handle = handle[: -len("/live")]
    handle = handle.rsplit("/", 1)[-1].lstrip("@")
    if not handle or any(c.isspace() for c in handle) or len(handle) > 64:
        raise InputError(
            tr("{name!r} is not a TikTok creator.").format(name=name),
            tr("Give the creator's @name, e.g. --tiktok @studio_demo."),
        )
    return handle


class TikTokComments:
    """Comments from one TikTok LIVE room. ``client_factory(unique_id)`` makes the library's client
    (the default: ``TikTokLiveClient``); a test hands one whose network calls are fakes."""

    name = SOURCE

    def __init__(
        self,
        creator: str,
        *,
        burst: int = 10,
        every_s: float = 1.0,
        client_factory: Callable[[str], Any] | None = None,
    ) -> None:
        self.creator = creator_id(creator)
        self._factory = client_factory or _client_class()
        self._limit = RateLimit(burst, every_s)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Any = None
        self._halt: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.count = 0  # comments delivered
        self.skipped = 0  # comments past the rate limit
        self.problem: str | None = None  # why the room stopped giving comments, if it did
        self.connected = threading.Event()
        self.finished = threading.Event()  # the client ended (stopped, or ``problem`` says why)

    def start(self, deliver: Deliver) -> None:
        """Connect in the background; ``problem`` says why if the room cannot be reached."""
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(deliver, ready), name="studio-room-tiktok", daemon=True
        )
        self._thread.start()
        ready.wait()

    def stop(self) -> None:
        """Disconnect and join the client's thread."""
        loop, halt = self._loop, self._halt
        if loop is not None and halt is not None:
            with contextlib.suppress(RuntimeError):  # the loop already ended on its own
                loop.call_soon_threadsafe(halt.set)
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self, deliver: Deliver, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # the library's client finds its loop this way
        self._halt = asyncio.Event()
        self._loop = loop
        try:
            # Inside the try: a failed import must set ``ready`` too, or start() waits forever.
            from TikTokLive.events import CommentEvent, ConnectEvent

            client = self._factory(self.creator)
            self._client = client

            async def on_comment(event: Any) -> None:
                self._comment(deliver, event)

            async def on_connect(event: Any) -> None:
                self.connected.set()

            client.add_listener(CommentEvent, on_comment)
            client.add_listener(ConnectEvent, on_connect)
            ready.set()
            loop.run_until_complete(self._until_halted(client))
        except Exception as exc:  # the library raises its own types for offline, not found, blocked…
            why = f"{type(exc).__name__}: {one_line(exc)}"
            self.problem = tr("TikTok LIVE comments from @{creator} stopped ({why}).").format(
                creator=self.creator, why=why
            )
        finally:
            ready.set()
            self.finished.set()
            with contextlib.suppress(Exception):
                if self._client is not None:
                    loop.run_until_complete(self._client.close())
            loop.run_until_complete(loop.shutdown_asyncgens())
            asyncio.set_event_loop(None)
            loop.close()

    async def _until_halted(self, client: Any) -> None:
        """Run the client until it ends (an error is raised here) or ``stop()`` halts it."""
        assert self._halt is not None
        running = asyncio.ensure_future(client.connect())
        halted = asyncio.ensure_future(self._halt.wait())
        await asyncio.wait({running, halted}, return_when=asyncio.FIRST_COMPLETED)
        halted.cancel()
        if not running.done():
            await client.disconnect()
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
            return
        running.result()

    def _comment(self, deliver: Deliver, event: Any) -> None:
        if not self._limit.take():
            self.skipped += 1
            return
        user = getattr(event, "user_info", None)
        name = (getattr(user, "nick_name", "") or getattr(user, "unique_id", "")) if user else ""
        comment = make_comment(str(name), str(getattr(event, "content", "") or ""), SOURCE)
        if comment is not None:
            self.count += 1
            deliver(comment)
