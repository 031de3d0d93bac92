"""Which onnxruntime execution providers to ask for: one pure function, testable without a GPU."""

from __future__ import annotations

from collections.abc import Sequence

# Most capable first. CPU always closes the list so a session can always be made.
PREFERENCE = (
    "CUDAExecutionProvider",
    "DmlExecutionProvider",
    "CoreMLExecutionProvider",
    "CPUExecutionProvider",
)

ALIASES = {
    "cuda": "CUDAExecutionProvider",
    "directml": "DmlExecutionProvider",
    "dml": "DmlExecutionProvider",
    "coreml": "CoreMLExecutionProvider",
    "cpu": "CPUExecutionProvider",
}


def choose_providers(available: Sequence[str], override: str | None = None) -> list[str]:
    """Providers to request, in order.

    ``available`` is what the installed onnxruntime offers. ``override`` is the
    user's choice ("cpu", "cuda", ...); an override that is not available raises
    ``ValueError`` naming what is.
    """
    if override and override.lower() != "auto":
        wanted = ALIASES.get(override.lower(), override)
        if wanted not in available:
            names = ", ".join(k for k, v in ALIASES.items() if v in available and k != "dml")
            raise ValueError(f"execution provider '{override}' is not available here; choose one of: {names}")
        return [wanted] if wanted == "CPUExecutionProvider" else [wanted, "CPUExecutionProvider"]
    chosen = [p for p in PREFERENCE if p in available]
    if "CPUExecutionProvider" not in chosen:
        chosen.append("CPUExecutionProvider")
    return chosen
