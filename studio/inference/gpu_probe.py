"""Can this machine really run onnxruntime's accelerated providers? Found out without onnxruntime.

onnxruntime-gpu lists CUDA even where there is no GPU, and asking it for CUDA there makes its
C++ logger print an error to stderr (no Python or session log level reaches it) before it
falls back to the CPU. So we ask the NVIDIA driver ourselves and load the libraries the CUDA
provider links, and Studio requests CUDA only when all of that works. Every check fails closed
and silently: a wrong "no" costs speed, a wrong "yes" puts an error on the user's terminal.

Loading the CUDA libraries here is not wasted: once a library is in the process, the loader
reuses it for onnxruntime's provider, which is how pip-installed ``nvidia-*`` wheels (outside
the loader's search path) get used, just as ``onnxruntime.preload_dlls()`` does. We do not call
that function itself because it prints to stdout when a library is missing.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from studio.inference.providers import COREML, CUDA, DML, Capability, HostCaps
from studio.translation import tr

Loader = Callable[[str], Any]

_DRIVER = {"linux": "libcuda.so.1", "win32": "nvcuda.dll"}
_CUDA_ERROR_NO_DEVICE = 100
_REQUIREMENTS = "https://onnxruntime.ai/docs/execution-providers/CUDA-ExecutionProvider.html#requirements"


def _fix_driver() -> str:
    return tr("Install the NVIDIA driver for your GPU (on Linux, your distribution's nvidia-driver package).")


def _fix_gpu() -> str:
    return tr("CUDA needs an NVIDIA GPU; check that it is seated, powered and visible (nvidia-smi).")


def probe_host(
    available: Sequence[str],
    cuda_version: str = "",
    *,
    platform_name: str | None = None,
    load: Loader | None = None,
    search_dirs: Sequence[Path] | None = None,
) -> HostCaps:
    """Check the accelerators that the installed onnxruntime lists; the rest stay unusable.

    ``cuda_version`` is the CUDA release the onnxruntime wheel was built for ("13.0"; empty
    for CPU wheels). The keyword arguments stand in for the real machine in tests.
    """
    platform_name = sys.platform if platform_name is None else platform_name
    load = load or _load_library
    unchecked = HostCaps()
    cuda = unchecked.cuda
    if CUDA in available:
        dirs = nvidia_wheel_dirs() if search_dirs is None else list(search_dirs)
        cuda = probe_cuda(cuda_version, platform_name, load, dirs)
    return HostCaps(
        cuda=cuda,
        directml=probe_directml(platform_name, load) if DML in available else unchecked.directml,
        coreml=probe_coreml(platform_name) if COREML in available else unchecked.coreml,
    )


def probe_cuda(
    cuda_version: str, platform_name: str, load: Loader, search_dirs: Sequence[Path]
) -> Capability:
    """Driver present, at least one GPU, driver new enough, and the CUDA libraries load."""
    if platform_name not in _DRIVER:
        return Capability(False, tr("CUDA runs only on Linux and Windows"))
    try:
        major = int(cuda_version.split(".")[0])
    except ValueError:
        return Capability(
            False,
            tr("the installed onnxruntime was not built with CUDA"),
            tr("Reinstall Studio (it installs onnxruntime-gpu)."),
        )
    problem = _check_driver(_DRIVER[platform_name], major, load)
    if problem:
        return problem
    missing = [
        name
        for name, subdirs in cuda_libraries(major, platform_name)
        if not _load_any(name, subdirs, search_dirs, platform_name, load)
    ]
    if missing:
        return Capability(
            False,
            tr("the CUDA {major} libraries onnxruntime needs are missing ({missing})").format(
                major=major, missing=", ".join(missing)
            ),
            tr(
                "Install CUDA {major}.x and cuDNN 9 (see {url}), "
                "or the matching nvidia-* pip wheels into Studio's environment."
            ).format(major=major, url=_REQUIREMENTS),
        )
    return Capability(True)


def _check_driver(driver_name: str, major: int, load: Loader) -> Capability | None:
    try:
        driver = load(driver_name)
    except OSError:
        return Capability(
            False,
            tr("there is no NVIDIA driver ({library} was not found)").format(library=driver_name),
            _fix_driver(),
        )
    try:
        rc = driver.cuInit(0)
        if rc == _CUDA_ERROR_NO_DEVICE:
            return Capability(False, tr("there is no NVIDIA GPU"), _fix_gpu())
        if rc != 0:
            return Capability(
                False,
                tr("the NVIDIA driver did not start ({error})").format(error=_error_name(driver, rc)),
                _fix_driver(),
            )
        count = ctypes.c_int(0)
        if driver.cuDeviceGetCount(ctypes.pointer(count)) != 0 or count.value < 1:
            return Capability(False, tr("there is no NVIDIA GPU"), _fix_gpu())
        version = ctypes.c_int(0)
        if driver.cuDriverGetVersion(ctypes.pointer(version)) == 0 and version.value // 1000 < major:
            found = f"{version.value // 1000}.{version.value % 1000 // 10}"
            return Capability(
                False,
                tr("the NVIDIA driver supports CUDA {found}, but this onnxruntime needs CUDA {major}").format(
                    found=found, major=major
                ),
                tr("Update the NVIDIA driver."),
            )
    except Exception as exc:  # a broken or foreign libcuda can fail in any way; none may escape
        return Capability(
            False, tr("the NVIDIA driver could not be queried ({error})").format(error=exc), _fix_driver()
        )
    return None


def _error_name(driver: Any, rc: int) -> str:
    name = ctypes.c_char_p()
    try:
        if driver.cuGetErrorName(rc, ctypes.pointer(name)) == 0 and name.value:
            return name.value.decode("ascii", "replace")
    except Exception:
        pass
    return f"CUDA error {rc}"


def cuda_libraries(major: int, platform_name: str) -> list[tuple[str, tuple[str, ...]]]:
    """(file, folders under an ``nvidia`` wheel directory) for each library the CUDA provider needs.

    Linux: the provider's DT_NEEDED entries plus cuDNN, which it opens later. Windows: the
    DLLs onnxruntime's own ``preload_dlls`` insists on, plus cuDNN. cuFFT and NVRTC are left
    out because onnxruntime treats them as optional too. CUDA 13 moved the toolkit wheels into
    one ``nvidia/cu13`` folder; cuDNN keeps its own.
    """
    if platform_name == "win32":
        if major >= 13:
            bins: dict[str, tuple[str, ...]] = {k: (f"cu{major}/bin/x86_64",) for k in ("cublas", "cudart")}
        else:
            bins = {"cublas": ("cublas/bin",), "cudart": ("cuda_runtime/bin",)}
        return [
            (f"cublasLt64_{major}.dll", bins["cublas"]),
            (f"cublas64_{major}.dll", bins["cublas"]),
            (f"cudart64_{major}.dll", bins["cudart"]),
            ("cudnn64_9.dll", ("cudnn/bin",)),
        ]
    if major >= 13:
        libs: dict[str, tuple[str, ...]] = {k: (f"cu{major}/lib",) for k in ("cublas", "curand", "cudart")}
    else:
        libs = {"cublas": ("cublas/lib",), "curand": ("curand/lib",), "cudart": ("cuda_runtime/lib",)}
    # cublasLt first: libcublas needs it and finds it only once it is loaded.
    return [
        (f"libcublasLt.so.{major}", libs["cublas"]),
        (f"libcublas.so.{major}", libs["cublas"]),
        ("libcurand.so.10", libs["curand"]),
        (f"libcudart.so.{major}", libs["cudart"]),
        ("libcudnn.so.9", ("cudnn/lib",)),
    ]


def _load_any(
    name: str, subdirs: Iterable[str], search_dirs: Sequence[Path], platform_name: str, load: Loader
) -> bool:
    candidates = [str(base / sub / name) for base in search_dirs for sub in subdirs]
    if platform_name == "win32":
        # The CUDA installer puts its DLLs on PATH, which Python's DLL loading skips.
        dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
        cuda_path = os.environ.get("CUDA_PATH")
        if cuda_path:
            dirs = [os.path.join(cuda_path, "bin"), os.path.join(cuda_path, "bin", "x64"), *dirs]
        candidates += [os.path.join(d, name) for d in dirs]
    candidates = [c for c in candidates if os.path.isfile(c)]
    candidates.append(name)  # the platform's own search: ld.so.cache, LD_LIBRARY_PATH, System32
    for candidate in candidates:
        try:
            load(candidate)
            return True
        except OSError:
            continue
    return False


def nvidia_wheel_dirs() -> list[Path]:
    """``nvidia`` folders of pip's CUDA wheels on sys.path (venv and user site alike)."""
    dirs: list[Path] = []
    for entry in sys.path:
        candidate = Path(entry or ".", "nvidia")
        if candidate.is_dir() and candidate not in dirs:
            dirs.append(candidate)
    return dirs


