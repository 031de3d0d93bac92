"""What draws a live show's frames: the avatar's renderers, or a neutral slate without a face.

``renderers_for`` picks from the avatar (through ``studio.render.factory``), so callers never
ask what kind of avatar it is. The slate is what goes on air when a face must leave it at once
(its consent withdrawn, the avatar deleted mid-show): a plain frame that still carries the AI
label, as every frame must.
"""

from __future__ import annotations

import numpy as np

from studio.avatar.package import Avatar
from studio.live.engine import FrameRenderer, PassThroughPlanner
from studio.render import factory
from studio.render.factory import RendererSet
from studio.render.label import Label
from studio.render.photo_renderer import RenderSettings

SLATE_RGB = (38, 41, 48)  # a dark neutral grey: nobody's face, and the white label reads on it


class SlateRenderer:
    """Every frame the same plain picture with the AI label; no face, no motion."""

    def __init__(self, settings: RenderSettings) -> None:
        frame = np.empty((settings.height, settings.width, 3), np.uint8)
        frame[:] = SLATE_RGB
        Label(settings.label, settings.width, settings.height).apply(frame)
        frame.setflags(write=False)
        self.frame = frame

    def render(self, frame_index: int, mouth: np.ndarray) -> np.ndarray:
        # The engine marks every result read-only; one shared read-only picture is safe.
        return self.frame


def renderers_for(avatar: Avatar | None, settings: RenderSettings, count: int) -> RendererSet:
    """``count`` renderers (one per render thread: they keep scratch buffers) for ``avatar``, and
    their planner; the slate for none."""
    if avatar is None:
        slates: list[FrameRenderer] = [SlateRenderer(settings)] * count
        return RendererSet(slates, PassThroughPlanner())
    return factory.renderers_for(avatar, settings, count)
