"""The audience page: a loopback HTTP + WebSocket server where viewers post comments and the
moderator decides on them.

- ``/`` is the viewers' page: post a comment, see the host's answers as they are spoken.
- ``/moderator?token=T`` is the operator's console: the queue with each suggested answer, and
  Approve (Enter), Edit, Reject. ``T`` is random per run, so a viewer who knows the address of
  the page cannot approve anything.
- ``/ws`` and ``/ws/moderator?token=T`` are their sockets (JSON messages, see ``static/*.js``);
  ``POST /comment`` takes a comment without a socket (``{"user": …, "text": …}``).

It runs its own event loop in one thread (aiohttp), so the caller's threads never wait on it. Every
intake is bounded: a message larger than ``Limits.message_bytes`` closes its socket, each socket
may post ``Limits.burst`` comments and then one every ``Limits.every_s`` seconds, and at most
``Limits.viewers`` viewer and ``Limits.moderators`` moderator sockets are open at once. The pages
are plain HTML and JavaScript from the package (no CDN), show untrusted text only through
``textContent``, and forbid inline and foreign scripts with a Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from studio.errors import InputError, StudioError, one_line
from studio.room.comments import Comment, Deliver, RateLimit, clean, make_comment
from studio.room.moderation import ModerationQueue
from studio.translation import tr

HOST = "127.0.0.1"
PAGES = {"/": "viewer.html", "/moderator": "moderator.html"}
ASSETS = ("room.css", "viewer.js", "moderator.js")
_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'"
SOURCE = "audience-page"
OUTBOX = 20  # messages waiting to be sent to one socket


@dataclass(frozen=True)
class Limits:
    message_bytes: int = 2048  # one WebSocket message or POST body
    burst: int = 5  # comments a socket may post at once…
    every_s: float = 3.0  # …and then one every this many seconds
    viewers: int = 200
    moderators: int = 4


class AudiencePage:
    """The audience page and moderator console for ``room``; a ``CommentSource``."""

    name = SOURCE

    def __init__(self, room: ModerationQueue, port: int = 0, limits: Limits | None = None) -> None:
        if not 0 <= port <= 65535:
            raise InputError(
                tr("port {port} is not a TCP port.").format(port=port),
                tr("Use 1 to 65535, or 0 for any free one."),
            )
        self.room = room
        self.limits = limits or Limits()
        self.token = secrets.token_urlsafe(18)
        self._port = port
        self._deliver: Deliver = room.submit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._viewers: dict[web.WebSocketResponse, Outbox] = {}
        self._moderators: dict[web.WebSocketResponse, Outbox] = {}
        self._unsubscribe: Any = None
        self._finish: asyncio.Event | None = None
        # POST /comment has no connection to hold a bucket: all posts share this one.
        self._posts = RateLimit(self.limits.burst, self.limits.every_s)

    # -- the CommentSource interface ----------------------------------------------------------
    def start(self, deliver: Deliver | None = None) -> None:
        """Serve on 127.0.0.1 (``InputError`` if the port is taken); returns once it listens."""
        if deliver is not None:
            self._deliver = deliver
        ready: list[BaseException | None] = []
        started = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready, started), name="studio-room-page")
        self._thread.start()
        started.wait()
        problem = ready[0] if ready else StudioError(tr("the audience page did not start."))
        if problem is not None:
            self._thread.join()
            self._thread = None
            raise problem
        self._unsubscribe = self.room.subscribe(self._changed)

    def stop(self) -> None:
        """Close every socket and the server, and join its thread."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._loop is not None and self._thread is not None and self._finish is not None:
            self._loop.call_soon_threadsafe(self._finish.set)
            self._thread.join()
        self._thread = None

    # -- addresses ---------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return self._port

    @property
    def viewer_url(self) -> str:
        return f"http://{HOST}:{self._port}/"

    @property
    def moderator_url(self) -> str:
        return f"http://{HOST}:{self._port}/moderator?token={self.token}"

    # -- the server thread -------------------------------------------------------------------
    def _serve(self, ready: list[BaseException | None], started: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._finish = asyncio.Event()
        try:
            loop.run_until_complete(self._run(ready, started))
        except Exception as exc:  # before it listened: start() raises it; after: aiohttp logged it
            if not ready:
                ready.append(
                    StudioError(
                        tr("the audience page did not start ({reason}).").format(reason=one_line(exc))
                    )
                )
        finally:
            started.set()  # a failure before listening must not leave start() waiting
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _run(self, ready: list[BaseException | None], started: threading.Event) -> None:
        app = web.Application(client_max_size=self.limits.message_bytes, middlewares=[self._same_site])
        for path, page in PAGES.items():
            app.router.add_get(path, self._file(page))
        for asset in ASSETS:
            app.router.add_get(f"/static/{asset}", self._file(asset))
        app.router.add_get("/ws", self._viewer_socket)
        app.router.add_get("/ws/moderator", self._moderator_socket)
        app.router.add_post("/comment", self._post_comment)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        try:
            site = web.TCPSite(self._runner, HOST, self._port, reuse_address=False)
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            ready.append(
                InputError(
                    tr("the audience page cannot listen on {host}:{port} ({reason}).").format(
                        host=HOST, port=self._port, reason=one_line(exc)
                    ),
                    tr("Pick another --port, or 0 for any free one."),
                )
            )
            started.set()
            return
        self._port = int(self._runner.addresses[0][1])  # what port 0 became
        ready.append(None)
        started.set()
        assert self._finish is not None
        await self._finish.wait()
        for ws in [*self._viewers, *self._moderators]:
            await ws.close(code=WSCloseCode.GOING_AWAY, message=b"the room closed")
        await self._runner.cleanup()

    def _file(self, name: str) -> Any:
        body = resources.files("studio.room").joinpath("static", name).read_bytes()
        kind = _TYPES[name[name.rindex(".") :]]

        async def handler(request: web.Request) -> web.Response:
            if name == "moderator.html" and not self._token_ok(request):
                raise web.HTTPForbidden(text="This page needs the moderator's link (with its token).")
            return web.Response(body=body, content_type=kind, charset="utf-8", headers=_headers())

        return handler

    @web.middleware
    async def _same_site(self, request: web.Request, handler: Any) -> web.StreamResponse:
        """Only this address, and only its own pages: another site's page that renames itself to
        127.0.0.1 (DNS rebinding) or posts across sites gets nothing."""
        ours = {f"{HOST}:{self._port}", f"localhost:{self._port}"}
        if request.host not in ours:
            raise web.HTTPMisdirectedRequest(text="This server answers only at its own address.")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {f"http://{o}" for o in ours}:
            raise web.HTTPForbidden(text="Comments come from this server's own page.")
        return await handler(request)

    def _token_ok(self, request: web.Request) -> bool:
        return hmac.compare_digest(request.query.get("token", "").encode(), self.token.encode())

    # -- viewers -----------------------------------------------------------------------------
    async def _viewer_socket(self, request: web.Request) -> web.StreamResponse:
        if len(self._viewers) >= self.limits.viewers:
            raise web.HTTPServiceUnavailable(text="The room is full; try again later.")
        ws = web.WebSocketResponse(max_msg_size=self.limits.message_bytes, heartbeat=30)
        await ws.prepare(request)
        self._viewers[ws] = Outbox(ws)
        bucket = RateLimit(self.limits.burst, self.limits.every_s)
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    break  # an oversized or binary message ends the socket
                data = _json(message.data)
                if data.get("type") != "comment":
                    await ws.send_json({"type": "error", "message": "send {type: comment, user, text}"})
                    continue
                await ws.send_json(self._comment(data, bucket))
        finally:
            self._viewers.pop(ws, None)
        return ws

    async def _post_comment(self, request: web.Request) -> web.Response:
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.json_response({"type": "error", "message": "the comment is too long"}, status=413)
        try:  # JSON is UTF-8 (RFC 8259), whatever charset the request claims
            data = _json(body.decode("utf-8"))
        except UnicodeDecodeError:
            return web.json_response(
                {"type": "error", "message": "send the comment as UTF-8 JSON"}, status=400
            )
        result = self._comment(data, self._posts)
        return web.json_response(result, status=200 if result["type"] == "queued" else 400)

    def _comment(self, data: dict[str, Any], bucket: RateLimit) -> dict[str, Any]:
        user, text = data.get("user", ""), data.get("text", "")
        if not isinstance(user, str) or not isinstance(text, str):
            return {"type": "error", "message": "user and text must be text"}
        comment: Comment | None = make_comment(user, text, SOURCE)
        if comment is None:
            return {"type": "error", "message": "the comment is empty"}
        if not bucket.take():
            return {"type": "error", "message": "slow down: one comment every few seconds"}
        self._deliver(comment)
        return {"type": "queued", "id": comment.id}

    # -- the moderator -----------------------------------------------------------------------
    async def _moderator_socket(self, request: web.Request) -> web.StreamResponse:
        if not self._token_ok(request):
            raise web.HTTPForbidden(text="The moderator's socket needs the moderator's token.")
        if len(self._moderators) >= self.limits.moderators:
            raise web.HTTPServiceUnavailable(text="Too many moderator consoles are open.")
        ws = web.WebSocketResponse(max_msg_size=self.limits.message_bytes, heartbeat=30)
        await ws.prepare(request)
        self._moderators[ws] = Outbox(ws)
        who = f"moderator@{request.remote or HOST}"
        try:
            await ws.send_json({"type": "queue", **self.room.snapshot()})
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    break
                reply = self._decide(_json(message.data), who)
                if reply is not None:
                    await ws.send_json(reply)
        finally:
            self._moderators.pop(ws, None)
        return ws

    def _decide(self, data: dict[str, Any], who: str) -> dict[str, Any] | None:
        action, item = data.get("type"), data.get("id")
        named = data.get("by")
        by = clean(named, 40) if isinstance(named, str) and clean(named, 40) else who
        try:
            if not isinstance(item, str):
                return {"type": "error", "message": "say which question: {type, id}"}
            if action == "approve":
                self.room.approve(item, by)
            elif action == "edit":
                text = data.get("text")
                self.room.edit(item, text if isinstance(text, str) else "", by)
            elif action == "reject":
                self.room.reject(item, by)
            else:
                return {"type": "error", "message": "the action is approve, edit or reject"}
        except StudioError as exc:
            return {"type": "error", "id": item, "message": str(exc)}
        return None  # the queue's change reaches every console

    # -- changes from the queue (any thread) -------------------------------------------------
    def _changed(self, event: str, payload: dict[str, Any]) -> None:
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closing: nobody is left to tell
                loop.call_soon_threadsafe(self._broadcast, event, payload)

    def _broadcast(self, event: str, payload: dict[str, Any]) -> None:
        if event == "queue":
            targets, message = [*self._moderators.values()], {"type": "queue", **self.room.snapshot()}
        else:
            targets = [*self._viewers.values(), *self._moderators.values()]
            message = {"type": "spoken", **payload}
        for outbox in targets:
            outbox.put(message)


class Outbox:
    """What one socket has yet to be sent, bounded: a reader too slow to keep up gets the newest
    queue (a newer snapshot replaces a waiting one) and the last ``OUTBOX`` messages, never a
    backlog that grows with the room."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.waiting: collections.deque[dict[str, Any]] = collections.deque()
        self.dropped = 0
        self._task: asyncio.Future[None] | None = None

    def put(self, message: dict[str, Any]) -> None:
        if self.ws.closed:
            return
        if message["type"] == "queue":
            self.waiting = collections.deque(m for m in self.waiting if m["type"] != "queue")
        if len(self.waiting) >= OUTBOX:
            self.waiting.popleft()
            self.dropped += 1
        self.waiting.append(message)
        if self._task is None or self._task.done():
            self._task = asyncio.ensure_future(self._drain())

    async def _drain(self) -> None:
        while self.waiting and not self.ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_json(self.waiting.popleft())


def _json(text: str) -> dict[str, Any]:
    with contextlib.suppress(ValueError, RecursionError):  # 2 KB of "[" nests deeper than json reads
        data = json.loads(text)
        if isinstance(data, dict):
            return data
    return {}


def _headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": _CSP,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",  # the moderator's token stays out of other sites' logs
        "Cache-Control": "no-store",
    }
