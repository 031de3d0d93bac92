"""Which mouth shapes a twin's footage holds, counted and said in a creator's words.

A twin can only show mouths it has seen. Six classes matter to a viewer: the closed mouth at
rest, lips pressed (p b m), lower lip under the teeth (f v), wide open (aa), spread (ee) and
rounded (oo). Each unit counts in at most one class (the most specific it shows), from its
measured mouth (``studio.lipsync.mouth.MOUTH_PARAMS``, calibrated on the person) and, where the
video has speech, from the visemes the lip-sync model heard at that frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import InputError
from studio.lipsync.mouth import CLOSE, JAW, ROUND, TUCK, WIDTH
from studio.lipsync.visemes import VISEME_INDEX
from studio.translation import tr

CLASSES = ("closed", "PP", "FF", "open", "wide", "rounded")
# Units of a class needed to call it covered: a few distinct examples, not one lucky frame.
ENOUGH_UNITS = 3
MIN_CLASSES = 4  # and closed and open always
REQUIRED = ("closed", "open")

# In English; messages say them in the user's language (words(), examples()).
WORDS = {
    "closed": "your mouth closed and still",
    "PP": "'p', 'b' and 'm'",
    "FF": "'f' and 'v'",
    "open": "a wide-open 'aa'",
    "wide": "'ee'",
    "rounded": "'oo'",
}
EXAMPLES = {
    "closed": "keep your lips closed for a few seconds, breathing and blinking",
    "PP": "say a few words with 'p', 'b' and 'm' (\"Peter bought a big blue balloon\")",
    "FF": "say a few words with 'f' and 'v' (\"five fine violins\")",
    "open": "say a few words with a wide-open 'aa' (\"father parks the car far away\")",
    "wide": "say a few words with 'ee' (\"we each see three green trees\")",
    "rounded": "say a few words with 'oo' (\"who knew the pool would be so cool\")",
}


def words() -> dict[str, str]:
    """``WORDS`` in the user's language."""
    return {
        "closed": tr("your mouth closed and still"),
        "PP": tr("'p', 'b' and 'm'"),
        "FF": tr("'f' and 'v'"),
        "open": tr("a wide-open 'aa'"),
        "wide": tr("'ee'"),
        "rounded": tr("'oo'"),
    }


def examples() -> dict[str, str]:
    """``EXAMPLES`` in the user's language; a translation may give its own practice phrase."""
    return {
        "closed": tr("keep your lips closed for a few seconds, breathing and blinking"),
        "PP": tr("say a few words with 'p', 'b' and 'm' (\"Peter bought a big blue balloon\")"),
        "FF": tr("say a few words with 'f' and 'v' (\"five fine violins\")"),
        "open": tr("say a few words with a wide-open 'aa' (\"father parks the car far away\")"),
        "wide": tr("say a few words with 'ee' (\"we each see three green trees\")"),
        "rounded": tr("say a few words with 'oo' (\"who knew the pool would be so cool\")"),
    }


# A heard viseme counts when the model is this sure of it and the lips agree.
HEARD = 0.5


