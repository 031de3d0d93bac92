"""Training audio augmentation: lengths and timing kept, SNRs hit, filters and codecs behave."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from studio.media.audio import resample
from studio.voice.espeak_lib import synth_with_events
from training.lipsync import augment as aug

FS = aug.SAMPLE_RATE


@pytest.fixture(scope="module")
def speech() -> npt.NDArray[np.float32]:
    synth = synth_with_events("the map is big", "en-us")
    x = resample(np.asarray(synth.audio), synth.sample_rate, FS)
    # Leading and trailing silence, as in the training clips, so activity detection matters.
    return np.concatenate([np.zeros(1600, np.float32), x, np.zeros(2400, np.float32)])


@pytest.fixture(scope="module")
def pool() -> list[npt.NDArray[np.float32]]:
    clips = []
    for text in ("hello there", "seven big ships", "where is the cat"):
        synth = synth_with_events(text, "en-us")
        clips.append(resample(np.asarray(synth.audio), synth.sample_rate, FS))
    return clips


def _lag(x: np.ndarray, y: np.ndarray, max_lag: int = 400) -> float:
    """Lag of y against x at the cross-correlation peak, refined to a fraction of a sample."""
    m = 1 << (2 * len(x)).bit_length()
    corr = np.fft.irfft(np.fft.rfft(y, m) * np.conj(np.fft.rfft(x, m)), m)
    lags = np.arange(-max_lag, max_lag + 1)
    k = int(lags[np.argmax(corr[lags])])
    a, b, c = corr[k - 1], corr[k], corr[k + 1]
    return k + 0.5 * (a - c) / (a - 2 * b + c)


def _effects(pool: list[npt.NDArray[np.float32]]) -> dict:
    return {
        "reverb": aug.add_reverb,
        "noise": lambda x, rng: aug.add_noise(x, rng, pool=pool),
        "music": aug.add_music_bed,
        "band_limit": aug.band_limit,
        "gain": aug.random_gain,
        "compress": aug.compress,
        "codec": aug.lossy_codec,
        "augment": lambda x, rng: aug.augment(x, rng, pool=pool),
    }


@pytest.mark.parametrize(
    "name", ["reverb", "noise", "music", "band_limit", "gain", "compress", "codec", "augment"]
)
@pytest.mark.parametrize("n", [0, 1, 333, 12345])
def test_length_and_dtype_kept(name: str, n: int, speech: np.ndarray, pool: list) -> None:
    x = np.resize(speech, n)
    y = _effects(pool)[name](x, np.random.default_rng(n))
    assert y.shape == (n,)
    assert y.dtype == np.float32
    assert np.all(np.isfinite(y))


@pytest.mark.parametrize("seed", range(6))
def test_reverb_keeps_timing(seed: int, speech: np.ndarray) -> None:
    rng = np.random.default_rng(seed)
    y = aug.add_reverb(speech, rng, rt60=0.9 if seed % 2 else None)
    assert abs(_lag(speech, y)) <= 1.0


def test_room_impulse_response_direct_path_leads() -> None:
    rir = aug.room_impulse_response(np.random.default_rng(0), 0.9)
    assert rir[0] == 1.0
    assert np.argmax(np.abs(rir)) == 0
    assert rir.size == int(0.9 * FS)


@pytest.mark.parametrize("kind", ["webcam", "phone", "laptop"])
def test_band_limit_keeps_timing(kind: str, speech: np.ndarray) -> None:
    for seed in range(4):
        y = aug.band_limit(speech, np.random.default_rng(seed), kind=kind)
        assert abs(_lag(speech, y)) <= 1.0


def test_compress_keeps_timing_and_lowers_crest_factor(speech: np.ndarray) -> None:
    def crest(a: np.ndarray) -> float:
        # Of the 10 ms frame levels: a compressor without look-ahead lets single waveform peaks
        # through, so the sample-peak crest factor of speech can even rise while its dynamics
        # (what compression is for) shrink.
        power = np.mean(np.square(a[: a.size // 160 * 160].reshape(-1, 160)), axis=1)
        return float(np.sqrt(power.max() / np.mean(a[aug.active_mask(a)] ** 2)))

    crests = []
    for seed in range(8):
        y = aug.compress(speech, np.random.default_rng(seed))
        assert abs(_lag(speech, y)) <= 1.0
        crests.append(crest(y))
    # A draw whose threshold sits above the speech level barely acts, so judge the draws together.
    assert np.median(crests) < crest(speech)
    assert min(crests) < crest(speech) - 0.2


@pytest.mark.parametrize("codec", aug.available_codecs())
@pytest.mark.parametrize("bitrate", [16000, 64000])
def test_lossy_codec_is_aligned(codec: str, bitrate: int, speech: np.ndarray) -> None:
    y = aug.lossy_codec(speech, np.random.default_rng(0), codec=codec, bitrate=bitrate)
    assert y.shape == speech.shape
    assert abs(_lag(speech, y)) <= 1.0
    assert not np.array_equal(y, speech)
    level_db = 20 * np.log10(np.std(y) / np.std(speech))
    assert abs(level_db) < 1.5


def test_aac_is_always_available() -> None:
    assert "aac" in aug.available_codecs()


def _achieved_snr(x: np.ndarray, y: np.ndarray) -> float:
    mask = aug.active_mask(x)
    noise = y.astype(np.float64) - x
    return float(10 * np.log10(np.mean(x[mask].astype(np.float64) ** 2) / np.mean(noise[mask] ** 2)))


@pytest.mark.parametrize("kind", ["white", "pink", "brown", "babble"])
@pytest.mark.parametrize("snr", [0.0, 12.0, 30.0])
def test_add_noise_hits_snr(kind: str, snr: float, speech: np.ndarray, pool: list) -> None:
    y = aug.add_noise(speech, np.random.default_rng(1), pool=pool, snr_db=snr, kind=kind)
    assert abs(_achieved_snr(speech, y) - snr) < 1.0


@pytest.mark.parametrize("snr", [0.0, 10.0, 20.0])
def test_music_bed_hits_snr(snr: float, speech: np.ndarray) -> None:
    y = aug.add_music_bed(speech, np.random.default_rng(2), snr_db=snr)
    assert abs(_achieved_snr(speech, y) - snr) < 1.0


def test_noise_on_silence_uses_a_reference_level() -> None:
    y = aug.add_noise(np.zeros(FS, np.float32), np.random.default_rng(0), snr_db=20.0, kind="white")
    assert 20 * np.log10(np.std(y)) == pytest.approx(-46.0, abs=0.5)


def test_active_mask_finds_the_speech(speech: np.ndarray) -> None:
    mask = aug.active_mask(speech)
    assert not mask[:1600].any()  # the leading silence
    assert not mask[-2400:].any()
    assert mask.mean() > 0.3


def _tone_gain_db(y: np.ndarray, x: np.ndarray, freq: float) -> float:
    t = np.arange(x.size) / FS
    mid = slice(FS // 4, -FS // 4)  # away from the clip edges

    def amplitude(a: np.ndarray) -> float:
        basis = np.exp(-2j * np.pi * freq * t[mid])
        return float(np.abs(np.mean(a[mid] * basis)))

    return 20 * np.log10(amplitude(y) / amplitude(x))


def test_phone_band_limit_passes_1k_and_cuts_5k() -> None:
    t = np.arange(FS) / FS
    x = (0.2 * np.sin(2 * np.pi * 1000 * t) + 0.2 * np.sin(2 * np.pi * 5000 * t)).astype(np.float32)
    for seed in range(8):  # both the 16 kHz and the 8 kHz mu-law paths get drawn
        y = aug.band_limit(x, np.random.default_rng(seed), kind="phone")
        assert abs(_tone_gain_db(y, x, 1000)) < 3.0
        assert _tone_gain_db(y, x, 5000) < -20.0


def test_gain_clips_at_full_scale(speech: np.ndarray) -> None:
    loud = aug.random_gain(speech, np.random.default_rng(0), db=20.0)
    assert loud.min() >= -1.0 and loud.max() <= 1.0
    assert np.isclose(np.abs(loud).max(), 1.0)
    quiet = aug.random_gain(speech, np.random.default_rng(0), db=-20.0)
    np.testing.assert_allclose(quiet, speech * 0.1, rtol=1e-5, atol=1e-9)
    drawn = aug.random_gain(speech, np.random.default_rng(0))
    assert drawn.min() >= -1.0 and drawn.max() <= 1.0


@pytest.mark.parametrize("name", ["reverb", "noise", "music", "band_limit", "compress", "codec", "augment"])
def test_same_seed_same_output(name: str, speech: np.ndarray, pool: list) -> None:
    effect = _effects(pool)[name]
    for seed in (3, 4):
        a = effect(speech, np.random.default_rng(seed))
        b = effect(speech, np.random.default_rng(seed))
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(
        effect(speech, np.random.default_rng(3)), effect(speech, np.random.default_rng(4))
    )


def test_augment_is_finite_and_varied(speech: np.ndarray, pool: list) -> None:
    outputs = [aug.augment(speech, np.random.default_rng(seed), pool=pool) for seed in range(60)]
    for y in outputs:
        assert y.shape == speech.shape
        assert np.all(np.isfinite(y))
        assert np.abs(y).max() <= 1.0
    # Mostly different chains: the outputs are not all scaled copies of the input.
    correlations = [abs(np.corrcoef(y, speech)[0, 1]) for y in outputs if np.any(y)]
    assert min(correlations) < 0.9 < max(correlations)
    for x in (np.zeros(FS, np.float32), np.full(FS, 0.9, np.float32), np.zeros(5, np.float32)):
        assert np.all(np.isfinite(aug.augment(x, np.random.default_rng(0), pool=pool)))
