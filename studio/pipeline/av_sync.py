"""Measure the audio/video offset of a recording from what is seen and heard.

Timestamps can be perfect and the recording still out of sync (a lip-sync driver that runs
early, a capture path that delays the voice), so the offset is read from the content: how open
the mouth is in every frame, against how loud the speech is around that frame's time,
cross-correlated over lags of up to +-300 ms.

Sign: ``offset_ms > 0`` means the audio comes *later* than the mouth (a syllable is heard after
the lips form it); ``offset_ms < 0`` means the audio comes early. Delaying the audio by
``-offset_ms`` (``ffmpeg -itsoffset``) corrects it.

Time: a frame stands for the middle of its display interval (pts plus half a frame), which is
also the instant Studio's lip-sync drivers sample. Audio and video are put on one time line by
their decoded pts, so a late-starting stream, an FLV's millisecond timestamps or a variable frame
rate are measured as a player would play them.

Mouth openness: the face landmarker runs on two frames a second only (downscaled), to place the
mouth and to find how it looks closed; every frame is then measured cheaply, as the mean absolute
difference between its mouth patch (resampled to a fixed size) and that closed look. It rises
with whatever opening reveals, dark interior and teeth alike: the demo avatar smiles, so a
half-open mouth shows bright teeth rather than a dark hole.

Audio: 300-3000 Hz energy (voicing and formants; above hum, below hiss) in a one-frame window,
on a log scale, because a mouth opens about as wide for a quiet vowel as for a loud one. Both
tracks lose their 1 s moving mean, so slow level changes and head motion do not choose the lag.
The correlation's peak is broad (mouths move at syllable rate), so the offset is the vertex of a
parabola fitted to its top on a 1 ms lag grid: steadier than the argmax, and finer than a frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np
import numpy.typing as npt

from studio.errors import InputError
from studio.face import topology as T
from studio.translation import tr

FloatArray = npt.NDArray[np.float64]
Landmarks = Callable[[np.ndarray], FloatArray | None]  # RGB image -> (478, 2) pixels, or no face

MAX_LAG_MS = 300.0
MAX_SECONDS = 300.0  # the first five minutes: enough for any offset, and bounded memory
BAND_HZ = (300.0, 3000.0)
BIN_S = 0.001  # audio energy is summed into 1 ms bins, the lag grid's step
KEY_INTERVAL_S = 0.5  # landmarker cadence: heads move slowly; mouths are measured every frame
KEY_LONG_SIDE = 640  # the landmarker's own input is smaller; larger keyframes only cost time
PATCH_MOUTH_PX = 40  # mouth width in the measuring patch: teeth still show, at any resolution
PATCH_BOX = (-0.6, -0.25, 0.6, 0.5)  # (x0, y0, x1, y1) in mouth widths around the corners' midpoint
HIGH_PASS_S = 1.0
SILENCE_RMS = 1e-4  # -80 dBFS in the band: digital silence, or an AAC encoder's rendering of it
SPEECH_DB = 30.0  # within this of the loudest window counts as speech; quieter is floored
MIN_SPEECH_S = 2.0
MIN_CORRELATION = 0.2
# Peak over chance, in standard deviations: Studio's 9-11 s renders score 6.7-16, someone else's
# speech (or the same played backwards) 1.2 at most, the same sentence spoken again 3-5.
MIN_SIGNIFICANCE = 4.0
NULL_SHIFT_S = 1.0  # chance is what the tracks score when misaligned by this beyond the lags searched
NULL_SHIFTS = 24
FIT_HALF_MS = 25  # the parabola is fitted to the scores within this of the best lag


@dataclass(frozen=True)
class SyncReport:
    """``offset_ms > 0``: the audio is heard after the mouth moves (audio lags video)."""

    offset_ms: float
    fps: float  # from the frames' pts, not the stream's declared rate
    confidence: float  # Pearson correlation of the mouth and audio tracks at the offset
    frames: int  # frames that took part in the correlation
    significance: float  # how far the peak stands above chance peaks, in their standard deviations
    speech_s: float  # seconds of audio loud enough to count as speech

    @property
    def offset_frames(self) -> float:
        return self.offset_ms * self.fps / 1000.0

    def summary(self) -> str:
        size = round(abs(self.offset_ms))
        if size == 0:
            text = tr("audio in sync with video (0 ms, {shift:.1f} frame at {fps:.4g} fps), ")
        elif self.offset_ms > 0:
            text = tr("audio lags video by {ms} ms ({shift:.1f} frame at {fps:.4g} fps), ")
        else:
            text = tr("audio leads video by {ms} ms ({shift:.1f} frame at {fps:.4g} fps), ")
        head = text.format(ms=size, shift=abs(self.offset_frames), fps=self.fps)
        return head + tr("confidence {confidence:.2f}, {frames} frames").format(
            confidence=self.confidence, frames=self.frames
        )


@dataclass(frozen=True)
class AudioBand:
    """Band energy on a 1 ms grid, cumulated, so that any window's mean is two lookups."""

    cumulative: FloatArray  # cumulative[k]: energy of the first k bins
    bin_s: float
    start: float  # time of the first sample, from the stream's pts

    @property
    def end(self) -> float:
        return self.start + (len(self.cumulative) - 1) * self.bin_s

    def mean_energy(self, centres: FloatArray, width: float) -> FloatArray:
        """Mean energy per bin over ``[c - width/2, c + width/2)`` for each centre ``c``."""
        lo = (centres - width / 2 - self.start) / self.bin_s
        hi = lo + width / self.bin_s
        return (self._at(hi) - self._at(lo)) * (self.bin_s / width)

    def _at(self, position: FloatArray) -> FloatArray:
        position = np.clip(position, 0.0, len(self.cumulative) - 1.0)
        whole = np.minimum(position.astype(np.int64), len(self.cumulative) - 2)
        part = position - whole
        return (1.0 - part) * self.cumulative[whole] + part * self.cumulative[whole + 1]


