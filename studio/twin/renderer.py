"""The twin's frame renderer: the person's own idle loop, with atlas mouths laid into it.

Per frame: the idle loop's frame ``frame_index % len(loop)``; the unit(s) the plan names
(``plan.decode``; a plain 5-float mouth picks by target cost alone) warped into it, colour
matched and blended (``compose``); the frame placed in the output size by one framing for
the whole loop (head motion kept); the AI label burnt in last. The mouth is laid in at the
loop's own resolution, where the atlas was cut, so the cost hardly grows with the output
size: one resampling of the whole frame does the framing.

``face`` 0 (silence) leaves the idle frame untouched: the person's own closed mouth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from studio.face import topology as T
from studio.live.engine import FrameRenderer, MouthPlanner
from studio.render.framing import TALL_FRAME_WIDTHS, edge_fill, face_height
from studio.render.label import Label
from studio.render.photo_renderer import RenderSettings
from studio.twin import plan as P
from studio.twin.compose import UnitGeometry, blend, place
from studio.twin.data import TwinData
from studio.twin.idle_frames import IdleFrames
from studio.twin.planner import TwinPlanner, face_amount
from studio.twin.select import UnitIndex, atlas_tag

FACE_SHARE, FACE_CENTRE_Y = 0.36, 0.44  # as the photo avatar is framed (render.framing)
SHARPEN_ABOVE = 1.4  # an upscale beyond this gets a mild unsharp mask, as a photo does
MIN_FACE = 1e-3  # below this much of the atlas mouth, the idle frame is shown untouched


class LoopFraming:
    """Where the idle loop sits in the output frame: one fixed scale and offset from the loop's
    average face, and a fill from the loop's own edge colours where it does not reach."""

    def __init__(self, first: np.ndarray, landmarks: np.ndarray, width: int, height: int) -> None:
        pts = np.nanmean(landmarks[..., :2].astype(np.float64), axis=0)
        centre = (pts[T.FOREHEAD] + pts[T.CHIN]) / 2.0
        scale = FACE_SHARE * min(height, TALL_FRAME_WIDTHS * width) / max(face_height(pts), 1.0)
        tx = width / 2.0 - scale * centre[0]
        ty = FACE_CENTRE_Y * height - scale * centre[1]
        self.matrix = np.array([[scale, 0.0, tx], [0.0, scale, ty]])
        self.scale = scale
        self.size = (width, height)
        self.sharpen = scale > SHARPEN_ABOVE
        self.interp = cv2.INTER_LINEAR if scale > 1.0 else cv2.INTER_AREA
        src_h, src_w = first.shape[:2]
        # The loop's edge fades into the fill over a tenth of its size, as a photo's does.
        feather = max(2, int(0.1 * min(src_h, src_w)))
        ramp_x = np.clip(np.minimum(np.arange(src_w), src_w - 1 - np.arange(src_w)) / feather, 0.0, 1.0)
        ramp_y = np.clip(np.minimum(np.arange(src_h), src_h - 1 - np.arange(src_h)) / feather, 0.0, 1.0)
        inside = np.outer(ramp_y, ramp_x).astype(np.float32)
        inside = inside * inside * (3.0 - 2.0 * inside)
        alpha = cv2.warpAffine(inside, self.matrix, (width, height), flags=cv2.INTER_LINEAR)
        self.filled = float(alpha.min()) < 0.999
        self.box = (0, 0, width, height)
        self._background = np.empty((0, 0, 3), np.uint8)
        self._strips: list[tuple[int, int, int, int, np.ndarray, np.ndarray]] = []
        if self.filled:
            self._background = np.clip(edge_fill(first, self.matrix, width, height) + 0.5, 0, 255).astype(
                np.uint8
            )
            ys, xs = np.nonzero(alpha > 0)
            x0, y0, x1, y1 = int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1
            self.box = (x0, y0, x1, y1)
            self._shifted = self.matrix - np.array([[0, 0, x0], [0, 0, y0]])
            # The fade is only a band along the loop's edges: inside it the loop is copied,
            # and only the band's strips are blended (a whole-box blend cost ~2 ms at 720p).
            box = alpha[y0:y1, x0:x1]
            solid_rows = np.nonzero(box.min(axis=1) >= 0.999)[0]
            solid_cols = np.nonzero(box.min(axis=0) >= 0.999)[0]
            bh, bw = box.shape
            if len(solid_rows) and len(solid_cols):
                r0, r1, c0, c1 = solid_rows[0], solid_rows[-1] + 1, solid_cols[0], solid_cols[-1] + 1
            else:
                r0, r1, c0, c1 = 0, 0, 0, 0
            strips = [(0, r0, 0, bw), (r1, bh, 0, bw), (r0, r1, 0, c0), (r0, r1, c1, bw)]
            self._strips = [
                (a, b, c, d, np.ascontiguousarray(box[a:b, c:d]), np.ascontiguousarray(1.0 - box[a:b, c:d]))
                for a, b, c, d in strips
                if b > a and d > c
            ]

    def apply(self, frame: np.ndarray) -> np.ndarray:
        width, height = self.size
        if not self.filled:
            return np.asarray(
                cv2.warpAffine(
                    frame, self.matrix, (width, height), flags=self.interp, borderMode=cv2.BORDER_REPLICATE
                )
            )
        x0, y0, x1, y1 = self.box
        out = self._background.copy()
        fg = cv2.warpAffine(
            frame, self._shifted, (x1 - x0, y1 - y0), flags=self.interp, borderMode=cv2.BORDER_REPLICATE
        )
        box = out[y0:y1, x0:x1]
        bg = [np.ascontiguousarray(box[a:b, c:d]) for a, b, c, d, _, _ in self._strips]
        box[:] = fg
        for (a, b, c, d, alpha, beta), under in zip(self._strips, bg, strict=True):
            box[a:b, c:d] = cv2.blendLinear(np.ascontiguousarray(fg[a:b, c:d]), under, alpha, beta)
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
    framing = LoopFraming(frames.get(0), data.idle.landmarks, settings.width, settings.height)
    return TwinParts(data, frames, UnitGeometry(data), UnitIndex(data.atlas), framing, atlas_tag(data.atlas))


class TwinRenderer:
    """``FrameRenderer`` of a twin. One per render thread (the label keeps buffers)."""

    def __init__(
        self, data: TwinData, settings: RenderSettings, frames: IdleFrames, parts: TwinParts | None = None
    ) -> None:
        self.settings = settings
        self.parts = parts if parts is not None else twin_parts(data, settings, frames)
        self.label = Label(settings.label, settings.width, settings.height)

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

    def compose(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        """The idle frame with the mouth laid in, at the loop's own size (before framing)."""
        parts = self.parts
        loop_frame = frame_index % len(parts.data.idle)
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
    parts = twin_parts(data, settings, frames)
    workers: list[FrameRenderer] = [TwinRenderer(data, settings, frames, parts) for _ in range(count)]
    return workers, TwinPlanner(data)
