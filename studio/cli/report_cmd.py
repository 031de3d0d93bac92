"""``studio report LOG``: a show's session log as a one-page summary for compliance review."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.errors import InputError


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "report",
        help="summarise a show's session log for compliance review",
        description=(
            "Summarise a session log (any part of a rotated set: the others are read with it): the "
            "show, the avatar's consent, what was said and by which voice, claim overrides, the AI "
            "labels, the outputs, warnings and late frames. 'studio live' and 'studio render' print "
            "where their log went."
        ),
    )
    parser.add_argument("log", type=Path, metavar="LOG", help="a session log (.jsonl)")
    parser.add_argument("--html", type=Path, metavar="FILE", help="also write the report as an HTML page")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.compliance.report import build_report
    from studio.storage.atomic import atomic_write_bytes

    if args.html is not None and args.html.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--html {args.html} must end in .html.", "Name it e.g. report.html.")
    report = build_report(args.log)
    sys.stdout.write(report.text())
    if args.html is not None:
        try:
            atomic_write_bytes(args.html, report.html().encode("utf-8"))
        except OSError as exc:
            raise InputError(
                f"cannot write {args.html} ({exc.strerror or exc}).", "Choose a writable folder for --html."
            ) from None
        print(f"studio: report written to {args.html}", file=sys.stderr)
    return 0
