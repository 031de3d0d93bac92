"""The phoneme driver's coarticulation and the energy baseline, on made-up and real speech."""

from __future__ import annotations

import shutil
import subprocess
import wave
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from studio.lipsync.energy_driver import EnergyDriver, frame_centres, frame_rms
from studio.lipsync.mouth import CLOSE, JAW, ROUND, TUCK, LipSyncDriver, MouthTrack
from studio.lipsync.phoneme_driver import PhonemeDriver
from studio.media.clock import frame_time
from studio.voice.base import PhonemeTiming as P
from studio.voice.base import Speech, WordTiming

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
SR = 16000


def speech(phonemes: list[P] | None, seconds: float = 2.0, **kw: object) -> Speech:
    return Speech(np.zeros(int(seconds * SR), np.float32), SR, phonemes, **kw)  # type: ignore[arg-type]


def frames_in(track: MouthTrack, start: float, end: float) -> np.ndarray:
    centres = frame_centres(track.fps, len(track))
    return track.values[(centres >= start) & (centres < end)]


MAMA = [
    P("", 0.0, 0.3),
    P("m", 0.3, 0.38),
    P("ˈɑː", 0.38, 0.56),
    P("m", 0.56, 0.64),
    P("ɐ", 0.64, 0.8),
    P("", 0.8, 1.4),
]


@pytest.mark.parametrize("fps", [Fraction(25), Fraction(30), Fraction(30000, 1001), Fraction(60)])
def test_mama_closes_for_each_m_and_opens_for_each_a(fps: Fraction) -> None:
    track = PhonemeDriver().drive(speech(MAMA), fps, 45)
    for ph in MAMA:
        inside = frames_in(track, ph.start, ph.end)
        if ph.phoneme == "m":
            assert inside[:, CLOSE].max() >= 0.95
        elif ph.phoneme:
            assert inside[:, JAW].max() > 0.5 and inside[:, CLOSE].min() < 0.3
    # the long pause after the word rests closed
    rest = frames_in(track, 1.0, 1.4)
    assert np.all(rest[:, JAW] < 0.02) and np.allclose(rest[:, CLOSE], 0.3, atol=0.02)


def test_track_length_and_dtype() -> None:
    driver = PhonemeDriver()
    for fps, n in [(Fraction(30), 42), (Fraction(25), 35), (Fraction(30), 200), (Fraction(25), 0)]:
        track = driver.drive(speech(MAMA), fps, n)
        assert len(track) == n and track.values.shape == (n, 5)
        assert track.values.dtype == np.float32 and track.fps == fps
    with pytest.raises(ValueError):
        driver.drive(speech(MAMA), Fraction(30), -1)


def test_frames_are_sampled_at_their_centres() -> None:
    centres = frame_centres(Fraction(30000, 1001), 100)
    expected = [frame_time(i, Fraction(30000, 1001)) + 0.5 * 1001 / 30000 for i in range(100)]
    assert np.allclose(centres, expected)


def random_utterance(rng: np.random.Generator) -> list[P]:
    phones = ["p", "b", "m", "a", "iː", "uː", "t", "s", "f", "oʊ", "k", "ɹ", "aɪ", "", "h", "ə"]
    out, t = [], 0.0
    for _ in range(60):
        duration = float(rng.uniform(0.02, 0.2))
        out.append(P(str(rng.choice(phones)), t, t + duration))
        t += duration
    return out


@pytest.mark.parametrize("fps", [Fraction(24), Fraction(25), Fraction(30), Fraction(60)])
def test_every_bilabial_lasting_a_frame_closes_and_nothing_snaps(fps: Fraction) -> None:
    rng = np.random.default_rng(int(fps))
    driver = PhonemeDriver()
    for _ in range(10):
        phonemes = random_utterance(rng)
        n = int(phonemes[-1].end * fps) + 10
        track = driver.drive(speech(phonemes, phonemes[-1].end), fps, n)
        step = np.abs(np.diff(track.values, axis=0))
        assert step.max() <= driver.max_speed / float(fps) + 1e-5
        for ph in phonemes:
            if ph.phoneme in ("p", "b", "m") and ph.end - ph.start >= 1 / float(fps):
                assert frames_in(track, ph.start, ph.end)[:, CLOSE].max() >= 0.95, ph


