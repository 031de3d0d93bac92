"""onnxruntime lives here and nowhere else."""

from studio.inference.providers import choose_providers
from studio.inference.session import InferenceSession, load_session

__all__ = ["InferenceSession", "choose_providers", "load_session"]
