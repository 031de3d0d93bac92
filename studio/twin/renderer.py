"""The twin's frame renderer: the person's own idle loop, with atlas mouths laid into it.

Per frame: the idle loop's frame at the frame's time (the loop plays at its own frame rate,
whatever the output's); the unit(s) the plan names
(``plan.decode``; a plain 5-float mouth picks by target cost alone) warped into it, colour
matched and blended (``compose``); the frame placed in the output size by one framing for
the whole loop (head motion kept); the AI label burnt in last. The mouth is laid in at the
loop's own resolution, where the atlas was cut, so the cost hardly grows with the output
size: one resampling of the whole frame does the framing.

``face`` 0 (silence) leaves the idle frame untouched: the person's own closed mouth.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import cv2
import numpy as np

from studio.face import topology as T
from studio.live.engine import FrameRenderer, MouthPlanner
from studio.render.label import Label
from studio.render.photo_renderer import RenderSettings
from studio.twin import plan as P
from studio.twin.compose import UnitGeometry, blend, place
from studio.twin.data import TwinData
from studio.twin.idle_frames import IdleFrames
from studio.twin.planner import TwinPlanner, face_amount
from studio.twin.select import UnitIndex, atlas_tag

SHARPEN_ABOVE = 1.4  # an upscale beyond this gets a mild unsharp mask, as a photo does
MIN_FACE = 1e-3  # below this much of the atlas mouth, the idle frame is shown untouched
# What a crop must keep, in face heights (forehead landmark to chin) and face widths: the hair
# above the forehead landmark and a little air, the start of the shoulders below the chin,
# the ears and hair beside the face. Limited to what the footage itself shows.
HEAD_ABOVE, BELOW_CHIN, BESIDE = 0.35, 0.5, 0.3
HEADROOM = 0.3  # of the spare height of a crop, the share that goes above the head
FILL_SIDE = 48  # px: the blur fill is made from a copy of the frame this small (shorter side) ...
FILL_BLUR = 1.5  # ... blurred by this many of its pixels (a few dozen output pixels) ...
FILL_DARKEN = 0.7  # ... and darkened, so the picture itself stands out


def head_box(landmarks: np.ndarray, src_w: int, src_h: int) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in loop pixels: the head and the start of the shoulders over
    the whole loop (head motion included), clipped to the footage."""
    lm = landmarks[..., :2].astype(np.float64)
    top_y, chin_y = lm[:, T.FOREHEAD, 1], lm[:, T.CHIN, 1]
    face_h = float(np.nanmedian(chin_y - top_y))
    xs = lm[..., 0]
    face_w = float(np.nanmedian(np.nanmax(xs, axis=1) - np.nanmin(xs, axis=1)))
    left = float(np.nanmin(xs)) - BESIDE * face_w
    right = float(np.nanmax(xs)) + BESIDE * face_w
    top = float(np.nanmin(top_y)) - HEAD_ABOVE * face_h
    bottom = float(np.nanmax(chin_y)) + BELOW_CHIN * face_h
    return max(left, 0.0), max(top, 0.0), min(right, float(src_w)), min(bottom, float(src_h))