def probe_directml(platform_name: str, load: Loader) -> Capability:
    """Direct3D 12 present, and some adapter supports it (asked without creating a device)."""
    if platform_name != "win32":
        return Capability(False, tr("DirectML runs only on Windows"))
    fix = tr("Update Windows and the graphics driver.")
    try:
        d3d12 = load("d3d12.dll")
        # With no output pointer D3D12CreateDevice only tests support and returns S_FALSE (1).
        hr = d3d12.D3D12CreateDevice(None, _D3D_FEATURE_LEVEL_11_0, ctypes.byref(_IID_ID3D12DEVICE), None)
    except Exception:
        return Capability(False, tr("Direct3D 12 is not available"), fix)
    if hr < 0:
        return Capability(False, tr("no graphics adapter supports Direct3D 12"), fix)
    return Capability(True)


class _GUID(ctypes.Structure):
    _fields_ = [
        ("data1", ctypes.c_uint32),
        ("data2", ctypes.c_uint16),
        ("data3", ctypes.c_uint16),
        ("data4", ctypes.c_ubyte * 8),
    ]


_D3D_FEATURE_LEVEL_11_0 = 0xB000
_IID_ID3D12DEVICE = _GUID(
    0x189819F1, 0x1DB6, 0x4B57, (ctypes.c_ubyte * 8)(0xBE, 0x54, 0x18, 0x21, 0x33, 0x9B, 0x85, 0xF7)
)


def probe_coreml(
    platform_name: str, framework: str = "/System/Library/Frameworks/CoreML.framework"
) -> Capability:
    """CoreML is part of macOS (10.13 on); the framework folder is there when it is."""
    if platform_name != "darwin":
        return Capability(False, tr("CoreML runs only on macOS"))
    if not os.path.isdir(framework):
        return Capability(False, tr("this macOS has no CoreML framework"), tr("Update macOS."))
    return Capability(True)


def _load_library(name: str) -> Any:
    if sys.platform == "win32":
        return ctypes.WinDLL(name)
    return ctypes.CDLL(name)
