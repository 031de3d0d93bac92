"""Precision and recall of the prohibited-claims checker on the labelled set, per class and overall
(pos: lines labelled with the class).

Run: .venv/bin/python benchmarks/bench_claims.py [--set tests/data/claims/labelled.tsv] [--misses]

Each line of the set is checked as a looping live show would speak it; "overall" asks only
whether a line is flagged at all. --misses lists the lines where the classes found differ
from the label.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.compliance import Checker, default_rules  # noqa: E402
from studio.compliance.evaluate import read_labelled, score  # noqa: E402

DEFAULT_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "claims" / "labelled.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    rows = read_labelled(args.set)
    langs = {lang: sum(r.lang == lang for r in rows) for lang in ("zh", "en")}
    print(
        f"set: {args.set.name}, {len(rows)} lines ({langs['zh']} zh, {langs['en']} en); "
        f"rules {default_rules().version}"
    )
    print(f"{'':14} {'lang':4} {'pos':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
    for lang in ("all", "zh", "en"):
        subset = [r for r in rows if lang in ("all", r.lang)]
        scores = score(subset, Checker())
        for name, counts in [*scores.per_class.items(), ("overall", scores.overall)]:
            positives = counts.tp + counts.fn
            print(
                f"{name:14} {lang:4} {positives:5} {counts.tp:4} {counts.fp:4} {counts.fn:4} "
                f"{counts.precision:9.3f} {counts.recall:7.3f}"
            )
        if lang == "all":
            checker, start = Checker(), time.perf_counter()
            for _ in range(5):
                for row in rows:
                    checker.check(row.text, looped=True)
            per_line = (time.perf_counter() - start) / (5 * len(rows))
            print(f"{'speed':14} {lang:4} {per_line * 1e6:.0f} us a line ({1 / per_line:,.0f} lines/s)")
        if args.misses and lang == "all":
            for row, predicted in scores.misses:
                label = ",".join(sorted(row.classes)) or "none"
                print(f"  miss: label={label} found={','.join(sorted(predicted)) or 'none'}: {row.text}")


if __name__ == "__main__":
    main()
