"""What the webcam twin recording asks of the creator, and the live mouth-shape meter.

Qt-free. The recording has three parts: quiet idle (the twin's idle loop comes from it), the
consent statement read aloud (proof, and more mouth shapes), then a short script shown as a
teleprompter. The scripts are written to hold every coverage class (``studio.twin.coverage``):
closed, PP (p b m), FF (f v), open (aa), wide (ee) and rounded (oo), several times each.

The meter classifies each preview frame's MediaPipe blendshapes (what the camera analysis
already gives, no extra work per frame) into at most one class. It is a guide for the person
in front of the camera, not the build's verdict: the build measures the recorded video again,
calibrated on the person, and decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication

from studio.capture.consent_audio import reading_seconds
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

# The coverage classes, in the order the meter shows them (the names studio.twin.coverage uses).
CLASSES = ("closed", "PP", "FF", "open", "wide", "rounded")
CLASS_WORDS = {
    "closed": QT_TRANSLATE_NOOP("twin_script", "closed"),
    "PP": "p b m",
    "FF": "f v",
    "open": "aa",
    "wide": "ee",
    "rounded": "oo",
}
# Frames of a class the meter calls enough (~0.3 s at 25-30 fps: a few clear examples).
ENOUGH_FRAMES = 8
REST_FRAMES = 300  # 10 s at 30 fps: the median settles long before

IDLE_S = 10.0
SCRIPT_S = 18.0
IDLE_WORDS = QT_TRANSLATE_NOOP(
    "twin_script", "Breathe, blink, keep your mouth closed and look at the camera."
)

SCRIPTS = {
    "en": (
        "Peter bought a big blue balloon.\n"
        "Five fine violins play for me.\n"
        "Father parks the car far away.\n"
        "We each see three green trees.\n"
        "Who knew the pool would be so cool?\n"
        "My puppy naps by the map."
    ),
    "zh": (
        "爸爸买了八把伞。\n"
        "风吹过飞机场，飞得非常快。\n"
        "大家拿着花，哈哈大笑。\n"
        "一起去西边，喝一点汽水。\n"
        "五个兔子住在湖边的小屋。\n"
        "妈妈不怕，朋友帮忙。"
    ),
}
LANGUAGES = {"en": "English", "zh": "中文"}


@dataclass(frozen=True)
class Phase:
    key: str  # "idle" | "consent" | "script" | "done"
    title: str  # what the teleprompter's heading says
    text: str  # what it shows
    seconds_left: float
    fraction: float  # of the whole recording done, 0..1


@dataclass(frozen=True)
class RecordingPlan:
    """The parts of the recording and their lengths, in seconds."""

    statement: str
    language: str = "en"
    idle_s: float = IDLE_S
    consent_s: float = 0.0  # 0: the time an unhurried reader needs for the statement
    script_s: float = SCRIPT_S

    @property
    def consent_seconds(self) -> float:
        return self.consent_s or reading_seconds(self.statement)

    @property
    def total_s(self) -> float:
        return self.idle_s + self.consent_seconds + self.script_s

    @property
    def consent_window(self) -> tuple[float, float]:
        """(start, end) of the statement in the recording, in seconds."""
        return self.idle_s, self.idle_s + self.consent_seconds

    def at(self, elapsed: float) -> Phase:
        """What the teleprompter shows ``elapsed`` seconds into the recording."""
        done = min(1.0, max(0.0, elapsed / self.total_s))
        start, end = self.consent_window
        if elapsed < start:
            return Phase(
                "idle",
                QCoreApplication.translate("RecordingPlan", "Part 1 of 3 · Stay quiet"),
                translated("twin_script", IDLE_WORDS),
                start - elapsed,
                done,
            )
        if elapsed < end:
            return Phase(
                "consent",
                QCoreApplication.translate("RecordingPlan", "Part 2 of 3 · Read the statement aloud"),
                self.statement,
                end - elapsed,
                done,
            )
        if elapsed < self.total_s:
            script = SCRIPTS[self.language]
            return Phase(
                "script",
                QCoreApplication.translate("RecordingPlan", "Part 3 of 3 · Read the script aloud"),
                script,
                self.total_s - elapsed,
                done,
            )
        return Phase(
            "done",
            QCoreApplication.translate("RecordingPlan", "Done"),
            QCoreApplication.translate("RecordingPlan", "Thank you. The recording is complete."),
            0.0,
            1.0,
        )


# Landmarks (MediaPipe face mesh): inner lips, outer lips, mouth corners, outer eye corners.
UPPER_OUTER, UPPER_INNER, LOWER_INNER, LOWER_OUTER = 0, 13, 14, 17
CORNERS = (61, 291)
EYES = (33, 263)


@dataclass(frozen=True)
class MouthShape:
    """One frame's lips, in inter-ocular distances (the same for any face size or camera)."""

    gap: float  # between the inner lips: 0 closed, ~0.1 a clear "aa"
    width: float  # corner to corner
    upper: float  # upper lip thickness (shrinks when rolled in: p b m)
    lower: float  # lower lip thickness (shrinks when tucked under the teeth: f v, or rolled in)
    pucker: float  # the mouthPucker/mouthFunnel blendshape


