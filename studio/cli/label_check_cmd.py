"""``studio label-check FILE|rtmp://…``: read a video or a live stream back from the outside and
report both AI labels that GB 45438-2025 asks for.

- The implicit label is the ``AIGC`` tag of the file, or of the stream's onMetaData (FFmpeg
  turns onMetaData's strings into the container's tags, so one reader serves both).
- The explicit label is looked for in the pixels of sampled frames: a dark, filled, rounded
  box with light text, set in from one corner, as ``studio.render.label`` draws it. Nothing we
  wrote into the file is trusted for this: a file made with ``--no-label`` has the same tags.

Exit status: 0 when both labels are there, 1 when one is missing, 2 for bad input.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import InputError, one_line
from studio.outputs.aigc_label import AIGC_FIELDS, parse_aigc
from studio.translation import tr

SAMPLES = 10  # frames looked at
# A label must be seen on most sampled frames: one frame blurred by the encoder is no absence.
PRESENT_SHARE = 0.8
# The box is 66 % near-black over the picture: its luma is at most ~95 (over white) and about a
# third of what is around it. Several cut-offs are tried, lowest first, so the box is told apart
# from dark scenery next to it as well as from a bright wall behind it.
_DARK_CUTS = (70, 90, 110)
_LIGHT = 130  # luma of the label's text: near-white, though small type blurs in the encoder


def register(sub: Any) -> None:
    p = sub.add_parser(
        "label-check",
        help=tr("report the AI labels (explicit and GB 45438-2025 implicit) of a video or stream"),
        description=tr(
            "Read a video file or an rtmp:// stream and report its implicit AI label (the "
            "GB 45438-2025 'AIGC' metadata) and its explicit one (the visible label, found in "
            "the pixels of sampled frames). Exit 0 when both are there, 1 when one is missing."
        ),
    )
    p.add_argument("source", help=tr("a video file, or rtmp://host[:port]/app/key to watch a live stream"))
    p.add_argument(
        "--seconds",
        type=float,
        default=10.0,
        help=tr("how much of the video (from its start) or the stream to sample (default 10)"),
    )
    p.set_defaults(handler=handle)


@dataclass
class LabelReport:
    implicit: dict[str, str] | None
    tags: dict[str, str]
    sampled: int = 0
    found: list[str] = field(default_factory=list)  # the corner on each frame where it was seen

    @property
    def explicit(self) -> bool:
        return self.sampled > 0 and len(self.found) >= PRESENT_SHARE * self.sampled


def handle(args: argparse.Namespace) -> int:
    if not args.seconds > 0:
        raise InputError(
            tr("--seconds {seconds} is not a length.").format(seconds=args.seconds),
            tr("Give a positive number, e.g. 10."),
        )
    report = check_source(str(args.source), args.seconds)
    for line in describe(report):
        print(line)
    return 0 if report.implicit is not None and report.explicit else 1


def check_source(source: str, seconds: float = 10.0, samples: int = SAMPLES) -> LabelReport:
    """Open ``source`` (a file or an rtmp:// stream) and read both labels."""
    import av

    live = "://" in source
    if live:
        if not source.lower().startswith(("rtmp://", "rtmps://")):
            raise InputError(
                tr("{scheme}:// streams cannot be checked.").format(scheme=source.split("://")[0]),
                tr("Give a file or rtmp://."),
            )
        from studio.outputs.rtmp import parse_rtmp_url

        parse_rtmp_url(source)  # a malformed address is named before any connection is tried
        what = tr("the stream")
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(
                tr("{path} is not a file.").format(path=source),
                tr("Give a video file Studio wrote, or rtmp://…"),
            )
        what = str(path)
    try:
        # timeout: connecting and each read; a live stream that stops sending ends the check.
        with av.open(source, timeout=10.0) as container:
            tags = {str(k): str(v) for k, v in container.metadata.items()}
            if not container.streams.video:
                raise InputError(
                    tr("{what} has no video.").format(what=what), tr("Give a video file or stream.")
                )
            report = LabelReport(parse_aigc(tags), tags)
            for frame in _sample_frames(container, seconds, samples, live=live):
                report.sampled += 1
                corner = find_visible_label(frame)
                if corner is not None:
                    report.found.append(corner)
    except av.FFmpegError as exc:
        hint = tr("Give a video file or a live rtmp:// stream.")
        raise InputError(
            tr("cannot read {what}: {reason}.").format(what=what, reason=one_line(exc)), hint
        ) from None
    return report


def _sample_frames(container: Any, seconds: float, samples: int, live: bool) -> list[np.ndarray]:
    """``samples`` frames spread evenly over the first ``seconds`` (of the file, or of the
    stream from when we joined it)."""
    stream = container.streams.video[0]
    span = seconds
    if not live and container.duration:
        span = min(seconds, container.duration / 1_000_000)
    picked: list[np.ndarray] = []
    start: float | None = None
    for frame in container.decode(stream):
        if frame.time is None:
            continue
        start = frame.time if start is None else start
        elapsed = frame.time - start
        if elapsed >= span or len(picked) >= samples:
            break
        if elapsed >= len(picked) * span / samples:
            picked.append(frame.to_ndarray(format="rgb24"))
    return picked


def find_visible_label(rgb: np.ndarray) -> str | None:
    """The corner whose pixels hold a label box, or None. A box is a dark region, filled once
    its text is counted in, nearly rectangular, wider than tall, set apart from the frame's
    edges (the label sits a margin in), with light text inside it."""
    from scipy import ndimage

    h, w = rgb.shape[:2]
    luma = rgb[..., :3].astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32)
    ch, cw = max(8, int(h * 0.3)), max(8, int(w * 0.5))
    for corner in ("top-right", "top-left", "bottom-right", "bottom-left"):
        top = corner.startswith("top")
        left = corner.endswith("left")
        ys = slice(0, ch) if top else slice(h - ch, h)
        xs = slice(0, cw) if left else slice(w - cw, w)
        crop = luma[ys, xs]
        for cut in _DARK_CUTS:
            # The text leaves holes in the dark box; filling them gives the whole box.
            boxes, _ = ndimage.label(ndimage.binary_fill_holes(crop < cut))
            for index, where in enumerate(ndimage.find_objects(boxes), start=1):
                if where is not None and _is_label_box(crop, boxes[where] == index, where, (h, w), cut):
                    return corner
    return None


