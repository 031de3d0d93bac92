"""The twin's parts written into a package folder and read back; damage is one line."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from footage import footage

from studio.errors import InputError
from studio.face.landmarker import FaceLandmarker
from studio.tasks import CancelToken, no_progress
from studio.twin import atlas as A
from studio.twin import store

FRAMES = 60


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, A.Atlas, list[np.ndarray], np.ndarray]:
    frames, marks = [], []
    container = av.open(str(footage("franck.webm")))
    with container, FaceLandmarker(max_faces=1) as landmarker:
        for i, frame in enumerate(container.decode(video=0)):
            if i >= FRAMES:
                break
            rgb = frame.to_ndarray(format="rgb24")
            frames.append(rgb)
            marks.append(landmarker.detect(rgb, search=False)[0].landmarks)
    lm = np.stack(marks)
    mouth = np.zeros((FRAMES, 5), np.float32)
    atlas, canonical = A.build_atlas(enumerate(frames), lm, mouth, np.zeros((FRAMES, 0), np.float32),
                                     np.ones(FRAMES, bool), no_progress, CancelToken())  # fmt: skip
    folder = tmp_path_factory.mktemp("twin")
    first, count = store.write_idle(folder, iter(frames), Fraction(25))
    assert count == FRAMES and first.shape == (288, 360, 3)
    store.write_twin_parts(folder, lm, mouth, (360, 288), Fraction(25), atlas, canonical, 0, {"closed": 3})
    return folder, atlas, frames, lm


def test_parts_round_trip(parts) -> None:  # type: ignore[no-untyped-def]
    folder, atlas, _frames, lm = parts
    twin = store.load_twin(folder)
    assert len(twin.atlas) == len(atlas) and twin.rest_unit == 0
    np.testing.assert_array_equal(twin.atlas.source_frame, atlas.source_frame)
    np.testing.assert_allclose(twin.atlas.landmarks, atlas.landmarks)
    # 4:4:4 crf 12: the crops come back close to what was cut.
    error = np.abs(twin.atlas.crops.astype(int) - atlas.crops.astype(int)).mean()
    assert error < 2.0, error
    assert twin.idle.size == (360, 288) and twin.idle.fps == Fraction(25) and len(twin.idle) == FRAMES
    with av.open(str(twin.idle.video)) as container:
        assert sum(1 for _ in container.decode(video=0)) == FRAMES


@pytest.mark.parametrize("part", ["atlas.npz", "idle.npz", "atlas.mp4", "idle.mp4", "coverage.json"])
def test_a_damaged_or_missing_part_is_one_line(parts, tmp_path: Path, part: str) -> None:  # type: ignore[no-untyped-def]
    folder = parts[0]
    copy = tmp_path / "twin"
    copy.mkdir()
    for path in folder.iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    raw = (copy / part).read_bytes()
    (copy / part).write_bytes(raw[: len(raw) // 3])
    if part != "idle.mp4":  # idle.mp4 is decoded by the renderer; here only its presence is checked
        with pytest.raises(InputError) as info:
            store.load_twin(copy)
        assert "\n" not in str(info.value) and "damaged" in str(info.value)
    (copy / part).unlink()
    with pytest.raises(InputError, match=part.replace(".", r"\.")):
        store.load_twin(copy)


def _planted(parts, tmp_path: Path, entries: dict[str, bytes]) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the package whose atlas.npz is replaced by ``entries`` (name -> .npy bytes)."""
    import zipfile

    copy = tmp_path / "twin"
    copy.mkdir()
    for path in parts[0].iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    with zipfile.ZipFile(copy / "atlas.npz", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return copy


def _npy_header(shape: tuple[int, ...], dtype: str) -> bytes:
    import io

    fh = io.BytesIO()
    np.lib.format.write_array_header_1_0(fh, {"descr": dtype, "fortran_order": False, "shape": shape})
    return fh.getvalue()


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        # A header may declare any shape: np.load would try to allocate 20 TiB.
        ({"mouth.npy": _npy_header((2**40, 5), "<f4")}, "more than 256 MB"),
        # A few hundred KB that would inflate to 260 MB of zeros.
        ({"junk.npy": _npy_header((65 * 2**20,), "<f4") + bytes(260 * 2**20)}, "more than 256 MB"),
        ({"mouth.npy": _npy_header((3, 5), "<c8") + bytes(120)}, "not numbers"),
    ],
    ids=["huge shape", "inflates", "complex"],
)
def test_a_planted_atlas_is_refused_before_it_takes_the_memory(
    parts,
    tmp_path: Path,
    entries: dict[str, bytes],
    problem: str,  # type: ignore[no-untyped-def]
) -> None:
    with pytest.raises(InputError, match=problem) as info:
        store.load_twin(_planted(parts, tmp_path, entries))
    assert "\n" not in str(info.value)
