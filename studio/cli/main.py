"""``studio`` entry point: parses arguments and turns user errors into one-line messages."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence

from studio import __version__
from studio.cli.stop_signals import StopSignal, print_safely, stop_on_signals
from studio.cli.text_width import StudioParser
from studio.errors import StudioError, printable
from studio.settings.app_settings import default_settings_path
from studio.translation import choose_language, settings_language, tr, translate_argparse, use_language

# Commands that SIGTERM and SIGHUP end as Ctrl-C does: a live show finalises its recording,
# a render removes its temporary file. (The app handles its own ending.)
_STOPPABLE = ("live", "render", "room", "batch")


def build_parser() -> argparse.ArgumentParser:
    from studio.cli import (
        app_cmd,
        ask_cmd,
        avatar_cmd,
        batch_cmd,
        bench_cmd,
        catalog_cmd,
        check_cmd,
        devices_cmd,
        label_check_cmd,
        lipsync_cmd,
        live_cmd,
        render_cmd,
        report_cmd,
        room_cmd,
        show_cmd,
        sync_cmd,
        voices_cmd,
    )

    parser = StudioParser(
        prog="studio",
        description=tr(
            "Studio: make a lip-synced, AI-labelled digital twin from a face photo and run it live. "
            "With no command it opens the desktop app."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"studio {__version__}",
        help=tr("show Studio's version and exit"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in (
        app_cmd,
        avatar_cmd,
        render_cmd,
        batch_cmd,
        live_cmd,
        devices_cmd,
        sync_cmd,
        lipsync_cmd,
        voices_cmd,
        check_cmd,
        label_check_cmd,
        report_cmd,
        bench_cmd,
        catalog_cmd,
        show_cmd,
        ask_cmd,
        room_cmd,
    ):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The language first: the parser's help and every message after it are translated.
    use_language(choose_language(settings_language(default_settings_path())))
    translate_argparse()
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    # 'studio' alone opens the app, as double-clicking it would.
    args = parser.parse_args(argv or ["app"])
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    signals = stop_on_signals() if args.command in _STOPPABLE else contextlib.nullcontext()
    try:
        with signals:
            return int(args.handler(args) or 0)
    except StudioError as exc:
        # A message may quote a name, a file or a server's words: show their control characters.
        print_safely(tr("studio: error: {message}").format(message=printable(str(exc))), file=sys.stderr)
        return exc.exit_code
    except StopSignal as exc:
        # After a hangup the terminal is gone: a failed print must not turn a clean stop into 1.
        print_safely(
            tr("studio: stopped by {signal}; nothing was left half-written.").format(signal=exc.name),
            file=sys.stderr,
        )
        return 128 + exc.signum
    except KeyboardInterrupt:
        print_safely(tr("studio: interrupted; nothing was left half-written."), file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