def test_labiodentals_tuck_the_lower_lip() -> None:
    phonemes = [P("", 0, 0.3), P("f", 0.3, 0.4), P("ɪ", 0.4, 0.6), P("", 0.6, 1.0)]
    track = PhonemeDriver().drive(speech(phonemes, 1.0), Fraction(30), 30)
    assert frames_in(track, 0.3, 0.4)[:, TUCK].max() >= 0.9
    assert frames_in(track, 0.8, 1.0)[:, TUCK].max() < 0.05


def test_lips_round_before_the_u_sounds() -> None:
    # "see two": the lips are already rounding during the t, before u's acoustic onset
    u_onset = 0.62
    phonemes = [
        P("", 0, 0.3), P("s", 0.3, 0.4), P("iː", 0.4, 0.55), P("t", 0.55, u_onset),
        P("uː", u_onset, 0.9), P("", 0.9, 1.5),
    ]  # fmt: skip
    track = PhonemeDriver().drive(speech(phonemes, 1.5), Fraction(60), 90)
    early = frames_in(track, 0.42, 0.5)[:, ROUND]
    before = frames_in(track, u_onset - 0.05, u_onset)[:, ROUND]
    assert early.max() < 0.1 and before.min() > 0.3
    # ... and for a vowel straight after a vowel, the move starts before the boundary too
    phonemes = [P("", 0, 0.3), P("iː", 0.3, 0.6), P("uː", 0.6, 0.9), P("", 0.9, 1.5)]
    track = PhonemeDriver().drive(speech(phonemes, 1.5), Fraction(60), 90)
    assert frames_in(track, 0.45, 0.5)[:, ROUND].max() < 0.05
    assert frames_in(track, 0.58, 0.6)[:, ROUND].min() > 0.1


def test_bilabial_is_shut_at_its_acoustic_onset() -> None:
    phonemes = [P("", 0, 0.3), P("a", 0.3, 0.5), P("b", 0.5, 0.6), P("a", 0.6, 0.8)]
    track = PhonemeDriver().drive(speech(phonemes, 1.2), Fraction(100), 120)
    assert frames_in(track, 0.5, 0.51)[0, CLOSE] >= 0.95
    assert frames_in(track, 0.44, 0.45)[0, CLOSE] < 0.9  # the approach is visible


def test_short_vowels_undershoot_instead_of_snapping() -> None:
    def peak_jaw(vowel_duration: float) -> float:
        end = 0.4 + vowel_duration
        phonemes = [P("", 0, 0.3), P("t", 0.3, 0.4), P("a", 0.4, end), P("t", end, end + 0.1)]
        track = PhonemeDriver().drive(speech(phonemes, 1.5), Fraction(30), 45)
        return float(track.values[:, JAW].max())

    short, long = peak_jaw(0.04), peak_jaw(0.25)
    assert long > 0.7 and 0.2 < short < long - 0.15


def test_short_pause_relaxes_partway_long_pause_rests() -> None:
    def mid_pause(length: float) -> np.ndarray:
        phonemes = [P("a", 0.2, 0.5), P("", 0.5, 0.5 + length), P("a", 0.5 + length, 1.0 + length)]
        track = PhonemeDriver().drive(speech(phonemes, 2.0), Fraction(100), 200)
        return track.values[int((0.5 + length / 2) * 100)]

    assert mid_pause(0.08)[JAW] > 0.2
    rest = mid_pause(0.5)
    assert rest[JAW] < 0.02 and abs(rest[CLOSE] - 0.3) < 0.02


def test_words_with_a_phonemizer_estimate_phonemes() -> None:
    calls: list[tuple[str, str]] = []

    def phonemize(text: str, language: str) -> list[str]:
        calls.append((text, language))
        return {"mama": ["mˈɑːmɐ"], "moo": ["m", "uː"]}[text]

    words = [WordTiming("mama", 0.3, 0.9), WordTiming("moo", 1.2, 1.6)]
    s = speech(None, 2.0, words=words, meta={"language": "en-gb"})
    track = PhonemeDriver(phonemize).drive(s, Fraction(30), 60)
    assert calls == [("mama", "en-gb"), ("moo", "en-gb")]
    # mama spread evenly: m 0.3-0.45, ɑ 0.45-0.6, m 0.6-0.75, ɐ 0.75-0.9
    assert frames_in(track, 0.3, 0.45)[:, CLOSE].max() >= 0.95
    assert frames_in(track, 0.45, 0.6)[:, JAW].max() > 0.5
    assert frames_in(track, 1.4, 1.6)[:, ROUND].max() > 0.8
    assert frames_in(track, 0.95, 1.15)[:, JAW].max() < 0.3  # the gap between words


