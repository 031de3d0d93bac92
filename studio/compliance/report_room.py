"""The report's sections for a live-commerce room: each product's airtime, and viewers' questions.

Airtime: from one ``said`` record to the next (the show's end closes the last), the time goes to
the product of the rundown segment last said, so an answer or the AI notice said between two of
a product's sentences counts for that product, as its card stays on screen meanwhile.

Questions: asked (``question`` records), and what became of each (``moderation`` decisions, and
the answers said on air); "declined" counts the questions the catalogue could not answer, whose
suggestion was the honest "I'll check" rather than a fact.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from studio.compliance.report_frames import clock
from studio.compliance.report_types import Record, Section
from studio.translation import tr

QUESTION = "question"  # studio.room.moderation's record types (compliance does not import the room)
DECISION = "moderation"
UNANSWERED = ("declined", "none")  # answer kinds that state no fact


@dataclass
class AirtimeSection(Section):
    title: str = "Products on air"
    airtime: dict[str, float] = field(default_factory=dict)
    on_air: str | None = None
    since: float | None = None
    seen: bool = False

    def take(self, record: Record) -> None:
        pts = record.get("pts_s")
        if record["type"] not in ("said", "end") or not isinstance(pts, int | float):
            return
        if self.on_air is not None and self.since is not None and pts >= self.since:
            self.airtime[self.on_air] = self.airtime.get(self.on_air, 0.0) + float(pts) - self.since
        self.since = float(pts)
        if record["type"] == "said" and record.get("kind") == "rundown":
            product = record.get("product")
            self.on_air = str(product) if product else None
            self.seen = self.seen or bool(product)

    def finish(self) -> list[str]:
        if not self.seen:
            return [tr("no product segments (a rundown without products, or not a live show)")]
        total = sum(self.airtime.values()) or 1.0
        return [
            f"{product}: {clock(seconds)} ({100 * seconds / total:.0f} %)"
            for product, seconds in sorted(self.airtime.items(), key=lambda kv: -kv[1])
        ]


@dataclass
class QuestionsSection(Section):
    title: str = "Viewers' questions"
    asked: int = 0
    declined: int = 0
    decisions: Counter[str] = field(default_factory=Counter)
    auto: int = 0
    answered: set[str] = field(default_factory=set)
    answer_texts: set[str] = field(default_factory=set)
    blocked: int = 0
    products: Counter[str] = field(default_factory=Counter)

    def take(self, record: Record) -> None:
        kind = record["type"]
        if kind == QUESTION:
            self.asked += 1
            self.declined += record.get("kind") in UNANSWERED
            if record.get("product"):
                self.products[str(record["product"])] += 1
        elif kind == DECISION:
            decision = str(record.get("decision", "?"))
            self.decisions[decision] += 1
            self.auto += decision == "approved" and record.get("by") == "auto"
            if record.get("text") and len(self.answer_texts) < 10_000:
                self.answer_texts.add(str(record["text"]))
        elif kind == "said" and record.get("answers") and len(self.answered) < 100_000:
            self.answered.add(str(record["answers"]))
        elif kind == "blocked" and str(record.get("text")) in self.answer_texts:
            self.blocked += 1

    def finish(self) -> list[str]:
        if not self.asked and not self.decisions:
            return [tr("no questions (the show took none)")]
        d = self.decisions
        approved = d["approved"] + d["edited"]
        lines = [
            tr(
                "{asked} asked, {answered} answered on air, "
                "{declined} the catalogue could not answer (declined)"
            ).format(asked=self.asked, answered=len(self.answered), declined=self.declined),
            tr(
                "{approved} approved ({auto} without a person, {edited} edited), {rejected} rejected, "
                "{dropped} dropped unanswered (queue full), {repeat} repeats folded"
            ).format(
                approved=approved,
                auto=self.auto,
                edited=d["edited"],
                rejected=d["rejected"],
                dropped=d["dropped"],
                repeat=d["repeat"],
            ),
            tr("{count} approved answers kept off the air by the claims checker").format(count=self.blocked),
        ]
        if approved > len(self.answered):
            lines.append(
                tr("{count} approved answers not said before the show ended").format(
                    count=approved - len(self.answered)
                )
            )
        if self.products:
            lines.append(
                tr("about: {products}").format(
                    products=", ".join(f"{p} {n}" for p, n in self.products.most_common(10))
                )
            )
        return lines
