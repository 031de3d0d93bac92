"""The moderation queue: viewers' questions wait with their suggested answer for a person's decision.

``submit(comment)`` answers the question from the catalogue (``studio.commerce.answer``) and queues
it; the operator ``approve``s, ``edit``s (the new words must pass the claims checker) or ``reject``s
it. Kinds listed in ``auto`` (e.g. price and shipping) are approved at once, by "auto". Approved
answers come out of ``next_reply()`` in order, for the show to speak after its current sentence;
once said, the show calls ``spoken(reply)`` and the audience page shows it.

Bounded everywhere: at most ``max_pending`` questions wait (the oldest is dropped and counted),
at most ``max_replies`` approved answers wait to be spoken (an approval beyond that is refused
and the question stays queued; an auto kind waits and goes when one is taken), and the same
question asked again while it waits, or soon after it was answered or rejected, collapses into
the first (its count goes up) instead of queueing twice.

A ``preparer`` (the show's speech supply, through the room) is told of each question waiting for
a person with its suggested answer, so the answer's speech can be made before the decision, and of
each question rejected, edited or dropped, so that speech is let go (``live.prepared``).

Every question and every decision goes to ``log`` (``SessionLog.record`` fits): record types
``QUESTION`` and ``DECISION`` with who, what and the answer's kind; the log adds when.
"""

from __future__ import annotations

import collections
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from studio.commerce.answer import KINDS, Answer, answer
from studio.commerce.catalog import Catalog
from studio.compliance import Checker
from studio.errors import InputError
from studio.room.comments import MAX_COMMENT_CHARS, Comment, clean
from studio.translation import tr

QUESTION = "question"  # id, user, source, text, kind, product, count
DECISION = "moderation"  # id, decision, by, kind, question, text, user, product
DECISIONS = ("approved", "edited", "rejected", "dropped", "repeat")
AUTO = "auto"  # who approved what an auto kind let through
MAX_PENDING = 50
MAX_REPLIES = 20
REPEAT_WINDOW_S = 120.0  # the same question this soon after its answer is a repeat, not a new one
_RECENT = 200  # answered questions remembered for repeats
_WORDS = re.compile(r"\w+")

_Record = tuple[str, dict[str, Any]]  # (record type, fields) for the log
Log = Callable[..., None]  # log(type_, **fields), as SessionLog.record
Listener = Callable[[str, dict[str, Any]], None]  # (event, payload): "queue" or "spoken"


class Preparer(Protocol):
    """Told which suggested answers may be approved soon, and which will not be said as suggested."""

    def prepare(self, item_id: str, text: str, language: str) -> None: ...

    def discard(self, item_id: str) -> None: ...


class EditRefused(InputError):
    """The operator's words break a rule of the claims checker."""


@dataclass
class Item:
    """A question waiting for a decision."""

    comment: Comment
    answer: Answer
    count: int = 1  # how many times it was asked while it waited
    users: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.comment.id

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "user": self.comment.user,
            "users": self.users[:5],
            "question": self.comment.text,
            "count": self.count,
            "source": self.comment.source,
            "suggested": self.answer.text,
            "kind": self.answer.kind,
            "confidence": round(self.answer.confidence, 2),
            "sources": list(self.answer.sources),
            "product": self.answer.product,
        }


@dataclass(frozen=True)
class Reply:
    """An approved answer for the show to speak; ``question`` is for the caption."""

    id: str
    text: str
    question: str
    user: str
    kind: str
    by: str
    product: str | None
    language: str

    @property
    def caption(self) -> str:
        return f"{self.user}: {self.question}"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "question": self.question, "user": self.user}


def auto_kinds(spec: str | Iterable[str]) -> frozenset[str]:
    """The kinds named in ``spec`` ("price,shipping"), each one of ``KINDS``."""
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    kinds = frozenset(n.strip().lower() for n in names if n.strip())
    unknown = sorted(kinds - set(KINDS))
    if unknown:
        raise InputError(
            tr("unknown question kind {kinds} for auto approval.").format(kinds=", ".join(unknown)),
            tr("Use some of: {kinds} (e.g. --auto price,shipping).").format(kinds=", ".join(KINDS)),
        )
    return kinds


def same_question(text: str) -> str:
    """What makes two questions the same: their words, case and punctuation aside."""
    return " ".join(_WORDS.findall(text.casefold()))


