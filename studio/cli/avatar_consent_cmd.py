"""``studio avatar consent NAME --show | --renew [--years N] | --revoke``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studio.errors import InputError, printable
from studio.translation import tr


def register_consent(actions: Any, library_help: str) -> None:
    from studio.avatar.consent import DEFAULT_YEARS, USES

    consent = actions.add_parser(
        "consent",
        help=tr("show, renew or revoke an avatar's consent"),
        description=tr(
            "Show, renew or revoke the consent of the person an avatar pictures. render and "
            "live refuse an avatar whose consent expired (by default a year after it was recorded) "
            "or was revoked."
        ),
    )
    consent.add_argument("name", metavar="NAME")
    what = consent.add_mutually_exclusive_group(required=True)
    what.add_argument("--show", action="store_true", help=tr("who consented, to what, until when"))
    what.add_argument("--renew", action="store_true", help=tr("the person agreed again: extend it"))
    what.add_argument("--revoke", action="store_true", help=tr("the person withdrew their consent"))
    consent.add_argument(
        "--years",
        type=int,
        default=DEFAULT_YEARS,
        help=tr("with --renew: how long (default {years})").format(years=DEFAULT_YEARS),
    )
    consent.add_argument(
        "--scope",
        metavar="USES",
        help=tr("with --renew: the uses it covers, of {uses}").format(uses=",".join(USES)),
    )
    consent.add_argument(
        "--voices", metavar="IDS", help=tr("with --renew: the voices it covers, comma-separated, or 'all'")
    )
    consent.add_argument("--library", type=Path, metavar="DIR", help=library_help)
    consent.set_defaults(handler=_consent)


def _names(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(n.strip() for n in text.split(",") if n.strip())


def _consent(args: argparse.Namespace) -> int:
    from studio.avatar import consent
    from studio.avatar.library import AvatarLibrary
    from studio.avatar.package import read_manifest_json

    library = AvatarLibrary(args.library)
    renew_only = args.scope is not None or args.voices is not None or args.years != consent.DEFAULT_YEARS
    if renew_only and not args.renew:
        raise InputError(
            tr("--years, --scope and --voices go with --renew."), tr("Add --renew, or leave them out.")
        )
    if args.renew:
        voices = _names(args.voices)
        manifest = consent.renew(
            library, args.name, args.years, _names(args.scope), () if voices == ("all",) else voices
        )
        ends = consent.expiry(manifest.consent)
        name = printable(manifest.name)
        if ends:
            renewed = tr("renewed the consent for avatar '{name}' until {until}")
            print(renewed.format(name=name, until=ends.date().isoformat()))
        else:
            print(tr("renewed the consent for avatar '{name}' until never").format(name=name))
    elif args.revoke:
        manifest = consent.revoke(library, args.name)
        revoked = tr(
            "revoked the consent for avatar '{name}': render and live refuse it now. "
            "Delete its face data with 'studio avatar delete \"{name}\"'."
        )
        print(revoked.format(name=printable(manifest.name)))
    else:
        from dataclasses import replace

        from studio.avatar.package import AvatarManifest

        folder = library.find(args.name)
        try:
            manifest = replace(AvatarManifest.from_json(read_manifest_json(folder)), name=folder.name)
        except (OSError, ValueError) as exc:
            raise InputError(
                tr("avatar '{name}' is damaged ({reason}).").format(
                    name=printable(folder.name), reason=" ".join(str(exc).split())
                ),
                tr("Delete it with 'studio avatar delete' and create it again."),
            ) from exc
        print("\n".join(consent.describe_consent(folder, manifest)))
    return 0
