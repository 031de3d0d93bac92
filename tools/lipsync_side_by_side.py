"""Render one real-speech clip on the demo avatar with two lip-sync models, side by side.

    .venv/bin/python tools/lipsync_side_by_side.py --a v1=onnx_models/lipsync.onnx \\
        --b v2=build/lipsync-v2c/lipsync.onnx assets/lipsync_eval/real-aligned/jfk-inaugural.flac \\
        --out build/lipsync-side-by-side.mp4 --stills docs/stills

Each model drives the demo photo avatar (``ModelDriver``) through ``render_speech``; FFmpeg puts
the two videos side by side with the clip's audio. Stills are taken where the clip's labels
(``NAME.tsv`` beside the audio) hold a lip closure (PP) for at least 50 ms, the moments where
lip-sync errors show most.

docs/stills/lipsync-v1-v2-jfk-mouths.png is the mouth region of such a render of the JFK clip
(v1 above, the v2 candidate below) from 4.9 s to 6.9 s ("ask not what your country") at 5 frames
a second: ``ffmpeg -ss 4.9 -t 2 -i OUT -vf fps=5,crop=120:70:180:205,scale=240:140,tile=10x1``
for each half (crop x 660 for the right one), stacked.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from studio.avatar.create import create_from_photo
from studio.avatar.library import AvatarLibrary
from studio.inference.lipsync_model import LipSyncModel
from studio.lipsync.labels import read_labels_tsv
from studio.lipsync.model_driver import ModelDriver
from studio.pipeline.render_job import render_speech, speech_from_file
from studio.render.photo_renderer import RenderSettings
from studio.resources import DEMO_PHOTO, asset_path


def closures(tsv: Path, count: int) -> list[float]:
    """Mid-points of the longest labelled PP spans, in time order."""
    spans = [s for s in read_labels_tsv(tsv) if s.viseme == "PP" and s.duration >= 0.05]
    spans = sorted(spans, key=lambda s: -s.duration)[:count]
    return sorted((s.start + s.end) / 2 for s in spans)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("audio", type=Path)
    parser.add_argument("--a", required=True, help="NAME=model.onnx, shown on the left")
    parser.add_argument("--b", required=True, help="NAME=model.onnx, shown on the right")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--stills", type=Path, help="folder for PNG stills at lip closures")
    parser.add_argument("--count", type=int, default=4)
    args = parser.parse_args(argv)
    settings = RenderSettings(width=480, height=480)
    speech = speech_from_file(args.audio)
    names = []
    with tempfile.TemporaryDirectory(prefix="studio-sbs-") as tmp:
        folder = Path(tmp)
        avatar = create_from_photo(
            asset_path(*DEMO_PHOTO), "lipsync-compare", "Demo Person", AvatarLibrary(folder / "lib")
        )
        videos = []
        for spec in (args.a, args.b):
            name, path = spec.split("=", 1)
            names.append(name)
            video = folder / f"{name}.mp4"
            render_speech(avatar, speech, video, settings, ModelDriver(LipSyncModel(Path(path), threads=1)))
            videos.append(video)
        label = "drawtext=text='{}':x=10:y=10:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.5"
        graph = f"[0:v]{label.format(names[0])}[l];[1:v]{label.format(names[1])}[r];[l][r]hstack=inputs=2[v]"
        args.out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["ffmpeg", "-v", "error", "-y", "-i", str(videos[0]), "-i", str(videos[1]), "-filter_complex",
             graph, "-map", "[v]", "-map", "0:a", "-c:v", "libx264", "-crf", "28", "-c:a", "aac",
             str(args.out)],
            check=True,
        )  # fmt: skip
    if args.stills:
        args.stills.mkdir(parents=True, exist_ok=True)
        tsv = args.audio.with_suffix(".tsv")
        for t in closures(tsv, args.count) if tsv.exists() else []:
            still = args.stills / f"lipsync-{names[0]}-{names[1]}-{args.audio.stem}-{t:05.2f}s.png"
            subprocess.run(
                ["ffmpeg", "-v", "error", "-y", "-ss", f"{t:.3f}", "-i", str(args.out), "-frames:v", "1",
                 str(still)],
                check=True,
            )  # fmt: skip
            print(still)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
