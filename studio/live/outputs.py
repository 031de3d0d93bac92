"""A live show's outputs: made by name (the same words for a start and a join), closed without
one failure stopping the next, and described (where each goes, the stream key masked)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from studio.errors import StudioError
from studio.outputs.base import Output, OutputStats
from studio.translation import tr

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


def close_output(output: Output) -> OutputStats:
    """Close (finalise) ``output``; what goes wrong becomes its stats, so the next one still closes."""
    try:
        return output.close()
    except Exception as exc:  # noqa: BLE001 - the next output (the recording) must still close
        reason = exc.problem if isinstance(exc, StudioError) else (str(exc) or type(exc).__name__)
        return OutputStats(errors=1, state=f"failed: {reason}", last_error=reason)


def output_state(output: Output) -> str:
    stats = getattr(output, "stats", None)
    return stats.state if isinstance(stats, OutputStats) else "running"


def output_targets(
    outputs: Sequence[Output], vcam_device: str | None, audio_out: str | None
) -> dict[str, str]:
    """Where each output goes, by output name; the stream key masked."""
    found: dict[str, str] = {}
    for output in outputs:
        if output.name == "vcam":
            found["vcam"] = getattr(output, "device_in_use", "") or vcam_device or tr("virtual camera")
        elif output.name == "audio":
            found["audio"] = audio_out or tr("default audio device")
        elif output.name == "record":
            found["record"] = str(output.path)  # type: ignore[attr-defined]
        elif output.name == "rtmp":
            found["rtmp"] = output.target.masked  # type: ignore[attr-defined]
    return found


def redact_key(outputs: Sequence[Output], text: str) -> str:
    """``text`` with the RTMP stream key masked, for anything shown on screen or logged."""
    for output in outputs:
        target = getattr(output, "target", None)
        if output.name == "rtmp" and target is not None:
            text = target.redact(text)
    return text
