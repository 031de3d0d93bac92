"""Recording the consent statement from a microphone (FileMicrophone playing real speech)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from studio.avatar.create import default_consent_statement
from studio.capture import consent_audio
from studio.capture.consent_audio import check_recording, reading_seconds, record_consent
from studio.errors import InputError
from studio.outputs.file_microphone import FileMicrophone
from studio.tasks import Cancelled, CancelToken, no_progress

pytest_plugins = ["capture_fixtures"]


def test_records_the_speech(consent_speech):
    audio, rate = consent_speech
    calls: list[tuple[float, str]] = []
    got = record_consent(
        FileMicrophone(audio, rate, block=441), 1.2, lambda f, m: calls.append((f, m)), CancelToken()
    )
    assert got.dtype == np.float32 and len(got) == int(1.2 * rate)
    # The microphone's samples, in order, from the start of the speech.
    assert np.array_equal(got, audio[: len(got)])
    assert np.abs(got).max() > 0.1
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any(m.startswith("Recording:") for _, m in calls)


def test_stop_keeps_what_was_recorded(consent_speech):
    audio, rate = consent_speech
    stop = threading.Event()
    timer = threading.Timer(1.3, stop.set)
    timer.start()
    try:
        got = record_consent(FileMicrophone(audio, rate), 30.0, no_progress, CancelToken(), stop=stop)
    finally:
        timer.join()
    assert 1.1 * rate < len(got) < 2.0 * rate


def test_silence_is_refused():
    mic = FileMicrophone(np.random.default_rng(0).normal(0, 1e-4, 48000).astype(np.float32), 48000)
    with pytest.raises(
        InputError, match=r"the consent recording is silent \(loudest sound -\d+ dBFS\)"
    ) as info:
        record_consent(mic, 1.0, no_progress, CancelToken())
    assert "not muted" in info.value.hint


def test_cancel_keeps_nothing_and_closes_the_microphone(consent_speech):
    audio, rate = consent_speech
    token = CancelToken()
    mic = FileMicrophone(audio, rate)

    def progress(fraction: float, _message: str) -> None:
        if fraction > 0.1:
            token.cancel()

    with pytest.raises(Cancelled, match="the consent recording was cancelled"):
        record_consent(mic, 3.0, progress, token)
    assert mic._thread is None  # closed (and joined)


def test_a_microphone_that_gives_nothing(monkeypatch):
    monkeypatch.setattr(consent_audio, "FIRST_SOUND_S", 0.3)
    mic = FileMicrophone(np.zeros(10, np.float32), 48000)  # shorter than one block: no blocks
    with pytest.raises(InputError, match="the microphone delivers no sound"):
        record_consent(mic, 5.0, no_progress, CancelToken())


def test_check_recording_limits(consent_speech):
    audio, rate = consent_speech
    check_recording(audio, rate)
    with pytest.raises(InputError, match="only 0.5 s long"):
        check_recording(audio[: rate // 2], rate)
    with pytest.raises(InputError, match="silent"):
        check_recording(audio * 0.01, rate)


def test_reading_time_of_the_standard_statement():
    # 40-odd words: about 20 s at an unhurried pace, with a margin.
    assert 15.0 < reading_seconds(default_consent_statement("Ana Lima")) < 30.0
    assert reading_seconds("Yes.") == 5.0
