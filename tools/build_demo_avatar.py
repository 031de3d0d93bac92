"""Rebuild the committed demo avatar ``assets/demo/avatar/`` from ``assets/demo/astronaut.png``.

Uses the same code path as ``studio avatar create`` (``create_package``) so the demo is a
real package that the quality checks accept. Run from the repository root:

    .venv/bin/python tools/build_demo_avatar.py [--force]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

# Runnable from a plain checkout, where Studio is not installed into the venv.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.avatar.create import create_package, make_consent
from studio.avatar.library import DEMO_NAME, demo_package_path
from studio.errors import StudioError
from studio.resources import DEMO_PHOTO, asset_path

CONSENT_BY = "NASA (public-domain portrait of Eileen Collins)"
# Public domain covers copyright only; say plainly that the pictured person did not consent.
STATEMENT = (
    "Public-domain NASA photograph (no copyright). Eileen Collins has not consented to a "
    "digital twin: this demo avatar exists only to try Studio locally, and every video made "
    "with it is labelled as AI-generated."
)
SOURCE_NOTE = (
    "NASA portrait of astronaut Eileen Collins, public domain, as distributed in "
    "scikit-image (skimage.data.astronaut); see assets/demo/SOURCE.md."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="replace an existing demo package")
    args = parser.parse_args(argv)
    target = demo_package_path()
    if target.exists():
        if not args.force:
            print(f"{target} exists; pass --force to rebuild it.", file=sys.stderr)
            return 2
        shutil.rmtree(target)
    consent = make_consent(CONSENT_BY, STATEMENT, method="public-domain")
    try:
        avatar = create_package(asset_path(*DEMO_PHOTO), target, DEMO_NAME, consent, SOURCE_NOTE)
    except StudioError as exc:
        print(f"build_demo_avatar: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {avatar.path} ({avatar.manifest.image_size[0]}x{avatar.manifest.image_size[1]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
