"""``studio report LOG``: a show's session log as a one-page summary for compliance review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.errors import InputError
from studio.translation import tr


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help=tr("summarise a show's session log for compliance review"),
        description=tr(
            "Summarise a session log (any part of a rotated set: the others are read with it): the "
            "show, the avatar's consent, what was said and by which voice, claim overrides, the AI "
            "labels, the outputs, warnings and late frames. 'studio live' and 'studio render' print "
            "where their log went."
        ),
    )
    parser.add_argument("log", type=Path, metavar="LOG", help=tr("a session log (.jsonl)"))
    parser.add_argument("--html", type=Path, metavar="FILE", help=tr("also write the report as an HTML page"))
    parser.add_argument(
        "--plot", type=Path, metavar="FILE",
        help=tr("also plot late frames over time (and the watchdog's restarts): .png, .svg or .html"),
    )  # fmt: skip
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.compliance.report import build_report
    from studio.compliance.report_plot import SUFFIXES, late_plot, write_plot
    from studio.storage.atomic import atomic_write_bytes

    if args.html is not None and args.html.suffix.lower() not in (".html", ".htm"):
        raise InputError(
            tr("--html {path} must end in .html.").format(path=args.html), tr("Name it e.g. report.html.")
        )
    if args.plot is not None and args.plot.suffix.lower() not in SUFFIXES:
        raise InputError(
            tr("--plot {path} must end in .png, .svg or .html.").format(path=args.plot),
            tr("Name it e.g. late-frames.png."),
        )
    report = build_report(args.log)
    sys.stdout.write(report.text())
    if args.html is not None:
        try:
            atomic_write_bytes(args.html, report.html().encode("utf-8"))
        except OSError as exc:
            raise InputError(
                tr("cannot write {path} ({reason}).").format(path=args.html, reason=exc.strerror or exc),
                tr("Choose a writable folder for --html."),
            ) from None
        print(tr("studio: report written to {path}").format(path=args.html), file=sys.stderr)
    if args.plot is not None:
        write_plot(late_plot(args.log), args.plot)
        print(tr("studio: late frames plotted in {path}").format(path=args.plot), file=sys.stderr)
    return 0