@dataclass(frozen=True)
class CoverageReport:
    counts: Mapping[str, int]  # units per class, every class present as a key
    units: int  # units classified (a unit between shapes is in no class)

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(name for name in CLASSES if self.counts.get(name, 0) >= ENOUGH_UNITS)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in CLASSES if name not in self.present)

    @property
    def ok(self) -> bool:
        return all(name in self.present for name in REQUIRED) and len(self.present) >= MIN_CLASSES

    def advice(self) -> str:
        """What to say or do to fill the missing classes, in a creator's words ('' if none)."""
        said = examples()
        steps = [said[name] for name in self.missing]
        if not steps:
            return ""
        text = tr("; ").join(steps)
        return tr("{steps}.").format(steps=text[:1].upper() + text[1:])

    def sentence(self) -> str:
        """One sentence for the creator: what the video has and what it lacks."""
        said = words()
        has = tr(", ").join(f"{said[name]} ({self.counts[name]})" for name in self.present) or tr(
            "no clear mouth shapes"
        )
        if not self.missing:
            return tr("Your video has every mouth shape a twin needs: {has}.").format(has=has)
        lacks = tr(", ").join(said[name] for name in self.missing)
        return tr("Your video has {has}, but not {lacks}. {advice}").format(
            has=has, lacks=lacks, advice=self.advice()
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": {name: int(self.counts.get(name, 0)) for name in CLASSES},
            "units": int(self.units),
            "missing": list(self.missing),
            "sentence": self.sentence(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CoverageReport:
        """The report ``to_json`` wrote; ``ValueError`` when ``data`` is not one."""
        counts = data.get("counts") if isinstance(data, Mapping) else None
        units = data.get("units") if isinstance(data, Mapping) else None
        if not isinstance(counts, Mapping) or not isinstance(units, int) or isinstance(units, bool):
            raise ValueError("not a coverage report")
        clean: dict[str, int] = {}
        for name in CLASSES:
            value = counts.get(name, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"coverage count for {name} is not a count")
            clean[name] = value
        return cls(clean, units)


def classify(mouth: np.ndarray, visemes: np.ndarray | None = None) -> np.ndarray:
    """The class index (into ``CLASSES``) of each unit, -1 for a mouth between shapes.

    ``mouth`` is (U, 5); ``visemes`` (U, 15) or (U, 0). NaN rows are between shapes."""
    mouth = np.asarray(mouth, np.float32)
    jaw, width, rnd, close, tuck = (mouth[:, k] for k in (JAW, WIDTH, ROUND, CLOSE, TUCK))
    heard = np.zeros((len(mouth), 2), bool)
    if visemes is not None and visemes.ndim == 2 and visemes.shape[1] > 0:
        heard[:, 0] = visemes[:, VISEME_INDEX["PP"]] >= HEARD
        heard[:, 1] = visemes[:, VISEME_INDEX["FF"]] >= HEARD
    out = np.full(len(mouth), -1, np.int64)
    with np.errstate(invalid="ignore"):
        # Most specific first: a unit takes the first class it fits.
        rules = (
            ("PP", (jaw < 0.12) & ((close >= 0.7) | (heard[:, 0] & (close >= 0.25)))),
            ("FF", (jaw < 0.3) & ((tuck >= 0.5) | (heard[:, 1] & (tuck >= 0.2)))),
            # Lips pushed forward around a small opening: a narrow mouth with the lips together
            # is a resting pout, not an 'oo' a viewer would read.
            ("rounded", (rnd >= 0.45) & (width <= -0.2) & (jaw >= 0.06)),
            ("open", jaw >= 0.45),
            ("wide", (width >= 0.35) & (jaw >= 0.1) & (rnd < 0.3)),
            ("closed", (jaw < 0.08) & (close >= 0.2) & (tuck < 0.5) & (rnd < 0.45)),
        )
        for name, fits in rules:
            out[(out < 0) & fits] = CLASSES.index(name)
    return out


def coverage_report(mouth: np.ndarray, visemes: np.ndarray | None = None) -> CoverageReport:
    """The classes held by the units whose mouths (and heard visemes) are given."""
    labels = classify(mouth, visemes)
    counts = {name: int((labels == i).sum()) for i, name in enumerate(CLASSES)}
    return CoverageReport(counts, int(np.isfinite(np.asarray(mouth)).all(axis=1).sum()))


def check_coverage(report: CoverageReport, video: Path | None = None) -> None:
    """Refuse, in one line, a twin without its closed or open mouth or with fewer than
    ``MIN_CLASSES`` of the six, naming what is missing and what to say."""
    if report.ok:
        return
    source = Path(video).name if video is not None else tr("the video")
    said = words()
    lacks = tr(", ").join(f"{name} ({said[name]})" for name in report.missing)
    advice = report.advice()
    raise InputError(
        tr("{source} has too few mouth shapes for a twin: missing {lacks}.").format(
            source=source, lacks=lacks
        ),
        tr("Record again and {advice}").format(advice=advice[:1].lower() + advice[1:]),
    )
