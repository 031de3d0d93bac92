"""Which product card each frame shows, and how faded: decided in frame order, with the frame.

``CardTrack`` wraps the show's source: when a rundown clip starts, its segment's product becomes
the one on air; the card fades in over ``fade_frames``, and on a change of product the old card
fades out before the new one fades in. Interjections and the AI notice keep the card of the
segment they interrupt. While an answer is said, its viewer's question is the frames' caption.
The result rides on each ``FrameContent`` (``card``, ``caption``), an immutable part of
the frame's job, so a render thread blends exactly what was decided for that frame.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from studio.live.program import FrameContent, Source
from studio.live.supply import INTERJECTION

FADE_FRAMES = 8  # about a quarter of a second at 30 fps


class CardTrack:
    """A ``Source`` that is ``source`` with each frame's product card and fade added."""

    def __init__(
        self, source: Source, products: Sequence[str | None], fade_frames: int = FADE_FRAMES
    ) -> None:
        self._source = source
        self.delay_samples = source.delay_samples
        self._products = list(products)  # by rundown segment, 1-based in clips
        self._step = 1.0 / max(1, fade_frames)
        self._on_air: str | None = None  # the product of the segment being said
        self._shown: str | None = None  # the card on screen (fading out while it differs)
        self._fade = 0.0
        self._caption = ""  # the question of the answer being said

    @property
    def finished(self) -> bool:
        return self._source.finished

    def frame(self, index: int, timeout: float) -> FrameContent | None:
        content = self._source.frame(index, timeout)
        if content is None:
            return None
        started = content.started
        if started is not None:
            self._caption = started.question if started.answers else ""
        elif not content.label.startswith(INTERJECTION):  # idle, or a sentence an answer cut into goes on
            self._caption = ""
        if started is not None and started.kind == "rundown" and 0 < started.segment <= len(self._products):
            self._on_air = self._products[started.segment - 1]
        if self._shown == self._on_air:
            self._fade = min(1.0, self._fade + self._step) if self._shown is not None else 0.0
        else:
            self._fade = max(0.0, self._fade - self._step)
            if self._fade == 0.0:
                self._shown = self._on_air
        card = None if self._shown is None or self._fade <= 0.0 else (self._shown, round(self._fade, 3))
        if card is None and not self._caption:
            return content
        return dataclasses.replace(content, card=card, caption=self._caption)
