"""``studio room`` as a user runs it: the addresses printed, a viewer's question approved from the
moderator's socket and printed as the host would say it, an auto kind printed without a person,
every decision in the session log, and Ctrl-C ending it cleanly."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import aiohttp
import pytest

from studio.cli.main import main
from tests.cli_output import one_error_line

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "assets" / "demo_catalog" / "catalog.toml"
WAIT_S = 60


class Lines:
    """The command's stdout, read by a thread into a queue of lines."""

    def __init__(self, stream: IO[str]) -> None:
        self.lines: list[str] = []
        self._new = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), name="test-room-stdout")
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            with self._new:
                self.lines.append(line.rstrip("\n"))
                self._new.notify_all()

    def wait_for(self, pattern: str) -> re.Match[str]:
        with self._new:
            found = self._new.wait_for(lambda: self._match(pattern), WAIT_S)
        assert found, f"no line matched {pattern!r}: {self.lines}"
        return found

    def _match(self, pattern: str) -> re.Match[str] | None:
        return next((m for line in self.lines if (m := re.search(pattern, line))), None)

    def join(self) -> None:
        self._thread.join()


def test_studio_room_prints_addresses_approved_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    room = subprocess.Popen(
        [sys.executable, "-m", "studio", "room", "--catalog", str(CATALOG), "--auto", "price",
         "--product", "mug", "--stdin", "--log-dir", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    assert room.stdin is not None and room.stdout is not None and room.stderr is not None
    out = Lines(room.stdout)
    try:
        viewer = out.wait_for(r"^Viewers: +(http://127\.0\.0\.1:\d+/)$").group(1)
        moderator = out.wait_for(r"^Moderator: (http://127\.0\.0\.1:\d+/moderator\?token=\S+)$").group(1)
        log_path = Path(out.wait_for(r"^Session log: (.+)$").group(1))
        room.stdin.write("bob: how much is it?\n")  # price: approved without a person
        room.stdin.flush()
        out.wait_for(r"^> bob: how much is it\?$")
        price = r"The Ceramic travel mug is \$19\.99\. A second mug is half price\."
        out.wait_for(rf"^  {price}  \[price; approved by auto\]$")

        async def approve_from_the_console() -> None:
            async with aiohttp.ClientSession() as http:
                async with http.post(
                    viewer + "comment", json={"user": "ann", "text": "Is it microwave safe?"}
                ):
                    pass
                socket = await http.ws_connect(moderator.replace("/moderator?", "/ws/moderator?"))
                while not (message := await asyncio.wait_for(socket.receive_json(), WAIT_S))["items"]:
                    pass
                await socket.send_json({"type": "approve", "id": message["items"][0]["id"], "by": "maria"})
                await socket.close()

        asyncio.run(approve_from_the_console())
        out.wait_for(r"^> ann: Is it microwave safe\?$")
        out.wait_for(r"^  No, the steel body must not go in the microwave\.  \[faq; approved by maria\]$")
        room.send_signal(signal.SIGINT)
        assert room.wait(WAIT_S) == 130
    finally:
        if room.poll() is None:
            room.kill()
            room.wait()
        out.join()
        room.stdin.close()
        stderr = room.stderr.read()
        room.stderr.close()
    assert "Traceback" not in stderr and "interrupted" in stderr
    records = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    decisions = [(r["decision"], r["by"], r["kind"]) for r in records if r["type"] == "moderation"]
    assert decisions == [("approved", "auto", "price"), ("approved", "maria", "faq")]
    assert records[-1]["type"] == "end"


def test_bad_options_are_one_line_each(capfd: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    base = ["room", "--catalog", str(CATALOG), "--no-log"]
    assert main([*base, "--auto", "price,prices"]) == 2
    assert "unknown question kind prices" in one_error_line(capfd)
    assert main([*base, "--port", "99999"]) == 2
    assert "--port 99999 is not a TCP port" in one_error_line(capfd)
    assert main([*base, "--product", "teapot"]) == 2
    assert "no product 'teapot'" in one_error_line(capfd)
    assert main([*base, "--tail", str(tmp_path / "none.txt")]) == 2
    assert "is not a file" in one_error_line(capfd)