@dataclass(frozen=True)
class MouthTrack:
    times: FloatArray  # each frame's pts in seconds
    openness: FloatArray  # nan where no face was near enough in time to place the mouth
    frame_s: float  # typical frame spacing


def measure_sync(path: Path, max_lag_ms: float = MAX_LAG_MS, max_seconds: float = MAX_SECONDS) -> SyncReport:
    """The offset between audio and mouth motion in ``path`` (MP4, FLV, anything FFmpeg reads)."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            tr("{path} does not exist.").format(path=path), tr("Check the path of the recorded video.")
        )
    if not path.is_file():
        raise InputError(
            tr("{path} is not a file.").format(path=path), tr("Give the path of a recorded video.")
        )
    band = read_audio_band(path, max_seconds)  # first: it is quick, and a mute file fails fast
    speech_s = check_speech(band)
    from studio.face.landmarker import FaceLandmarker

    with FaceLandmarker(max_faces=1) as landmarker:
        # Frames after the audio's end (plus the lag range) could not be used: they are not decoded.
        until = band.end + max_lag_ms / 1000.0 + 1.0
        mouth = read_mouth_track(path, lambda rgb: _largest_face(landmarker.detect(rgb)), until)
    return correlate(mouth, band, max_lag_ms / 1000.0, speech_s)


def _open(path: Path) -> Any:
    try:
        return av.open(str(path))
    except (av.FFmpegError, OSError, UnicodeDecodeError) as exc:
        raise InputError(
            tr("{path} cannot be read as a video ({error}).").format(path=path, error=exc),
            tr("Give a recorded MP4 or FLV."),
        ) from exc


def read_audio_band(path: Path, max_seconds: float = MAX_SECONDS) -> AudioBand:
    pieces: list[tuple[float | None, np.ndarray]] = []
    with _open(path) as container:
        if not container.streams.audio:
            raise InputError(
                tr("{path} has no audio stream.").format(path=path),
                tr("Measure a recording that includes the voice."),
            )
        stream = container.streams.audio[0]
        rate = int(stream.codec_context.sample_rate or 48000)
        try:
            for frame in container.decode(stream):
                pieces.append((frame.time, _mono(frame)))
                if frame.time is not None and frame.time - (pieces[0][0] or 0.0) > max_seconds:
                    break
        except av.FFmpegError as exc:
            raise InputError(
                tr("the audio of {path} cannot be decoded ({error}).").format(path=path, error=exc),
                tr("Check the file."),
            ) from exc
    if not pieces:
        raise InputError(
            tr("{path} has an empty audio stream.").format(path=path),
            tr("Measure a recording that includes the voice."),
        )
    start = next((t for t, _ in pieces if t is not None), 0.0)
    # Each frame goes where its pts says: a gap in the stream stays a gap in time.
    offsets, cursor = [], 0
    for t, samples in pieces:
        offsets.append(cursor if t is None else max(0, round((t - start) * rate)))
        cursor = offsets[-1] + len(samples)
    signal = np.zeros(max(at + len(p) for at, (_, p) in zip(offsets, pieces, strict=True)), np.float32)
    for at, (_, samples) in zip(offsets, pieces, strict=True):
        signal[at : at + len(samples)] = samples
    energy = _band_pass(signal, rate, *BAND_HZ) ** 2
    step = max(1, round(BIN_S * rate))
    bins = energy[: len(energy) // step * step].reshape(-1, step).sum(axis=1, dtype=np.float64) / step
    return AudioBand(np.concatenate([[0.0], np.cumsum(bins)]), step / rate, float(start))


def _mono(frame: Any) -> np.ndarray:
    data = frame.to_ndarray()
    if not frame.format.is_planar:
        data = data.reshape(-1, max(1, len(frame.layout.channels))).T
    mono = data.astype(np.float32).mean(axis=0)
    if data.dtype.kind == "u":
        return (mono - 128.0) / 128.0
    if data.dtype.kind == "i":
        return mono / float(2 ** (8 * data.dtype.itemsize - 1))
    return mono


def _band_pass(signal: np.ndarray, rate: int, low: float, high: float) -> np.ndarray:
    """Windowed-sinc band-pass, applied in blocks (overlap-add) so memory stays bounded. The taps
    are symmetric and the output is re-centred: any group delay here would read as an offset."""
    half = rate // 100
    n = np.arange(-half, half + 1)
    taps = (2 * high / rate) * np.sinc(2 * high / rate * n) - (2 * low / rate) * np.sinc(2 * low / rate * n)
    taps *= np.hanning(len(taps))
    block = 1 << 18
    size = 1 << int(block + 2 * half).bit_length()
    response = np.fft.rfft(taps, size)
    out = np.zeros(len(signal) + 2 * half, np.float32)
    for at in range(0, len(signal), block):
        piece = signal[at : at + block]
        out[at : at + len(piece) + 2 * half] += np.fft.irfft(np.fft.rfft(piece, size) * response, size)[
            : len(piece) + 2 * half
        ]
    return out[half : half + len(signal)]


def check_speech(band: AudioBand) -> float:
    """Seconds of speech in ``band``; raises when there is too little to measure against."""
    window = 0.03
    centres = np.arange(band.start + window / 2, band.end - window / 2, window)
    energy = band.mean_energy(centres, window) if len(centres) else np.zeros(1)
    peak = float(energy.max())
    if peak < SILENCE_RMS**2:
        raise InputError(
            tr("the recording's audio is silent, so there is no speech to match the mouth against."),
            tr("Measure a recording in which someone speaks."),
        )
    speech_s = float(np.count_nonzero(energy > peak * 10 ** (-SPEECH_DB / 10))) * window
    if speech_s < MIN_SPEECH_S:
        raise InputError(
            tr(
                "the recording has only {seconds:.1f} s of speech; "
                "a confident measure needs at least {needed:.0f} s."
            ).format(seconds=speech_s, needed=MIN_SPEECH_S),
            tr("Measure a longer recording with continuous speech."),
        )
    return speech_s


def _largest_face(faces: list[Any]) -> FloatArray | None:
    if not faces:
        return None
    face = max(faces, key=lambda f: f.bbox[2] - f.bbox[0])
    return np.asarray(face.landmarks[:, :2], dtype=np.float64)


@dataclass(frozen=True)
class _Key:
    index: int
    centre: FloatArray | None  # midpoint of the mouth corners in full-size pixels; None: no face
    width: float = 0.0  # corner to corner
    gap: float = 0.0  # inner-lip opening over width: picks the closed-mouth keyframes


def read_mouth_track(path: Path, landmarks: Landmarks, until: float = np.inf) -> MouthTrack:
    """Mouth openness of every video frame; ``landmarks`` finds the face on keyframes."""
    times: list[float] = []
    patches: list[np.ndarray | None] = []
    keys: list[_Key] = []
    pending: list[tuple[int, np.ndarray]] = []  # luma of the frames since the last keyframe
    with _open(path) as container:
        if not container.streams.video:
            raise InputError(
                tr("{path} has no video stream.").format(path=path), tr("Measure a recording with video.")
            )
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # FFmpeg's frame threads: decoding is most of the cost
        rate = float(stream.average_rate or stream.guessed_rate or 30)
        every = max(1, round(KEY_INTERVAL_S * rate))
        try:
            for index, frame in enumerate(container.decode(stream)):
                time = frame.time if frame.time is not None else index / rate
                if time > until:
                    break
                times.append(time)
                patches.append(None)
                pending.append((index, _luma(frame)))
                if index % every == 0:
                    keys.append(_keyframe(frame, index, landmarks))
                    _place(pending, keys[-2] if len(keys) > 1 else keys[-1], keys[-1], patches)
        except av.FFmpegError as exc:
            raise InputError(
                tr("the video of {path} cannot be decoded ({error}).").format(path=path, error=exc),
                tr("Check the file."),
            ) from exc
    if keys:
        _place(pending, keys[-1], _Key(len(times), None), patches)  # past the last keyframe: hold it
    found = [k for k in keys if k.centre is not None and patches[k.index] is not None]
    if not found or sum(p is not None for p in patches) < 2:
        raise InputError(
            tr("no face was found in the video of {path} (looked at {frames} frames).").format(
                path=path, frames=len(keys)
            ),
            tr("Measure a recording that shows one face, frontal and unobstructed."),
        )
    # The most closed keyframes (a fifth of them, up to five) are the look every frame is compared to.
    closed = sorted(found, key=lambda k: k.gap)[: max(1, min(5, len(found) // 5))]
    reference = np.mean(np.stack([p for k in closed if (p := patches[k.index]) is not None]), axis=0)
    openness = np.array([np.nan if p is None else float(np.abs(p - reference).mean()) for p in patches])
    t = np.asarray(times, dtype=np.float64)
    steps = np.diff(t)
    typical = float(np.median(steps)) if len(steps) else 0.0
    if typical <= 0:
        raise InputError(
            tr("the video of {path} has no usable timestamps.").format(path=path),
            tr("Remux or re-record it."),
        )
    # The mean of the regular steps: an FLV's whole-millisecond pts make the median 33 ms at 30 fps.
    regular = steps[(steps > 0.5 * typical) & (steps < 1.5 * typical)]
    return MouthTrack(t, openness, float(regular.mean()))


def _luma(frame: Any) -> np.ndarray:
    if frame.format.name in ("yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12"):
        plane = frame.planes[0]  # the Y plane as decoded: no colour conversion
        rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
        return rows[: frame.height, : frame.width].copy()
    return np.asarray(frame.to_ndarray(format="gray"))


def _keyframe(frame: Any, index: int, landmarks: Landmarks) -> _Key:
    scale = min(1.0, KEY_LONG_SIDE / max(frame.width, frame.height))
    w, h = max(2, round(frame.width * scale)) // 2 * 2, max(2, round(frame.height * scale)) // 2 * 2
    points = landmarks(frame.to_ndarray(format="rgb24", width=w, height=h))
    if points is None:
        return _Key(index, None)
    points = points * np.array([frame.width / w, frame.height / h])
    left, right = points[T.MOUTH_CORNERS[0]], points[T.MOUTH_CORNERS[1]]
    width = float(np.linalg.norm(right - left))
    upper, lower = points[list(T.LIPS_INNER_UPPER[1:-1])], points[list(T.LIPS_INNER_LOWER[1:-1])]
    gap = float(np.linalg.norm(lower - upper, axis=1).mean()) / max(width, 1.0)
    return _Key(index, (left + right) / 2, width, gap)


def _place(pending: list[tuple[int, np.ndarray]], before: _Key, after: _Key, patches: list[Any]) -> None:
    """Cut the mouth patch of each pending frame (all between ``before`` and ``after``) where the
    mouth is interpolated between them, or held from the one with a face; neither: unmeasured."""
    for index, luma in pending:
        if before.centre is not None and after.centre is not None:
            a = (index - before.index) / max(1, after.index - before.index)
            centre, width = (
                (1 - a) * before.centre + a * after.centre,
                (1 - a) * before.width + a * after.width,
            )
            patches[index] = _patch(luma, centre, width)
        elif (near := before if before.centre is not None else after).centre is not None:
            patches[index] = _patch(luma, near.centre, near.width)
    pending.clear()


def _patch(luma: np.ndarray, centre: Any, width: float) -> np.ndarray | None:
    x0, y0, x1, y1 = PATCH_BOX
    cx, cy = float(centre[0]), float(centre[1])
    left, top, right, bottom = (round(cx + x0 * width), round(cy + y0 * width),
                                round(cx + x1 * width), round(cy + y1 * width))  # fmt: skip
    if left < 0 or top < 0 or right > luma.shape[1] or bottom > luma.shape[0] or width < 8:
        return None  # the mouth is cut by the frame's edge, or too small to see
    size = (round((x1 - x0) * PATCH_MOUTH_PX), round((y1 - y0) * PATCH_MOUTH_PX))
    return cv2.resize(luma[top:bottom, left:right], size, interpolation=cv2.INTER_AREA).astype(np.float32)


def correlate(mouth: MouthTrack, band: AudioBand, max_lag: float, speech_s: float = 0.0) -> SyncReport:
    """Correlate mouth openness with the audio feature at each lag; the best lag is the offset."""
    lags = np.arange(-round(max_lag / BIN_S), round(max_lag / BIN_S) + 1) * BIN_S
    centres = mouth.times + mouth.frame_s / 2
    # Only frames whose audio window exists at every lag, so every lag is scored on the same frames.
    reach = lags[-1] + mouth.frame_s / 2
    use = np.isfinite(mouth.openness) & (centres - reach >= band.start) & (centres + reach <= band.end)
    used = int(np.count_nonzero(use))
    # Chance is measured with the tracks misaligned beyond any lag searched, in both directions.
    gap = round((NULL_SHIFT_S + max_lag) / mouth.frame_s)
    if used < 2 * gap + round(2.0 / mouth.frame_s):
        raise InputError(
            tr(
                "only {seconds:.1f} s of the recording show a face while the audio plays; "
                "a confident measure needs at least {needed:.0f} s."
            ).format(seconds=used * mouth.frame_s, needed=2 * gap * mouth.frame_s + 2.0),
            tr("Measure a longer recording with the face in view while it speaks."),
        )
    window = round(HIGH_PASS_S / mouth.frame_s) | 1
    m = _standardise(_high_pass(mouth.openness[use], window))
    if not np.isfinite(m).all():
        raise InputError(
            tr("the mouth does not move in this recording."), tr("Measure a recording of speech.")
        )
    energy = band.mean_energy((centres[use][None, :] + lags[:, None]).ravel(), mouth.frame_s)
    energy = energy.reshape(len(lags), used)
    feature = np.log(np.maximum(energy, energy.max() * 10 ** (-SPEECH_DB / 10) + 1e-20))
    tracks = np.nan_to_num(_standardise(_high_pass(feature, window)))  # silent lags: all zero
    scores = tracks @ m / used
    best = int(np.argmax(scores))
    peak = float(scores[best])
    # Chance level for this very recording: the best score over the same lags with the mouth track
    # rotated by a second or more, where any match is coincidence (syllables recur at a steady rate).
    shifts = np.linspace(gap, used - gap, NULL_SHIFTS).round().astype(int)
    chance = np.array([float((tracks @ np.roll(m, k)).max()) / used for k in shifts])
    significance = (peak - float(chance.mean())) / max(float(chance.std()), 1e-6)
    if peak < MIN_CORRELATION or significance < MIN_SIGNIFICANCE:
        raise InputError(
            tr(
                "the mouth motion and the speech do not match clearly enough to measure an offset "
                "(best correlation {peak:.2f}, {significance:.1f} standard deviations above chance)."
            ).format(peak=peak, significance=significance),
            tr(
                "Measure a longer recording with a clearly visible, frontal, speaking face and clean audio, "
                "and check that the audio belongs to this video."
            ),
        )
    if best in (0, len(lags) - 1):
        raise InputError(
            tr("the best match lies at the edge of the +-{ms:.0f} ms searched.").format(ms=max_lag * 1000),
            tr("Search a wider range with --max-lag."),
        )
    near = slice(max(0, best - FIT_HALF_MS), best + FIT_HALF_MS + 1)
    bend, slope, _ = np.polyfit(lags[near] * 1000.0, scores[near], 2)
    vertex = -slope / (2 * bend) if bend < 0 else lags[best] * 1000.0
    offset_ms = float(np.clip(vertex, lags[near][0] * 1000.0, lags[near][-1] * 1000.0))
    return SyncReport(offset_ms, 1.0 / mouth.frame_s, peak, used, significance, speech_s)


def _high_pass(values: FloatArray, window: int) -> FloatArray:
    """``values`` less their centred moving mean along the last axis (edges: the partial window)."""
    n = values.shape[-1]
    sums = np.concatenate([np.zeros((*values.shape[:-1], 1)), np.cumsum(values, axis=-1)], axis=-1)
    index = np.arange(n)
    lo, hi = np.clip(index - window // 2, 0, n), np.clip(index + window // 2 + 1, 0, n)
    return values - (sums[..., hi] - sums[..., lo]) / (hi - lo)


def _standardise(values: FloatArray) -> FloatArray:
    centred = values - values.mean(axis=-1, keepdims=True)
    spread = centred.std(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(spread > 1e-9, centred / spread, np.nan)
