"""Render reference stills of the demo avatar (mouth shapes and a blink) to docs/stills/.

    .venv/bin/python tools/render_stills.py

They are looked at before a renderer change lands and shown in the README.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from studio.avatar.library import AvatarLibrary
from studio.lipsync.visemes import VISEME_POSES
from studio.render.idle import IdlePose
from studio.render.photo_renderer import PhotoRenderer, RenderSettings

STILLS = {
    "closed": ("sil", 0.0),
    "aa": ("aa", 0.0),
    "oo": ("ou", 0.0),
    "f": ("FF", 0.0),
    "E": ("E", 0.0),
    "blink": ("sil", 1.0),
}


def main(out_dir: Path) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        avatar = AvatarLibrary(Path(tmp)).load("demo")
    renderer = PhotoRenderer(avatar.image, avatar.landmarks, RenderSettings())
    crops = []
    for name, (viseme, blink) in STILLS.items():
        pose = IdlePose(blink, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        frame = renderer.render(0, np.array(VISEME_POSES[viseme], np.float32), pose)
        Image.fromarray(frame).save(out_dir / f"{name}.png")
        x0, y0, x1, y1 = renderer.mesh.roi
        cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
        crops.append(Image.fromarray(frame[cy - 150 : cy + 130, cx - 130 : cx + 130]))
    sheet = Image.new("RGB", (sum(c.width for c in crops), crops[0].height))
    x = 0
    for crop in crops:
        sheet.paste(crop, (x, 0))
        x += crop.width
    sheet.save(out_dir / "contact_sheet.png")
    print(out_dir / "contact_sheet.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/stills")))
