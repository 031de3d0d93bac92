"""Build a twin from a video: analysis, coverage, idle loop, atlas, the package written at once.

Names and consent are checked before anything slow; the video is refused in one line for
anything a creator can fix. The package is written with ``library.creating`` +
``storage.atomic_dir`` exactly as a photo avatar is (``studio.avatar.create.write_avatar``):
a reader sees all of it or none, and ``Cancelled`` (checked between and inside the slow steps,
from the progress callback too) or any failure leaves the library as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from studio.avatar.create import check_new_avatar, consent_for, utc_now_iso
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar, AvatarManifest, load_avatar, write_package
from studio.errors import InputError
from studio.storage.atomic import atomic_dir
from studio.tasks import CancelToken, ProgressFn
from studio.translation import tr
from studio.twin import atlas as atlas_mod
from studio.twin import coverage, idle_loop, store

if TYPE_CHECKING:
    from studio.twin.analysis import FootageAnalysis


def _build() -> str:
    return tr("the twin build")


SOURCE_KINDS = ("video", "webcam")


@dataclass(frozen=True)
class TwinRequest:
    video: Path
    name: str
    consent_by: str
    statement: str | None = None
    consent_audio: tuple[np.ndarray, int] | None = None
    source_kind: str = "video"  # or "webcam"
    min_usable_s: float = 15.0
    # False only to measure twins made from short research clips that lack some shapes (the
    # resynthesis test on the psychopy clips); the CLI and the app always check.
    check_shapes: bool = True


def _stage(progress: ProgressFn, token: CancelToken, start: float, end: float) -> ProgressFn:
    """Progress of one step mapped onto [start, end] of the whole, with a cancel check at each."""

    def report(fraction: float, message: str) -> None:
        token.check(_build())
        progress(start + (end - start) * min(max(fraction, 0.0), 1.0), message)
        token.check(_build())

    return report


def _checked(
    frames: Iterator[tuple[int, np.ndarray]], token: CancelToken
) -> Iterator[tuple[int, np.ndarray]]:
    for item in frames:
        if item[0] % 25 == 0:
            token.check(_build())
        yield item


def build_twin(
    request: TwinRequest, library: AvatarLibrary, progress: ProgressFn, token: CancelToken
) -> Avatar:
    """Build the twin ``request.name`` in ``library`` and return it (loadable by ``load_avatar``).

    Raises ``InputError``/``FaceError`` (one line) for a video or name the user can fix and
    ``Cancelled`` when ``token`` is cancelled; the library is then unchanged."""
    from studio.twin.analysis import analyse_footage
    from studio.twin.footage import iter_frames

    if request.source_kind not in SOURCE_KINDS:
        raise ValueError(f"source_kind must be one of {SOURCE_KINDS}, not {request.source_kind!r}")
    consent = consent_for(request.consent_by, request.statement, request.consent_audio)
    clean = check_new_avatar(request.name, library)
    token.check(_build())

    analysis = analyse_footage(
        request.video, _stage(progress, token, 0.0, 0.6), token, min_usable_s=request.min_usable_s
    )
    info = analysis.info
    fps = float(info.fps)
    usable = analysis.reject == 0
    token.check(_build())

    progress(0.6, tr("Choosing the mouth units"))
    canonical = atlas_mod.canonical_frame(analysis.landmarks, usable)
    crop_marks = atlas_mod.unit_landmarks(analysis.landmarks, canonical)
    chosen = atlas_mod.choose_units(crop_marks, analysis.mouth, usable, canonical)
    report = coverage.coverage_report(analysis.mouth[chosen], analysis.visemes[chosen])
    if request.check_shapes:
        coverage.check_coverage(report, request.video)
    token.check(_build())

    try:
        lo, hi = idle_loop.closed_stretch(analysis.mouth, usable, fps)
    except ValueError as exc:
        raise InputError(
            tr("{name} has no {seconds:.0f} s with the mouth closed ({reason}).").format(
                name=request.video.name, seconds=idle_loop.MIN_LOOP_S, reason=exc
            ),
            tr("Record a few seconds of quiet: look at the camera, breathe, blink, lips closed."),
        ) from None
    measure = idle_loop.LoopMeasure(lo, hi, analysis.landmarks)
    frames = _checked(iter_frames(request.video, info), token)

    def measured() -> Iterator[tuple[int, np.ndarray]]:
        for index, rgb in frames:
            measure.add(index, rgb)
            yield index, rgb

    # One pass cuts the units and measures the loop's stretch as the frames go by.
    try:
        atlas = atlas_mod.cut_atlas(
            measured(), analysis.landmarks, analysis.mouth, analysis.visemes, chosen, canonical, crop_marks,
            _stage(progress, token, 0.6, 0.8), token,
        )  # fmt: skip
    except ValueError as exc:  # the file changed or ended early on the second read
        raise InputError(
            tr("{name} could not be read again ({reason}).").format(name=request.video.name, reason=exc),
            tr("Try the build again."),
        ) from None
    for _ in measured():
        if len(measure.thumbs) >= hi - lo:
            break
    try:
        plan = idle_loop.choose_loop(analysis.landmarks, measure, fps)
    except ValueError as exc:  # fewer frames came back on the second read than the first gave
        raise InputError(
            tr("{name} could not be read again ({reason}).").format(name=request.video.name, reason=exc),
            tr("Try the build again."),
        ) from None
    rest = atlas_mod.rest_unit(atlas)
    token.check(_build())

    progress(0.8, tr("Writing the twin '{name}'").format(name=clean))
    twin_summary: dict[str, Any] = {
        "fps": [info.fps.numerator, info.fps.denominator],
        "idle_frames": len(plan),
        "idle_mode": plan.mode,
        "idle_mismatch": round(plan.mismatch, 3),
        "atlas_units": len(atlas),
        "coverage": report.to_json(),
    }
    target = library.path_for(clean)
    try:
        with library.creating(target.name), atomic_dir(target) as tmp:
            loop = idle_loop.loop_frames(_checked(iter_frames(request.video, info), token), plan)
            first, count = store.write_idle(tmp, loop, info.fps)
            token.check(_build())
            height, width = first.shape[:2]
            marks = idle_loop.loop_landmarks(analysis.landmarks, plan, fps)
            mouth = idle_loop.loop_values(analysis.mouth, plan)
            store.write_twin_parts(
                tmp, marks, mouth, (width, height), info.fps, atlas, canonical, rest, report.to_json()
            )
            token.check(_build())
            manifest = AvatarManifest(
                name=clean,
                created=utc_now_iso(),
                source_kind=request.source_kind,
                image_size=(width, height),
                consent=consent,
                face=_face_summary(analysis, plan),
                source_note=request.video.name,
                kind="twin",
                twin={**twin_summary, "idle_frames": count},
            )
            write_package(tmp, manifest, first, marks[0], request.consent_audio)
            token.check(_build())
    except FileExistsError as exc:
        raise InputError(
            tr("{target} already exists.").format(target=target),
            tr("Choose another name or delete it first."),
        ) from exc
    except OSError as exc:
        if target.exists():
            raise InputError(
                tr("{target} already exists.").format(target=target), tr("Choose another name.")
            ) from exc
        raise InputError(
            tr("could not write the twin to {folder} ({reason}).").format(folder=target.parent, reason=exc),
            tr("Check free disk space and permissions."),
        ) from exc
    progress(1.0, tr("Created the twin '{name}'").format(name=clean))
    return load_avatar(target)


def _face_summary(analysis: FootageAnalysis, plan: idle_loop.LoopPlan) -> dict[str, object]:
    marks = analysis.landmarks[int(plan.source[0, 0])]
    pose = analysis.pose[int(plan.source[0, 0])]
    x, y = marks[:, 0], marks[:, 1]
    return {
        "bbox": [round(float(v), 2) for v in (x.min(), y.min(), x.max(), y.max())],
        "pose_degrees": {k: round(float(v), 2) for k, v in zip(("yaw", "pitch", "roll"), pose, strict=True)},
    }
