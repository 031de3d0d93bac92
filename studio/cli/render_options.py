"""Parsing and checking of the render options shared by ``render``, ``live`` and ``bench``."""

from __future__ import annotations

import argparse
import re
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from studio.errors import InputError
from studio.media.clock import as_rate
from studio.render.framing import LANDSCAPE, PORTRAIT, propose_output_size
from studio.render.label import CORNERS, default_label_text
from studio.render.photo_renderer import MAX_FPS, MAX_HEIGHT, MAX_WIDTH, MIN_SIDE
from studio.storage.text_file import read_text
from studio.translation import tr
from studio.voice.script_text import MAX_TEXT_CHARS, check_text  # noqa: F401 - the CLI's names for them

if TYPE_CHECKING:
    from studio.compliance.disclosure import Disclosure

AUTO_SIZE = "auto"  # --size by the avatar photo's shape (``frame_size``)


def add_frame_options(parser: argparse.ArgumentParser, carrier: str) -> None:
    """--size, --fps and the AI label's options, the same for ``render`` and ``live``.
    ``carrier`` names what holds the metadata (``tr("the file")``, ``tr("a recording")``)."""
    parser.add_argument(
        "--size",
        default=AUTO_SIZE,
        help=tr("frame size WIDTHxHEIGHT (default {landscape}, or {portrait} for a portrait photo)").format(
            landscape=_size(LANDSCAPE), portrait=_size(PORTRAIT)
        ),
    )
    parser.add_argument("--fps", default="30", help=tr("frames per second (default 30)"))
    parser.add_argument(
        "--label-text",
        default=default_label_text(),
        help=tr("text of the visible AI label (default: %(default)s)"),
    )
    parser.add_argument(
        "--label-corner", default="top-right", choices=CORNERS, help=tr("corner of the AI label")
    )
    parser.add_argument(
        "--no-label",
        action="store_true",
        help=tr("leave the visible label off ({carrier}'s metadata still marks it AI-generated)").format(
            carrier=carrier
        ),
    )
    parser.add_argument(
        "--credit-name",
        action="store_true",
        help=tr(
            "write the consenting person's full name into {carrier}'s metadata "
            "(default: only the avatar's name, as consent_by=avatar:NAME)"
        ).format(carrier=carrier),
    )


def add_trust_options(parser: argparse.ArgumentParser, live: bool) -> None:
    """The spoken AI notice's options, and (live) the acknowledgement an unlabelled stream needs."""
    if live:
        parser.add_argument(
            "--disclosure-every",
            type=float,
            metavar="MIN",
            help=tr(
                "say the AI notice at the start and every MIN minutes (0: the start only; "
                "default: the app's settings, 10)"
            ),
        )
        parser.add_argument(
            "--acknowledge-unlabelled",
            metavar="NAME",
            default="",
            help=tr(
                "with --no-label and --rtmp or --vcam: who takes responsibility for streaming without "
                "the visible label (recorded in the session log)"
            ),
        )
    parser.add_argument(
        "--no-disclosure",
        action="store_true",
        help=tr('do not say the spoken AI notice ("This host is AI-generated.") at the start'),
    )


def disclosure_option(args: argparse.Namespace) -> Disclosure | None:
    """The spoken AI notice for this command: the app's settings, changed by the options."""
    from studio.compliance.disclosure import disclosure_from
    from studio.settings.app_settings import load_settings

    # A damaged file means the defaults (the app says why); a render needs no stream key, so
    # the keychain is left alone (no unlock prompt on a locked desktop).
    settings, _ = load_settings(with_secrets=False)
    every = getattr(args, "disclosure_every", None)
    if every is not None and not 0 <= every <= 24 * 60:
        raise InputError(
            tr("--disclosure-every {minutes:g} is out of range.").format(minutes=every),
            tr("Give minutes from 0 to 1440."),
        )
    minutes = settings.disclosure_every_min if every is None else every
    enabled = (settings.disclosure_enabled or every is not None) and not args.no_disclosure
    notice = disclosure_from(enabled, minutes, settings.disclosure_zh, settings.disclosure_en)
    return notice.checked() if notice is not None else None


