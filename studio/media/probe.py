"""Inspect media files with ffprobe (streams, format, tags) as a parsed dict."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from studio.errors import InputError, StudioError
from studio.translation import tr

__all__ = ["ffprobe"]


def ffprobe(path: Path, timeout: float = 60.0) -> dict[str, Any]:
    """Return ffprobe's ``-show_streams -show_format`` JSON for ``path``.

    Raises ``StudioError`` when ffprobe is not installed and ``InputError`` when
    the file is missing or not a media file.
    """
    exe = shutil.which("ffprobe")
    if exe is None:
        raise StudioError(tr("ffprobe was not found."), tr("Install ffmpeg (it provides ffprobe) and retry."))
    path = Path(path)
    if not path.is_file():
        raise InputError(
            tr("Media file not found: {path}.").format(path=path), tr("Check the path and retry.")
        )
    cmd = [exe, "-v", "error", "-print_format", "json", "-show_streams", "-show_format", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise StudioError(
            tr("ffprobe took longer than {seconds:.0f} s on {path}.").format(seconds=timeout, path=path),
            tr("Check the file."),
        ) from exc
    if proc.returncode != 0:
        # ffprobe's first error line names the problem; keep the message to one line.
        reason = (proc.stderr.strip().splitlines() or [tr("unknown error")])[-1]
        raise InputError(
            tr("Cannot read media file {path}: {reason}.").format(path=path, reason=reason),
            tr("Use a valid audio or video file."),
        )
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
