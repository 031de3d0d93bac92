"""A thin wrapper over ``onnxruntime.InferenceSession`` that reports the provider in use."""

from __future__ import annotations

import functools
import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from studio.errors import StudioError
from studio.inference.gpu_probe import probe_host
from studio.inference.providers import CPU, RUNTIME_DISTS, HostCaps, check_single_runtime, choose_providers
from studio.inference.runtime import import_onnxruntime
from studio.tasks import CancelToken
from studio.translation import tr


@dataclass
class InferenceSession:
    session: Any
    providers: list[str]
    requested: list[str] = field(default_factory=list)

    @property
    def provider(self) -> str:
        """The provider that actually runs the graph (read back from the session)."""
        return self.providers[0] if self.providers else CPU

    @property
    def fell_back(self) -> bool:
        """onnxruntime dropped the accelerator it was asked for (so the probe missed a problem)."""
        return bool(self.requested) and self.provider != self.requested[0]

    def run(
        self,
        feeds: dict[str, np.ndarray],
        outputs: list[str] | None = None,
        cancel: CancelToken | None = None,
    ) -> list[np.ndarray]:
        """The graph's outputs. With ``cancel``, cancelling stops a run already under way (ONNX
        Runtime's terminate flag) and raises ``Cancelled``: a show that stops does not wait
        seconds for a sentence nobody will hear."""
        if cancel is None:
            return list(self.session.run(outputs, feeds))
        cancel.check(tr("the speech"))
        options = import_onnxruntime().RunOptions()
        forget = cancel.on_cancel(lambda: setattr(options, "terminate", True))
        try:
            return list(self.session.run(outputs, feeds, options))
        except Exception:
            cancel.check(tr("the speech"))  # terminated: say so as a cancel, not a runtime error
            raise
        finally:
            forget()

    def output_names(self) -> list[str]:
        return [o.name for o in self.session.get_outputs()]


def installed_runtimes() -> list[str]:
    """Which of the mutually exclusive onnxruntime wheels are installed."""
    found = []
    for name in RUNTIME_DISTS:
        try:
            importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        found.append(name)
    return found


@functools.cache
def ensure_single_runtime() -> None:
    """Refuse to run on two overlapping onnxruntime wheels; checked once per process."""
    check_single_runtime(installed_runtimes())


@functools.cache
def host_caps() -> HostCaps:
    """What this machine can run; probed once per process, since it loads the GPU driver."""
    ort = import_onnxruntime()

    return probe_host(ort.get_available_providers(), _build_cuda_version())


def _build_cuda_version() -> str:
    import_onnxruntime()  # the submodule import below would start the runtime too
    try:
        from onnxruntime.capi import build_and_package_info
    except ImportError:
        return ""
    return str(getattr(build_and_package_info, "cuda_version", "") or "")


def load_session(model: Path | bytes, provider: str | None = None, threads: int = 0) -> InferenceSession:
    """Open a model from a path or serialized bytes on the best provider that really runs here.

    ``provider`` overrides the choice ("cpu", "cuda", ...); see :func:`choose_providers`.
    """
    ensure_single_runtime()
    # Imported only after the check: two wheels mixed in one folder can fail on import itself.
    ort = import_onnxruntime()

    forced_cpu = (provider or "").strip().lower() in ("cpu", CPU.lower())
    caps = None if forced_cpu else host_caps()
    providers = choose_providers(ort.get_available_providers(), provider, caps)
    opts = ort.SessionOptions()
    opts.log_severity_level = 3  # keep onnxruntime's warnings off a user's terminal
    if threads:
        opts.intra_op_num_threads = threads
    # Idle worker threads spin for work by default: beside the render threads on two cores they
    # take the CPU the renderer and the other threads need, and slowed Kokoro's first clause
    # 2-3x on a loaded machine (docs/BENCHMARKS.md). They sleep instead.
    for pool in ("intra_op", "inter_op"):
        opts.add_session_config_entry(f"session.{pool}.allow_spinning", "0")
    source = str(model) if isinstance(model, Path) else model
    try:
        sess = ort.InferenceSession(source, sess_options=opts, providers=providers)
    except Exception as exc:  # onnxruntime raises its own untyped errors
        name = model.name if isinstance(model, Path) else "model"
        raise StudioError(
            tr("could not load {name}: {error}").format(name=name, error=exc), tr("Reinstall Studio.")
        ) from exc
    return InferenceSession(sess, list(sess.get_providers()), providers)


def add_graph_outputs(model_bytes: bytes, tensor_names: list[str]) -> bytes:
    """Expose intermediate tensors (e.g. a TTS model's phoneme durations) as outputs."""
    import onnx

    proto = onnx.load_from_string(model_bytes)
    existing = {o.name for o in proto.graph.output}
    for name in tensor_names:
        if name not in existing:
            proto.graph.output.append(onnx.ValueInfoProto(name=name))
    return bytes(proto.SerializeToString())
