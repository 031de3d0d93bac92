"""The one place that chooses how an avatar is drawn, from its kind.

``render``, ``live``, ``bench`` and the app all ask ``renderers_for``; none of them asks what kind
of avatar it has. A photo is warped by ``PhotoRenderer``; a twin (built from a video) is drawn
from its own footage by ``studio.twin.renderer``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from studio.avatar.package import Avatar
from studio.live.engine import FrameRenderer, MouthPlanner, PassThroughPlanner
from studio.render.photo_renderer import PhotoRenderer, RenderSettings


@dataclass(frozen=True)
class RendererSet:
    """The renderers of one avatar: one per render thread (they keep scratch buffers), and the
    planner that decides, in frame order, what they need to know across frames."""

    workers: list[FrameRenderer]
    planner: MouthPlanner

    def close(self) -> None:
        """Release what the renderers hold open (a twin's footage decoder), once no thread
        renders with them any more. Renderers that hold nothing have no ``close``."""
        for worker in self.workers:
            close = getattr(worker, "close", None)
            if close is not None:
                close()


def _photo(avatar: Avatar, settings: RenderSettings, count: int) -> RendererSet:
    workers: list[FrameRenderer] = [
        PhotoRenderer(avatar.image, avatar.landmarks, settings) for _ in range(count)
    ]
    return RendererSet(workers, PassThroughPlanner())


def _twin(avatar: Avatar, settings: RenderSettings, count: int) -> RendererSet:
    from studio.twin.renderer import twin_renderers  # loads the footage: only for a twin

    workers, planner = twin_renderers(avatar.path, settings, count)
    return RendererSet(list(workers), planner)


_BY_KIND: dict[str, Callable[[Avatar, RenderSettings, int], RendererSet]] = {
    "photo": _photo,
    "twin": _twin,
}


def renderers_for(avatar: Avatar, settings: RenderSettings, count: int = 1) -> RendererSet:
    """``count`` renderers for ``avatar`` and their planner."""
    if count < 1:
        raise ValueError("at least one renderer")
    return _BY_KIND[avatar.manifest.kind](avatar, settings, count)
