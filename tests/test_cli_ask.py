"""``studio ask``: the answer as the last line, and optional wording by a language model that is used
only when its numbers are the facts' and it makes no prohibited claim (a stand-in server on loopback)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from studio.cli.main import main
from tests.cli_output import one_error_line

CATALOG = str(Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml")


class StandIn:
    """An OpenAI-compatible chat-completions server that says ``reply`` (after ``delay_s``), or
    answers ``status`` when it is not 200; it keeps each request it got."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.delay_s = 0.0
        self.requests: list[dict[str, object]] = []
        self.paths: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stand_in.requests.append(json.loads(body))
                stand_in.paths.append(self.path)
                time.sleep(stand_in.delay_s)
                data = json.dumps(
                    {"choices": [{"message": {"role": "assistant", "content": stand_in.reply}}]}
                )
                self.send_response(stand_in.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data.encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def llm() -> Iterator[StandIn]:
    stand_in = StandIn()
    thread = threading.Thread(target=stand_in.server.serve_forever, daemon=True)
    thread.start()
    yield stand_in
    stand_in.server.shutdown()
    stand_in.server.server_close()


def ask(*args: str) -> int:
    return main(["ask", "--catalog", CATALOG, *args])


def test_the_answer_is_the_last_line(capfd: pytest.CaptureFixture[str]) -> None:
    assert ask("how long does it keep coffee hot?", "--product", "mug") == 0
    out, err = capfd.readouterr()
    assert out.splitlines()[-1] == "Ceramic travel mug: Keeps drinks hot for 6 hours."
    assert out.splitlines()[0] == "[fact; mug/fact/2; confidence 1.00; worded by catalogue]" and err == ""


def test_no_answer_is_said_honestly(capfd: pytest.CaptureFixture[str]) -> None:
    assert ask("有遥控器吗", "--product", "lamp") == 0
    assert capfd.readouterr().out.splitlines()[-1] == "好问题，我确认一下再回复你。"


def test_json_gives_the_facts_and_the_kind(capfd: pytest.CaptureFixture[str]) -> None:
    assert ask("how much is the desk lamp", "--json") == 0
    data = json.loads(capfd.readouterr().out)
    assert (
        data["kind"] == "price"
        and data["text"] == "The LED desk lamp is $39.90. Comes with a free USB-C cable."
    )
    assert data["facts"] == ["39.90 USD", "Comes with a free USB-C cable."] and data["sources"] == [
        "lamp/price"
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["   "], "the question is empty"),
        (["x" * 501], "the question is 501 characters; at most 500"),
        (["hi", "--product", "kettle"], "has no product 'kettle'. Its ids: mug, board"),
        (["hi", "--llm", "ftp://example.com"], "--llm ftp://example.com is not an http(s) address"),
    ],
)
def test_bad_input_is_one_line(capfd: pytest.CaptureFixture[str], args: list[str], expected: str) -> None:
    assert ask(*args) == 2
    assert expected in one_error_line(capfd)


def test_the_model_is_given_only_the_retrieved_facts_and_its_words_are_used(
    llm: StandIn, capfd: pytest.CaptureFixture[str]
) -> None:
    llm.reply = "Great question! It keeps your coffee hot for 6 hours."
    assert ask("how long does it keep coffee hot?", "--product", "mug", "--llm", llm.url) == 0
    out, err = capfd.readouterr()
    assert out.splitlines()[-1] == "Great question! It keeps your coffee hot for 6 hours." and err == ""
    assert "worded by llm" in out.splitlines()[0]
    (request,) = llm.requests
    assert llm.paths == ["/v1/chat/completions"] and request["temperature"] == 0
    prompt = json.dumps(request["messages"], ensure_ascii=False)
    assert "Keeps drinks hot for 6 hours." in prompt
    assert "350 ml" not in prompt and "19.99" not in prompt  # no other fact, no price


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ("It keeps your coffee hot for eight hours!", "it states 8, which no fact states"),
        (
            "It keeps coffee hot for 6 hours, the best mug in the world.",
            "it makes a prohibited claim: EN-ABS-01",
        ),
        ("", "it was empty"),
    ],
)
def test_words_that_invent_a_number_or_make_a_claim_are_not_used(
    llm: StandIn, capfd: pytest.CaptureFixture[str], reply: str, why: str
) -> None:
    llm.reply = reply
    assert ask("how long does it keep coffee hot?", "--product", "mug", "--llm", llm.url) == 0
    out, err = capfd.readouterr()
    assert out.splitlines()[-1] == "Ceramic travel mug: Keeps drinks hot for 6 hours."
    assert err.startswith("studio: the language model's words were not used (") and why in err
    assert len(err.splitlines()) == 1


def test_a_chinese_reply_with_an_invented_numeral_is_not_used(
    llm: StandIn, capfd: pytest.CaptureFixture[str]
) -> None:
    llm.reply = "这款杯子保温八个小时哦。"
    assert ask("热水能保温多久？", "--product", "mug", "--llm", llm.url) == 0
    out, err = capfd.readouterr()
    assert out.splitlines()[-1] == "陶瓷随行杯：热饮保温6小时。" and "it states 8" in err


def test_no_answer_is_never_sent_to_the_model(llm: StandIn, capfd: pytest.CaptureFixture[str]) -> None:
    llm.reply = "Yes, it has a remote with 3 buttons."
    assert ask("does it have a remote?", "--product", "lamp", "--llm", llm.url) == 0
    assert capfd.readouterr().out.splitlines()[-1] == "Good question, I'll check and come back to you."
    assert llm.requests == []


@pytest.mark.parametrize("failure", ["unreachable", "http 500", "timeout"])
def test_a_failing_model_leaves_the_catalogue_answer_with_one_line(
    llm: StandIn, capfd: pytest.CaptureFixture[str], failure: str
) -> None:
    url = llm.url
    if failure == "unreachable":
        llm.server.shutdown()
        llm.server.server_close()
    elif failure == "http 500":
        llm.status = 500
    else:
        llm.delay_s = 1.5
    assert ask("how much does it hold?", "--product", "mug", "--llm", url, "--llm-timeout", "0.5") == 0
    out, err = capfd.readouterr()
    assert out.splitlines()[-1] == "Ceramic travel mug: Holds 350 ml."
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    expected = {
        "unreachable": "cannot reach the language model at",
        "http 500": "answered HTTP 500",
        "timeout": "did not answer within 0.5 s",
    }[failure]
    assert expected in err


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        (b"SSH-2.0-OpenSSH_9.6\r\n", "cannot reach the language model at"),  # not HTTP at all
        (b"HTTP/1.1 200 OK\r\nContent-Length: 60000\r\n\r\n" + b"[" * 60_000, "not an OpenAI-style"),
    ],
    ids=["not-http", "nested-json"],
)
def test_a_server_that_is_no_model_leaves_the_catalogue_answer_with_one_line(
    capfd: pytest.CaptureFixture[str], sent: bytes, expected: str
) -> None:
    import socket

    listener = socket.create_server(("127.0.0.1", 0))

    def answer_once() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(sent)

    thread = threading.Thread(target=answer_once, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    try:
        assert ask("how much does it hold?", "--product", "mug", "--llm", url, "--llm-timeout", "5") == 0
    finally:
        thread.join(5)
        listener.close()
    out, err = capfd.readouterr()
    assert out.splitlines()[-1] == "Ceramic travel mug: Holds 350 ml."
    assert len(err.splitlines()) == 1 and "Traceback" not in err and expected in err