class ModerationQueue:
    """Questions, their suggested answers and the operator's decisions. Safe from any thread."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        auto: Iterable[str] = (),
        log: Log | None = None,
        checker: Checker | None = None,
        product: str | None = None,
        max_pending: int = MAX_PENDING,
        max_replies: int = MAX_REPLIES,
        repeat_window_s: float = REPEAT_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
        preparer: Preparer | None = None,
    ) -> None:
        self.catalog = catalog
        self.auto = auto_kinds(auto)
        self.checker = checker or Checker()
        self._log = log
        if product is not None:
            catalog.product(product)  # an unknown id is one clear line now, not at the first question
        self._product = product
        self._max_pending, self._max_replies = max_pending, max_replies
        self._repeat_window, self._clock = repeat_window_s, clock
        self._pending: collections.OrderedDict[str, Item] = collections.OrderedDict()
        self._replies: collections.deque[Reply] = collections.deque()
        self._recent: collections.OrderedDict[str, float] = collections.OrderedDict()  # key -> answered at
        self._listeners: list[Listener] = []
        self.preparer = preparer
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self.dropped = 0  # questions dropped unanswered because the queue was full
        self.repeats = 0  # questions folded into one already queued or just answered

    # -- the show's side ---------------------------------------------------------------------
    @property
    def product(self) -> str | None:
        """The product on screen: questions that name none are about it."""
        return self._product

    @product.setter
    def product(self, product_id: str | None) -> None:
        if product_id is not None:
            self.catalog.product(product_id)
        self._product = product_id

    def next_reply(self, timeout: float | None = None) -> Reply | None:
        """The oldest approved answer not yet taken, waiting up to ``timeout`` s (None: forever)."""
        with self._ready:
            if not self._ready.wait_for(lambda: bool(self._replies), timeout):
                return None
            reply = self._replies.popleft()
            # An auto kind that waited for room (the answers to be spoken were full) goes now.
            waited = next((i for i in self._pending.values() if i.answer.kind in self.auto), None)
            record = self._approve(waited, waited.answer.text, AUTO, "approved")[1] if waited else None
        if record is not None:
            self._publish([record])
        return reply

    def spoken(self, reply: Reply) -> None:
        """The show said ``reply``: the audience page shows it."""
        self._emit("spoken", reply.as_json())
        self._emit("queue", {})  # one fewer waiting to be spoken

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event, payload)`` on every change (from the changing thread; it must not
        block). Returns the call that unsubscribes it."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    # -- the audience's side -----------------------------------------------------------------
    def submit(self, comment: Comment) -> Item | None:
        """Queue ``comment`` with its suggested answer (or approve it, for an auto kind). Returns its
        item, the item it collapsed into, or None when it was a repeat of one just answered."""
        key = same_question(comment.text)
        if not key:
            return None
        suggested = answer(self.catalog, comment.text, self._product)  # pure and bounded: outside the lock
        records: list[tuple[str, dict[str, Any]]] = []
        gone: list[str] = []  # questions dropped for room: their preparation goes
        with self._lock:
            now = self._clock()
            for old_key in [k for k, at in self._recent.items() if now - at > self._repeat_window]:
                del self._recent[old_key]
            same = next((i for i in self._pending.values() if same_question(i.comment.text) == key), None)
            if same is not None or key in self._recent:
                self.repeats += 1
                if same is not None:
                    same.count += 1
                    if comment.user not in same.users and len(same.users) < 20:
                        same.users.append(comment.user)
                records.append((DECISION, self._fields(comment, suggested, "repeat", "", by=AUTO)))
                item = same
            else:
                item = Item(comment, suggested, users=[comment.user])
                self._pending[comment.id] = item
                records.append((QUESTION, self._question_fields(item)))
                while len(self._pending) > self._max_pending:
                    _, oldest = self._pending.popitem(last=False)
                    gone.append(oldest.id)
                    self.dropped += 1
                    dropped = self._fields(oldest.comment, oldest.answer, "dropped", "", AUTO)
                    records.append((DECISION, dropped))
                if suggested.kind in self.auto and len(self._replies) < self._max_replies:
                    records.append(self._approve(item, suggested.text, AUTO, "approved")[1])
            waits = same is None and item is not None and item.id in self._pending
        self._publish(records)
        if self.preparer is not None:  # outside the lock: the preparer takes its own
            for item_id in gone:
                self.preparer.discard(item_id)
            if waits and item is not None:  # an auto kind approved at once is made on its way to air
                self.preparer.prepare(item.id, suggested.text, suggested.language)
        return item

    # -- the operator's side -----------------------------------------------------------------
    def pending(self) -> list[Item]:
        """The questions waiting, oldest first."""
        with self._lock:
            return list(self._pending.values())

    def snapshot(self) -> dict[str, Any]:
        """What the moderator's console shows."""
        with self._lock:
            return {
                "items": [i.as_json() for i in self._pending.values()],
                "dropped": self.dropped,
                "repeats": self.repeats,
                "waiting_to_be_spoken": len(self._replies),
                "auto": sorted(self.auto),
                "product": self._product,
            }

    def approve(self, item_id: str, by: str) -> Reply:
        """Approve the suggested answer as it is."""
        with self._lock:
            item = self._take(item_id)
            reply, record = self._approve(item, item.answer.text, by, "approved")
        self._publish([record])
        return reply

    def edit(self, item_id: str, text: str, by: str) -> Reply:
        """Approve ``text`` instead of the suggestion, if the claims checker finds nothing in it
        (``EditRefused`` names the finding otherwise, and the question stays queued)."""
        words = clean(text, MAX_COMMENT_CHARS)
        if not words:
            raise InputError(
                tr("the edited answer is empty."), tr("Write what the host should say, or reject it.")
            )
        findings = self.checker.check(words)
        if findings:
            raise EditRefused(
                tr("the edited answer breaks a rule: {finding}.").format(finding=findings[0].describe()),
                tr("Change those words, or approve the suggested answer."),
            )
        with self._lock:
            item = self._take(item_id)
            reply, record = self._approve(item, words, by, "edited")
        self._publish([record])
        if self.preparer is not None and words != item.answer.text:
            self.preparer.discard(item_id)  # other words: made on approval, as before
        return reply

    def reject(self, item_id: str, by: str) -> None:
        """Never say it; the same question sent again soon is folded into this decision."""
        with self._lock:
            item = self._pending.pop(self._known(item_id))
            self._remember(item)
            record = (DECISION, self._fields(item.comment, item.answer, "rejected", "", by))
        self._publish([record])
        if self.preparer is not None:
            self.preparer.discard(item_id)

    # -- inside the lock ---------------------------------------------------------------------
    def _known(self, item_id: str) -> str:
        if item_id not in self._pending:
            raise InputError(
                tr("question {id!r} is not waiting (already decided, or dropped).").format(id=item_id),
                tr("Pick one from the queue."),
            )
        return item_id

    def _take(self, item_id: str) -> Item:
        """The item, checked to be approvable (it stays queued until ``_approve``)."""
        item = self._pending[self._known(item_id)]
        if len(self._replies) >= self._max_replies:
            raise InputError(
                tr("{count} approved answers are still waiting to be spoken.").format(
                    count=len(self._replies)
                ),
                tr("Approve this one once the host has said some of them."),
            )
        return item

    def _approve(self, item: Item, text: str, by: str, decision: str) -> tuple[Reply, _Record]:
        self._pending.pop(item.id, None)
        reply = self._reply(item, text, by)
        self._replies.append(reply)
        self._remember(item)
        self._ready.notify_all()
        return reply, (DECISION, self._fields(item.comment, item.answer, decision, text, by))

    def _remember(self, item: Item) -> None:
        """A decided question: asked again within the repeat window, it is a repeat."""
        self._recent[same_question(item.comment.text)] = self._clock()
        while len(self._recent) > _RECENT:
            self._recent.popitem(last=False)

    def _reply(self, item: Item, text: str, by: str) -> Reply:
        a = item.answer
        return Reply(item.id, text, item.comment.text, item.comment.user, a.kind, by, a.product, a.language)

    def _question_fields(self, item: Item) -> dict[str, Any]:
        c, a = item.comment, item.answer
        return {"id": c.id, "user": c.user, "source": c.source, "text": c.text, "kind": a.kind,
                "product": a.product, "sources": list(a.sources), "suggested": a.text}  # fmt: skip

    def _fields(self, comment: Comment, ans: Answer, decision: str, text: str, by: str) -> dict[str, Any]:
        fields = {"id": comment.id, "decision": decision, "by": by, "kind": ans.kind,
                  "question": comment.text, "user": comment.user, "product": ans.product}  # fmt: skip
        if text:
            fields["text"] = text
        return fields

    # -- outside the lock --------------------------------------------------------------------
    def _publish(self, records: list[tuple[str, dict[str, Any]]]) -> None:
        if self._log is not None:
            for type_, fields in records:
                self._log(type_, **fields)
        self._emit("queue", {})

    def _emit(self, event: str, payload: dict[str, Any]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event, payload)