def mouth_shape(landmarks: np.ndarray, shapes: Mapping[str, float]) -> MouthShape | None:
    points = np.asarray(landmarks, np.float32)[:, :2]
    eyes = float(np.linalg.norm(points[EYES[0]] - points[EYES[1]]))
    if not np.isfinite(eyes) or eyes < 1.0:
        return None

    def span(a: int, b: int) -> float:
        return float(np.linalg.norm(points[a] - points[b])) / eyes

    pucker = max(float(shapes.get("mouthPucker", 0.0)), float(shapes.get("mouthFunnel", 0.0)))
    return MouthShape(
        span(UPPER_INNER, LOWER_INNER),
        span(*CORNERS),
        span(UPPER_OUTER, UPPER_INNER),
        span(LOWER_INNER, LOWER_OUTER),
        pucker,
    )


# The rest mouth until the person's own is measured: franck.webm's medians (FG-NET talking face).
DEFAULT_REST = MouthShape(gap=0.005, width=0.56, upper=0.056, lower=0.103, pucker=0.0)
CLOSED_GAP = 0.015
OPEN_GAP = 0.09


def mouth_class(shape: MouthShape, rest: MouthShape = DEFAULT_REST) -> str | None:
    """The coverage class a frame shows most clearly, or None (between shapes).

    Relative to the person's own closed mouth at rest (``rest``, measured while they keep
    quiet): lips narrower than at rest are "oo", wider "ee", a lower lip that thins (tucked
    under the teeth) "f", both lips thinning (pressed, rolled in) "p b m". Limits from
    franck.webm (FG-NET talking face): see tests/test_ui_twin_script.py.
    """
    closed = shape.gap < CLOSED_GAP
    if shape.pucker > 0.3 or (shape.width < 0.88 * rest.width and not closed):
        return "rounded"
    if shape.gap > OPEN_GAP:
        return "open"
    thin_lower = shape.lower < 0.7 * rest.lower
    thin_upper = shape.upper < 0.8 * rest.upper
    if thin_lower and not thin_upper and shape.gap < 0.04:
        return "FF"
    if closed and thin_lower and thin_upper:
        return "PP"
    if shape.width > 1.15 * rest.width:
        return "wide"
    return "closed" if closed else None


def rest_of(shapes: list[MouthShape]) -> MouthShape:
    """The person's closed mouth at rest: the median of the closed frames among ``shapes``."""
    closed = [s for s in shapes if s.gap < CLOSED_GAP] or shapes
    if not closed:
        return DEFAULT_REST
    values = np.median(np.array([[s.gap, s.width, s.upper, s.lower, s.pucker] for s in closed]), axis=0)
    return MouthShape(*(float(v) for v in values))


class CoverageCount:
    """Frames of each class seen so far; what is still missing, in the creator's words."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys(CLASSES, 0)
        self.rest = DEFAULT_REST
        self._rest_frames: list[MouthShape] = []

    def calibrate(self, shape: MouthShape) -> None:
        """A frame of the person at rest (the quiet part): the classes are measured from it."""
        if len(self._rest_frames) < REST_FRAMES:
            self._rest_frames.append(shape)
            self.rest = rest_of(self._rest_frames)

    def add(self, shape: MouthShape) -> str | None:
        found = mouth_class(shape, self.rest)
        if found is not None:
            self.counts[found] += 1
        return found

    def level(self, name: str) -> float:
        """0..1: how close ``name`` is to enough examples."""
        return min(1.0, self.counts[name] / ENOUGH_FRAMES)

    def missing(self) -> list[str]:
        return [name for name in CLASSES if self.counts[name] < ENOUGH_FRAMES]

    def advice(self) -> str:
        missing = [f"'{CLASS_WORDS[name]}'" for name in self.missing() if name != "closed"]
        if "closed" in self.missing():
            missing.insert(0, QCoreApplication.translate("CoverageCount", "a closed mouth"))
        if not missing:
            return QCoreApplication.translate("CoverageCount", "Every mouth shape seen.")
        listed = (
            missing[0]
            if len(missing) == 1
            else QCoreApplication.translate("CoverageCount", "{some} and {last}").format(
                some=", ".join(missing[:-1]), last=missing[-1]
            )
        )
        return QCoreApplication.translate("CoverageCount", "Still wanted: {listed}.").format(listed=listed)

    def reset(self) -> None:
        self.counts = dict.fromkeys(CLASSES, 0)
        self.rest, self._rest_frames = DEFAULT_REST, []
