"""``studio avatar create|list|rename|delete`` (and ``consent``, in ``avatar_consent_cmd``)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.cli.avatar_consent_cmd import register_consent
from studio.cli.native_logs import native_logs_held_back
from studio.cli.text_width import display_width, pad
from studio.errors import InputError, printable
from studio.tasks import ProgressFn, no_progress
from studio.translation import tr

if TYPE_CHECKING:
    from studio.avatar.library import AvatarLibrary

CREATE_TARGET_S = 3.0


def register(sub: Any) -> None:
    parser = sub.add_parser("avatar", help=tr("create, list, rename and delete avatars"))
    parser.set_defaults(handler=lambda _args: _print_help(parser))
    actions = parser.add_subparsers(dest="avatar_command", metavar="ACTION")

    library_help = tr("avatar library folder (default: your Studio data folder)")

    create = actions.add_parser("create", help=tr("make an avatar from a photo or a video of one person"))
    source = create.add_mutually_exclusive_group(required=True)
    source.add_argument("--photo", type=Path, metavar="FILE", help=tr("face photo"))
    source.add_argument(
        "--video",
        type=Path,
        metavar="FILE",
        help=tr("a video of the person talking (a minute is best): builds their video twin"),
    )
    create.add_argument(
        "--still",
        action="store_true",
        help=tr("with --video: a photo avatar from the video's best frame instead"),
    )
    create.add_argument("--name", required=True, help=tr("avatar name (letters, digits, space, - _)"))
    create.add_argument(
        "--consent-by",
        required=True,
        metavar="FULL_NAME",
        help=tr("full name of the pictured person, who consented to this twin"),
    )
    create.add_argument("--statement", help=tr("consent text to record instead of the standard one"))
    create.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    create.set_defaults(handler=_create)

    listing = actions.add_parser("list", help=tr("show the avatars in the library"))
    listing.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    listing.set_defaults(handler=_list)

    rename = actions.add_parser("rename", help=tr("give an avatar another name"))
    rename.add_argument("old", metavar="OLD", help=tr("the avatar's name now"))
    rename.add_argument("new", metavar="NEW", help=tr("its new name (letters, digits, space, - _)"))
    rename.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    rename.set_defaults(handler=_rename)

    register_consent(actions, library_help)

    delete = actions.add_parser("delete", help=tr("delete an avatar and all its face data"))
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    delete.add_argument("--yes", action="store_true", help=tr("do not ask for confirmation"))
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
        raise InputError(tr("--still needs --video."), tr("Give the video to take the best frame from."))
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
    print(
        tr("created avatar '{name}' in {seconds:.1f} s").format(name=printable(avatar.name), seconds=elapsed)
    )
    print(tr("  path:    {path}").format(path=printable(str(avatar.path))))
    pose = tr("yaw {yaw:+.0f}, pitch {pitch:+.0f}, roll {roll:+.0f} deg").format(
        yaw=yaw, pitch=pitch, roll=roll
    )
    print(tr("  image:   {width}x{height}, head {pose}").format(width=width, height=height, pose=pose))
    _print_consent(consent.name, consent.recorded_at)
    if elapsed > CREATE_TARGET_S:
        note = tr("  note: took longer than the {target:.0f} s target").format(target=CREATE_TARGET_S)
        print(note, file=sys.stderr)
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
    elapsed = time.perf_counter() - start
    print(tr("created twin '{name}' in {seconds:.1f} s").format(name=printable(avatar.name), seconds=elapsed))
    print(tr("  path:    {path}").format(path=printable(str(avatar.path))))
    loop = tr("  loop:    {frames} frames ({mode})")
    print(loop.format(frames=twin.get("idle_frames"), mode=twin.get("idle_mode")))
    print(tr("  atlas:   {units} mouth units").format(units=twin.get("atlas_units")))
    _print_consent(consent.name, consent.recorded_at)
    return 0


def _shown_word(value: str) -> str:
    """A manifest's kind or source as the table shows it, in the user's language ("photo" is
    written in the manifest as it is; the table says 照片 in Chinese)."""
    words = {"photo": tr("photo"), "twin": tr("twin"), "video": tr("video"), "webcam": tr("webcam")}
    return words.get(value, value)


def _print_consent(name: str, recorded_at: str) -> None:
    line = tr("  consent: {name} ({recorded_at})")
    print(line.format(name=printable(name), recorded_at=printable(recorded_at)))


def _short_time(iso: str) -> str:
    # "2025-01-02T10:11:12+00:00" -> "2025-01-02 10:11" (UTC); the table has no room for more.
    return iso[:16].replace("T", " ") if iso else "-"


def _list(args: argparse.Namespace) -> int:
    library = _library(args)
    manifests = library.list()
    left_alone = library.left_alone()
    if not manifests:
        none = tr("no avatars in {folder}. Create one with 'studio avatar create'.")
        print(none.format(folder=printable(str(library.root))))
    else:
        rows = [(tr("NAME"), tr("KIND"), tr("CREATED (UTC)"), tr("SOURCE"), tr("CONSENT BY"))]
        for m in manifests:
            # Everything read from a package is escaped: it may hold terminal control sequences.
            if m.is_damaged:
                rows.append((printable(m.name), "-", "-", tr("DAMAGED"), printable(m.source_note)))
            else:
                when = printable(_short_time(m.created))
                cells = (_shown_word(printable(m.source_kind)), printable(m.consent.name))
                rows.append((printable(m.name), _shown_word(m.kind), when, *cells))
        widths = [max(display_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            padded = [pad(cell, width) for cell, width in zip(row[:4], widths, strict=True)]
            print("  ".join([*padded, row[4]]))
        if any(m.is_damaged for m in manifests):
            print(tr("damaged avatars cannot be used; remove them with 'studio avatar delete NAME'."))
    if left_alone:
        others = tr("other folders in {folder}, which Studio does not touch:")
        print(others.format(folder=printable(str(library.root))))
        width = max(display_width(printable(other.name)) for other in left_alone)
        for other in left_alone:
            print(f"  {pad(printable(other.name), width)}  {other.reason}")
    return 0


def _rename(args: argparse.Namespace) -> int:
    library = _library(args)
    old = library.find(args.old).name if library.exists(args.old) else args.old
    folder = library.rename(args.old, args.new)
    if folder.name == old:
        print(tr("avatar '{name}' already has that name; nothing changed.").format(name=printable(old)))
    else:
        renamed = tr("renamed avatar '{old}' to '{new}' ({folder})")
        print(renamed.format(old=printable(old), new=folder.name, folder=printable(str(folder))))
    return 0


def _delete(args: argparse.Namespace) -> int:
    library = _library(args)
    path = library.find(args.name)  # unknown names fail here, before any question
    if not args.yes:
        if not sys.stdin.isatty():
            shown = printable(path.name)
            raise InputError(
                tr("not deleting avatar '{name}' without confirmation (input is not a terminal).").format(
                    name=shown
                ),
                tr("Add --yes to delete without asking."),
            )
        try:
            shown = printable(path.name)
            question = tr("Delete avatar '{name}' and all its face data in {folder}? [y/N] ")
            answer = input(question.format(name=shown, folder=printable(str(path))))
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes"):
            print(tr("nothing deleted."))
            return 1
    removed = library.delete(args.name)
    deleted = tr("deleted avatar '{name}' ({folder})")
    print(deleted.format(name=printable(removed.name), folder=printable(str(removed))))
    return 0