class LoopFraming:
    """Where the idle loop sits in the output frame, fixed for the whole loop (head motion kept).

    *Cover* (the loop fills the frame, cropped) when that crop keeps the head and the start of
    the shoulders (``head_box``), placed on the face; otherwise *contain*: the whole loop height
    (or width) shown, and the sides filled with a blurred, darkened, cover-scaled copy of the
    same frame, the usual fill of video platforms: never stretched edge pixels."""

    def __init__(self, landmarks: np.ndarray, src_w: int, src_h: int, width: int, height: int) -> None:
        self.size = (width, height)
        self.source = (src_w, src_h)
        left, top, right, bottom = head_box(landmarks, src_w, src_h)
        cover = max(width / src_w, height / src_h)
        crop_w, crop_h = width / cover, height / cover
        self.cover = crop_w >= right - left - 0.5 and crop_h >= bottom - top - 0.5
        if self.cover:
            self.scale = cover
            pts = np.nanmean(landmarks[..., :2].astype(np.float64), axis=(0, 1))
            cx = float(np.clip(pts[0] - crop_w / 2, right - crop_w, left))
            cy = float(np.clip(top - HEADROOM * (crop_h - (bottom - top)), bottom - crop_h, top))
            x0 = float(np.clip(cx, 0.0, src_w - crop_w))
            y0 = float(np.clip(cy, 0.0, src_h - crop_h))
            self.matrix = np.array([[cover, 0.0, -cover * x0], [0.0, cover, -cover * y0]])
            self.box = (0, 0, width, height)
        else:
            self.scale = min(width / src_w, height / src_h)
            fw, fh = min(width, round(src_w * self.scale)), min(height, round(src_h * self.scale))
            x0, y0 = (width - fw) // 2, (height - fh) // 2
            self.box = (x0, y0, x0 + fw, y0 + fh)
            self.matrix = np.array([[fw / src_w, 0.0, x0], [0.0, fh / src_h, y0]])
            # The fill: the frame at FILL_SIDE px, blurred, then cover-scaled about the
            # output's centre into each band beside the picture.
            small = FILL_SIDE / min(src_w, src_h)
            self._small = (max(2, round(src_w * small)), max(2, round(src_h * small)))
            k = cover * src_w / self._small[0]  # output px per small px
            fill = np.array(
                [[k, 0.0, (width - k * self._small[0]) / 2], [0.0, k, (height - k * self._small[1]) / 2]]
            )
            bands = [
                (0, 0, width, y0),
                (0, y0 + fh, width, height),
                (0, y0, x0, y0 + fh),
                (x0 + fw, y0, width, y0 + fh),
            ]
            self._bands = [
                (bx0, by0, bx1, by1, fill - np.array([[0, 0, bx0], [0, 0, by0]]))
                for bx0, by0, bx1, by1 in bands
                if bx1 > bx0 and by1 > by0
            ]
        self.sharpen = self.scale > SHARPEN_ABOVE
        self.interp = cv2.INTER_LINEAR if self.scale > 1.0 else cv2.INTER_AREA

    def apply(self, frame: np.ndarray) -> np.ndarray:
        width, height = self.size
        if self.cover and self.scale < 1.0:
            # Shrinking: warpAffine has no area filter and would alias; resize the crop instead.
            x0, y0 = -self.matrix[:, 2] / self.scale
            x1, y1 = x0 + width / self.scale, y0 + height / self.scale
            crop = frame[round(y0) : round(y1), round(x0) : round(x1)]
            return np.asarray(cv2.resize(crop, (width, height), interpolation=cv2.INTER_AREA))
        if self.cover:
            return np.asarray(
                cv2.warpAffine(
                    frame, self.matrix, (width, height), flags=self.interp, borderMode=cv2.BORDER_REPLICATE
                )
            )
        x0, y0, x1, y1 = self.box
        out = np.empty((height, width, 3), np.uint8)
        inside = out[y0:y1, x0:x1]
        scaled = cv2.resize(frame, (x1 - x0, y1 - y0), dst=inside, interpolation=self.interp)
        if scaled is not inside:  # OpenCV wrote into the view in place (as it does), else copy
            inside[:] = scaled
        small = cv2.resize(frame, self._small, interpolation=cv2.INTER_AREA)
        small = cv2.GaussianBlur(small, (0, 0), FILL_BLUR)
        small = cv2.convertScaleAbs(small, alpha=FILL_DARKEN)
        for bx0, by0, bx1, by1, matrix in self._bands:
            out[by0:by1, bx0:bx1] = cv2.warpAffine(
                small, matrix, (bx1 - bx0, by1 - by0), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
            )  # (the copy covers the whole frame: the border mode only rounds; REFLECT is 30x slower)
        return out


@dataclass(frozen=True)
class TwinParts:
    """What every render thread of one twin shares, read-only (built once)."""

    data: TwinData
    frames: IdleFrames
    geometry: UnitGeometry
    index: UnitIndex
    framing: LoopFraming
    tag: int


