"""Is this frame good enough to become an avatar? A live checklist, item by item.

``assess`` is pure (frame + the faces found in it): the capture page calls it for every
preview frame and the video import for every sampled frame. Each item says what was
measured and, when it fails, what the person in front of the camera should do; its ``words``
say the same without numbers, for the app's checklist (the numbers go in a tooltip).

The limits were measured on real images (see ``tests/test_capture_checklist.py``): the demo
astronaut portrait (face 105 px tall, centre at 44 %/24 % of the frame, face luma 179 +/- 36,
detail 0.72) passes every item; the same photo darkened to 30 % (luma 53 +/- 11), blurred with
a 2 px Gaussian (detail 0.19), cropped so the face sits at 21 % of the width, or shrunk to a
54 px face each fails only its own item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import cv2
import numpy as np

from studio.avatar.package import MAX_IMAGE_SIDE
from studio.face.landmarker import FaceObservation
from studio.face.quality import (
    DEFAULT_THRESHOLDS,
    eye_distance_px,
    face_height_px,
    min_photo_side,
    photo_too_small,
)
from studio.translation import tr

ONE_FACE = "one_face"
CENTRED = "centred"
SIZE = "size"
POSE = "pose"
LIGHTING = "lighting"
SHARPNESS = "sharpness"
KEYS = (ONE_FACE, CENTRED, SIZE, POSE, LIGHTING, SHARPNESS)

# What to do about each item, for messages that cover many frames (the video import).
FIXES = {
    ONE_FACE: "Make sure exactly one person is in the picture, facing the camera.",
    CENTRED: "Keep the face in the middle of the picture.",
    SIZE: "Sit about an arm's length from the camera so the face fills a good part of the picture.",
    POSE: "Look straight into the camera with the head level.",
    LIGHTING: "Light the face evenly from the front (a window or lamp behind the camera).",
    SHARPNESS: "Hold still, clean the lens and check the camera is in focus.",
}


def fix_text(key: str) -> str:
    """``FIXES[key]`` in the user's language."""
    return {
        ONE_FACE: tr("Make sure exactly one person is in the picture, facing the camera."),
        CENTRED: tr("Keep the face in the middle of the picture."),
        SIZE: tr("Sit about an arm's length from the camera so the face fills a good part of the picture."),
        POSE: tr("Look straight into the camera with the head level."),
        LIGHTING: tr("Light the face evenly from the front (a window or lamp behind the camera)."),
        SHARPNESS: tr("Hold still, clean the lens and check the camera is in focus."),
    }[key]


@dataclass(frozen=True)
class CaptureThresholds:
    """Limits for a capture; stricter than ``studio.face.quality`` where a live person can
    simply move, and equal to it where the animation itself sets the limit (face size)."""

    # Face centre (landmark box) as a fraction of the frame. Portraits sit the face high:
    # the astronaut's is at 24 % of the height, a webcam user's usually at 30-45 %.
    centre_x: tuple[float, float] = (0.3, 0.7)
    centre_y: tuple[float, float] = (0.15, 0.65)
    # A landmark this far (fraction of the face size) outside the frame means a cut-off face.
    edge_margin: float = 0.02
    min_face_height_px: float = DEFAULT_THRESHOLDS.min_face_height_px
    min_eye_distance_px: float = DEFAULT_THRESHOLDS.min_eye_distance_px
    # A face taller than this share of the frame leaves no room for head movement.
    max_face_share: float = 0.75
    max_yaw_deg: float = 20.0
    # MediaPipe reads a level frontal face at about +12..+15 deg pitch, so this is looser.
    max_pitch_deg: float = DEFAULT_THRESHOLDS.max_pitch_deg
    max_roll_deg: float = 15.0
    # Mean luma (0-255) of the face and its spread: dark, blown-out and flat faces fail.
    min_brightness: float = 70.0
    max_brightness: float = 225.0
    min_contrast: float = 15.0
    # Laplacian std / luma std on the face scaled to SHARPNESS_REF_PX: contrast-free and
    # size-free. Sharp portraits measure 0.65-0.8, a 2 px blur 0.19, a 3 px blur 0.12.
    min_sharpness: float = 0.35


DEFAULT_CAPTURE_THRESHOLDS = CaptureThresholds()
# Faces larger than this (inner face box height) are shrunk before measuring sharpness, so
# "sharp" means sharp at the size the face is animated, whatever the camera's resolution.
SHARPNESS_REF_PX = 64


