"""Render one real-speech clip with two lip-sync models, side by side, on the demo avatar and a twin.

    git show 30ac773:onnx_models/lipsync.onnx > build/lipsync-v1.onnx
    .venv/bin/python tools/lipsync_side_by_side.py --a v1=build/lipsync-v1.onnx \\
        --b v2=onnx_models/lipsync.onnx \\
        assets/lipsync_eval/real-aligned/ljspeech-LJ001-0009.flac \\
        --twin ~/.cache/studio-footage/franck.webm --out build/lipsync-side-by-side.mp4 \\
        --mouths docs/stills/lipsync-v1-v2-ljspeech

Each model drives the demo photo avatar (``ModelDriver``) through ``render_speech``. With
``--twin`` (a talking-face video, built into a twin in a scratch library, or a twin package
folder) the same two models drive that avatar too; ``render_speech`` picks the renderer from the
avatar itself. FFmpeg labels each pane with its avatar and model and stacks them, the first
avatar on top (A | B), the twin below (A | B), with the clip's audio.

``--mouths PREFIX`` writes ``PREFIX-mouths.png`` (demo avatar) and ``PREFIX-twin-mouths.png``:
mouth crops of both models, A's row above B's, ``--fps`` frames a second over the ``--seconds``
stretch of the clip's labels (``NAME.tsv`` beside the audio) with the most lip closures (PP) and
consonant clusters (``--at`` overrides it). Each column is headed by its time and labelled
viseme; a sheet over 600 KB is saved in 256 colours. The mouth box is where the two models'
renders of one avatar differ most: the lips and jaw.

docs/stills/lipsync-v1-v2-ljspeech-*.png (v1 against the shipped v2) come from the command above
and from the same with ``--at 5.4 --seconds 1 --fps 30 --mouths
docs/stills/lipsync-v1-v2-ljspeech-30fps``. (lipsync-v1-v2-jfk-mouths.png is older: its "v2" is
the 2026-12-07 candidate, not the shipped v2.)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar, load_avatar
from studio.inference.lipsync_model import LipSyncModel
from studio.lipsync.labels import read_labels_tsv
from studio.lipsync.model_driver import ModelDriver
from studio.pipeline.render_job import render_speech, speech_from_file
from studio.render.photo_renderer import RenderSettings
from studio.resources import DEMO_PHOTO, asset_path
from studio.tasks import CancelToken, no_progress

CONSONANTS = frozenset({"PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR"})
TILE_W, TILE_H, HEAD_H, NAME_W = 144, 90, 16, 96
MAX_PNG_BYTES = 600_000


def closures(tsv: Path, count: int) -> list[float]:
    """Mid-points of the longest labelled PP spans, in time order."""
    spans = [s for s in read_labels_tsv(tsv) if s.viseme == "PP" and s.duration >= 0.05]
    spans = sorted(spans, key=lambda s: -s.duration)[:count]
    return sorted((s.start + s.end) / 2 for s in spans)


def busiest_window(tsv: Path, seconds: float = 2.0, step: float = 0.1) -> float:
    """Start (a multiple of ``step``) of the ``seconds`` stretch with the most lip closures and
    consonant clusters: each PP span counts 2, each consonant right after another consonant 1.
    The earliest such stretch wins a tie."""
    spans = list(read_labels_tsv(tsv))
    scored = []
    for i, span in enumerate(spans):
        score = 2 if span.viseme == "PP" else 0
        if i and span.viseme in CONSONANTS and spans[i - 1].viseme in CONSONANTS:
            score += 1
        if score:
            scored.append((span.start, score))
    end = spans[-1].end if spans else 0.0
    best, best_score = 0.0, -1
    for k in range(max(int(round((end - seconds) / step)), 0) + 1):
        t = round(k * step, 6)
        score = sum(s for start, s in scored if t <= start < t + seconds)
        if score > best_score:
            best, best_score = t, score
    return best


def viseme_at(tsv: Path, t: float) -> str:
    for span in read_labels_tsv(tsv):
        if span.start <= t < span.end:
            return span.viseme
    return ""


def _frames(video: Path, indices: Sequence[int] | None = None) -> list[np.ndarray]:
    """RGB frames of ``video`` at ``indices`` (every frame when None)."""
    import av

    wanted = None if indices is None else set(indices)
    out = []
    with av.open(str(video)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if wanted is None or i in wanted:
                out.append(frame.to_ndarray(format="rgb24"))
    return out


def mouth_box(a: Path, b: Path, aspect: float = TILE_W / TILE_H) -> tuple[int, int, int, int]:
    """(x, y, w, h) around where the renders ``a`` and ``b`` of one avatar differ (the mouth),
    padded and widened to ``aspect``."""
    diff = None
    for fa, fb in zip(_frames(a), _frames(b), strict=False):
        d = np.abs(fa.astype(np.int16) - fb.astype(np.int16)).sum(axis=2).astype(np.float64)
        diff = d if diff is None else diff + d
    if diff is None or diff.max() <= 0:
        raise ValueError(f"{a.name} and {b.name} do not differ anywhere: no mouth to crop")
    import cv2

    # Head motion and encoding differ a little everywhere; the mouth and jaw differ most, the
    # lips' gap (the peak) more than the chin.
    smooth = cv2.GaussianBlur(diff, (0, 0), 6)
    cy, cx = np.unravel_index(int(smooth.argmax()), smooth.shape)
    _, labels = cv2.connectedComponents((smooth > 0.6 * smooth.max()).astype(np.uint8))
    ys, xs = np.nonzero(labels == labels[cy, cx])
    cx = (xs.min() + xs.max()) / 2  # centred across; up and down on the lips, not the chin
    w = max((xs.max() - xs.min()) * 1.4, (ys.max() - ys.min()) * 1.4 * aspect, 48.0)
    h = w / aspect
    height, width = diff.shape
    w, h = min(w, width), min(h, height)
    x = int(round(min(max(cx - w / 2, 0), width - w)))
    y = int(round(min(max(cy - h / 2, 0), height - h)))
    return x, y, int(round(w)), int(round(h))


def mouth_sheet(
    rows: Sequence[tuple[str, Path]], tsv: Path, start: float, seconds: float, fps: float, out: Path
) -> Path:
    """PNG of mouth crops: one row per (name, video), one column per ``1/fps`` s from ``start``,
    each headed by its time and labelled viseme; wrapped into blocks of at most 10 columns."""
    import av
    from PIL import Image, ImageDraw

    with av.open(str(rows[0][1])) as container:
        video_fps = float(container.streams.video[0].average_rate)
    times = [start + k / fps for k in range(int(round(seconds * fps)))]
    indices = [int(round(t * video_fps)) for t in times]
    box = mouth_box(rows[0][1], rows[1][1])
    crops = []
    for _, video in rows:
        frames = _frames(video, indices)
        crops.append(
            [Image.fromarray(f).crop((box[0], box[1], box[0] + box[2], box[1] + box[3])) for f in frames]
        )
    per_block = min(len(times), 10)
    blocks = (len(times) + per_block - 1) // per_block
    block_h = HEAD_H + TILE_H * len(rows)
    sheet = Image.new("RGB", (NAME_W + TILE_W * per_block, block_h * blocks + 4 * (blocks - 1)), "white")
    draw = ImageDraw.Draw(sheet)
    for k, t in enumerate(times):
        x, y = NAME_W + TILE_W * (k % per_block), (block_h + 4) * (k // per_block)
        draw.text((x + 4, y + 2), f"{t:.2f}s {viseme_at(tsv, t)}", fill="black")
        for r, row in enumerate(crops):
            if k < len(row):
                sheet.paste(row[k].resize((TILE_W, TILE_H), Image.LANCZOS), (x, y + HEAD_H + TILE_H * r))
    for b in range(blocks):
        for r, (name, _) in enumerate(rows):
            draw.text((6, (block_h + 4) * b + HEAD_H + TILE_H * r + TILE_H // 2 - 6), name, fill="black")
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)
    if out.stat().st_size > MAX_PNG_BYTES:  # docs/ stills stay small: 256 colours, no dither
        sheet.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            out, optimize=True
        )
    return out


def twin_avatar(source: Path, library: AvatarLibrary) -> Avatar:
    """The twin package ``source``, or a twin built from the video ``source`` in ``library``."""
    if source.is_dir():
        return load_avatar(source)
    from studio.twin.build import TwinRequest, build_twin

    return build_twin(TwinRequest(source, "Twin", "Side By Side"), library, no_progress, CancelToken())


def stack(panes: Sequence[tuple[str, Path]], out: Path) -> None:
    """Label each pane and tile them two across (A | B per avatar), with the first pane's audio."""
    label = "drawtext=text='{}':x=10:y=10:fontsize=24:fontcolor=white:box=1:boxcolor=black@0.5"
    graph = "".join(f"[{i}:v]{label.format(name)}[p{i}];" for i, (name, _) in enumerate(panes))
    rows = len(panes) // 2
    for r in range(rows):
        graph += f"[p{2 * r}][p{2 * r + 1}]hstack=inputs=2[r{r}];"
    graph += "".join(f"[r{r}]" for r in range(rows)) + (f"vstack=inputs={rows}[v]" if rows > 1 else "null[v]")
    inputs = [arg for _, video in panes for arg in ("-i", str(video))]
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, "-map", "[v]", "-map",
         "0:a", "-c:v", "libx264", "-crf", "23", "-c:a", "aac", str(out)],
        check=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("audio", type=Path)
    parser.add_argument("--a", required=True, help="NAME=model.onnx, shown on the left")
    parser.add_argument("--b", required=True, help="NAME=model.onnx, shown on the right")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--twin", type=Path, help="talking-face video (or twin package) for the lower row")
    parser.add_argument("--stills", type=Path, help="folder for full-frame PNG stills at lip closures")
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--mouths", help="PREFIX for PREFIX-mouths.png (and PREFIX-twin-mouths.png)")
    parser.add_argument("--at", type=float, help="start of the mouth stretch (default: the busiest)")
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--fps", type=float, default=10.0)
    parser.add_argument("--size", type=int, default=480)
    args = parser.parse_args(argv)
    settings = RenderSettings(width=args.size, height=args.size)
    speech = speech_from_file(args.audio)
    tsv = args.audio.with_suffix(".tsv")
    models = [spec.split("=", 1) for spec in (args.a, args.b)]
    with tempfile.TemporaryDirectory(prefix="studio-sbs-") as tmp:
        folder = Path(tmp)
        library = AvatarLibrary(folder / "lib")
        avatars = [
            ("demo", create_from_photo(asset_path(*DEMO_PHOTO), "lipsync-compare", "Demo Person", library))
        ]
        if args.twin:
            avatars.append(("twin", twin_avatar(args.twin.expanduser(), library)))
        panes: list[tuple[str, Path]] = []
        for kind, avatar in avatars:
            for name, path in models:
                video = folder / f"{kind}-{name}.mp4"
                driver = ModelDriver(LipSyncModel(Path(path), threads=1))
                render_speech(avatar, speech, video, settings, driver)
                panes.append((f"{kind} {name}" if args.twin else name, video))
        stack(panes, args.out)
        print(args.out)
        if args.mouths and tsv.exists():
            start = args.at if args.at is not None else busiest_window(tsv, args.seconds)
            for r, (kind, _) in enumerate(avatars):
                rows = [(name, panes[2 * r + i][1]) for i, (name, _) in enumerate(models)]
                suffix = "-mouths.png" if r == 0 else f"-{kind}-mouths.png"
                print(mouth_sheet(rows, tsv, start, args.seconds, args.fps, Path(args.mouths + suffix)))
    if args.stills:
        args.stills.mkdir(parents=True, exist_ok=True)
        for t in closures(tsv, args.count) if tsv.exists() else []:
            still = args.stills / f"lipsync-{models[0][0]}-{models[1][0]}-{args.audio.stem}-{t:05.2f}s.png"
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-ss", f"{t:.3f}", "-i", str(args.out), "-frames:v", "1",
                 str(still)],
                check=True,
            )  # fmt: skip
            print(still)
    return 0


if __name__ == "__main__":
    sys.exit(main())
