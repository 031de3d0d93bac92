"""``studio app`` (and ``studio`` with no command): open the desktop app.

Qt is imported only here, only when the app really opens: every other verb stays Qt-free
and starts fast, and a headless machine gets one line saying what to run instead.
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from studio.errors import StudioError
from studio.translation import tr


def register(sub: Any) -> None:
    p = sub.add_parser("app", help=tr("open the desktop app (what 'studio' alone does)"))
    p.add_argument("--library", type=Path, metavar="DIR", help=tr("avatar library folder (default: yours)"))
    p.add_argument(
        "--settings", type=Path, metavar="FILE", help=tr("settings file (default: your config folder)")
    )
    p.add_argument("--avatar", help=tr("avatar to select (default: the last one used, else demo)"))
    # For the start-up benchmark: quit as soon as the window is usable and print how long it took.
    p.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    # For installer tests: save the ready window as a PNG (implies --exit-when-ready).
    p.add_argument("--screenshot", type=Path, metavar="PNG", help=argparse.SUPPRESS)
    p.set_defaults(handler=run)


def display_problem(env: Mapping[str, str], system: str) -> str | None:
    """Why the app cannot open a window here, or None. Windows and macOS always have a screen
    for a desktop process; elsewhere Qt needs X11 or Wayland unless told to draw off-screen."""
    if system in ("Windows", "Darwin"):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return tr("no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the app cannot open a window.")


def run(args: argparse.Namespace) -> int:
    problem = display_problem(os.environ, platform.system())
    if problem:
        raise StudioError(
            problem,
            tr(
                "Run it on a desktop session, or use the commands that need no display: "
                "'studio render --avatar demo --text \"Hello!\" --out out/hello.mp4', 'studio live ...'; "
                "see 'studio --help'."
            ),
        )
    try:
        from studio.ui.app import run_app  # noqa: PLC0415 - Qt loads only when the app opens
    except ImportError as exc:
        raise StudioError(
            tr("the desktop app cannot start: {reason}.").format(reason=exc),
            tr(
                "Install it with 'bash scripts/setup.sh' (or: pip install PySide6-Essentials), "
                "or use the commands in 'studio --help'."
            ),
        ) from exc
    return run_app(
        library_dir=args.library,
        settings_path=args.settings,
        avatar=args.avatar,
        exit_when_ready=args.exit_when_ready or args.screenshot is not None,
        screenshot=args.screenshot,
    )
