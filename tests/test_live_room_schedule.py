"""The rundown's day: slots choose which products' segments are said at a time of day (midnight
included), the rest of the day rotates, and the file says so in a form people can write."""

from __future__ import annotations

import tomllib
from datetime import time

import pytest

from studio.errors import InputError
from studio.live.rundown import Rundown, Segment, format_rundown, parse_rundown
from studio.live.schedule import Slot, segments_at

PRODUCTS = ["mug", "mug", "board", "lamp", None]
TEXT = """
version = 1

[[slot]]
from = "20:00"
to = "22:00"
products = ["mug"]

[[slot]]
from = "23:30"
to = "01:15"
products = ["board", "lamp"]

[[segment]]
text = "Our travel mug."
product = "mug"
[[segment]]
text = "It keeps drinks hot."
product = "mug"
[[segment]]
text = "A bamboo board."
product = "board"
[[segment]]
text = "A reading lamp."
product = "lamp"
[[segment]]
text = "Thanks for watching."
"""


@pytest.fixture
def rundown() -> Rundown:
    return parse_rundown(tomllib.loads(TEXT), "day.toml")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (time(19, 59), [1, 2, 3, 4, 5]),  # before the slot: everything rotates
        (time(20, 0), [1, 2]),  # the slot starts on its minute
        (time(21, 59), [1, 2]),
        (time(22, 0), [1, 2, 3, 4, 5]),  # and ends on its minute
        (time(23, 30), [3, 4]),  # a slot across midnight…
        (time(0, 0), [3, 4]),
        (time(1, 14), [3, 4]),
        (time(1, 15), [1, 2, 3, 4, 5]),  # …ends the next morning
        (time(12, 0), [1, 2, 3, 4, 5]),
    ],
)
def test_the_slot_covering_the_time_chooses_the_segments(
    rundown: Rundown, now: time, expected: list[int]
) -> None:
    assert segments_at(PRODUCTS, rundown.slots, now) == expected


def test_a_slot_from_a_time_to_the_same_time_is_all_day() -> None:
    whole_day = (Slot(time(6, 0), time(6, 0), ("lamp",)),)
    assert all(segments_at(PRODUCTS, whole_day, time(h, 30)) == [4] for h in range(24))


def test_a_day_at_an_accelerated_clock_follows_the_schedule(rundown: Rundown) -> None:
    minutes = [18 * 60]  # the show starts at 18:00; each sentence takes 7 minutes of this clock

    def clock() -> time:
        return time(minutes[0] // 60 % 24, minutes[0] % 60)

    said: dict[int, set[str]] = {}
    lines = rundown.lines(clock)
    while minutes[0] < 18 * 60 + 24 * 60:
        line = next(lines)
        said.setdefault(clock().hour, set()).add(line.text)
        minutes[0] += 7
    assert said[20] == said[21] == {"Our travel mug.", "It keeps drinks hot."}
    assert said[0] == {"A bamboo board.", "A reading lamp."}
    for hour in (18, 19, 2, 12, 17):  # outside the slots everything rotates
        assert len(said[hour]) >= 4 and "Thanks for watching." in said[hour]
    # Around 22:00 a line or two of the mug may still finish; from 22:10 the rotation is back.
    assert "Thanks for watching." in said[22] and "A bamboo board." in said[22]


def test_slots_are_written_back_as_they_were_read(rundown: Rundown) -> None:
    again = parse_rundown(tomllib.loads(format_rundown(rundown)), "day.toml")
    assert again.slots == rundown.slots and again.segments == rundown.segments


@pytest.mark.parametrize(
    ("slot", "problem"),
    [
        ('from = "25:00"\nto = "22:00"\nproducts = ["mug"]', "'from' must be a time of day"),
        ('from = "20:00"\nto = "22:00"\nproducts = ["kettle"]', "names kettle, which no segment presents"),
        ('from = "20:00"\nto = "22:00"\nproducts = []', "'products' must list product ids"),
        ('from = "20:00"\nto = "22:00"\nproducts = ["mug"]\nday = "monday"', "only from, to and products"),
    ],
)
def test_a_bad_slot_is_one_line(slot: str, problem: str) -> None:
    text = f'version = 1\n[[slot]]\n{slot}\n[[segment]]\ntext = "Our mug."\nproduct = "mug"\n'
    with pytest.raises(InputError, match=problem):
        parse_rundown(tomllib.loads(text), "day.toml")


def test_a_schedule_whose_segments_say_nothing_now_still_speaks() -> None:
    # Built in code, not read: a slot for a product with no segment must not silence the show.
    rundown = Rundown((Segment("Hello.", product="mug"),), slots=(Slot(time(0, 0), time(0, 0), ("lamp",)),))
    lines = rundown.lines(lambda: time(12, 0))
    assert [next(lines).text for _ in range(3)] == ["Hello.", "Hello.", "Hello."]
