"""``studio live --catalog --room --auto``: a show made by ``studio show from-catalog`` answers a
viewer who posts on the audience page; a question typed with ``?`` waits for the moderator."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from studio.cli.main import main
from studio.live.rundown import load_rundown

REPO = Path(__file__).resolve().parents[1]
CATALOG = REPO / "assets" / "demo_catalog" / "catalog.toml"


def test_a_viewer_on_the_audience_page_is_answered_by_the_live_show(tmp_path: Path) -> None:
    show = tmp_path / "shop.rundown.toml"
    assert main(["show", "from-catalog", str(CATALOG), "--lang", "en", "--out", str(show)]) == 0
    products = [s.product for s in load_rundown(show).segments]
    assert products[:4] == ["mug"] * 4 and "board" in products  # each segment names its product
    out, logs = tmp_path / "shop.mp4", tmp_path / "logs"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "STUDIO_SESSION_LOGS": str(logs)}
    args = ["live", "--avatar", "demo", "--script", str(show), "--voice", "espeak:en-us", "--catalog",
            str(CATALOG), "--room", "--auto", "price", "--record", str(out), "--duration", "14",
            "--size", "320x180", "--no-disclosure"]  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "studio", *args], cwd=REPO, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stderr is not None
    viewers, seen = "", []
    deadline = time.monotonic() + 90
    for line in proc.stderr:
        seen.append(line)
        if line.startswith("studio: viewers: "):
            viewers = line.split(": ", 2)[2].strip()
        if "answered without a person" in line or time.monotonic() > deadline:
            break
    assert viewers.startswith("http://127.0.0.1:"), "".join(seen)
    assert any("moderator: " in line and "token=" in line for line in seen)
    body = json.dumps({"user": "ann", "text": "How much is it?"}).encode()
    request = urllib.request.Request(viewers + "comment", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the show's loopback page
        assert json.load(response)["type"] == "queued"
    proc.stdin.write("?cy: Is it microwave safe?\n")
    proc.stdin.flush()
    _, rest = proc.communicate(timeout=120)
    stderr = "".join(seen) + rest
    assert proc.returncode == 0, stderr
    assert "asked: Is it microwave safe? [faq]" in stderr and "Traceback" not in stderr
    (log,) = logs.glob("*.jsonl")
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    answers = [r for r in records if r["type"] == "said" and r.get("answers")]
    # The mug is on air (the show opens with it): the price answered is the mug's, said once.
    assert [(r["text"], r["question"]) for r in answers] == [
        ("The Ceramic travel mug is $19.99. A second mug is half price.", "ann: How much is it?")
    ]
    asked = [(r["user"], r["kind"]) for r in records if r["type"] == "question"]
    assert asked == [("ann", "price"), ("cy", "faq")]
    # The faq waits for a person: asked, never decided, never said.
    assert [r["decision"] for r in records if r["type"] == "moderation"] == ["approved"]


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (["--room"], "Add --catalog FILE"),
        (["--auto", "price"], "Add --catalog FILE"),
        (["--catalog", "{catalog}", "--port", "8080"], "Add --room"),
        (["--catalog", "{catalog}", "--room", "--port", "70000"], "not a TCP port"),
        (["--catalog", "{catalog}", "--auto", "gossip"], "unknown question kind gossip"),
        (["--catalog", "{tmp}/missing.toml"], "does not exist"),
    ],
)
def test_room_options_that_cannot_work_are_one_line(
    extra: list[str], problem: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "s.txt"
    script.write_text("Hello there.\n", encoding="utf-8")
    filled = [a.format(catalog=CATALOG, tmp=tmp_path) for a in extra]
    code = main(
        ["live", "--avatar", "demo", "--script", str(script), "--record", str(tmp_path / "a.mp4"), *filled]
    )
    err = capsys.readouterr().err
    assert code == 2 and problem in err and "Traceback" not in err and len(err.strip().splitlines()) <= 2
