"""Photo renderer v1: one still photo, animated by a mesh warp.

Per frame: deform the mesh (mouth pose + idle life), warp the face region of
the framed photo, paint the inside of the mouth, burn in the AI label. A
renderer instance owns scratch buffers, so use one per thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from studio.face import topology as T
from studio.media.clock import frame_time
from studio.render.framing import frame_photo
from studio.render.idle import IdleMotion, IdlePose
from studio.render.label import Label, LabelSettings
from studio.render.lip_refine import refine_inner_lips
from studio.render.mesh import build_mesh
from studio.render.mouth_interior import close_photo_mouth, paint_lash_line, paint_mouth, sample_colours
from studio.render.rig import FaceRig
from studio.render.warp import PiecewiseAffineWarp

INNER_UPPER = np.array(T.LIPS_INNER_UPPER)
INNER_LOWER = np.array(T.LIPS_INNER_LOWER)
LIDS = (np.array(T.RIGHT_EYE_UPPER), np.array(T.LEFT_EYE_UPPER))


# Frame sizes and rates Studio renders (the CLI's --size/--fps and the app's settings).
MIN_SIDE, MAX_WIDTH, MAX_HEIGHT = 64, 3840, 2160
MAX_FPS = 60


@dataclass(frozen=True)
class RenderSettings:
    width: int = 1280
    height: int = 720
    fps: Fraction = Fraction(30)
    label: LabelSettings = field(default_factory=LabelSettings)
    idle: IdleMotion = field(default_factory=IdleMotion)
    warp_scale: float = 0.5  # resolution of the warp's triangle raster; the image is sampled at full size

    def __post_init__(self) -> None:
        if self.width < MIN_SIDE or self.height < MIN_SIDE or self.width % 2 or self.height % 2:
            raise ValueError("frame size must be even and at least 64x64")


class PhotoRenderer:
    def __init__(self, image: np.ndarray, landmarks: np.ndarray, settings: RenderSettings) -> None:
        self.settings = settings
        framing = frame_photo(image, landmarks, settings.width, settings.height)
        self.canvas = framing.canvas
        placed = framing.landmarks
        eyes = placed[T.LEFT_EYE_OUTER] - placed[T.RIGHT_EYE_OUTER]
        down = np.array([-eyes[1], eyes[0]]) / max(float(np.linalg.norm(eyes)), 1e-6)
        placed = refine_inner_lips(self.canvas, placed, down)
        self.mesh = build_mesh(placed, settings.width, settings.height)
        self.rig = FaceRig(self.mesh, landmarks[:, 2] * framing.scale)
        self.warp = PiecewiseAffineWarp(
            self.mesh.vertices, self.mesh.triangles, self.mesh.roi, settings.warp_scale
        )
        self.colours = sample_colours(self.canvas, placed)
        # The mouth is always drawn closed and then opened by the painter: the photo's own
        # opening is never shown, so it is filled from the lips once, here.
        self.canvas = close_photo_mouth(self.canvas, placed)
        self.label = Label(settings.label, settings.width, settings.height)
        self._blinks = settings.idle.blink_starts(60.0)
        self._blink_horizon = 60.0

    def idle_at(self, frame_index: int) -> IdlePose:
        t = frame_time(frame_index, self.settings.fps)
        while t + 5.0 > self._blink_horizon:
            # The schedule is a prefix-stable random sequence, so extending it changes no earlier blink.
            self._blink_horizon *= 2
            self._blinks = self.settings.idle.blink_starts(self._blink_horizon)
        return self.settings.idle.pose_at(t, self._blinks)

    def render(self, frame_index: int, mouth: np.ndarray, idle: IdlePose | None = None) -> np.ndarray:
        """RGB uint8 (height, width, 3) for ``frame_index`` with mouth pose ``mouth`` (5 floats)."""
        pose = idle if idle is not None else self.idle_at(frame_index)
        vertices = self.rig.deform(mouth, pose)
        frame = self.canvas.copy()
        self.warp.apply(self.canvas, vertices, frame)
        paint_mouth(
            frame,
            vertices[INNER_UPPER],
            vertices[INNER_LOWER],
            self.rig.geometry.width,
            self.colours,
        )
        for lid in LIDS:
            paint_lash_line(frame, vertices[lid], pose.blink, self.colours.lashes)
        self.label.apply(frame)
        return frame
