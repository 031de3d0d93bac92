"""From the app's settings to a show's options, and from a stopped show to one line of summary.

No widgets here: the live panel asks, and shows the ``StudioError`` raised as a dialog before
anything has started.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from studio.errors import InputError
from studio.live.rundown import Rundown
from studio.outputs.base import OutputError, OutputStats
from studio.outputs.preview import PREVIEW_NAME
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import CORNERS, LabelSettings, check_label_text
from studio.render.photo_renderer import RenderSettings
from studio.settings.app_settings import AppSettings

RTMP_FORM = "The stream address must start with rtmp:// or rtmps://."


def rtmp_scheme_ok(url: str) -> bool:
    """Whether the settings can keep ``url`` (empty, or an rtmp:// or rtmps:// address)."""
    text = url.strip().lower()
    return not text or text.startswith(("rtmp://", "rtmps://"))


def recording_name(now: float | None = None) -> str:
    """A new file per show, named by when it started: studio-YYYYmmdd-HHMMSS.mp4."""
    return time.strftime("studio-%Y%m%d-%H%M%S.mp4", time.localtime(now))


def label_settings(settings: AppSettings, check: bool = False) -> LabelSettings:
    """The visible label the settings ask for; ``check`` refuses a text the label cannot show."""
    corner = settings.label_corner if settings.label_corner in CORNERS else "top-right"
    text = settings.label_text or AppSettings().label_text
    if check and settings.label_enabled:
        text = check_label_text(text)
    return LabelSettings(settings.label_enabled, text, corner)


def plan_show(
    settings: AppSettings, rundown_source: Callable[[], Rundown] | None, mic: bool, record_folder: Path
) -> tuple[RenderSettings, LiveOptions]:
    """The render settings and show options for a start; the recording folder is made here.
    ``settings.outputs.audio_out`` is read as on or off (the panel hands over what its toggle
    shows, the default already applied)."""
    s, o = settings, settings.outputs
    render = RenderSettings(s.width, s.height, Fraction(s.fps), label=label_settings(s, check=True))
    rundown = None
    if not mic:
        if rundown_source is None:
            raise InputError("there is no show to run yet.", "Write it on the Show page first.")
        rundown = rundown_source()
        if not any(segment.sentences() for segment in rundown.segments):
            # It would go live and idle forever under "● LIVE", saying nothing.
            raise InputError("the show has nothing to say.", "Write a line on the Show page first.")
    record = None
    if o.record:
        try:
            record_folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                f"The folder {record_folder} for recordings could not be made ({exc.strerror or exc}).",
                "Choose another folder next to Record.",
            ) from exc
        record = record_folder / recording_name()
    rtmp = None
    if o.rtmp:
        from studio.outputs.rtmp import parse_rtmp_url  # noqa: PLC0415 - loads PyAV

        if not o.rtmp_url.strip():
            raise OutputError(
                "RTMP is on, but there is no stream address.",
                "Paste the rtmp:// address and key your platform shows, or switch RTMP off.",
            )
        if not rtmp_scheme_ok(o.rtmp_url):
            raise OutputError(
                RTMP_FORM,
                "Copy the whole address your platform shows, e.g. rtmp://a.rtmp.youtube.com/live2/KEY.",
            )
        parse_rtmp_url(o.rtmp_url)  # a bad address is a dialog now, its key never shown
        rtmp = o.rtmp_url.strip()
    options = LiveOptions(
        rundown=rundown, mic=mic, voice=s.voice or None, provider=s.provider or None,
        vcam=o.vcam, audio_out=(o.audio_device or "") if o.audio_out else None,
        mic_device=(s.microphone or None) if mic else None, record=record, rtmp=rtmp,
    )  # fmt: skip
    return render, options


def stop_summary(show: LiveShow, stats: dict[str, OutputStats]) -> str:
    """What a stopped show left: where it was recorded, which outputs failed."""
    parts = []
    for name, out in stats.items():
        if name == PREVIEW_NAME:
            continue
        if name == "record" and show.recording is not None and show.recording.exists():
            parts.append(f"Recorded {out.frames} frames to {show.recording}")
        elif out.state.startswith(("failed", "stuck")):
            parts.append(f"{name} {show.redact(out.state)}")
    return " · ".join(parts)
