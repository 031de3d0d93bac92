"""The room of a running show: viewers' questions in, approved answers spoken on air.

``ShowRoom`` joins a ``LiveShow`` (on a script) to a ``ModerationQueue`` over the catalogue and,
optionally, to the loopback audience page. The queue's product follows the segment on air (a
rundown segment's ``product``), so "how much is it?" is about what the viewers are looking at.
One thread takes each approved answer after the current sentence (``next_reply``), hands it to the
show's interjection path (the claims checker included), and once its first frame is on air tells
the queue it was ``spoken`` (the audience page shows it) before taking the next: the queue's own
bound on answers waiting to be spoken holds, and answers never pile up inside the show.

While a question waits for the operator, its suggested answer's speech is made (``prepare``: in
the voice it would be said in, at low priority, by the show's speech supply), so an answer
approved as suggested goes on air without waiting for its synthesis; on air, it cuts into the
rundown sentence at its next clause pause (``live.program``).

Every question, decision and answer said goes to the show's session log.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.commerce.answer import language_of
from studio.commerce.catalog import Catalog, load_catalog
from studio.compliance.session_log import WARNING
from studio.errors import InputError
from studio.live.cards import CardTrack
from studio.live.clips import Clip
from studio.live.program import FrameContent, Source
from studio.live.rundown import Rundown
from studio.render.label import Label
from studio.render.product_card import MIN_FRAME, CardPatch, ProductCards
from studio.room.answer_voice import AnswerVoices, show_voices
from studio.room.moderation import ModerationQueue, Reply, auto_kinds
from studio.room.server import AudiencePage
from studio.translation import tr
from studio.voice.registry import all_voices

if TYPE_CHECKING:
    from studio.pipeline.live_show import LiveShow

_POLL_S = 0.2  # how often the answering thread looks at Stop while nothing is approved
SAY_WITHIN_S = 120.0  # an answer not on air by then (its speech failed) is given up, with a warning
_SAID_KEPT = 64  # ids of answers said, remembered until the answering thread sees them


@dataclass(frozen=True)
class RoomOptions:
    catalog: Path  # catalog.toml: the only facts answers come from
    page: bool = False  # also serve the audience page and moderator console on 127.0.0.1
    port: int = 0  # the page's port (0: any free one)
    auto: tuple[str, ...] = ()  # answer kinds approved without a person, e.g. ("price", "shipping")
    cards: bool = True  # the product card on the video while its product's segment runs


def segment_products(rundown: Rundown | None, catalog: Catalog) -> list[str | None]:
    """Each segment's product id (None for a segment that names none), every id checked against
    ``catalog`` now: an unknown one is one line before the show starts, not a silent wrong card."""
    products = [s.product for s in rundown.segments] if rundown else []
    for number, product in enumerate(products, 1):
        if product is not None and product not in {p.id for p in catalog.products}:
            known = ", ".join(p.id for p in catalog.products)
            raise InputError(
                tr("{rundown}, segment {number}: product '{product}' is not in {catalog}.").format(
                    rundown=rundown.source if rundown else tr("the rundown"),
                    number=number,
                    product=product,
                    catalog=catalog.source or tr("the catalogue"),
                ),
                tr(
                    "Use one of its ids ({known}), or make the show again with 'studio show from-catalog'."
                ).format(known=known),
            )
    return products


class ShowRoom:
    """The moderation queue (and audience page) of one show; started and stopped with it."""

    def __init__(self, show: LiveShow, options: RoomOptions) -> None:
        if not show.can_interject:
            raise InputError(
                tr(
                    "viewers' answers are spoken in a script's voice; "
                    "the microphone and audio files have none."
                ),
                tr("Use --script (a rundown, e.g. from 'studio show from-catalog') with --catalog."),
            )
        if not 0 <= options.port <= 65535:
            raise InputError(
                tr("--port {port} is not a TCP port.").format(port=options.port),
                tr("Use 1 to 65535, or 0 for any."),
            )
        self.catalog = load_catalog(options.catalog)
        self._products = segment_products(show.rundown, self.catalog)
        first = next((p for p in self._products if p is not None), None)
        self._show = show
        # Each answer in its own language's voice: the show's voice of that language, else the default.
        segments = [s.voice for s in show.rundown.segments] if show.rundown else []
        consented = show.avatar.manifest.consent.voices  # the consent comes before the language
        self.voices = AnswerVoices(show_voices(show.options.voice, segments), all_voices(), consented)
        self.queue = ModerationQueue(
            self.catalog, auto=auto_kinds(options.auto), log=self._record, product=first, preparer=self
        )
        self.page = AudiencePage(self.queue, port=options.port) if options.page else None
        self.cards: ProductCards | None = None
        w, h = show.settings.width, show.settings.height
        if options.cards and any(self._products) and w >= MIN_FRAME[0] and h >= MIN_FRAME[1]:
            texts = [s.text for s in show.rundown.segments] if show.rundown else [""]
            lang = language_of(" ".join(texts)[:200])
            self.cards = ProductCards(self.catalog, lang, w, h, Label(show.settings.label, w, h).box)
        self._said: deque[str] = deque(maxlen=_SAID_KEPT)
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.answered = 0  # answers that went on air
        # The captions of answers about to be said, drawn here (not on a render thread) before the
        # answer goes to the show; a few kept, replaced whole (a render thread reads the old dict).
        self._captions: dict[str, CardPatch] = {}

    def overlay(self, frame: np.ndarray, content: FrameContent) -> np.ndarray:
        """On a render thread: the frame's product card, and the question its answer replies to."""
        assert self.cards is not None
        if content.card is not None:
            frame = self.cards.apply(frame, *content.card)
        caption = self._captions.get(content.caption) if content.caption else None
        return frame if caption is None else caption.apply(frame)

    def with_cards(self, source: Source) -> Source:
        """``source`` with each frame's product card decided (``live.cards``), if the show has cards."""
        return source if self.cards is None else CardTrack(source, self._products)

    @property
    def product(self) -> str | None:
        """The product on air (its segment is being said), which questions are about."""
        return self.queue.product

    def start(self) -> None:
        """Once the show is live: the page listens (``InputError`` if its port is taken), answers flow."""
        if self.page is not None:
            self.page.start()
        self._show.on_said(self._on_said)
        self._thread = threading.Thread(target=self._answer, name="studio-room-answers", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Before the show stops: no more answers taken, the page closed, every thread joined."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.page is not None:
            self.page.stop()

    # -- the queue's preparer ----------------------------------------------------------------
    def prepare(self, item_id: str, text: str, language: str) -> None:
        """Make a waiting question's suggested answer in the voice ``_answer`` will say it in
        (``LiveShow.interject`` falls back to the show's voice the same way)."""
        if self._show.supply is not None:
            voice = self.voices.voice_for(language, text) or self._show.options.voice
            self._show.supply.prepare(item_id, text, voice)

    def discard(self, item_id: str) -> None:
        if self._show.supply is not None:
            self._show.supply.discard(item_id)

    def _record(self, type_: str, **fields: Any) -> None:
        self._show.log.record(type_, **fields)  # the show's log is made after its room

    # -- threads -----------------------------------------------------------------------------
    def _on_said(self, clip: Clip) -> None:
        """On the presenter thread, as a clip's first frame goes on air: no waiting here."""
        if clip.kind == "rundown" and 0 < clip.segment <= len(self._products):
            product = self._products[clip.segment - 1]
            if product is not None and product != self.queue.product:
                self.queue.product = product
        if clip.answers:
            with self._cond:
                self._said.append(clip.answers)
                self._cond.notify_all()

    def _answer(self) -> None:
        while not self._stop.is_set():
            reply = self.queue.next_reply(timeout=_POLL_S)
            if reply is None:
                continue
            if self.cards is not None:
                kept = dict(list(self._captions.items())[-3:])
                self._captions = {**kept, reply.caption: self.cards.caption(reply.caption)}
            try:
                voice = self.voices.voice_for(reply.language, reply.text)
                self._show.interject(reply.text, answers=(reply.id, reply.caption), voice=voice)
            except InputError:
                self.discard(reply.id)  # never said: what was made for it goes
                continue  # the show logged it as blocked; the queue has let go of it
            if self._wait_said(reply):
                self.answered += 1
                self.queue.spoken(reply)

    def _wait_said(self, reply: Reply) -> bool:
        with self._cond:
            self._cond.wait_for(lambda: reply.id in self._said or self._stop.is_set(), SAY_WITHIN_S)
            if reply.id in self._said:
                self._said.remove(reply.id)
                return True
        if not self._stop.is_set():
            self._show.log.record(WARNING, message=f"the answer to {reply.caption!r} did not go on air.")
        return False
