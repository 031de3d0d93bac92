"""``studio check``: find prohibited claims in a script, a rundown or a line of text, like a linter."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.errors import InputError, printable
from studio.translation import tr

if TYPE_CHECKING:
    from studio.compliance import Checker, Finding, Override

    Found = list[tuple[Finding, Override | None]]


def _fix() -> str:
    return tr('Give a script (.txt), a rundown (.toml) or --text "…".')


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help=tr("find prohibited claims (absolute, medical, guaranteed, false urgency, impersonation)"),
        description=tr(
            "Check what the avatar will say for claims that advertising law prohibits, in Chinese and "
            "English. Prints FILE:LINE:COL: RULE-ID message (suggestion) per finding; exits 1 when "
            "something is flagged, 0 when clean, 2 for bad input."
        ),
    )
    parser.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help=tr("a script (text) or rundown (.toml)")
    )
    parser.add_argument("--text", metavar="TEXT", help=tr("check this text instead of a file"))
    parser.add_argument(
        "--lang",
        choices=("auto", "zh", "en"),
        default="auto",
        help=tr("which language's rules to apply (default: auto, both)"),
    )
    parser.add_argument(
        "--rules",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help=tr("a rule file of your own (rules, allow-list, disabled rules); may be repeated"),
    )
    parser.add_argument("--json", action="store_true", help=tr("print the findings as JSON"))
    parser.add_argument("--list-rules", action="store_true", help=tr("list the rules in force and exit"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.compliance import Checker, load_rules

    rules = load_rules(args.rules)
    checker = Checker(rules, args.lang)
    if args.list_rules:
        for rule in rules.rules:
            print(
                f"{rule.id}\t{rule.klass}\t{rule.language}\t{rule.scope}\t{rule.shown_message}\t[{rule.source}]"
            )
        return 0
    if (args.file is None) == (args.text is None):
        raise InputError(tr("studio check needs exactly one of FILE or --text."), _fix())
    if args.text is not None:
        name, findings = "<text>", _check_text(args.text, checker)
    else:
        name, findings = str(args.file), _check_file(args.file, checker)
    flagged = [f for f, override in findings if override is None]
    if args.json:
        rows = [dict(f.as_json(), file=name, override=o.as_json() if o else None) for f, o in findings]
        json.dump(
            {"rules_version": rules.version, "flagged": len(flagged), "findings": rows},
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
    else:
        for finding, override in findings:
            note = ""
            if override:
                note = tr(" [overridden by {by} at {at}]").format(by=override.by, at=override.at.isoformat())
            print(printable(f"{name}:{finding.line}:{finding.col}: {finding.describe()}{note}"))
    return 1 if flagged else 0


def _check_text(text: str, checker: Checker) -> Found:
    from studio.compliance import check_script

    return [(f, None) for f in check_script(text, checker)]


def _check_file(path: Path, checker: Checker) -> Found:
    from studio.compliance import check_segments, place_in_toml
    from studio.live.rundown import parse_rundown
    from studio.storage.text_file import parse_toml, read_text

    text = read_text(path, tr("the file"), "FILE")
    if path.suffix.lower() != ".toml":
        return _check_text(text, checker)
    source = tr("rundown {path}").format(path=path)
    rundown = parse_rundown(parse_toml(text, source, tr("rundown"), _fix()), str(path))
    out: Found = []
    for number, finding in check_segments(
        [(s.text, s.repeat) for s in rundown.segments], rundown.loop, checker
    ):
        segment = rundown.segments[number - 1]
        override = next((o for o in segment.overrides if o.covers(finding)), None)
        out.append((place_in_toml(text, number, segment.text, finding), override))
    return out
