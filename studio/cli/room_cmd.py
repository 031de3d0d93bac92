"""``studio room``: the audience page and moderator console without the app; approved answers printed.

It starts the loopback audience page, prints the viewers' and the moderator's addresses, and prints
each approved answer as the show would speak it (one ``>`` line: the viewer's question, then the
answer). Every question and decision goes to a session log. Ctrl-C (or SIGTERM) stops it cleanly.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.errors import InputError, printable
from studio.translation import tr

if TYPE_CHECKING:
    from studio.room import ModerationQueue
    from studio.room.tiktok import TikTokComments


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "room",
        help=tr("take viewers' questions on a local audience page and approve the answers (no app needed)"),
        description=tr(
            "Start the audience page on 127.0.0.1: viewers post questions, each is answered from the "
            "catalogue's facts, and the moderator page (its address has a random token) approves (Enter), "
            "edits or rejects each answer. Approved answers are printed as the host would speak them. "
            "Every question and decision is written to a session log. Ctrl-C stops it."
        ),
    )
    parser.add_argument("--catalog", type=Path, required=True, metavar="FILE", help=tr("catalog.toml"))
    parser.add_argument(
        "--port", type=int, default=0, metavar="N", help=tr("the page's port on 127.0.0.1 (0: any free one)")
    )
    parser.add_argument(
        "--auto",
        default="",
        metavar="KINDS",
        help=tr(
            "approve these kinds of answer without a person, e.g. price,shipping "
            "(kinds: price, shipping, faq, fact, declined, none)"
        ),
    )
    parser.add_argument(
        "--product", metavar="ID", help=tr("the product on screen, for questions that name none")
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--stdin", action="store_true", help=tr("also take comments from stdin, one a line"))
    source.add_argument(
        "--tail", type=Path, metavar="FILE", help=tr("also take the comments appended to FILE, one a line")
    )
    parser.add_argument(
        "--tiktok",
        metavar="@CREATOR",
        help=tr(
            "also take the comments of this creator's TikTok LIVE room (needs pip install 'studio[tiktok]')"
        ),
    )
    parser.add_argument(
        "--log-dir", type=Path, metavar="DIR", help=tr("the session log's folder (default: Studio's)")
    )
    parser.add_argument("--no-log", action="store_true", help=tr("write no session log"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.commerce import load_catalog
    from studio.compliance.session_log import SessionLog, default_log_dir
    from studio.room import FileTail, LineSource, ModerationQueue, auto_kinds
    from studio.room.server import AudiencePage

    auto = auto_kinds(args.auto)
    if not 0 <= args.port <= 65535:
        raise InputError(
            tr("--port {port} is not a TCP port.").format(port=args.port),
            tr("Use 1 to 65535, or 0 for any free one."),
        )
    catalog = load_catalog(args.catalog)
    tail = FileTail(args.tail) if args.tail else None
    tiktok = None
    if args.tiktok:
        from studio.room.tiktok import TikTokComments

        # A missing extra or a bad name is one line, before anything starts.
        tiktok = TikTokComments(args.tiktok)
    log = None
    if not args.no_log:
        log = SessionLog(args.log_dir or default_log_dir(), "room", str(args.catalog), "room").open()
    try:
        room = ModerationQueue(catalog, auto=auto, log=log.record if log else None, product=args.product)
        page = AudiencePage(room, port=args.port)
        page.start()
        sources: list[Any] = [page]
        try:
            for extra in (tail, tiktok, LineSource(sys.stdin) if args.stdin else None):
                if extra is not None:
                    extra.start(room.submit)
                    sources.append(extra)
            print(tr("Viewers:   {url}").format(url=page.viewer_url))
            print(tr("Moderator: {url}").format(url=page.moderator_url))
            if auto:
                print(tr("Approved without a person: {kinds}").format(kinds=", ".join(sorted(auto))))
            if log is not None:
                print(tr("Session log: {path}").format(path=log.path))
            print(tr("Approved answers follow; Ctrl-C stops."), flush=True)
            _speak(room, tiktok)
        finally:
            for started in reversed(sources):
                started.stop()
    finally:
        if log is not None:
            log.close("stopped")
    return 0


def _speak(room: ModerationQueue, tiktok: TikTokComments | None) -> None:
    """Print approved answers as they come (the live show speaks them instead), until interrupted."""
    told = False
    while True:
        if tiktok is not None and tiktok.problem and not told:
            print(
                printable(tr("studio: {message}").format(message=tiktok.problem)), file=sys.stderr, flush=True
            )
            told = True
        reply = room.next_reply(timeout=0.5)
        if reply is None:
            continue
        print(printable(f"> {reply.caption}"))
        said = tr("{answer}  [{kind}; approved by {by}]").format(
            answer=reply.text, kind=reply.kind, by=reply.by
        )
        print(printable("  " + said), flush=True)
        room.spoken(reply)
