"""``studio sync-check FILE``: measure how far a recording's audio is off its mouth motion."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studio.errors import InputError
from studio.translation import tr

_DEFAULT_MAX_LAG_MS = 300.0  # studio.pipeline.av_sync.MAX_LAG_MS; not imported so --help stays light


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "sync-check",
        help=tr("measure the audio/video offset of a recording"),
        description=tr(
            "Measure the offset between the voice and the mouth in a recording (an MP4 from Studio, "
            "an FLV recorded from an RTMP push, any video with one speaking face). A positive offset "
            "means the audio comes later than the mouth."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=Path, help=tr("the recording to measure"))
    parser.add_argument(
        "--max-lag",
        metavar="MS",
        type=float,
        default=_DEFAULT_MAX_LAG_MS,
        help=tr("largest offset searched, either way, in milliseconds (default {default:.0f})").format(
            default=_DEFAULT_MAX_LAG_MS
        ),
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.cli.native_logs import native_logs_held_back
    from studio.pipeline.av_sync import measure_sync

    max_lag = float(args.max_lag)
    if not 10.0 <= max_lag <= 1000.0:
        raise InputError(
            tr("--max-lag {value:g} is out of range.").format(value=args.max_lag),
            tr("Use 10 to 1000 milliseconds."),
        )
    with native_logs_held_back():  # the face landmarker's log lines would bury the result
        report = measure_sync(Path(args.file), max_lag_ms=max_lag)
    print(report.summary())
    return 0
