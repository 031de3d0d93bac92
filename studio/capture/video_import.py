"""Pick the frame of a video file that makes the best avatar.

Frames are sampled evenly across the file; each is put through the capture checklist, and
the sharpest frame that passes every check wins. Seeking is used for long gaps only: in a
file with few keyframes each seek decodes from the previous keyframe, so for nearby samples
decoding straight on is cheaper.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from studio.capture.analyzer import FrameAnalyzer
from studio.capture.camera import frame_rate, open_video, undecodable, video_formats_hint
from studio.capture.checklist import Checklist, fix_text, label_text
from studio.errors import FaceError, InputError
from studio.face.landmarker import FaceObservation
from studio.tasks import CancelToken, ProgressFn
from studio.translation import tr

DEFAULT_SAMPLES = 40
# Decode on rather than seek when the next sample is closer than this.
SEEK_GAP_S = 2.0


def video_duration(container: Any, stream: Any) -> float:
    """Seconds, from the stream's header, the container's, or (last resort) its packets."""
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / 1_000_000  # av.time_base
    last = 0.0
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base:
            last = max(last, float(packet.pts * packet.time_base))
    container.seek(0)
    return last


def sample_times(duration: float, samples: int) -> list[float]:
    """``samples`` times spread over the file, each in the middle of its share of it."""
    count = max(1, samples)
    return [(i + 0.5) * duration / count for i in range(count)]


def sampled_frames(container: Any, stream: Any, times: list[float]) -> Iterator[tuple[int, float, Any]]:
    """(index of the time, frame time, frame): the first frame at or after each time. Times
    closer together than the frames give each frame once; a file shorter than its header says
    ends with its last frame."""
    import av

    fps = frame_rate(stream)
    frames = container.decode(stream)
    position = -1.0  # time of the last decoded frame
    last: tuple[float, Any] | None = None
    given: Any = None
    decoded = 0
    for index, target in enumerate(times):
        if last is not None and position + 0.5 / fps >= target:
            continue  # the frame already given is this time's frame too
        if target - position > SEEK_GAP_S:
            container.seek(int(target / stream.time_base), stream=stream, backward=True)
            frames = container.decode(stream)
        found = None
        try:
            for frame in frames:
                decoded += 1
                position = float(frame.time) if frame.time is not None else decoded / fps
                last = (position, frame)
                if position + 0.5 / fps >= target:
                    found = last
                    break
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise undecodable(Path(container.name), exc) from exc
        if found is None:
            if last is not None and last[1] is not given:
                yield index, last[0], last[1]
            return
        given = found[1]
        yield index, found[0], found[1]


def best_frame(
    path: Path,
    progress: ProgressFn,
    token: CancelToken,
    samples: int = DEFAULT_SAMPLES,
    analyzer: FrameAnalyzer | None = None,
) -> tuple[np.ndarray, Checklist]:
    """The sharpest sampled frame (RGB uint8) of ``path`` that passes every check, and its
    checklist (``measures["time_s"]`` says where it was). Raises ``InputError`` for a file
    that is not a readable video and ``FaceError`` naming the most common problem when no
    sampled frame passes."""
    frame, checklist, _faces = best_frame_and_faces(path, progress, token, samples, analyzer)
    return frame, checklist


def best_frame_and_faces(
    path: Path,
    progress: ProgressFn,
    token: CancelToken,
    samples: int = DEFAULT_SAMPLES,
    analyzer: FrameAnalyzer | None = None,
) -> tuple[np.ndarray, Checklist, list[FaceObservation]]:
    """``best_frame`` plus the faces its checklist was measured on (for the wizard's outline)."""
    path = Path(path)
    token.check(tr("the video import"))
    progress(0.0, tr("Opening {name}").format(name=path.name))
    container, stream = open_video(path)
    own = analyzer is None
    try:
        duration = video_duration(container, stream)
        times = sample_times(duration, samples)
        if own:
            analyzer = FrameAnalyzer()
        assert analyzer is not None
        best: tuple[np.ndarray, Checklist, list[FaceObservation]] | None = None
        problems: Counter[str] = Counter()
        examples: dict[str, str] = {}
        seen = 0
        for index, when, frame in sampled_frames(container, stream, times):
            token.check(tr("the video import"))
            seen += 1
            rgb = frame.to_ndarray(format="rgb24")
            # The window search too: a file is not live, and "too small" helps more than "no face".
            checklist, faces = analyzer.analyse(rgb, search=True)
            checklist.measures["time_s"] = when
            if checklist.all_ok:
                if best is None or checklist.measures["sharpness"] > best[1].measures["sharpness"]:
                    best = (rgb, checklist, faces)
            else:
                problem = checklist.first_problem
                assert problem is not None
                problems[problem.key] += 1
                examples.setdefault(
                    problem.key,
                    tr("'{label}' fails: {detail}").format(
                        label=label_text(problem.key), detail=problem.detail
                    ),
                )
            done = index + 1
            progress(
                done / len(times),
                tr("Looking for the best frame: {done} of {total} checked").format(
                    done=done, total=len(times)
                ),
            )
        progress(1.0, tr("Checked {n} frames of {name}").format(n=seen, name=path.name))
    finally:
        container.close()
        if own and analyzer is not None:
            analyzer.close()
    if seen == 0:
        raise InputError(tr("{path} has no frames.").format(path=path), video_formats_hint())
    if best is None:
        key, count = problems.most_common(1)[0]
        raise FaceError(
            tr(
                "none of the {seen} frames sampled from {name} can become an avatar; "
                "most often ({count} of {seen}) the check {example}"
            ).format(seen=seen, name=path.name, count=count, example=examples[key]),
            tr("{fix} Then record the video again, or choose another one.").format(fix=fix_text(key)),
        )
    return best
