"""``studio avatar create|list|rename|delete`` (and ``consent``, in ``avatar_consent_cmd``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.cli.avatar_consent_cmd import register_consent
from studio.cli.native_logs import native_logs_held_back
from studio.errors import InputError, printable
from studio.tasks import ProgressFn, no_progress

if TYPE_CHECKING:
    from studio.avatar.library import AvatarLibrary

CREATE_TARGET_S = 3.0


def register(sub: Any) -> None:
    parser = sub.add_parser("avatar", help="create, list, rename and delete avatars")
    parser.set_defaults(handler=lambda _args: _print_help(parser))
    actions = parser.add_subparsers(dest="avatar_command", metavar="ACTION")

    library_help = "avatar library folder (default: your Studio data folder)"

    create = actions.add_parser("create", help="make an avatar from a photo or a video of one person")
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--photo", type=Path, metavar="FILE", help="face photo")
    source.add_argument(
        "--video",
        type=Path,
        metavar="FILE",
        help="a video of the person talking (a minute is best): builds their video twin",
    )
    create.add_argument(
        "--still",
        action="store_true",
        help="with --video: a photo avatar from the video's best frame instead",
    )
    create.add_argument("--name", required=True, help="avatar name (letters, digits, space, - _)")
    create.add_argument(
        "--consent-by",
        required=True,
        metavar="FULL_NAME",
        help="full name of the pictured person, who consented to this twin",
    )
    create.add_argument("--statement", help="consent text to record instead of the standard one")
    create.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    create.set_defaults(handler=_create)

    listing = actions.add_parser("list", help="show the avatars in the library")
    listing.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    listing.set_defaults(handler=_list)

    rename = actions.add_parser("rename", help="give an avatar another name")
    rename.add_argument("old", metavar="OLD", help="the avatar's name now")
    rename.add_argument("new", metavar="NEW", help="its new name (letters, digits, space, - _)")
    rename.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    rename.set_defaults(handler=_rename)

    register_consent(actions, library_help)

    delete = actions.add_parser("delete", help="delete an avatar and all its face data")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=_delete)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _library(args: argparse.Namespace) -> AvatarLibrary:
    from studio.avatar.library import AvatarLibrary

    return AvatarLibrary(args.library)


def _create(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    if args.still and args.video is None:
        raise InputError("--still needs --video.", "Give the video to take the best frame from.")
    with native_logs_held_back():
        if args.video is not None and not args.still:
            return _create_twin(args, start)
        if args.video is not None:
            from studio.capture.build import BuildRequest, build_avatar
            from studio.tasks import CancelToken, no_progress

            # --consent-by is the operator's attestation, as the app's checkbox is.
            request = BuildRequest(
                "video", args.video, args.name, args.consent_by, attested=True, statement=args.statement
            )
            avatar = build_avatar(request, _library(args), no_progress, CancelToken())
        else:
            from studio.avatar.create import create_from_photo

            avatar = create_from_photo(
                args.photo, args.name, args.consent_by, _library(args), statement=args.statement
            )
    elapsed = time.perf_counter() - start
    yaw, pitch, roll = (avatar.manifest.face["pose_degrees"][k] for k in ("yaw", "pitch", "roll"))
    width, height = avatar.manifest.image_size
    consent = avatar.manifest.consent
    print(f"created avatar '{printable(avatar.name)}' in {elapsed:.1f} s")
    print(f"  path:    {printable(str(avatar.path))}")
    pose = f"yaw {yaw:+.0f}, pitch {pitch:+.0f}, roll {roll:+.0f} deg"
    print(f"  image:   {width}x{height}, head {pose}")
    print(f"  consent: {printable(consent.name)} ({printable(consent.recorded_at)})")
    if elapsed > CREATE_TARGET_S:
        print(f"  note: took longer than the {CREATE_TARGET_S:.0f} s target", file=sys.stderr)
    return 0


def _stderr_progress() -> ProgressFn:
    """Progress on stderr when it is a terminal: one line per new step, at most one a second
    within a step. Piped or captured, nothing: a refusal is then the one line on stderr."""
    last_message, last_at = [""], [0.0]
    if not sys.stderr.isatty():
        return no_progress

    def report(fraction: float, message: str) -> None:
        now = time.monotonic()
        head = message.split("(")[0]
        if head != last_message[0] or now - last_at[0] >= 1.0:
            print(f"[{fraction * 100:3.0f}%] {message}", file=sys.stderr, flush=True)
            last_message[0], last_at[0] = head, now

    return report


def _create_twin(args: argparse.Namespace, start: float) -> int:
    from studio.tasks import CancelToken
    from studio.twin.build import TwinRequest, build_twin

    request = TwinRequest(args.video, args.name, args.consent_by, statement=args.statement)
    avatar = build_twin(request, _library(args), _stderr_progress(), CancelToken())
    twin = avatar.manifest.twin
    consent = avatar.manifest.consent
    print(f"created twin '{printable(avatar.name)}' in {time.perf_counter() - start:.1f} s")
    print(f"  path:    {printable(str(avatar.path))}")
    print(f"  loop:    {twin.get('idle_frames')} frames ({twin.get('idle_mode')})")
    print(f"  atlas:   {twin.get('atlas_units')} mouth units")
    print(f"  consent: {printable(consent.name)} ({printable(consent.recorded_at)})")
    return 0


def _short_time(iso: str) -> str:
    # "2025-01-02T10:11:12+00:00" -> "2025-01-02 10:11" (UTC); the table has no room for more.
    return iso[:16].replace("T", " ") if iso else "-"


def _list(args: argparse.Namespace) -> int:
    library = _library(args)
    manifests = library.list()
    left_alone = library.left_alone()
    if not manifests:
        print(f"no avatars in {printable(str(library.root))}. Create one with 'studio avatar create'.")
    else:
        rows = [("NAME", "KIND", "CREATED (UTC)", "SOURCE", "CONSENT BY")]
        for m in manifests:
            # Everything read from a package is escaped: it may hold terminal control sequences.
            if m.is_damaged:
                rows.append((printable(m.name), "-", "-", "DAMAGED", printable(m.source_note)))
            else:
                when = printable(_short_time(m.created))
                cells = (printable(m.source_kind), printable(m.consent.name))
                rows.append((printable(m.name), m.kind, when, *cells))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            padded = [cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True)]
            print("  ".join([*padded, row[4]]))
        if any(m.is_damaged for m in manifests):
            print("damaged avatars cannot be used; remove them with 'studio avatar delete NAME'.")
    if left_alone:
        print(f"other folders in {printable(str(library.root))}, which Studio does not touch:")
        width = max(len(printable(other.name)) for other in left_alone)
        for other in left_alone:
            print(f"  {printable(other.name).ljust(width)}  {other.reason}")
    return 0


def _rename(args: argparse.Namespace) -> int:
    library = _library(args)
    old = library.find(args.old).name if library.exists(args.old) else args.old
    folder = library.rename(args.old, args.new)
    if folder.name == old:
        print(f"avatar '{printable(old)}' already has that name; nothing changed.")
    else:
        print(f"renamed avatar '{printable(old)}' to '{folder.name}' ({printable(str(folder))})")
    return 0


def _delete(args: argparse.Namespace) -> int:
    library = _library(args)
    path = library.find(args.name)  # unknown names fail here, before any question
    if not args.yes:
        if not sys.stdin.isatty():
            shown = printable(path.name)
            raise InputError(
                f"not deleting avatar '{shown}' without confirmation (input is not a terminal).",
                "Add --yes to delete without asking.",
            )
        try:
            shown = printable(path.name)
            answer = input(f"Delete avatar '{shown}' and all its face data in {printable(str(path))}? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted.")
            return 1
    removed = library.delete(args.name)
    print(f"deleted avatar '{printable(removed.name)}' ({printable(str(removed))})")
    return 0
