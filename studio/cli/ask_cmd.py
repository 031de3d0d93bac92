"""``studio ask``: answer a viewer's question from the product catalogue's facts only."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from studio.errors import InputError, StudioError, printable
from studio.translation import tr


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "ask",
        help=tr("answer a viewer's question from the catalogue's facts (the answer is the last line)"),
        description=tr(
            "Answer a viewer's question as the host would, only from the catalogue's facts, FAQ and "
            "prices, in the question's language (English or Chinese). When nothing in the catalogue "
            "answers it, the host says it will check; health and safety questions get no answer beyond "
            "the facts. The answer is the last line printed."
        ),
    )
    parser.add_argument(
        "question", metavar="QUESTION", help=tr('the question, e.g. "how long does it keep coffee hot?"')
    )
    parser.add_argument("--catalog", type=Path, required=True, metavar="FILE", help=tr("catalog.toml"))
    parser.add_argument(
        "--product", metavar="ID", help=tr("the product on screen, when the question names none")
    )
    parser.add_argument(
        "--llm",
        metavar="URL",
        help=tr(
            "word the answer with an OpenAI-compatible server (e.g. http://127.0.0.1:8080); its words are "
            "used only if every number in them is in the facts and they pass the claims checker"
        ),
    )
    parser.add_argument(
        "--llm-model", default="local", metavar="NAME", help=tr("the model to ask for (default: local)")
    )
    parser.add_argument(
        "--llm-timeout", type=float, default=10.0, metavar="S", help=tr("seconds to wait for it (default 10)")
    )
    parser.add_argument("--json", action="store_true", help=tr("print the answer with its facts as JSON"))
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from studio.commerce import load_catalog
    from studio.commerce.answer import MAX_QUESTION_CHARS, answer

    question = " ".join(str(args.question).split())
    if not question:
        raise InputError(
            tr("the question is empty."), tr('Give it in quotes: studio ask --catalog FILE "…".')
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise InputError(
            tr("the question is {length} characters; at most {limit}.").format(
                length=len(question), limit=MAX_QUESTION_CHARS
            ),
            tr("Ask one thing at a time."),
        )
    if not 0 < args.llm_timeout <= 120:
        raise InputError(
            tr("--llm-timeout must be from 0 to 120 seconds."), tr("For example --llm-timeout 10.")
        )
    if args.llm:
        from studio.commerce.phrasing import endpoint

        endpoint(args.llm)  # a malformed address is bad input, whether or not it gets asked
    catalog = load_catalog(args.catalog)
    if args.product:
        catalog.product(args.product)  # an unknown id is one clear line, before anything is said
    result = answer(catalog, question, args.product)
    note = ""
    if args.llm:
        from studio.commerce.phrasing import phrase

        try:
            result, why = phrase(result, question, args.llm, args.llm_model, args.llm_timeout)
        except StudioError as exc:  # unreachable, timed out: the catalogue's words are still right
            why = exc.problem.rstrip(".。")  # it goes inside the parentheses
        if why and result.answered:
            note = tr(
                "studio: the language model's words were not used ({why}); the catalogue's words are."
            ).format(why=why)
    if note:
        print(printable(note), file=sys.stderr)
    if args.json:
        json.dump(asdict(result), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    sources = ", ".join(result.sources) or "no fact"
    print(  # untranslated: a tag line of identifiers (kind; fact ids; confidence; phraser) scripts read
        printable(
            f"[{result.kind}; {sources}; confidence {result.confidence:.2f}; worded by {result.phrasing}]"
        )
    )
    print(printable(result.text))
    return 0
