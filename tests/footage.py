"""Real talking-face footage for the twin's tests, fetched once by scripts/fetch_footage.sh.

The clips (see ../shared/notes/twin-footage.md) come inside registry packages and are cached
under ``$STUDIO_FOOTAGE`` (default ``~/.cache/studio-footage``); none is committed (the psychopy
clips are GPL). A test that needs one calls ``footage(name)``; when the clip is not cached the
script runs once, and when that cannot fetch it (no network) the test fails saying so.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "fetch_footage.sh"
CLIPS = ("franck.webm", "jwpIntro.mp4", "testMovie.mp4")


def footage_dir() -> Path:
    return Path(os.environ.get("STUDIO_FOOTAGE") or Path.home() / ".cache" / "studio-footage")


def footage(name: str) -> Path:
    """The cached clip ``name`` (one of ``CLIPS``), fetched first if it is not there."""
    if name not in CLIPS:
        raise ValueError(f"unknown clip {name!r}; the footage is {', '.join(CLIPS)}")
    path = footage_dir() / name
    if path.is_file():
        return path
    result = subprocess.run(["bash", str(SCRIPT)], capture_output=True, text=True, timeout=900)
    if result.returncode != 0 or not path.is_file():
        tail = " ".join((result.stderr or result.stdout).split())[-400:]
        pytest.fail(
            f"the test footage {name} is not cached in {footage_dir()} and scripts/fetch_footage.sh "
            f"could not fetch it (is the network down?): {tail}",
            pytrace=False,
        )
    return path
