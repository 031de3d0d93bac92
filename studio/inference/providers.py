"""Which onnxruntime execution providers to ask for: pure functions, testable without a GPU.

A wheel's provider list says what it was built with, not what the machine can run:
onnxruntime-gpu lists CUDA on machines with no GPU at all. So the choice also takes
``HostCaps`` (what :mod:`studio.inference.gpu_probe` found), and a provider is picked only
when it is both listed and usable.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from studio.errors import InputError, StudioError
from studio.translation import tr

CUDA = "CUDAExecutionProvider"
DML = "DmlExecutionProvider"
COREML = "CoreMLExecutionProvider"
CPU = "CPUExecutionProvider"
TENSORRT = "TensorrtExecutionProvider"  # never picked automatically; runs on CUDA when named

# Most capable first. CPU always closes the list so a session can always be made.
PREFERENCE = (CUDA, DML, COREML, CPU)

ALIASES = {
    "cuda": CUDA,
    "directml": DML,
    "dml": DML,
    "coreml": COREML,
    "cpu": CPU,
}
_SHORT = {CUDA: "cuda", DML: "directml", COREML: "coreml", CPU: "cpu"}


@dataclass(frozen=True)
class Capability:
    """Whether one accelerator can really run here; when not, why and what would fix it."""

    usable: bool
    reason: str = ""
    fix: str = ""


_UNCHECKED = Capability(False, "it was not checked on this machine")  # said with tr() in _forced


@dataclass(frozen=True)
class HostCaps:
    """What the machine can run, beyond what the installed wheel lists. CPU always can."""

    cuda: Capability = field(default=_UNCHECKED)
    directml: Capability = field(default=_UNCHECKED)
    coreml: Capability = field(default=_UNCHECKED)

    def of(self, provider: str) -> Capability:
        if provider == CPU:
            return Capability(True)
        known = {CUDA: self.cuda, TENSORRT: self.cuda, DML: self.directml, COREML: self.coreml}
        return known.get(provider, Capability(True))


def choose_providers(
    available: Sequence[str], override: str | None = None, caps: HostCaps | None = None
) -> list[str]:
    """Providers to request, in order; always ends with CPU.

    ``available`` is what the installed onnxruntime lists; ``caps`` what the machine can run
    (``None``: nothing but the CPU, the safe default). ``override`` is the user's choice
    ("auto", "cpu", "cuda", "directml", "coreml" or a full provider name); one that cannot
    run here raises ``InputError`` saying why and how to fix it.
    """
    caps = caps or HostCaps()
    if override and override.strip().lower() != "auto":
        return _forced(override.strip(), available, caps)
    chosen = [p for p in PREFERENCE if p in available and caps.of(p).usable]
    if CPU not in chosen:
        chosen.append(CPU)
    return chosen


def _forced(override: str, available: Sequence[str], caps: HostCaps) -> list[str]:
    wanted = ALIASES.get(override.lower(), override)
    runnable = ["auto"] + [
        _SHORT[p] for p in PREFERENCE if p == CPU or (p in available and caps.of(p).usable)
    ]
    choose = tr("Choose one of: {providers}.").format(providers=", ".join(runnable))
    if wanted not in PREFERENCE and wanted not in available:
        raise InputError(tr("unknown execution provider '{provider}'.").format(provider=override), choose)
    if wanted == CPU:
        return [CPU]
    if wanted not in available:
        hint = choose
        if wanted == CUDA:
            hint = tr(
                "CUDA needs the onnxruntime-gpu wheel (Linux x86_64 and Windows x64 only). {choose}"
            ).format(choose=choose)
        raise InputError(
            tr("execution provider '{provider}' is not in the installed onnxruntime.").format(
                provider=override
            ),
            hint,
        )
    cap = caps.of(wanted)
    if not cap.usable:
        auto = tr("Or leave the provider unset (auto) to use the best one that runs. {choose}").format(
            choose=choose
        )
        raise InputError(
            tr("execution provider '{provider}' cannot run here: {reason}.").format(
                provider=override,
                reason=tr("it was not checked on this machine") if cap == _UNCHECKED else cap.reason,
            ),
            f"{cap.fix} {auto}" if cap.fix else auto,
        )
    return [wanted, CPU]


# Wheels that all install the same ``onnxruntime`` package directory, so any two of them
# overwrite each other's files. (onnxruntime-extensions and -genai are separate packages.)
RUNTIME_DISTS = (
    "onnxruntime",
    "onnxruntime-gpu",
    "onnxruntime-directml",
    "onnxruntime-openvino",
    "onnxruntime-qnn",
)


def wanted_runtime(platform_name: str | None = None, machine: str | None = None) -> str:
    """The onnxruntime wheel pyproject.toml's markers pick for this platform (keep the two in step)."""
    platform_name = sys.platform if platform_name is None else platform_name
    machine = platform.machine() if machine is None else machine
    gpu = (platform_name == "linux" and machine == "x86_64") or (
        platform_name == "win32" and machine == "AMD64"
    )
    return "onnxruntime-gpu" if gpu else "onnxruntime"


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def check_single_runtime(installed: Iterable[str], wanted: str | None = None) -> None:
    """Raise ``StudioError`` with the exact fix when more than one onnxruntime wheel is installed.

    ``installed`` is the names of the installed distributions (any spelling).
    """
    present = sorted({_normalize(n) for n in installed} & set(RUNTIME_DISTS))
    if len(present) < 2:
        return
    wanted = wanted or wanted_runtime()
    # Uninstalling just one would delete files the other still needs, so both go and the
    # right one comes back.
    uninstall = f"{_pip()} uninstall -y {' '.join(present)}"
    if len(present) == 2:
        problem = tr(
            "{first} and {second} are both installed; "
            "they overwrite each other's files, so none of them works reliably."
        ).format(first=present[0], second=present[1])
    else:
        problem = tr(
            "{wheels} are all installed; they overwrite each other's files, so none of them works reliably."
        ).format(wheels=" and ".join(present))
    raise StudioError(
        problem,
        tr("Run '{uninstall}', then '{install}'.").format(
            uninstall=uninstall, install=f"{_pip()} install {wanted}"
        ),
    )


def _pip() -> str:
    exe = sys.executable or "python"
    return f'"{exe}" -m pip' if " " in exe else f"{exe} -m pip"
