"""From the app's settings to a show's options, and from a stopped show to one line of summary.

No widgets here: the live panel asks, and shows the ``StudioError`` raised as a dialog before
anything has started.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from studio.compliance.disclosure import disclosure_from
from studio.errors import InputError
from studio.live.rundown import Rundown
from studio.outputs.base import OutputError, OutputStats
from studio.outputs.preview import PREVIEW_NAME
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.render.label import CORNERS, DEFAULT_TEXT, LabelSettings, check_label_text, default_label_text
from studio.render.photo_renderer import RenderSettings
from studio.settings.app_settings import AppSettings
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated
from studio.ui.live_words import OUTPUT_NAMES

RTMP_FORM = QT_TRANSLATE_NOOP("live_plan", "The stream address must start with rtmp:// or rtmps://.")


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
    if text == DEFAULT_TEXT:  # the default, never changed: in the app's language ("AI生成" in Chinese)
        text = default_label_text()
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
            raise InputError(
                QCoreApplication.translate("live_plan", "there is no show to run yet."),
                QCoreApplication.translate("live_plan", "Write it on the Show page first."),
            )
        rundown = rundown_source()
        if not any(segment.sentences() for segment in rundown.segments):
            # It would go live and idle forever under "● LIVE", saying nothing.
            raise InputError(
                QCoreApplication.translate("live_plan", "the show has nothing to say."),
                QCoreApplication.translate("live_plan", "Write a line on the Show page first."),
            )
    record = new_recording(record_folder) if o.record else None
    rtmp = checked_rtmp_url(o.rtmp_url) if o.rtmp else None
    notice = disclosure_from(s.disclosure_enabled, s.disclosure_every_min, s.disclosure_zh, s.disclosure_en)
    options = LiveOptions(
        rundown=rundown, mic=mic, voice=s.voice or None, provider=s.provider or None,
        vcam=o.vcam, audio_out=(o.audio_device or "") if o.audio_out else None,
        mic_device=(s.microphone or None) if mic else None, record=record, rtmp=rtmp,
        disclosure=notice, unlabelled_by=s.label_off_acknowledged_by,
    )  # fmt: skip
    return render, options


def new_recording(folder: Path) -> Path:
    """A new file in ``folder`` (made if need be) for a recording that starts now."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            QCoreApplication.translate(
                "live_plan", "The folder {folder} for recordings could not be made ({why})."
            ).format(folder=folder, why=exc.strerror or exc),
            QCoreApplication.translate("live_plan", "Choose another folder next to Record."),
        ) from exc
    return folder / recording_name()


def checked_rtmp_url(url: str) -> str:
    """``url`` stripped, or an ``OutputError`` saying what is wrong with it (the key never shown)."""
    from studio.outputs.rtmp import parse_rtmp_url  # noqa: PLC0415 - loads PyAV

    if not url.strip():
        raise OutputError(
            QCoreApplication.translate("live_plan", "RTMP is on, but there is no stream address."),
            QCoreApplication.translate(
                "live_plan", "Paste the rtmp:// address and key your platform shows, or switch RTMP off."
            ),
        )
    if not rtmp_scheme_ok(url):
        raise OutputError(
            translated("live_plan", RTMP_FORM),
            QCoreApplication.translate(
                "live_plan",
                "Copy the whole address your platform shows, e.g. rtmp://a.rtmp.youtube.com/live2/KEY.",
            ),
        )
    parse_rtmp_url(url)  # a bad address is a dialog now, its key never shown
    return url.strip()


def recorded_length(seconds: float) -> str:
    """ "52 s", "3 min 05 s", "1 h 02 min" """
    s = max(0, round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s // 60 % 60:02d} min"


def recorded_seconds(stats: OutputStats, fps: Fraction) -> float:
    """How long a recording plays: every frame it was sent, written or held over a dropped one."""
    return float((stats.frames + stats.dropped) / fps)


def stop_summary(show: LiveShow, stats: dict[str, OutputStats]) -> str:
    """What a stopped show left: where it was recorded, which outputs failed."""
    parts = []
    for path, out in show.recordings:
        if path.exists():
            parts.append(
                QCoreApplication.translate("live_plan", "Recorded {length} to {path}").format(
                    length=recorded_length(recorded_seconds(out, show.fmt.fps)), path=path
                )
            )
    for name, out in stats.items():
        if name != PREVIEW_NAME and out.state.startswith(("failed", "stuck")):
            parts.append(f"{translated('live_words', OUTPUT_NAMES.get(name, name))} {show.redact(out.state)}")
    parts.append(QCoreApplication.translate("live_plan", "Session log: {path}").format(path=show.log_path))
    if show.log.problem:
        parts.append(show.log.problem)
    return " · ".join(parts)
