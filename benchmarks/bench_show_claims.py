"""What the show editor's claims check costs per key press: one 500-character line, a whole
40-segment show of such lines, and that show re-checked after one key with the remembering checker.

Run: .venv/bin/python benchmarks/bench_show_claims.py

No Qt window is made: this times the checks the editor runs on every edit (``segment_marks``).
"""

from __future__ import annotations

import sys
import timeit
from pathlib import Path

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.compliance import Checker  # noqa: E402
from studio.live.rundown import Segment  # noqa: E402
from studio.ui.show_claims import RememberingChecker, segment_marks  # noqa: E402

FRAME_S = 1 / 60  # one frame of a 60 Hz screen: what a key press may take unnoticed
SEGMENTS = 40
REPEATS = 20


def main() -> None:
    zh = "欢迎来到直播间，这款面霜最近很火，第一次用的朋友也说好，今天下单有礼。" * 8
    en = "This cream is the best in the world and cures acne, popular with first-time buyers. " * 3
    line = zh[:250] + en[:250]
    show = [Segment(f"{line[:-3]}{n:03d}") for n in range(SEGMENTS)]
    plain, remembering = Checker(), RememberingChecker()
    segment_marks(show, True, remembering)  # the show as opened: every line seen once

    one = timeit.timeit(lambda: plain.check(line, looped=True), number=REPEATS) / REPEATS
    whole = timeit.timeit(lambda: segment_marks(show, True, plain), number=5) / 5
    typed = [0]

    def key() -> None:  # one more character in segment 8, then the show re-checked
        typed[0] += 1
        show[7] = Segment(f"{line}{'好' * typed[0]}")
        segment_marks(show, True, remembering)

    after_key = timeit.timeit(key, number=REPEATS) / REPEATS
    print(f"one {len(line)}-character line: {one * 1000:.2f} ms ({one / FRAME_S:.2f} of a 60 Hz frame)")
    frames = whole / FRAME_S
    print(f"{SEGMENTS}-segment show, every line checked: {whole * 1000:.1f} ms ({frames:.1f} frames)")
    print(f"the same show after one key, lines remembered: {after_key * 1000:.2f} ms")
    print(f"ratio: every line / after one key = {whole / after_key:.0f}x")


if __name__ == "__main__":
    main()