def twin_parts(data: TwinData, settings: RenderSettings, frames: IdleFrames) -> TwinParts:
    src_w, src_h = data.idle.size
    framing = LoopFraming(data.idle.landmarks, src_w, src_h, settings.width, settings.height)
    return TwinParts(data, frames, UnitGeometry(data), UnitIndex(data.atlas), framing, atlas_tag(data.atlas))


class TwinRenderer:
    """``FrameRenderer`` of a twin. One per render thread (the label keeps buffers)."""

    def __init__(
        self, data: TwinData, settings: RenderSettings, frames: IdleFrames, parts: TwinParts | None = None
    ) -> None:
        self.settings = settings
        self.parts = parts if parts is not None else twin_parts(data, settings, frames)
        self.label = Label(settings.label, settings.width, settings.height)
        self._loop_step = Fraction(data.idle.fps) / Fraction(settings.fps)  # loop frames per output frame
        self._closed = False
        self.parts.frames.attach()

    def close(self) -> None:
        """Done rendering (idempotent): the last of the renderers sharing the idle loop's
        decoder closes it, instead of leaving it to garbage collection."""
        if not self._closed:
            self._closed = True
            self.parts.frames.detach()

    def units(self, mouth: np.ndarray) -> tuple[list[tuple[int, float]], float]:
        """The units to show, with their weights, and how much of them (``face``)."""
        parts = self.parts
        count = len(parts.data.atlas)
        plan = P.decode(np.asarray(mouth))
        if (
            plan is not None
            and plan.tag == parts.tag
            and 0 <= plan.unit_a < count
            and 0 <= plan.unit_b < count
        ):
            mix = float(np.clip(plan.mix_b, 0.0, 1.0))
            if mix > 0.0 and plan.unit_b != plan.unit_a:
                return [(plan.unit_a, 1.0 - mix), (plan.unit_b, mix)], float(np.clip(plan.face, 0.0, 1.0))
            return [(plan.unit_a, 1.0)], float(np.clip(plan.face, 0.0, 1.0))
        # No plan (or one made for another twin): the unit nearest the mouth, by itself.
        driver = np.asarray(mouth, np.float32)[: P.N_MOUTH]
        best = int(parts.index.candidates(driver)[0][0, 0])
        return [(best, 1.0)], float(face_amount(driver))

    def loop_frame(self, frame_index: int) -> int:
        """The idle loop's frame shown at output frame ``frame_index``: the loop keeps its own
        clock, so a 25 fps twin in a 30 fps show blinks and breathes at its own speed."""
        return int(frame_index * self._loop_step) % len(self.parts.data.idle)

    def compose(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        """The idle frame with the mouth laid in, at the loop's own size (before framing)."""
        parts = self.parts
        loop_frame = self.loop_frame(frame_index)
        frame = parts.frames.get(loop_frame).copy()
        units, face = self.units(mouth)
        if face > MIN_FACE:
            size = (frame.shape[1], frame.shape[0])
            placed = place(parts.geometry, parts.data.atlas.crops, loop_frame, units, size)
            if placed is not None:
                blend(frame, placed, face)
        return frame

    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        frame = self.compose(frame_index, mouth)
        framing = self.parts.framing
        if framing.sharpen:
            # Upscaled footage looks soft; a mild unsharp mask at the loop's own size (cheap).
            blur = cv2.GaussianBlur(frame, (0, 0), 0.6)
            frame = cv2.addWeighted(frame, 1.35, blur, -0.35, 0)
        out = framing.apply(frame)
        self.label.apply(out)
        return out


def twin_renderers(
    avatar_path: Path, settings: RenderSettings, count: int
) -> tuple[list[FrameRenderer], MouthPlanner]:
    """``count`` renderers of the twin in package ``avatar_path`` and its planner, sharing one
    loaded ``TwinData`` and one idle-loop decoder."""
    from studio.twin.store import load_twin

    data = load_twin(Path(avatar_path))
    frames = IdleFrames(data.idle.video, len(data.idle))
    frames.get(0)  # a damaged idle.mp4 is refused here, in one line, not in the middle of a show
    parts = twin_parts(data, settings, frames)
    workers: list[FrameRenderer] = [TwinRenderer(data, settings, frames, parts) for _ in range(count)]
    return workers, TwinPlanner(data)
