"""The Live page's viewers' questions: filled from the queue's listener through a Qt signal (the
question arrives on another thread), Enter approves, an edit must pass the claims checker,
Reject drops it, and the checkboxes choose what is answered without a person."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from studio.commerce import load_catalog
from studio.room import ModerationQueue, make_comment
from studio.ui.live_room import NO_ROOM, OPERATOR, RoomBox

CATALOG = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"


@pytest.fixture
def queue() -> tuple[ModerationQueue, list[tuple[str, dict[str, Any]]]]:
    log: list[tuple[str, dict[str, Any]]] = []
    room = ModerationQueue(load_catalog(CATALOG), product="mug", log=lambda t, **f: log.append((t, f)))
    return room, log


def _ask(queue: ModerationQueue, user: str, text: str) -> None:
    """A viewer's question, arriving on a thread of its own (as from the audience page)."""
    comment = make_comment(user, text, "test")
    assert comment is not None
    worker = threading.Thread(target=queue.submit, args=(comment,))
    worker.start()
    worker.join()


def test_questions_are_decided_on_the_live_page(qtbot, queue) -> None:  # noqa: ANN001
    room, log = queue
    box = RoomBox()
    qtbot.addWidget(box)
    assert box.note.text() == NO_ROOM and not box.questions.isEnabled() and box.isHidden()
    box.attach(room)
    assert not box.isHidden()
    _ask(room, "ann", "Is it microwave safe?")
    qtbot.waitUntil(lambda: box.questions.count() == 1)
    assert "ann: Is it microwave safe?" in box.questions.item(0).text()
    assert "No, the steel body must not go in the microwave." in box.questions.item(0).text()
    box.questions.setFocus()
    qtbot.keyClick(box.questions, Qt.Key.Key_Return)  # Enter approves the suggestion
    reply = room.next_reply(0)
    assert reply is not None and (reply.by, reply.text) == (
        OPERATOR,
        "No, the steel body must not go in the microwave.",
    )
    qtbot.waitUntil(lambda: box.questions.count() == 0)

    _ask(room, "bo", "Does the lid leak?")
    qtbot.waitUntil(lambda: box.questions.count() == 1)
    assert box.edit.text().startswith("The lid has a silicone seal")  # the suggestion, to edit
    box.edit.setText("This is the best mug in the world.")
    box.edit_button.click()
    assert "breaks a rule" in box.note.text() and box.edit.text() == "This is the best mug in the world."
    assert box.questions.count() == 1 and room.next_reply(0) is None  # refused: still waiting
    box.edit.setText("The lid seals when it is closed.")
    box.edit_button.click()
    edited = room.next_reply(0)
    assert edited is not None and edited.text == "The lid seals when it is closed."

    _ask(room, "cy", "Can I use it for soup?")
    qtbot.waitUntil(lambda: box.questions.count() == 1 and "cy:" in box.questions.item(0).text())
    box.reject_button.click()
    qtbot.waitUntil(lambda: box.questions.count() == 0)
    decisions = [(f["user"], f["decision"], f["by"]) for t, f in log if t == "moderation"]
    assert decisions == [
        ("ann", "approved", OPERATOR),
        ("bo", "edited", OPERATOR),
        ("cy", "rejected", OPERATOR),
    ]

    # Price questions answered without a person once their box is ticked.
    assert not box.auto["price"].isChecked()
    box.auto["price"].setChecked(True)
    assert room.auto == frozenset({"price"})
    _ask(room, "di", "How much is it?")
    auto = room.next_reply(0)
    assert auto is not None and auto.by == "auto" and "$19.99" in auto.text
    qtbot.wait(50)
    assert box.questions.count() == 0

    box.attach(None)  # the show stopped: the page lets go of its queue
    _ask(room, "ed", "Is it microwave safe?")
    qtbot.wait(50)
    assert box.questions.count() == 0 and box.note.text() == NO_ROOM and box.isHidden()
