"""Measure every frame of a creator's video once: the face, its mouth, and whether it is usable.

Per frame: MediaPipe landmarks and blendshapes, the number of faces, sharpness, brightness,
head pose and the lips' colour against the cheeks. Frames that would spoil the twin get a
``Reject`` code: another face beside the person, motion blur, a head turned too far, a hand or
object over the mouth (the lips are no redder than the cheeks, or their landmarks are not a
mouth), or a face not the video's own. Then the whole video is judged: a video that cannot make
a twin is refused in one line (no face; a second person in view; too dark; too short).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

import cv2
import numpy as np

from studio.capture.checklist import sharpness
from studio.errors import FaceError, InputError
from studio.face.landmarker import FaceLandmarker, FaceObservation
from studio.tasks import CancelToken, ProgressFn
from studio.translation import tr
from studio.twin.footage import AUDIO_RATE, FootageInfo, iter_frames, probe_footage, read_audio_16k
from studio.twin.mouth_features import BLENDSHAPE_NAMES, measure_mouth, speaking_frames

__all__ = ["BLENDSHAPE_NAMES", "FootageAnalysis", "FootageInfo", "Reject", "analyse_footage"]

DETECT_MAX_SIDE = 640  # MediaPipe looks at a few hundred pixels; a bigger copy only costs time
MAX_YAW_DEG = 25.0
MAX_PITCH_DEG = 20.0  # from the video's own median pitch (MediaPipe reads a level face at ~+12)
MIN_FACE_BRIGHTNESS = 60.0  # median face luma (0-255) below this: too dark to build from
DARK_FRAME = 40.0
SECOND_PERSON_S = 1.0  # another face in view longer than this (in total) refuses the video
# A second face smaller than this share of the person's face height is a picture or noise.
SECOND_FACE_SHARE = 0.25
BLUR_SHARE = 0.55  # sharper than this share of the video's median, or the frame is blurred
# A covered mouth: lips less red against the cheeks than this share of the person's usual, and
# less light-and-dark inside the lip outline than this share (laughs hide the lips' red behind
# teeth, but teeth and the dark mouth behind them are anything but flat).
MIN_LIP_CONTRAST_SHARE = 0.35
MIN_LIP_SPREAD_SHARE = 0.75
MIN_LIP_SPREAD_ALONE = 0.65
MIN_LIP_RED = 3.0  # median lip-over-cheek a*; below it the video's colour says too little
IDENTITY_LIMIT = 0.12  # mean relative deviation of the face's proportions from the video's

# Face proportions that neither speech nor expression changes much (pairs of landmarks),
# over the eye-corner distance: a different person has different ones.
IDENTITY_PAIRS = ((33, 133), (362, 263), (168, 1), (98, 327), (234, 454), (10, 168), (133, 362), (1, 2))
LIPS_OUTER = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146)
LIPS_INNER = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
CHEEKS = (205, 425)


class Reject(IntEnum):
    USABLE = 0
    NO_FACE = 1
    SECOND_FACE = 2
    BLURRED = 3
    POSE = 4
    OCCLUDED = 5
    DIFFERENT_FACE = 6
    DARK = 7


@dataclass(frozen=True)
class FootageAnalysis:
    info: FootageInfo
    times: np.ndarray  # float64 (N,) seconds of each timeline frame
    landmarks: np.ndarray  # float32 (N, 478, 3) frame pixels; NaN where no usable single face
    blendshapes: np.ndarray  # float32 (N, len(BLENDSHAPE_NAMES))
    mouth: np.ndarray  # float32 (N, 5) measured mouth (NaN where unusable)
    visemes: np.ndarray  # float32 (N, 15), or (N, 0) without speech
    reject: np.ndarray  # uint8 (N,) 0 usable, else a Reject code
    sharpness: np.ndarray  # float32 (N,)
    brightness: np.ndarray  # float32 (N,)
    pose: np.ndarray  # float32 (N, 3) yaw, pitch, roll in degrees (NaN without a face)

    @property
    def usable(self) -> np.ndarray:
        return np.asarray(self.reject == Reject.USABLE)

    @property
    def usable_s(self) -> float:
        return float(self.usable.sum() / self.info.fps)


def analyse_footage(
    path: Path, progress: ProgressFn, token: CancelToken, *, min_usable_s: float = 15.0
) -> FootageAnalysis:
    """Measure every timeline frame of ``path`` and judge the video (see the module's doc)."""
    path = Path(path)
    token.check(tr("the video analysis"))
    progress(0.0, tr("Opening {name}").format(name=path.name))
    info = probe_footage(path)
    frames = _measure_frames(path, info, progress, token)
    progress(0.92, tr("Measuring the mouth"))
    reject = _judge_frames(frames)
    _refuse(path, info, frames, reject, min_usable_s)
    token.check(tr("the video analysis"))
    visemes, driver, speaking = _speech(path, info, len(reject), progress)
    mouth = measure_mouth(
        frames.landmarks, frames.blendshapes, reject == Reject.USABLE, info.fps, driver, speaking
    )
    landmarks = frames.landmarks
    landmarks[reject != Reject.USABLE] = np.nan
    progress(1.0, tr("Analysed {n} frames of {name}").format(n=len(reject), name=path.name))
    return FootageAnalysis(
        info,
        np.arange(len(reject), dtype=np.float64) / float(info.fps),
        landmarks,
        frames.blendshapes,
        mouth,
        visemes,
        reject.astype(np.uint8),
        frames.sharpness,
        frames.brightness,
        frames.pose,
    )


@dataclass
class _Frames:
    landmarks: np.ndarray
    blendshapes: np.ndarray
    faces: np.ndarray  # int (N,) faces in view (second faces counted only when big enough)
    sharpness: np.ndarray
    brightness: np.ndarray
    pose: np.ndarray
    lip_contrast: np.ndarray
    lip_spread: np.ndarray


def _measure_frames(path: Path, info: FootageInfo, progress: ProgressFn, token: CancelToken) -> _Frames:
    n = info.frame_count
    out = _Frames(
        np.full((n, 478, 3), np.nan, np.float32),
        np.zeros((n, len(BLENDSHAPE_NAMES)), np.float32),
        np.zeros(n, np.int32),
        np.full(n, np.nan, np.float32),
        np.zeros(n, np.float32),
        np.full((n, 3), np.nan, np.float32),
        np.full(n, np.nan, np.float32),
        np.full(n, np.nan, np.float32),
    )
    count = 0
    with FaceLandmarker(max_faces=2) as landmarker:
        for index, rgb in iter_frames(path, info):
            token.check(tr("the video analysis"))
            faces = _faces(landmarker, rgb)
            out.faces[index] = len(faces)
            if faces:
                face = faces[0]
                out.landmarks[index] = face.landmarks
                out.blendshapes[index] = [face.blendshapes.get(name, 0.0) for name in BLENDSHAPE_NAMES]
                out.pose[index] = face.pose_degrees
                luma = _face_luma(rgb, face)
                out.brightness[index] = float(luma.mean())
                out.sharpness[index] = sharpness(luma)
                out.lip_contrast[index], out.lip_spread[index] = mouth_colour(rgb, face.landmarks)
            else:
                out.brightness[index] = float(rgb.mean())
            count = index + 1
            if count % 10 == 0:
                progress(0.9 * count / n, tr("Analysing frame {count} of {n}").format(count=count, n=n))
    if count == 0:
        raise InputError(
            tr("{path} has no video frames.").format(path=path),
            tr("Use a video of you talking to the camera."),
        )
    for name in (
        "landmarks",
        "blendshapes",
        "faces",
        "sharpness",
        "brightness",
        "pose",
        "lip_contrast",
        "lip_spread",
    ):
        setattr(out, name, getattr(out, name)[:count])
    return out


def _faces(landmarker: FaceLandmarker, rgb: np.ndarray) -> list[FaceObservation]:
    """Faces in the frame, largest first, landmarks in frame pixels; small far faces dropped."""
    height, width = rgb.shape[:2]
    scale = min(1.0, DETECT_MAX_SIDE / max(width, height))
    small = rgb
    if scale < 1.0:
        small = cv2.resize(rgb, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    found = landmarker.detect(small, search=False)
    if scale < 1.0:
        f = np.array([width / small.shape[1], height / small.shape[0], width / small.shape[1]], np.float32)
        found = [FaceObservation(o.landmarks * f, o.blendshapes, o.transform) for o in found]
    found.sort(key=lambda o: -(o.bbox[3] - o.bbox[1]))
    if len(found) > 1:
        main = found[0].bbox[3] - found[0].bbox[1]
        found = [found[0]] + [o for o in found[1:] if o.bbox[3] - o.bbox[1] >= SECOND_FACE_SHARE * main]
    return found


def _face_luma(rgb: np.ndarray, face: FaceObservation) -> np.ndarray:
    from studio.capture.checklist import face_region

    return face_region(rgb, face)


def mouth_colour(rgb: np.ndarray, landmarks: np.ndarray) -> tuple[float, float]:
    """(how much redder, in Lab a*, the lips are than the cheeks; the luma spread inside the lips'
    outline). A hand, a microphone or a cup over the mouth reads near zero red and is flat,
    whatever the landmarks say lies under it."""
    pts = landmarks[:, :2]
    x0, y0 = np.floor(pts[list(LIPS_OUTER + CHEEKS)].min(axis=0)).astype(int) - 4
    x1, y1 = np.ceil(pts[list(LIPS_OUTER + CHEEKS)].max(axis=0)).astype(int) + 4
    height, width = rgb.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
    if x1 - x0 < 8 or y1 - y0 < 8:
        return float("nan"), float("nan")
    crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
    lab = cv2.cvtColor(crop, cv2.COLOR_RGB2LAB)
    red = lab[:, :, 1].astype(np.float32)
    shift = np.array([x0, y0], np.float32)
    lips = np.zeros(red.shape, np.uint8)
    cv2.fillPoly(lips, [np.round(pts[list(LIPS_OUTER)] - shift).astype(np.int32)], 1)
    outline = lips > 0
    spread = float(lab[:, :, 0][outline].std()) * 100.0 / 255.0 if outline.sum() >= 6 else float("nan")
    cv2.fillPoly(lips, [np.round(pts[list(LIPS_INNER)] - shift).astype(np.int32)], 0)
    cheeks = np.zeros(red.shape, np.uint8)
    eyes = float(np.linalg.norm(pts[33] - pts[263]))
    radius = max(2, round(0.06 * eyes))
    for i in CHEEKS:
        cx, cy = np.round(pts[i] - shift).astype(int)
        cv2.circle(cheeks, (int(cx), int(cy)), radius, 1, -1)
    if lips.sum() < 6 or cheeks.sum() < 6:
        return float("nan"), spread
    return float(red[lips > 0].mean() - red[cheeks > 0].mean()), spread


def identity_vector(landmarks: np.ndarray) -> np.ndarray:
    """(N, len(IDENTITY_PAIRS)) face proportions over the eye-corner distance (3-D)."""
    eyes = np.linalg.norm(landmarks[:, 33] - landmarks[:, 263], axis=1)[:, None]
    pairs = np.stack(
        [np.linalg.norm(landmarks[:, a] - landmarks[:, b], axis=1) for a, b in IDENTITY_PAIRS], 1
    )
    return np.asarray(pairs / np.maximum(eyes, 1e-3))


def _judge_frames(frames: _Frames) -> np.ndarray:
    """A ``Reject`` code per frame; the thresholds are relative to the video's own medians, so
    a soft webcam is not rejected for being a webcam."""
    n = len(frames.faces)
    reject = np.full(n, Reject.USABLE, np.uint8)
    single = frames.faces == 1
    if single.any():
        pitch0 = float(np.nanmedian(frames.pose[single, 1]))
        sharp0 = float(np.nanmedian(frames.sharpness[single]))
        lips0 = float(np.nanmedian(frames.lip_contrast[single]))
        spread0 = float(np.nanmedian(frames.lip_spread[single]))
        ident = identity_vector(frames.landmarks)
        ident0 = np.nanmedian(ident[single], axis=0)
    else:
        pitch0 = sharp0 = lips0 = spread0 = 0.0
        ident, ident0 = np.zeros((n, 1)), np.zeros(1)
    with np.errstate(invalid="ignore"):
        turned = (np.abs(frames.pose[:, 0]) > MAX_YAW_DEG) | (
            np.abs(frames.pose[:, 1] - pitch0) > MAX_PITCH_DEG
        )
        blurred = frames.sharpness < BLUR_SHARE * sharp0
        flat = frames.lip_spread < MIN_LIP_SPREAD_SHARE * spread0
        if lips0 > MIN_LIP_RED:
            covered = flat & (frames.lip_contrast < MIN_LIP_CONTRAST_SHARE * lips0)
        else:  # no colour to go by (a grey video, pale lips, a laughing stretch): flatness alone
            covered = frames.lip_spread < MIN_LIP_SPREAD_ALONE * spread0
        covered |= ~np.isfinite(frames.lip_spread) | _implausible_lips(frames.landmarks)
        other = np.mean(np.abs(ident / ident0 - 1.0), axis=1) > IDENTITY_LIMIT
    # Order: the first reason that applies is the one reported.
    for code, bad in (
        (Reject.DIFFERENT_FACE, other),
        (Reject.POSE, turned),
        (Reject.OCCLUDED, covered),
        (Reject.BLURRED, blurred),
        (Reject.DARK, frames.brightness < DARK_FRAME),
    ):
        reject[(reject == Reject.USABLE) & bad] = code
    reject[frames.faces == 0] = Reject.NO_FACE
    reject[frames.faces > 1] = Reject.SECOND_FACE
    return reject


def _implausible_lips(landmarks: np.ndarray) -> np.ndarray:
    """The lower lip above the upper one, or a mouth far narrower or wider than a mouth is."""
    eyes = np.linalg.norm(landmarks[:, 33, :2] - landmarks[:, 263, :2], axis=1)
    up = landmarks[:, 13, 1] - landmarks[:, 14, 1]  # > 0: the lower lip's centre above the upper's
    width = np.linalg.norm(landmarks[:, 61, :2] - landmarks[:, 291, :2], axis=1) / np.maximum(eyes, 1e-3)
    with np.errstate(invalid="ignore"):
        return np.asarray((up > 0.05 * eyes) | (width < 0.35) | (width > 1.3))


def _refuse(path: Path, info: FootageInfo, frames: _Frames, reject: np.ndarray, min_usable_s: float) -> None:
    """Raise the one-line refusal for a video that cannot make a twin, or return."""
    fps = float(info.fps)
    name = path.name
    faced = frames.faces >= 1
    if not faced.any() or faced.mean() < 0.02:
        if float(np.median(frames.brightness)) < DARK_FRAME:
            raise _too_dark(name, float(np.median(frames.brightness)))
        raise FaceError(
            tr("no face found in {name}.").format(name=name),
            tr("Record yourself facing the camera, your face well lit and filling a good part of the frame."),
        )
    two = float((frames.faces > 1).sum() / fps)
    if two > SECOND_PERSON_S:
        raise FaceError(
            tr(
                "a second person is in view in {name} for {seconds:.1f} s; a twin must show only the "
                "person who consented."
            ).format(name=name, seconds=two),
            tr("Record alone in the frame, or trim the video to the parts where only you are in view."),
        )
    bright = float(np.median(frames.brightness[faced]))
    if bright < MIN_FACE_BRIGHTNESS:
        raise _too_dark(name, bright)
    usable = float((reject == Reject.USABLE).sum() / fps)
    if usable < min_usable_s:
        counts = {Reject(code).name.lower().replace("_", " "): int((reject == code).sum()) for code in Reject}
        counts.pop("usable")
        worst = max(counts, key=lambda k: counts[k])
        if counts[worst] == 0:  # every frame was fine: the video is simply short
            raise FaceError(
                tr(
                    "{name} is only {seconds:.1f} s long, and a twin needs at least {needed:.0f} s of you."
                ).format(name=name, seconds=len(reject) / fps, needed=min_usable_s),
                tr("Record a longer video: about a minute of you talking, with a few quiet seconds."),
            )
        raise FaceError(
            tr(
                "only {usable:.1f} s of {name} can be used, and a twin needs at least {needed:.0f} s "
                "(most frames left out: {reason}, {count} of {total})."
            ).format(
                usable=usable,
                name=name,
                needed=min_usable_s,
                reason=_reject_words().get(worst, worst),
                count=counts[worst],
                total=len(reject),
            ),
            tr(
                "Record a longer video, facing the camera, in good light, "
                "with nothing in front of your mouth."
            ),
        )


def _reject_words() -> dict[str, str]:
    """Why frames were left out (``Reject``'s names in lower case), in the user's language."""
    return {
        "no face": tr("no face"),
        "second face": tr("second face"),
        "blurred": tr("blurred"),
        "pose": tr("pose"),
        "occluded": tr("occluded"),
        "different face": tr("different face"),
        "dark": tr("dark"),
    }


def _too_dark(name: str, brightness: float) -> FaceError:
    return FaceError(
        tr(
            "{name} is too dark to build a twin from "
            "(face brightness {brightness:.0f} of 255, needs {needed:.0f})."
        ).format(name=name, brightness=brightness, needed=MIN_FACE_BRIGHTNESS),
        tr("Record again with light in front of you, not behind."),
    )


def _speech(
    path: Path, info: FootageInfo, n: int, progress: ProgressFn
) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """(the 15 viseme weights the lip-sync model hears at each frame, what ``ModelDriver`` makes
    of them (N, 5), the frames with voice), or ((n, 0), None, None) without speech."""
    audio = read_audio_16k(path, info)
    if audio is None or not _has_speech(audio):
        return np.zeros((n, 0), np.float32), None, None
    progress(0.95, tr("Listening to the speech"))
    from studio.inference.lipsync_model import LipSyncModel
    from studio.lipsync.model_driver import ModelDriver, video_frame_weights

    weights = LipSyncModel().predict(audio, AUDIO_RATE)
    visemes = video_frame_weights(weights, info.fps, n).astype(np.float32)
    # The driver a twin is played with: its mouth for this very audio is the scale to calibrate on.
    driver = ModelDriver(None).track(weights, info.fps, n).values
    return visemes, driver, speaking_frames(audio, AUDIO_RATE, info.fps, n)


def _has_speech(audio: np.ndarray) -> bool:
    """Sound loud enough to be a voice for at least a tenth of the video (not room noise)."""
    hop = 1600  # 0.1 s
    blocks = audio[: len(audio) // hop * hop].reshape(-1, hop)
    if len(blocks) == 0:
        return False
    rms = np.sqrt(np.mean(blocks**2, axis=1))
    return bool(np.mean(rms > 0.01) > 0.1)
