"""Answer accuracy and invented facts of `studio ask` on the labelled viewer questions.

Run: .venv/bin/python benchmarks/bench_ask.py [--catalog assets/demo_catalog/catalog.toml]
     [--set assets/demo_catalog/questions.tsv] [--misses]

Accuracy per split (dev: used while writing the synonym table; test: not), per language and per
kind of question (answerable, no answer in the catalogue, health or safety). "Invented" counts
answers that state a number or a fact the catalogue does not; it must be 0. "Health answered"
counts health or safety questions labelled declined that got an answer anyway; it must be 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.commerce import load_catalog  # noqa: E402
from studio.commerce.evaluate import accuracy, read_questions, score  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", type=Path, default=DEMO / "catalog.toml")
    parser.add_argument("--set", type=Path, default=DEMO / "questions.tsv")
    parser.add_argument("--misses", action="store_true", help="list the questions answered wrong")
    args = parser.parse_args()
    catalog = load_catalog(args.catalog)
    questions = read_questions(args.set)
    start = time.perf_counter()
    results = score(catalog, questions)
    per_question = (time.perf_counter() - start) / len(questions)
    print(f"set: {args.set.name}, {len(questions)} questions; catalogue: {len(catalog.products)} products")
    print(f"{'subset':28} {'n':>4} {'right':>5} {'accuracy':>8}")
    groups = {
        "all": results,
        **{f"split {s}": [r for r in results if r.question.split == s] for s in ("dev", "test")},
        **{f"lang {lang}": [r for r in results if r.question.lang == lang] for lang in ("en", "zh")},
        "answerable": [r for r in results if r.question.expect[0] not in ("none", "declined")],
        "no answer in the catalogue": [r for r in results if r.question.expect[0] == "none"],
        "health or safety": [r for r in results if r.question.expect[0] == "declined"],
    }
    for name, subset in groups.items():
        right = sum(r.correct for r in subset)
        print(f"{name:28} {len(subset):4} {right:5} {accuracy(subset):8.3f}")
    invented = [r for r in results if r.invented]
    answered_health = [r for r in groups["health or safety"] if r.answer.answered]
    wrong_answers = [r for r in results if not r.correct and r.answer.answered]
    print(
        f"invented facts: {len(invented)} of {len(results)} answers "
        f"({1 - len(invented) / len(results):.3f} clean)"
    )
    print(f"health questions answered beyond the facts: {len(answered_health)}")
    print(f"wrong but answered (a real fact, not the one asked for): {len(wrong_answers)}")
    print(f"speed: {per_question * 1e3:.2f} ms a question")
    for r in invented:
        print(f"  invented: {r.invented}: {r.question.text}")
    if args.misses:
        for r in results:
            if not r.correct:
                got = ",".join(r.answer.sources) or r.answer.kind
                print(
                    f"  miss [{r.question.split} {r.question.lang}] want {','.join(r.question.expect)}, "
                    f"got {got} ({r.answer.confidence:.2f}): {r.question.text}"
                )


if __name__ == "__main__":
    main()