class Spy:
    name = "spy"

    def __init__(self) -> None:
        self.called = False

    def drive(self, speech: Speech, fps: Fraction, num_frames: int) -> MouthTrack:
        self.called = True
        return EnergyDriver().drive(speech, fps, num_frames)


def test_without_timings_falls_back_to_the_energy_driver() -> None:
    rng = np.random.default_rng(1)
    audio = (0.3 * rng.standard_normal(SR) * (np.arange(SR) > SR // 2)).astype(np.float32)
    s = Speech(audio, SR, None, words=[WordTiming("hi", 0.5, 1.0)])
    expected = EnergyDriver().drive(s, Fraction(25), 25).values
    assert np.array_equal(PhonemeDriver().drive(s, Fraction(25), 25).values, expected)
    spy = Spy()
    driver: LipSyncDriver = PhonemeDriver(fallback=spy)
    driver.drive(s, Fraction(25), 25)
    assert spy.called and driver.name == "phonemes"


def test_energy_driver_is_closed_in_silence_and_open_in_sound() -> None:
    rng = np.random.default_rng(2)
    audio = np.zeros(2 * SR, np.float32)
    audio[SR // 2 : SR] = 0.2 * rng.standard_normal(SR // 2)
    audio += 1e-4 * rng.standard_normal(2 * SR).astype(np.float32)  # hiss below the gate
    track = EnergyDriver().drive(Speech(audio, SR), Fraction(30), 60)
    assert len(track) == 60
    silent = np.r_[track.values[:10], track.values[40:]]
    assert np.all(silent[:, JAW] < 0.01) and np.allclose(silent[:, CLOSE], 0.3, atol=0.01)
    assert frames_in(track, 0.6, 0.9)[:, JAW].min() > 0.3
    assert np.abs(np.diff(track.values, axis=0)).max() <= 10.0 / 30 + 1e-5
    zero = EnergyDriver().drive(Speech(np.zeros(SR, np.float32), SR), Fraction(25), 30)
    assert np.all(zero.values[:, JAW] == 0) and len(zero) == 30


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data.astype(np.float32) / 32768.0, w.getframerate()


@needs_espeak
@pytest.mark.parametrize("fps", [Fraction(25), Fraction(30)])
def test_energy_jaw_follows_the_envelope_of_real_speech(tmp_path: Path, fps: Fraction) -> None:
    wav = tmp_path / "speech.wav"
    text = "Hello there. Lip sync needs the mouth to open on loud vowels and shut in pauses."
    subprocess.run(["espeak-ng", "-w", str(wav), text], check=True, timeout=60)
    audio, rate = read_wav(wav)
    n = int(len(audio) / rate * fps)
    track = EnergyDriver().drive(Speech(audio, rate), fps, n)
    assert len(track) == n
    # The envelope, measured independently: plain RMS over each frame's own interval.
    bounds = [round(i * rate / fps) for i in range(n + 1)]
    envelope = np.array(
        [np.sqrt(np.mean(audio[a:b] ** 2)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    )
    r = np.corrcoef(track.values[:, JAW], envelope)[0, 1]
    assert r > 0.7, r
    quiet = envelope < 0.01 * envelope.max()
    assert quiet.any() and np.median(track.values[quiet, JAW]) < 0.05


@needs_espeak
def test_phoneme_driver_on_espeak_phonemes_spread_over_words() -> None:
    from studio.voice import phonemize

    words = [WordTiming("maybe", 0.2, 0.6), WordTiming("people", 0.7, 1.2)]
    fps = Fraction(30)
    track = PhonemeDriver(phonemize).drive(speech(None, 1.5, words=words), fps, 45)
    closures = track.values[:, CLOSE] >= 0.95
    # m, b, p, p: separated closures, not one long shut mouth
    starts = np.flatnonzero(closures[1:] & ~closures[:-1])
    assert len(starts) >= 3 and not closures[-5:].any()


def test_frame_rms_window_is_centred() -> None:
    audio = np.zeros(SR, np.float32)
    audio[int(0.55 * SR) : int(0.55 * SR) + 100] = 1.0  # a click at frame 5's centre (10 fps)
    rms = frame_rms(audio, SR, Fraction(10), 10)
    assert int(np.argmax(rms)) == 5 and rms[3] == 0 and rms[7] == 0
