"""Inspect media files with ffprobe (streams, format, tags) as a parsed dict."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from studio.errors import InputError, StudioError

__all__ = ["ffprobe"]


def ffprobe(path: Path, timeout: float = 60.0) -> dict[str, Any]:
    """Return ffprobe's ``-show_streams -show_format`` JSON for ``path``.

    Raises ``StudioError`` when ffprobe is not installed and ``InputError`` when
    the file is missing or not a media file.
    """
    exe = shutil.which("ffprobe")
    if exe is None:
        raise StudioError("ffprobe was not found.", "Install ffmpeg (it provides ffprobe) and retry.")
    path = Path(path)
    if not path.is_file():
        raise InputError(f"Media file not found: {path}.", "Check the path and retry.")
    cmd = [exe, "-v", "error", "-print_format", "json", "-show_streams", "-show_format", str(path)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise StudioError(f"ffprobe took longer than {timeout:.0f} s on {path}.", "Check the file.") from exc
    if proc.returncode != 0:
        # ffprobe's first error line names the problem; keep the message to one line.
        reason = (proc.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise InputError(f"Cannot read media file {path}: {reason}.", "Use a valid audio or video file.")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result
