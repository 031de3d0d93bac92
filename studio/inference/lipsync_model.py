"""Our ONNX lip-sync model: 16 kHz audio → 15 viseme weights per 10 ms frame, offline or streaming.

The graph (``training/lipsync/model.py``) is a causal network without padding: each output sees
``receptive_field`` input frames, of which ``lookahead_frames`` lie after the frame it names.
Offline, the audio's features are padded with silence on both sides so every frame gets one
output. Streaming keeps the last ``receptive_field - 1`` feature frames as its state and emits
a frame as soon as its look-ahead has arrived; a test holds it equal to offline.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from studio.errors import StudioError
from studio.inference.session import InferenceSession, load_session
from studio.lipsync.features import (
    FEATURE_VERSION,
    FRAME_SECONDS,
    HOP,
    N_MELS,
    SAMPLE_RATE,
    SILENCE,
    WINDOW_AFTER,
    LogMelStream,
    log_mel,
    to_model_rate,
)
from studio.lipsync.visemes import VISEMES
from studio.resources import model_path
from studio.translation import tr

MODEL_FILE = "lipsync.onnx"
_BLOCK = 4096  # output frames per run on long files: bounds memory, costs little overlap

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class ModelInfo:
    context: int  # past frames each output sees
    lookahead: int  # future frames each output sees
    training: dict[str, object]

    @property
    def receptive_field(self) -> int:
        return self.context + self.lookahead + 1

    @property
    def lookahead_ms(self) -> float:
        """Audio needed past a frame's centre before it can be shown: network plus window."""
        return 1000.0 * (self.lookahead * FRAME_SECONDS + (WINDOW_AFTER - HOP / 2) / SAMPLE_RATE)


class LipSyncModel:
    """Loads ``onnx_models/lipsync.onnx`` (or ``path``) on the best provider, or ``provider``."""

    def __init__(self, path: Path | None = None, provider: str | None = None, threads: int = 0) -> None:
        self.path = path or model_path(MODEL_FILE)
        self._session: InferenceSession = load_session(self.path, provider, threads)
        self.info = _read_info(self._session, self.path)

    @property
    def provider(self) -> str:
        return self._session.provider

    def predict(self, audio: npt.ArrayLike, sample_rate: int) -> FloatArray:
        """``(frames, 15)`` weights for mono or multi-channel audio at any sample rate."""
        return self.predict_features(log_mel(to_model_rate(audio, sample_rate)))

    def predict_features(self, feats: FloatArray) -> FloatArray:
        """One row of weights per feature frame, as if the audio were silent around it."""
        info = self.info
        count = len(feats)
        padded = np.concatenate(
            [_silence(info.context), np.asarray(feats, np.float32), _silence(info.lookahead)]
        )
        out = np.empty((count, len(VISEMES)), np.float32)
        for first in range(0, count, _BLOCK):
            last = min(first + _BLOCK, count)
            out[first:last] = self._run(padded[first : last + info.receptive_field - 1])
        return out

    def stream(self) -> LipSyncStream:
        return LipSyncStream(self)

    def _run(self, feats: FloatArray) -> FloatArray:
        (weights,) = self._session.run({"mel": feats[None]}, ["visemes"])
        return np.asarray(weights[0], np.float32)


class LipSyncStream:
    """Streaming inference: push 16 kHz audio (or features) in any chunks, get weights back.

    The state carried across chunks is the log-mel front end's partial window and the last
    ``receptive_field - 1`` feature frames. ``flush`` pads silence so the last frames come out,
    and then the stream starts a new utterance.
    """

    def __init__(self, model: LipSyncModel) -> None:
        self._model = model
        self._mel = LogMelStream()
        self._history = _silence(model.info.context)
        self.frames_out = 0

    def push_audio(self, audio: npt.ArrayLike) -> FloatArray:
        return self.push_features(self._mel.push(audio))

    def push_features(self, feats: FloatArray) -> FloatArray:
        self._history = np.concatenate([self._history, np.asarray(feats, np.float32)])
        ready = len(self._history) - (self._model.info.receptive_field - 1)
        if ready <= 0:
            return np.zeros((0, len(VISEMES)), np.float32)
        out = self._model._run(self._history)
        self._history = self._history[ready:]
        self.frames_out += ready
        return out

    def flush(self) -> FloatArray:
        tail = self.push_features(np.concatenate([self._mel.flush(), _silence(self._model.info.lookahead)]))
        self._history = _silence(self._model.info.context)
        self.frames_out = 0
        return tail


def _silence(frames: int) -> FloatArray:
    return np.full((frames, N_MELS), SILENCE, np.float32)


def _read_info(session: InferenceSession, path: Path) -> ModelInfo:
    meta = dict(session.session.get_modelmeta().custom_metadata_map)
    problem = None
    if meta.get("feature") != FEATURE_VERSION:
        problem = tr("its features are '{found}', this Studio computes '{wanted}'").format(
            found=meta.get("feature"), wanted=FEATURE_VERSION
        )
    elif meta.get("visemes") != ",".join(VISEMES):
        problem = tr("its viseme list differs from this Studio's")
    missing = [k for k in ("context_frames", "lookahead_frames") if k not in meta]
    if problem is None and missing:
        problem = tr("its metadata lacks {keys}").format(keys=", ".join(missing))
    if problem:
        raise StudioError(
            tr("the lip-sync model {name} does not fit: {problem}.").format(name=path.name, problem=problem),
            tr("Reinstall Studio."),
        )
    return ModelInfo(
        int(meta["context_frames"]), int(meta["lookahead_frames"]), json.loads(meta.get("training", "{}"))
    )
