"""The live room over a simulated evening at an accelerated clock: the products change at the
schedule's minutes, every viewer's question is answered, and the session log stays within its
rotation's bound. The real show runs (renderers, eSpeak, room, watchdog, log); only the clock and
the comment source are fakes (``benchmarks/bench_room_24h.py``, which runs the whole day)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

from benchmarks.bench_room_24h import simulate
from studio.compliance.report import build_report
from studio.compliance.session_log import PARTS_KEPT
from studio.live.schedule import Slot

PART_BYTES = 32 * 1024
SLOTS = (Slot(time(20, 0), time(20, 30), ("mug",)), Slot(time(20, 30), time(21, 0), ("lamp",)))


def minutes(day: dict[int, set[str]], start: tuple[int, int], end: tuple[int, int]) -> list[set[str]]:
    return [day.get(m, set()) for m in range(start[0] * 60 + start[1], end[0] * 60 + end[1])]


def test_an_evening_of_the_room_follows_the_schedule_answers_and_bounds_its_log(tmp_path: Path) -> None:
    day = simulate(tmp_path, 1.5, time(19, 45), slots=SLOTS, speed=60.0, every_s=120.0, part_bytes=PART_BYTES)
    assert day.error is None and day.restarts == 0
    # Outside the slots the five products rotate; in each slot only its product is presented. A
    # sentence already made when the slot's minute comes is still said: a minute's grace.
    before, after = minutes(day.said, (19, 45), (20, 0)), minutes(day.said, (21, 1), (21, 15))
    assert set().union(*before) == set().union(*after) == {"mug", "board", "tshirt", "lamp", "stand"}
    mug, lamp = minutes(day.said, (20, 1), (20, 30)), minutes(day.said, (20, 31), (21, 0))
    assert set().union(*mug) == {"mug"} and sum(bool(m) for m in mug) >= 20
    assert set().union(*lamp) == {"lamp"} and sum(bool(m) for m in lamp) >= 20
    assert "mug" in day.said.get(20 * 60, set()) | day.said.get(20 * 60 + 1, set())  # on the minute
    # A question every two simulated minutes: every one answered on air (the last may be cut by the end).
    assert day.asked == 44 and day.answered >= day.asked - 1
    # The log rotated many times and kept only its newest parts, each within its size.
    assert day.parts_written > PARTS_KEPT
    assert len(day.log_parts) == PARTS_KEPT and all(size <= PART_BYTES for _, size in day.log_parts)
    assert not (tmp_path / day.log_parts[0][0].split(".")[0]).with_suffix(".jsonl").exists()
    report = build_report(tmp_path / day.log_parts[-1][0]).text()
    assert f"(+{PARTS_KEPT - 1} parts)" in report and "Products on air" in report
