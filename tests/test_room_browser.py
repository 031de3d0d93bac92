"""The audience page in a real headless Chromium, driven over the DevTools protocol: a viewer types a
question, the moderator approves it with Enter, and the answer appears on the viewer's page. The
question carries markup, which both pages must show as text."""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from studio.commerce import load_catalog
from studio.room import ModerationQueue
from studio.room.server import AudiencePage

CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog" / "catalog.toml"
CHROMIUM = next(
    (p for n in ("chromium", "chromium-browser", "google-chrome") if (p := shutil.which(n))), None
)
VIEWER = "<img src=x onerror=document.title=9>"  # a name is 40 characters at most
QUESTION = "Is it microwave safe? <b>really</b>"
ANSWER = "No, the steel body must not go in the microwave."
WAIT_S = 60  # a shared machine may start Chromium slowly; a result that comes ends the wait at once

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (scripts/setup.sh installs Debian's chromium)"
)


@pytest.fixture
def chromium(tmp_path: Path) -> Iterator[int]:
    """A headless Chromium with its DevTools port; killed and reaped after the test."""
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    browser = subprocess.Popen(
        [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--disable-background-networking", "--disable-component-update",
         "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(WAIT_S * 10):
            if port_file.exists() and port_file.read_text().strip():
                break
            if browser.poll() is not None:
                pytest.fail(f"Chromium exited with {browser.returncode} before it opened its DevTools port")
            threading.Event().wait(0.1)
        else:
            pytest.fail("Chromium did not open its DevTools port")
        yield int(port_file.read_text().split()[0])
    finally:
        browser.terminate()  # Chromium ends its helper processes with itself
        try:
            browser.wait(WAIT_S)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()


class Tab:
    """One page, spoken to over the DevTools protocol."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        n = next(self._ids)
        await self.ws.send_json({"id": n, "method": method, "params": params})
        while True:  # events come in between; the answer has our id
            message = json.loads((await asyncio.wait_for(self.ws.receive(), WAIT_S)).data)
            if message.get("id") == n:
                assert "error" not in message, message
                return dict(message.get("result", {}))

    async def value(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    async def wait_for(self, expression: str) -> Any:
        for _ in range(WAIT_S * 10):
            if found := await self.value(expression):
                return found
            await asyncio.sleep(0.1)
        pytest.fail(f"the page never had: {expression}")

    async def press(self, key: str, code: str, keycode: int) -> None:
        """A key that types nothing (E, R): the page's shortcut."""
        for kind in ("rawKeyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent", type=kind, key=key, code=code, windowsVirtualKeyCode=keycode
            )

    async def press_enter(self) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call(
                "Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13,
                **({"text": "\r"} if kind == "keyDown" else {}),
            )  # fmt: skip


async def open_tab(http: aiohttp.ClientSession, devtools: int, url: str) -> Tab:
    async with http.put(f"http://127.0.0.1:{devtools}/json/new?{url}") as response:
        target = await response.json(content_type=None)
    tab = Tab(await http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0))
    await tab.call("Page.enable")
    await tab.call("Page.bringToFront")
    return tab


def test_a_viewer_asks_the_moderator_approves_with_enter_and_the_viewer_sees_the_answer(
    chromium: int,
) -> None:
    room = ModerationQueue(load_catalog(CATALOG), product="mug")
    page = AudiencePage(room)
    page.start()

    approved_by: list[str] = []

    def show() -> None:  # the live show: takes the approved answer, says it
        reply = room.next_reply(timeout=WAIT_S * 3)
        if reply is not None:
            approved_by.append(reply.by)
            room.spoken(reply)

    speaker = threading.Thread(target=show, name="test-show")
    speaker.start()

    async def scenario() -> dict[str, Any]:
        async with aiohttp.ClientSession() as http:
            viewer = await open_tab(http, chromium, page.viewer_url)
            await viewer.wait_for("document.body && document.body.dataset.ready === '1'")
            await viewer.value("document.getElementById('user').value = " + json.dumps(VIEWER))
            await viewer.value("document.getElementById('text').focus()")
            await viewer.call("Input.insertText", text=QUESTION)
            await viewer.press_enter()  # the form's submit
            await viewer.wait_for("document.getElementById('status').textContent.startsWith('Sent')")

            moderator = await open_tab(http, chromium, page.moderator_url)
            await moderator.wait_for("document.querySelectorAll('#queue li.selected').length === 1")
            seen = {
                "queued": await moderator.value("document.querySelector('#queue li .question').textContent"),
                "suggested": await moderator.value("document.querySelector('#queue li .answer').textContent"),
                "moderator_markup": await moderator.value(
                    "document.querySelectorAll('#queue img, #queue b').length"
                ),
            }
            await moderator.value("document.getElementById('by').value = 'maria'")
            await moderator.press_enter()  # approve the selected question
            await moderator.wait_for("document.querySelectorAll('#queue li').length === 0")

            await viewer.call("Page.bringToFront")
            shown = await viewer.wait_for("document.querySelector('#replies li') !== null")
            assert shown is True
            seen["reply"] = await viewer.value("document.querySelector('#replies li .answer').textContent")
            seen["question"] = await viewer.value(
                "document.querySelector('#replies li .question').textContent"
            )
            seen["viewer_markup"] = await viewer.value(
                "document.querySelectorAll('#replies img, #replies b').length"
            )
            seen["titles"] = [await viewer.value("document.title"), await moderator.value("document.title")]
            await viewer.ws.close()
            await moderator.ws.close()
            return seen

    try:
        seen = asyncio.run(scenario())
    finally:
        page.stop()
        speaker.join()
    assert seen["queued"] == f"{VIEWER}:{QUESTION}"
    assert seen["suggested"].startswith(ANSWER)
    assert seen["reply"] == ANSWER
    assert seen["question"] == f"{VIEWER}:{QUESTION}"  # the markup is shown as the viewer typed it…
    assert seen["moderator_markup"] == 0 and seen["viewer_markup"] == 0  # …and never became elements
    assert seen["titles"] == ["Studio: ask the host", "Studio: moderator"]  # no onerror ran
    assert approved_by == ["maria"]  # who approved it, as the session log will say


def test_the_moderator_edits_with_e_and_words_that_break_a_rule_are_refused_in_the_page(
    chromium: int,
) -> None:
    room = ModerationQueue(load_catalog(CATALOG), product="mug")
    page = AudiencePage(room)
    page.start()

    async def scenario() -> dict[str, Any]:
        async with aiohttp.ClientSession() as http:
            async with http.post(
                page.viewer_url + "comment", json={"user": "bo", "text": "who designed it?"}
            ):
                pass
            moderator = await open_tab(http, chromium, page.moderator_url)
            await moderator.wait_for("document.querySelectorAll('#queue li.selected').length === 1")
            seen = {
                "suggested": await moderator.value("document.querySelector('#queue li .answer').textContent")
            }
            await moderator.press("e", "KeyE", 69)
            await moderator.wait_for("document.activeElement.tagName === 'TEXTAREA'")
            await moderator.value("document.activeElement.select()")
            await moderator.call("Input.insertText", text="It is the best mug in the world.")
            await moderator.press_enter()
            seen["refused"] = await moderator.wait_for(
                "document.getElementById('status').textContent.includes('EN-ABS-01') && "
                "document.getElementById('status').textContent"
            )
            seen["draft"] = await moderator.wait_for("document.querySelector('textarea.edit').value")
            seen["pending_after_refusal"] = len(room.pending())
            await moderator.value("document.querySelector('textarea.edit').focus()")
            await moderator.value("document.activeElement.select()")
            await moderator.call("Input.insertText", text="Our design team made it.")
            await moderator.press_enter()
            await moderator.wait_for("document.querySelectorAll('#queue li').length === 0")
            await moderator.ws.close()
            return seen

    try:
        seen = asyncio.run(scenario())
        reply = room.next_reply(timeout=0)
    finally:
        page.stop()
    assert seen["suggested"].startswith("Good question, I'll check and come back to you.")
    assert "the best" in seen["refused"]
    assert seen["draft"] == "It is the best mug in the world."  # the moderator's words are kept to fix
    assert seen["pending_after_refusal"] == 1
    assert (
        reply is not None
        and reply.text == "Our design team made it."
        and reply.question == "who designed it?"
    )