def _is_label_box(
    crop: np.ndarray, mask: np.ndarray, where: tuple[slice, slice], frame: tuple[int, int], cut: int
) -> bool:
    h, w = frame
    bh, bw = mask.shape
    ys, xs = where
    # The label's type is 10 px at least (studio.render.label), on one or two lines.
    if not (12 <= bh <= 0.25 * h and bh * 1.2 <= bw <= 0.5 * w):
        return False
    if mask.mean() < 0.85:  # a rectangle with rounded corners fills most of its bounds
        return False
    ch, cw = crop.shape
    if ys.start == 0 or xs.start == 0 or ys.stop == ch or xs.stop == cw:
        return False  # it runs into the frame's edge: dark scenery, not a box set in a margin
    inside = crop[where][mask]
    light = float((inside > _LIGHT).mean())
    dark = float((inside < cut).mean())
    return 0.03 <= light <= 0.5 and dark >= 0.4


def describe(report: LabelReport) -> list[str]:
    lines = []
    if report.implicit is None:
        lines.append(tr("implicit label (GB 45438-2025 AIGC metadata): MISSING"))
    else:
        empty = tr("(empty)")
        fields = ", ".join(f"{name}={report.implicit.get(name, '') or empty}" for name in AIGC_FIELDS)
        if report.implicit.get("Label") == "1":
            present = tr("implicit label (GB 45438-2025 AIGC metadata): present (AI-generated): {fields}")
        else:
            present = tr("implicit label (GB 45438-2025 AIGC metadata): present: {fields}")
        lines.append(present.format(fields=fields))
    if "ai_generated" in report.tags:
        lines.append(tr("ai_generated tag: {value}").format(value=report.tags["ai_generated"]))
    shown = _corner_names()
    corners = ", ".join(shown.get(corner, corner) for corner in sorted(set(report.found)))
    where = tr(" ({corners})").format(corners=corners) if corners else ""
    if report.explicit:
        state = tr("explicit label (visible): present: found on {found} of {sampled} sampled frames{where}")
    else:
        state = tr("explicit label (visible): MISSING: found on {found} of {sampled} sampled frames{where}")
    lines.append(state.format(found=len(report.found), sampled=report.sampled, where=where))
    return lines


def _corner_names() -> dict[str, str]:
    """The corners ``find_visible_label`` names, as the report shows them."""
    return {
        "top-right": tr("top-right"),
        "top-left": tr("top-left"),
        "bottom-right": tr("bottom-right"),
        "bottom-left": tr("bottom-left"),
    }
