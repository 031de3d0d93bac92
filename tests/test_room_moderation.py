"""The moderation queue on the demo catalogue: suggested answers, decisions, auto kinds, repeats,
bounds, and every decision in a real session log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from studio.commerce import load_catalog
from studio.commerce.catalog import Catalog
from studio.compliance.session_log import SessionLog
from studio.errors import InputError
from studio.room import DECISION, QUESTION, EditRefused, ModerationQueue, auto_kinds, make_comment, parse_line
from studio.room.comments import MAX_COMMENT_CHARS, MAX_USER_CHARS

CATALOG = Path(__file__).resolve().parent.parent / "assets" / "demo_catalog" / "catalog.toml"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG)


class Records:
    """What the queue logs, as ``SessionLog.record`` would get it."""

    def __init__(self) -> None:
        self.lines: list[dict[str, Any]] = []

    def __call__(self, type_: str, **fields: Any) -> None:
        self.lines.append({"type": type_, **fields})

    def decisions(self) -> list[tuple[str, str, str]]:
        return [(r["decision"], r["by"], r["kind"]) for r in self.lines if r["type"] == DECISION]


def ask(room: ModerationQueue, text: str, user: str = "ann") -> Any:
    comment = make_comment(user, text, "test")
    assert comment is not None
    return room.submit(comment)


def test_a_question_waits_with_its_answer_and_approval_hands_it_to_the_show(catalog: Catalog) -> None:
    log = Records()
    room = ModerationQueue(catalog, log=log, product="mug")
    item = ask(room, "Is it microwave safe?")
    assert [i.id for i in room.pending()] == [item.id]
    assert item.answer.text == "No, the steel body must not go in the microwave."
    assert item.answer.sources == ("mug/faq/1",) and item.answer.kind == "faq"
    assert room.next_reply(timeout=0) is None  # nothing is said before a person approves it

    reply = room.approve(item.id, by="maria")
    assert room.pending() == []
    assert room.next_reply(timeout=0) == reply
    assert reply.text == item.answer.text and reply.by == "maria"
    assert reply.caption == "ann: Is it microwave safe?"
    assert log.lines[0]["type"] == QUESTION and log.lines[0]["suggested"] == item.answer.text
    assert log.decisions() == [("approved", "maria", "faq")]


def test_approved_answers_come_out_in_the_order_they_were_approved(catalog: Catalog) -> None:
    room = ModerationQueue(catalog, product="mug")
    first = ask(room, "Is it microwave safe?")
    second = ask(room, "How long does it keep coffee hot?", user="bob")
    room.approve(second.id, "maria")
    room.approve(first.id, "maria")
    said = [room.next_reply(0), room.next_reply(0)]
    assert [r.id for r in said if r] == [second.id, first.id]
    assert said[0] is not None and said[0].text == "Ceramic travel mug: Keeps drinks hot for 6 hours."


def test_an_edit_passes_the_claims_checker_or_is_refused_with_the_finding(catalog: Catalog) -> None:
    log = Records()
    room = ModerationQueue(catalog, log=log, product="mug")
    item = ask(room, "who designed it?")
    assert item.answer.kind == "none"  # the catalogue does not say: the host would say it will check
    with pytest.raises(EditRefused, match="EN-ABS-01.*the best"):
        room.edit(item.id, "It is the best mug in the world.", "maria")
    assert [i.id for i in room.pending()] == [item.id]  # refused: still waiting for a decision
    assert room.next_reply(timeout=0) is None
    with pytest.raises(InputError, match="empty"):
        room.edit(item.id, " \n ", "maria")

    reply = room.edit(item.id, "Our design team in Lisbon did.", "maria")
    assert reply.text == "Our design team in Lisbon did." and reply.question == "who designed it?"
    assert room.next_reply(timeout=0) == reply
    assert log.decisions() == [("edited", "maria", "none")]
    assert log.lines[-1]["text"] == "Our design team in Lisbon did."


def test_a_rejected_question_is_never_said(catalog: Catalog) -> None:
    log = Records()
    room = ModerationQueue(catalog, log=log, product="mug")
    item = ask(room, "Is it microwave safe?")
    room.reject(item.id, "maria")
    assert room.pending() == [] and room.next_reply(timeout=0) is None
    assert ask(room, "is it microwave safe", user="spam") is None  # sent again: folded, not queued
    assert room.pending() == [] and room.repeats == 1
    assert log.decisions() == [("rejected", "maria", "faq"), ("repeat", "auto", "faq")]
    with pytest.raises(InputError, match="not waiting"):
        room.approve(item.id, "maria")


def test_auto_kinds_are_approved_without_a_person_and_the_rest_wait(catalog: Catalog) -> None:
    log = Records()
    room = ModerationQueue(catalog, auto=auto_kinds("price, shipping"), log=log, product="mug")
    assert ask(room, "How much is the mug?").answer.kind == "price"
    assert ask(room, "how long does shipping take?", user="bob").answer.kind == "shipping"
    waiting = ask(room, "Is it microwave safe?", user="cy")
    assert [i.id for i in room.pending()] == [waiting.id]
    price, shipping = room.next_reply(0), room.next_reply(0)
    assert price is not None and price.text == "The Ceramic travel mug is $19.99. A second mug is half price."
    assert shipping is not None and shipping.kind == "shipping" and shipping.by == "auto"
    assert log.decisions() == [("approved", "auto", "price"), ("approved", "auto", "shipping")]


def test_an_unknown_auto_kind_is_one_clear_error(catalog: Catalog) -> None:
    with pytest.raises(InputError, match="unknown question kind prices.*price, shipping"):
        auto_kinds("prices,shipping")


def test_the_same_question_collapses_while_it_waits_and_soon_after_its_answer(catalog: Catalog) -> None:
    now = [1000.0]
    log = Records()
    room = ModerationQueue(catalog, log=log, product="mug", repeat_window_s=60, clock=lambda: now[0])
    first = ask(room, "Is it microwave safe?")
    again = ask(room, "is it MICROWAVE safe??", user="bob")
    ask(room, "is it microwave safe", user="bob")
    assert again is first and len(room.pending()) == 1
    assert first.count == 3 and first.users == ["ann", "bob"]
    room.approve(first.id, "maria")
    assert ask(room, "Is it microwave safe?", user="cy") is None  # just answered: not queued again
    assert room.pending() == [] and room.repeats == 3
    now[0] += 61
    assert ask(room, "Is it microwave safe?", user="cy") is not None  # a while later it is a new question
    assert [d for d, _, _ in log.decisions()] == ["repeat", "repeat", "approved", "repeat"]


def test_a_full_queue_drops_its_oldest_unanswered_question_and_counts_it(catalog: Catalog) -> None:
    log = Records()
    room = ModerationQueue(catalog, log=log, product="mug", max_pending=3)
    questions = ["Is it microwave safe?", "How heavy is it?", "What colours?", "Does it fit a cup holder?"]
    items = [ask(room, q, user=f"v{n}") for n, q in enumerate(questions)]
    assert [i.id for i in room.pending()] == [i.id for i in items[1:]]
    assert room.dropped == 1 and room.snapshot()["dropped"] == 1
    assert ("dropped", "auto", "faq") in log.decisions()


def test_answers_waiting_to_be_spoken_are_bounded(catalog: Catalog) -> None:
    room = ModerationQueue(catalog, product="mug", max_replies=1, auto=["price"])
    first = ask(room, "Is it microwave safe?")
    second = ask(room, "How heavy is it?", user="bob")
    room.approve(first.id, "maria")
    with pytest.raises(InputError, match="still waiting to be spoken"):
        room.approve(second.id, "maria")
    price = ask(room, "How much is it?", user="cy")  # an auto kind waits for room like any other…
    assert {i.id for i in room.pending()} == {second.id, price.id}
    said = room.next_reply(0)
    assert said is not None and said.id == first.id
    assert [i.id for i in room.pending()] == [second.id]  # …and goes as soon as there is room
    auto = room.next_reply(0)
    assert auto is not None and (auto.id, auto.by) == (price.id, "auto")
    room.approve(second.id, "maria")


def test_listeners_hear_of_changes_and_of_what_was_spoken(catalog: Catalog) -> None:
    room = ModerationQueue(catalog, product="mug")
    heard: list[tuple[str, dict[str, Any]]] = []
    unsubscribe = room.subscribe(lambda event, payload: heard.append((event, payload)))
    item = ask(room, "Is it microwave safe?")
    room.approve(item.id, "maria")
    reply = room.next_reply(0)
    assert reply is not None
    room.spoken(reply)
    unsubscribe()
    ask(room, "How heavy is it?")
    assert [e for e, _ in heard] == ["queue", "queue", "spoken", "queue"]
    assert heard[2][1]["text"] == "No, the steel body must not go in the microwave."


def test_the_product_on_screen_answers_questions_that_name_none(catalog: Catalog) -> None:
    room = ModerationQueue(catalog, product="mug")
    assert ask(room, "How much is it?").answer.product == "mug"
    with pytest.raises(InputError, match="no product 'teapot'"):
        room.product = "teapot"


def test_every_question_and_decision_lands_in_the_session_log(catalog: Catalog, tmp_path: Path) -> None:
    log = SessionLog(tmp_path, "room", "demo", "room").open()
    try:
        room = ModerationQueue(catalog, log=log.record, product="mug", auto=["price"])
        waiting = ask(room, "Is it microwave safe?")
        ask(room, "How much is it?", user="bob")
        room.reject(waiting.id, "maria")
    finally:
        log.close()
    records = [json.loads(line) for line in log.path.read_text(encoding="utf-8").splitlines()]
    decisions = [r for r in records if r["type"] == DECISION]
    assert [(r["decision"], r["by"], r["kind"], r["user"]) for r in decisions] == [
        ("approved", "auto", "price", "bob"),
        ("rejected", "maria", "faq", "ann"),
    ]
    assert all(r["t"].endswith("Z") for r in decisions)  # when: the log's wall clock
    asked = [r["text"] for r in records if r["type"] == QUESTION]
    assert asked == ["Is it microwave safe?", "How much is it?"]


def test_a_comment_is_one_bounded_line_without_invisible_characters() -> None:
    comment = make_comment("ev\u202eil\nname" + "x" * 100, "how\x1b[2J much\u200b?\n" + "y" * 2000, "test")
    assert comment is not None
    assert "\u202e" not in comment.user and "\n" not in comment.user and len(comment.user) == MAX_USER_CHARS
    assert comment.text.startswith("how [2J much ?") and len(comment.text) == MAX_COMMENT_CHARS
    assert make_comment("ann", " \t\u200b ", "test") is None
    assert make_comment("", "hi", "test").user == "viewer"  # type: ignore[union-attr]


def test_a_scripted_line_may_name_its_viewer() -> None:
    named = parse_line("ann: how much is it?\n", "stdin")
    assert named is not None and (named.user, named.text, named.source) == ("ann", "how much is it?", "stdin")
    plain = parse_line("how much is it: the mug?", "stdin")
    assert plain is not None and (plain.user, plain.text) == ("viewer", "how much is it: the mug?")
    url = parse_line("http://example.com/mug", "stdin")
    assert url is not None and url.text == "http://example.com/mug"