def _size(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def parse_size_option(value: str) -> tuple[int, int] | None:
    """--size as given: a checked WIDTHxHEIGHT, or None for "auto" (``frame_size`` decides
    once the avatar is loaded)."""
    return None if value.strip().casefold() == AUTO_SIZE else parse_size(value)


def frame_size(size: tuple[int, int] | None, photo_size: tuple[int, int]) -> tuple[int, int]:
    """The frame size to render: the one asked for, else the one the photo's shape suggests
    (9:16 for a portrait photo, so it fills the frame)."""
    return size if size is not None else propose_output_size(*photo_size)


def parse_size(value: str) -> tuple[int, int]:
    """``WIDTHxHEIGHT``, even and in range. (Every size in range carries the default label;
    whether the user's label fits is checked once both are known, before any speech.)"""
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", value)
    if not m:
        raise InputError(
            tr("--size '{value}' is not WIDTHxHEIGHT.").format(value=value), tr("Use e.g. --size 1280x720.")
        )
    w, h = int(m.group(1)), int(m.group(2))
    if not (MIN_SIDE <= w <= MAX_WIDTH and MIN_SIDE <= h <= MAX_HEIGHT) or w % 2 or h % 2:
        raise InputError(
            tr("--size {width}x{height} is not supported.").format(width=w, height=h),
            tr("Use even numbers from {min}x{min} to {max_width}x{max_height}, e.g. 1280x720.").format(
                min=MIN_SIDE, max_width=MAX_WIDTH, max_height=MAX_HEIGHT
            ),
        )
    return w, h


def parse_fps(value: str) -> Fraction:
    try:
        fps = as_rate(value.strip())
    except (ValueError, ZeroDivisionError):
        raise InputError(
            tr("--fps '{value}' is not a number.").format(value=value), tr("Use e.g. --fps 30.")
        ) from None
    if not 1 <= fps <= MAX_FPS:
        raise InputError(
            tr("--fps {value} is out of range.").format(value=value),
            tr("Use a rate from 1 to {max}, e.g. 30.").format(max=MAX_FPS),
        )
    return fps


def parse_preset(value: str) -> str:
    """One of x264's presets, named as x264 names them."""
    from studio.media.avstreams import X264_PRESETS  # PyAV loads only for commands that encode

    preset = value.strip().lower()
    if preset not in X264_PRESETS:
        choices = ", ".join(X264_PRESETS)
        raise InputError(
            tr("--preset '{value}' is not an x264 preset.").format(value=value),
            tr("Use one of {choices}.").format(choices=choices),
        )
    return preset


def read_script(path: Path) -> str:
    return read_text(path)


def check_output(
    path: Path, suffix: str = ".mp4", example: str = "out/demo.mp4", option: str = "--out"
) -> Path:
    if path.suffix.lower() != suffix:
        raise InputError(
            tr("{option} {path} must end in {suffix}.").format(option=option, path=path, suffix=suffix),
            tr("Name the output e.g. {example}.").format(example=example),
        )
    if path.is_dir():
        raise InputError(
            tr("{option} {path} is a folder.").format(option=option, path=path),
            tr("Give a file name ending in {suffix}.").format(suffix=suffix),
        )
    # Find out now, not after minutes of rendering, that the folder cannot take the file.
    parent = path.parent
    existing = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise InputError(
            tr("{existing} is a file, so {option} {path} cannot be written.").format(
                existing=existing, option=option, path=path
            ),
            tr("Choose a folder for {option}.").format(option=option),
        )
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=parent).close()
    except OSError as exc:
        raise InputError(
            tr("cannot write to the folder {folder} ({reason}).").format(
                folder=parent, reason=exc.strerror or exc
            ),
            tr("Choose a writable folder for {option}.").format(option=option),
        ) from None
    return path