@dataclass(frozen=True)
class CheckItem:
    key: str
    label: str
    ok: bool
    detail: str  # the measured values; when failing, also what to do (tooltips, reports)
    # Plain words, no numbers: for the person in front of the camera ("Too dark: add light in
    # front of you"), and without the advice for a file, whose subject cannot move ("Too dark").
    words: str = ""
    state: str = ""


@dataclass(frozen=True)
class Checklist:
    items: tuple[CheckItem, ...]
    # Measured values by key (for choosing the sharpest frame and for reports).
    measures: dict[str, float] = field(default_factory=dict)

    @property
    def all_ok(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def first_problem(self) -> CheckItem | None:
        return next((item for item in self.items if not item.ok), None)

    def item(self, key: str) -> CheckItem:
        return next(item for item in self.items if item.key == key)

    @property
    def failing(self) -> list[str]:
        return [item.key for item in self.items if not item.ok]


def _item(key: str, ok: bool, detail: str, state: str, fix: str = "") -> CheckItem:
    words = f"{state}: {fix[:1].lower()}{fix[1:].rstrip('.')}" if fix else state
    return CheckItem(key, LABELS[key], ok, detail, words, state)


# In English: the app translates them with its own catalogue (studio.ui.camera_view).
LABELS = {
    ONE_FACE: "One face",
    CENTRED: "Centred",
    SIZE: "Big enough",
    POSE: "Facing the camera",
    LIGHTING: "Lighting",
    SHARPNESS: "Sharp",
}


def label_text(key: str) -> str:
    """``LABELS[key]`` in the user's language (for the CLI's messages)."""
    return {
        ONE_FACE: tr("One face"),
        CENTRED: tr("Centred"),
        SIZE: tr("Big enough"),
        POSE: tr("Facing the camera"),
        LIGHTING: tr("Lighting"),
        SHARPNESS: tr("Sharp"),
    }[key]


def assess(
    frame_rgb: np.ndarray,
    faces: Sequence[FaceObservation],
    thresholds: CaptureThresholds = DEFAULT_CAPTURE_THRESHOLDS,
) -> Checklist:
    """The checklist for one RGB frame and the faces found in it (landmarks in its pixels)."""
    height, width = frame_rgb.shape[:2]
    # ``detail`` is in the user's language; ``state`` and the fix that make ``words`` stay in
    # English: the app says them with its own catalogue (studio.ui.camera_view).
    if len(faces) != 1:
        if faces:
            crowd = "Only the person making the avatar should be in view."
            detail = tr("{n} faces found. Only the person making the avatar should be in view.").format(
                n=len(faces)
            )
            first = _item(ONE_FACE, False, detail, f"{len(faces)} faces", crowd)
        elif photo_too_small((width, height)):
            side = min_photo_side()
            first = _item(
                ONE_FACE,
                False,
                tr(
                    "The picture is {width}x{height} px: too small to find a face in "
                    "(needs at least {side}x{side} px)."
                ).format(width=width, height=height, side=side),
                "Picture too small",
                "Use a larger picture.",
            )
        else:
            first = _item(
                ONE_FACE, False, tr("No face found."), "No face found", "Face the camera in good light."
            )
        waiting = "Needs exactly one face"
        items = [first] + [_item(key, False, tr("Needs exactly one face."), waiting) for key in KEYS[1:]]
        return Checklist(tuple(items), {"faces": float(len(faces))})
    face = faces[0]
    measures: dict[str, float] = {"faces": 1.0}
    items = [
        _item(ONE_FACE, True, tr("One face found."), "One face found"),
        _centred(face, width, height, thresholds, measures),
        _size(face, width, height, thresholds, measures),
        _pose(face, thresholds, measures),
        *_tone(frame_rgb, face, thresholds, measures),
    ]
    return Checklist(tuple(items), measures)


def _centred(
    face: FaceObservation, width: int, height: int, t: CaptureThresholds, measures: dict[str, float]
) -> CheckItem:
    x0, y0, x1, y1 = face.bbox
    cx, cy = (x0 + x1) / 2 / width, (y0 + y1) / 2 / height
    measures["centre_x"], measures["centre_y"] = cx, cy
    shown = tr("Face centre at {x:.0%} across, {y:.0%} down.").format(x=cx, y=cy)
    mx, my = t.edge_margin * (x1 - x0), t.edge_margin * (y1 - y0)
    move, said = _move(cx, cy, t)
    if x0 < -mx or y0 < -my or x1 > width + mx or y1 > height + my:
        detail = tr("Part of the face is out of the picture. {move}").format(move=said)
        return _item(CENTRED, False, detail, "Face cut off", move)
    if t.centre_x[0] <= cx <= t.centre_x[1] and t.centre_y[0] <= cy <= t.centre_y[1]:
        return _item(CENTRED, True, shown, "In the middle")
    return _item(CENTRED, False, f"{shown} {said}", "Off-centre", move)


def _move(cx: float, cy: float, t: CaptureThresholds) -> tuple[str, str]:
    """Where the face should go: (in English, for ``words``; in the user's language)."""
    # Directions are in the picture as shown: a mirrored preview would swap left and right,
    # so the words say where the face should go, not which way to lean.
    steps: list[tuple[str, str]] = []
    if cx < t.centre_x[0]:
        steps.append(
            ("Move the face right, towards the middle.", tr("Move the face right, towards the middle."))
        )
    elif cx > t.centre_x[1]:
        steps.append(
            ("Move the face left, towards the middle.", tr("Move the face left, towards the middle."))
        )
    if cy < t.centre_y[0]:
        steps.append(
            ("Lower the camera or move down a little.", tr("Lower the camera or move down a little."))
        )
    elif cy > t.centre_y[1]:
        steps.append(("Raise the camera or move up a little.", tr("Raise the camera or move up a little.")))
    if not steps:
        return "Move into the middle of the picture.", tr("Move into the middle of the picture.")
    return " ".join(e for e, _ in steps), " ".join(s for _, s in steps)


def _size(
    face: FaceObservation, width: int, height: int, t: CaptureThresholds, measures: dict[str, float]
) -> CheckItem:
    # Measured in the image the package keeps (frames larger than MAX_IMAGE_SIDE are shrunk).
    keep = min(1.0, MAX_IMAGE_SIDE / max(width, height))
    face_px, eyes_px = face_height_px(face) * keep, eye_distance_px(face) * keep
    share = face_height_px(face) / height
    measures["face_px"], measures["eye_px"], measures["face_share"] = face_px, eyes_px, share
    shown = tr("Face {face:.0f} px tall, {eyes:.0f} px between the eyes.").format(face=face_px, eyes=eyes_px)
    if face_px < t.min_face_height_px or eyes_px < t.min_eye_distance_px:
        fix = "Move closer to the camera."
        detail = tr(
            "Face {face:.0f} px tall, {eyes:.0f} px between the eyes (needs {min_face:.0f} px and "
            "{min_eyes:.0f} px). Move closer to the camera."
        ).format(face=face_px, eyes=eyes_px, min_face=t.min_face_height_px, min_eyes=t.min_eye_distance_px)
        # "Face too small", not "too far away": a photo's subject cannot step closer.
        return _item(SIZE, False, detail, "Face too small", fix)
    if share > t.max_face_share:
        fix = "Move back a little."
        detail = tr("The face fills {share:.0%} of the height. Move back a little.").format(share=share)
        return _item(SIZE, False, detail, "Too close", fix)
    return _item(SIZE, True, shown, "Good size")


def _pose(face: FaceObservation, t: CaptureThresholds, measures: dict[str, float]) -> CheckItem:
    yaw, pitch, roll = face.pose_degrees
    measures["yaw"], measures["pitch"], measures["roll"] = yaw, pitch, roll
    shown = tr("Turn {yaw:+.0f}, nod {pitch:+.0f}, tilt {roll:+.0f} deg.").format(
        yaw=yaw, pitch=pitch, roll=roll
    )
    fixes: list[str] = []
    # (words for the person, the state for a file, what to do) of each failing angle
    words: list[tuple[str, str, str]] = []
    if abs(yaw) > t.max_yaw_deg:
        fixes.append(
            tr("Turn to face the camera (turned {angle:.0f} deg, limit {limit:.0f}).").format(
                angle=abs(yaw), limit=t.max_yaw_deg
            )
        )
        # Positive yaw points the nose to the picture's right: the person's own left, as a
        # camera sees them (the preview is not mirrored).
        side = "left" if yaw > 0 else "right"
        words.append((f"Head turned to your {side}", "Head turned", "face the camera"))
    if abs(pitch) > t.max_pitch_deg:
        way = "down" if pitch > 0 else "up"
        if pitch > 0:
            fixes.append(
                tr("Look straight ahead, not down (limit {limit:.0f} deg).").format(limit=t.max_pitch_deg)
            )
        else:
            fixes.append(
                tr("Look straight ahead, not up (limit {limit:.0f} deg).").format(limit=t.max_pitch_deg)
            )
        chin = "raise" if pitch > 0 else "lower"
        words.append((f"Looking {way}", f"Looking {way}", f"{chin} your chin a little"))
    if abs(roll) > t.max_roll_deg:
        fixes.append(
            tr("Hold the head level (tilted {angle:.0f} deg, limit {limit:.0f}).").format(
                angle=abs(roll), limit=t.max_roll_deg
            )
        )
        words.append(("Head tilted", "Head tilted", "keep your head level"))
    if not fixes:
        return _item(POSE, True, shown, "Looking at the camera")
    live, state, fix = words[0]
    return CheckItem(POSE, LABELS[POSE], False, f"{shown} {' '.join(fixes)}", f"{live}: {fix}", state)


def face_region(frame_rgb: np.ndarray, face: FaceObservation) -> np.ndarray:
    """Luma (float32) of the inner face: the landmark box less 15 % on every side, so the
    background and hair around the face do not count as the face's light or detail."""
    x0, y0, x1, y1 = face.bbox
    w, h = x1 - x0, y1 - y0
    height, width = frame_rgb.shape[:2]
    left, right = int(max(0, x0 + 0.15 * w)), int(min(width, x1 - 0.15 * w))
    top, bottom = int(max(0, y0 + 0.15 * h)), int(min(height, y1 - 0.15 * h))
    if right - left < 4 or bottom - top < 4:
        return np.zeros((4, 4), np.float32)
    crop = frame_rgb[top:bottom, left:right].astype(np.float32)
    return crop @ np.array([0.299, 0.587, 0.114], np.float32)


def sharpness(luma: np.ndarray) -> float:
    """Laplacian std over luma std on the face shrunk to SHARPNESS_REF_PX tall."""
    if luma.shape[0] > SHARPNESS_REF_PX:
        scale = SHARPNESS_REF_PX / luma.shape[0]
        size = (max(4, round(luma.shape[1] * scale)), SHARPNESS_REF_PX)
        luma = cv2.resize(luma, size, interpolation=cv2.INTER_AREA)
    laplacian = cv2.Laplacian(luma, cv2.CV_32F, ksize=1)
    return float(laplacian.std() / max(float(luma.std()), 1.0))


def _tone(
    frame_rgb: np.ndarray, face: FaceObservation, t: CaptureThresholds, measures: dict[str, float]
) -> list[CheckItem]:
    luma = face_region(frame_rgb, face)
    mean, spread = float(luma.mean()), float(luma.std())
    detail = sharpness(luma)
    measures["brightness"], measures["contrast"], measures["sharpness"] = mean, spread, detail
    shown = tr("Face brightness {mean:.0f}/255, contrast {spread:.0f}.").format(mean=mean, spread=spread)
    # (state, fix: in English for ``words``; the same in the user's language for ``detail``)
    if mean < t.min_brightness:
        problem: tuple[str, str, str] | None = (
            "Too dark",
            "Add light in front of you.",
            tr("Too dark: add light in front of you."),
        )
    elif mean > t.max_brightness:
        problem = (
            "Too bright",
            "Dim the light or move out of direct sun.",
            tr("Too bright: dim the light or move out of direct sun."),
        )
    elif spread < t.min_contrast:
        problem = (
            "Flat light",
            "Light the face from the front, not from behind.",
            tr("Flat light: light the face from the front, not from behind."),
        )
    else:
        problem = None
    if problem is None:
        light = _item(LIGHTING, True, shown, "Good light")
    else:
        state, fix, said = problem
        light = _item(LIGHTING, False, f"{shown} {said}", state, fix)
    shown = tr("Detail {detail:.2f} (needs {needed:.2f}).").format(detail=detail, needed=t.min_sharpness)
    if detail >= t.min_sharpness:
        return [light, _item(SHARPNESS, True, shown, "In focus")]
    blurry = shown + " " + tr("Blurry: hold still, clean the lens and check the focus.")
    return [light, _item(SHARPNESS, False, blurry, "Blurry", "Hold still or clean the lens.")]
