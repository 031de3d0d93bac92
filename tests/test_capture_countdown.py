"""The capture countdown, driven with explicit times."""

from __future__ import annotations

import pytest

from studio.capture.countdown import Countdown, Phase


def test_counts_down_then_captures_once():
    countdown = Countdown(seconds=3)
    assert countdown.update(10.0, True).seconds_left == 3
    assert countdown.update(10.0, True).phase is Phase.COUNTING
    assert countdown.update(10.9, True).seconds_left == 3
    assert countdown.update(11.2, True).seconds_left == 2
    assert countdown.update(12.5, True).seconds_left == 1
    state = countdown.update(13.0, True)
    assert state.phase is Phase.CAPTURE and state.capture_now
    assert countdown.update(13.1, True).phase is Phase.DONE
    assert countdown.update(20.0, False).phase is Phase.DONE


def test_waits_while_checks_fail():
    countdown = Countdown(seconds=3)
    for t in (0.0, 1.0, 5.0):
        state = countdown.update(t, False)
        assert state.phase is Phase.WAITING and not state.capture_now
    assert countdown.update(6.0, True).phase is Phase.COUNTING
    assert countdown.update(9.0, True).phase is Phase.CAPTURE


def test_failing_check_restarts_the_count():
    countdown = Countdown(seconds=3)
    countdown.update(0.0, True)
    assert countdown.update(2.5, True).seconds_left == 1
    assert countdown.update(2.6, False).phase is Phase.WAITING
    # Counting again from the full time, from the moment the checks pass again.
    assert countdown.update(4.0, True).seconds_left == 3
    assert countdown.update(6.9, True).phase is Phase.COUNTING
    assert countdown.update(7.0, True).phase is Phase.CAPTURE


def test_reset_allows_another_capture():
    countdown = Countdown(seconds=1)
    countdown.update(0.0, True)
    assert countdown.update(1.0, True).phase is Phase.CAPTURE
    countdown.reset()
    assert countdown.update(5.0, True).phase is Phase.COUNTING
    assert countdown.update(6.0, True).phase is Phase.CAPTURE


def test_zero_seconds_captures_at_once_and_negative_is_refused():
    assert Countdown(0).update(0.0, True).phase is Phase.CAPTURE
    with pytest.raises(ValueError):
        Countdown(-1)
