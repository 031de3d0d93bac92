"""Side-by-side stills of a video twin: the real person | the twin | the photo avatar.

    .venv/bin/python tools/twin_stills.py --video CLIP --twin PACKAGE [--out docs/twin]

For each of closed, aa, oo, f and a blink: the real frame of ``CLIP`` (the footage the twin was
built from) that shows that shape most clearly, the twin driven with the drivers' pose for it,
and a photo avatar made from the clip's best frame driven with the same pose. Each picture is
cropped around the face (found by MediaPipe on that picture) and scaled to one size, so the three
columns compare like for like. Writes ``twin-stills.png`` and one PNG per row.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from studio.avatar.create import analyse_image, make_consent, write_avatar
from studio.avatar.package import load_avatar
from studio.capture.video_import import best_frame
from studio.face import topology as T
from studio.face.landmarker import FaceLandmarker
from studio.lipsync.visemes import VISEME_POSES
from studio.render.factory import renderers_for
from studio.render.idle import IdlePose
from studio.render.photo_renderer import PhotoRenderer, RenderSettings
from studio.tasks import CancelToken, no_progress
from studio.twin.analysis import BLENDSHAPE_NAMES, analyse_footage
from studio.twin.footage import iter_frames
from studio.twin.store import load_twin

SHAPES = ("closed", "aa", "oo", "f", "blink")
POSES = {"closed": "sil", "aa": "aa", "oo": "ou", "f": "FF", "blink": "sil"}
TILE = 256
SETTINGS = RenderSettings(1280, 720)


def real_frames(video: Path) -> dict[str, np.ndarray]:
    """The usable frame of ``video`` that shows each shape most clearly."""
    analysis = analyse_footage(video, no_progress, CancelToken(), min_usable_s=0.0)
    usable = analysis.reject == 0
    jaw, width, rnd, close, tuck = (analysis.mouth[:, i] for i in range(5))
    blink = analysis.blendshapes[:, BLENDSHAPE_NAMES.index("eyeBlinkLeft")]
    blink = blink + analysis.blendshapes[:, BLENDSHAPE_NAMES.index("eyeBlinkRight")]
    score = {
        "closed": -(jaw + np.abs(width) * 0.3 + tuck + rnd),
        "aa": jaw,
        "oo": rnd - 0.5 * jaw,
        "f": tuck - 0.3 * jaw,
        "blink": blink - jaw,
    }
    wanted = {}
    for name, values in score.items():
        values = np.where(usable & np.isfinite(values), values, -np.inf)
        wanted[int(np.argmax(values))] = name
    found: dict[str, np.ndarray] = {}
    for index, rgb in iter_frames(video, analysis.info):
        if index in wanted:
            found[wanted[index]] = rgb
        if len(found) == len(wanted):
            break
    return found


def twin_frames(package: Path) -> dict[str, np.ndarray]:
    """The twin with the drivers' pose for each shape, held long enough for its face to settle;
    the blink is the idle loop's frame with the eyes most closed."""
    made = renderers_for(load_avatar(package), SETTINGS, 1)
    renderer, planner = made.workers[0], made.planner
    shots = {}
    for name in SHAPES[:-1]:
        pose = np.array(VISEME_POSES[POSES[name]], np.float32)
        planned = planner.plan_track(np.repeat(pose[None, :], 12, axis=0))
        shots[name] = renderer.render(11, planned[11])
    idle = load_twin(package).idle.landmarks
    lid = np.linalg.norm(idle[:, 159, :2] - idle[:, 145, :2], axis=1)
    lid += np.linalg.norm(idle[:, 386, :2] - idle[:, 374, :2], axis=1)
    rest = planner.plan_track(np.repeat(np.array(VISEME_POSES["sil"], np.float32)[None, :], 1, axis=0))
    shots["blink"] = renderer.render(int(np.argmin(lid)), rest[0])
    made.close()
    return shots


def photo_frames(video: Path) -> dict[str, np.ndarray]:
    frame, _ = best_frame(video, no_progress, CancelToken())
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "Photo"
        write_avatar(analyse_image(frame, video.name), target, "Photo", make_consent("Stills"))
        avatar = load_avatar(target)
    renderer = PhotoRenderer(avatar.image, avatar.landmarks, SETTINGS)
    shots = {}
    for name in SHAPES:
        blink = 1.0 if name == "blink" else 0.0
        pose = IdlePose(blink, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        shots[name] = renderer.render(0, np.array(VISEME_POSES[POSES[name]], np.float32), pose)
    return shots


def face_tile(image: np.ndarray, landmarker: FaceLandmarker) -> np.ndarray:
    """A square around the face, from the brows to below the chin, at TILE pixels."""
    faces = landmarker.detect(image)
    if not faces:
        return np.zeros((TILE, TILE, 3), np.uint8)
    lm = faces[0].landmarks
    eyes = float(np.linalg.norm(lm[T.LEFT_EYE_OUTER, :2] - lm[T.RIGHT_EYE_OUTER, :2]))
    cx, cy = float(lm[T.NOSE_TIP, 0]), float(lm[T.NOSE_TIP, 1]) + 0.25 * eyes
    half = 1.05 * eyes
    box = (round(cx - half), round(cy - half), round(cx + half), round(cy + half))
    return np.asarray(Image.fromarray(image).crop(box).resize((TILE, TILE), Image.Resampling.LANCZOS))


def sheet(rows: dict[str, list[np.ndarray]], columns: tuple[str, ...]) -> Image.Image:
    pad, head = 6, 28
    width = len(columns) * (TILE + pad) + pad + 70
    height = len(rows) * (TILE + pad) + pad + head
    out = Image.new("RGB", (width, height), (24, 26, 30))
    draw = ImageDraw.Draw(out)
    for c, title in enumerate(columns):
        draw.text((70 + pad + c * (TILE + pad) + 8, 8), title, fill=(235, 235, 235))
    for r, (name, tiles) in enumerate(rows.items()):
        y = head + pad + r * (TILE + pad)
        draw.text((10, y + TILE // 2 - 6), name, fill=(235, 235, 235))
        for c, tile in enumerate(tiles):
            out.paste(Image.fromarray(tile), (70 + pad + c * (TILE + pad), y))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video", type=Path, required=True, help="the footage the twin was built from")
    parser.add_argument("--twin", type=Path, required=True, help="the twin's package folder")
    parser.add_argument("--out", type=Path, default=Path("docs/twin"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    real, twin, photo = real_frames(args.video), twin_frames(args.twin), photo_frames(args.video)
    columns = ("real person", "twin", "photo avatar")
    rows: dict[str, list[np.ndarray]] = {}
    with FaceLandmarker(max_faces=1) as landmarker:
        for name in SHAPES:
            rows[name] = [face_tile(shots[name], landmarker) for shots in (real, twin, photo)]
    sheet(rows, columns).save(args.out / "twin-stills.png", optimize=True)
    print(args.out / "twin-stills.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
