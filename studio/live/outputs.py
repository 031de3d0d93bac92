"""The outputs a live show is asked for, made by name: the same words for a start and a join."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from studio.outputs.base import Output

# Outputs that join and leave a running show; the audio device is the show's clock, so it
# stays as the show started.
JOINABLE = ("vcam", "record", "rtmp")


def make_output(name: str, target: str | Path | None, metadata: Mapping[str, str]) -> Output:
    """The output ``name`` ("vcam", "record", "rtmp") to ``target`` (a device, file or address);
    a recording carries ``metadata``. Device SDKs load only for the output that needs them."""
    if name == "vcam":
        from studio.outputs.vcam import VirtualCameraOutput  # noqa: PLC0415

        return VirtualCameraOutput(str(target) if target else None)
    if name == "record":
        from studio.outputs.recording import RecordingOutput  # noqa: PLC0415

        assert target is not None
        return RecordingOutput(Path(target), dict(metadata))
    if name == "rtmp":
        from studio.outputs.rtmp import RtmpOutput  # noqa: PLC0415

        assert target is not None
        return RtmpOutput(str(target))
    raise ValueError(f"{name!r} cannot join a running show (it can: {', '.join(JOINABLE)})")
