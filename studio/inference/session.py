"""A thin wrapper over ``onnxruntime.InferenceSession`` that reports the provider in use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort

from studio.errors import StudioError
from studio.inference.providers import choose_providers


@dataclass
class InferenceSession:
    session: Any
    providers: list[str]

    @property
    def provider(self) -> str:
        """The provider that actually runs the graph (read back from the session)."""
        return self.providers[0] if self.providers else "CPUExecutionProvider"

    def run(self, feeds: dict[str, np.ndarray], outputs: list[str] | None = None) -> list[np.ndarray]:
        return list(self.session.run(outputs, feeds))

    def output_names(self) -> list[str]:
        return [o.name for o in self.session.get_outputs()]


def load_session(model: Path | bytes, provider: str | None = None, threads: int = 0) -> InferenceSession:
    """Open a model from a path or serialized bytes on the best available provider."""
    try:
        providers = choose_providers(ort.get_available_providers(), provider)
    except ValueError as exc:
        raise StudioError(str(exc), "Leave the provider unset to pick the best one automatically.") from exc
    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # keep onnxruntime's warnings off a user's terminal
    if threads:
        opts.intra_op_num_threads = threads
    source = str(model) if isinstance(model, Path) else model
    try:
        sess = ort.InferenceSession(source, sess_options=opts, providers=providers)
    except Exception as exc:  # onnxruntime raises its own untyped errors
        name = model.name if isinstance(model, Path) else "model"
        raise StudioError(f"could not load {name}: {exc}", "Reinstall Studio.") from exc
    return InferenceSession(sess, list(sess.get_providers()))


def add_graph_outputs(model_bytes: bytes, tensor_names: list[str]) -> bytes:
    """Expose intermediate tensors (e.g. a TTS model's phoneme durations) as outputs."""
    import onnx

    proto = onnx.load_from_string(model_bytes)
    existing = {o.name for o in proto.graph.output}
    for name in tensor_names:
        if name not in existing:
            proto.graph.output.append(onnx.ValueInfoProto(name=name))
    return bytes(proto.SerializeToString())
