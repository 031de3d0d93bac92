"""Consent that means something: what it allows, until when, its withdrawal, and a seal.

The consent record of a package (``package.ConsentRecord``) says which uses the person agreed
to (``scope``: "render", "live"), with which voices (none named: all), until when
(``expires_at``) and whether they withdrew it (``revoked_at``). ``check_consent`` is the one
check ``studio render`` and every live show (the CLI's and the app's) make before anything
starts.

The seal: when a package is written, the sha256 of each biometric file is put into its
consent record (``consent.sha256``), so a face swapped in after the person consented is
refused as tampered (``verify_seal``, run by ``load_avatar``). The manifest itself is not
sealed: it changes on rename, renew and revoke. This guards against a file being replaced,
not against someone who also edits the manifest's digests.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.errors import InputError, printable
from studio.translation import tr

if TYPE_CHECKING:
    from studio.avatar.library import AvatarLibrary
    from studio.avatar.package import Avatar, AvatarManifest, ConsentRecord

USES = ("render", "live")
DEFAULT_YEARS = 1
MAX_YEARS = 10
WARN_DAYS = 14  # the app warns this long before a consent expires
# The files that hold the person's face or voice. coverage.json (a twin's statistics) and the
# manifest are not biometric, and the manifest is rewritten by rename, renew and revoke.
SEALED_FILES = (
    "image.png", "landmarks.npy", "consent.wav", "idle.mp4", "idle.npz", "atlas.mp4", "atlas.npz",
)  # fmt: skip
# A public-domain image has no person whose consent could lapse (the demo avatar).
NEVER_EXPIRES = ("public-domain",)
_CHUNK = 1024 * 1024


def consent_terms(consent: dict[str, Any]) -> dict[str, Any]:
    """The scope, expiry, revocation and seal of a manifest's ``consent`` object, for
    ``ConsentRecord``. All are optional, so packages written before them still load."""
    from studio.avatar.package import ManifestError

    terms: dict[str, Any] = {}
    for key in ("scope", "voices"):
        if key in consent:
            value = consent[key]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ManifestError(f"manifest.json 'consent.{key}' is not a list of names")
            terms[key] = tuple(value)
    for key in ("expires_at", "revoked_at"):
        if key in consent:
            if not isinstance(consent[key], str) or (consent[key] and _parse(consent[key]) is None):
                raise ManifestError(f"manifest.json 'consent.{key}' is not an ISO 8601 date")
            terms[key] = consent[key]
    if "sha256" in consent:
        digests = consent["sha256"]
        if not isinstance(digests, dict) or not all(
            part in SEALED_FILES and isinstance(d, str) for part, d in digests.items()
        ):
            raise ManifestError("manifest.json 'consent.sha256' is not {biometric file: digest}")
        terms["sha256"] = dict(digests)
    return terms


def _parse(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def add_years(when: datetime, years: int) -> datetime:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return when.replace(year=when.year + years)
    except ValueError:
        return when.replace(year=when.year + years, day=28)


def expiry(consent: ConsentRecord) -> datetime | None:
    """When ``consent`` ends; None when it never does (a public-domain image).

    A package written before consents expired has no ``expires_at``: it is treated as
    recorded_at + 1 year, the default every new consent gets."""
    if consent.method in NEVER_EXPIRES:
        return None
    if consent.expires_at:
        return _parse(consent.expires_at)
    recorded = _parse(consent.recorded_at)
    # An unreadable recording date gives no year of grace: it counts as expired.
    return add_years(recorded, DEFAULT_YEARS) if recorded else datetime.min.replace(tzinfo=UTC)


def consent_problem(
    manifest: AvatarManifest, use: str, voices: tuple[str, ...] | None, now: datetime | None = None
) -> str | None:
    """Why ``manifest``'s consent does not allow ``use`` now with ``voices`` (the Studio voices
    that will speak; None: a voice chosen by default), or None when it does."""
    if use not in USES:
        raise ValueError(f"use must be one of {USES}, not {use!r}")
    consent, name = manifest.consent, printable(manifest.name)
    now = now or datetime.now(UTC)
    if consent.revoked_at:
        return tr("the consent for avatar '{name}' was revoked on {date}").format(
            name=name, date=consent.revoked_at[:10]
        )
    ends = expiry(consent)
    if ends is not None and ends <= now:
        return tr("the consent for avatar '{name}' expired on {date}").format(
            name=name, date=ends.date().isoformat()
        )
    if use not in consent.scope:
        covered = ", ".join(consent.scope) or tr("nothing")
        return tr("the consent for avatar '{name}' does not cover {use} (only {covered})").format(
            name=name, use=use, covered=covered
        )
    if consent.voices:
        if voices is None:
            return tr(
                "the consent for avatar '{name}' covers only the voices {voices}, and none was named"
            ).format(name=name, voices=", ".join(consent.voices))
        outside = [v for v in voices if v not in consent.voices]
        if outside:
            return tr("the consent for avatar '{name}' does not cover the voice {voice}").format(
                name=name, voice=printable(outside[0])
            )
    return None


def check_consent(
    avatar: Avatar, use: str, voices: tuple[str, ...] | None, now: datetime | None = None
) -> None:
    """Refuse (``InputError``, one line saying how to renew) a use the consent does not allow."""
    problem = consent_problem(avatar.manifest, use, voices, now)
    if problem is not None:
        name = printable(avatar.manifest.name)
        raise InputError(
            tr("{problem}.").format(problem=problem),
            tr(
                "Once the person agrees again, renew it with 'studio avatar consent \"{name}\" --renew' "
                "(--scope and --voices set what it covers)."
            ).format(name=name),
        )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def seal(folder: Path, manifest: AvatarManifest) -> AvatarManifest:
    """``manifest`` with the digests of the biometric files now in ``folder`` and an explicit
    expiry. Called by ``write_package`` just before the manifest is written, after every other
    part (a twin's build writes its parts first), inside the temporary folder."""
    consent = manifest.consent
    digests = {part: sha256_file(folder / part) for part in SEALED_FILES if (folder / part).is_file()}
    ends = expiry(consent)
    expires_at = consent.expires_at or (ends.isoformat(timespec="seconds") if ends else "")
    return replace(manifest, consent=replace(consent, sha256=digests, expires_at=expires_at))


def seal_problem(folder: Path, manifest: AvatarManifest) -> str | None:
    """Which sealed file no longer matches ("image.png differs"), or None. A package written
    before seals has no digests: nothing to check."""
    for part, expected in sorted(manifest.consent.sha256.items()):
        path = Path(folder) / part
        found = sha256_file(path) if path.is_file() else None
        if found != expected:
            return (tr("{part} differs") if found else tr("{part} is missing")).format(part=part)
    return None


def verify_seal(folder: Path, manifest: AvatarManifest) -> None:
    """Refuse a package whose biometric files are not those the person consented to."""
    problem = seal_problem(folder, manifest)
    if problem is not None:
        raise InputError(
            tr("the avatar '{name}' was changed after consent ({problem}).").format(
                name=printable(manifest.name), problem=problem
            ),
            tr("Recreate it with the person's consent."),
        )


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat(timespec="seconds")


def renew(
    library: AvatarLibrary,
    ref: str,
    years: int = DEFAULT_YEARS,
    scope: tuple[str, ...] | None = None,
    voices: tuple[str, ...] | None = None,
    now: datetime | None = None,
) -> AvatarManifest:
    """The person agreed again: the consent of ``ref`` runs ``years`` from ``now``, is no
    longer revoked, and covers ``scope`` and ``voices`` when given (else what it covered)."""
    if not 1 <= years <= MAX_YEARS:
        raise InputError(
            tr("--years is {years}; a consent runs 1 to {most} years.").format(years=years, most=MAX_YEARS),
            tr("Ask again later."),
        )
    for use in scope or ():
        if use not in USES:
            raise InputError(
                tr("--scope names {use!r}.").format(use=printable(use)),
                tr("Name uses from: {uses}.").format(uses=", ".join(USES)),
            )
    when = now or datetime.now(UTC)

    def change(consent: dict[str, Any]) -> None:
        consent["expires_at"] = _iso(add_years(when, years))
        consent["renewed_at"] = _iso(when)  # kept as written; says when the person agreed again
        consent.pop("revoked_at", None)
        if scope is not None:
            consent["scope"] = list(scope)
        if voices is not None:
            consent["voices"] = list(voices)

    return _rewrite(library, ref, change)


def revoke(library: AvatarLibrary, ref: str, now: datetime | None = None) -> AvatarManifest:
    """The person withdrew consent: ``ref`` is refused by render and live until renewed."""

    def change(consent: dict[str, Any]) -> None:
        consent["revoked_at"] = _iso(now or datetime.now(UTC))

    return _rewrite(library, ref, change)


def _rewrite(library: AvatarLibrary, ref: str, change: Callable[[dict[str, Any]], None]) -> AvatarManifest:
    """Change the consent object of ``ref``'s manifest and write it back atomically, under the
    library's lock; every other field is kept as written."""
    from studio.avatar.library import DEMO_NAME
    from studio.avatar.library_lock import library_lock
    from studio.avatar.package import MANIFEST, PRIVATE_FILE_MODE, AvatarManifest, read_manifest_json
    from studio.storage.atomic import atomic_file

    if ref.strip().casefold() == DEMO_NAME:
        raise InputError(
            tr("the built-in demo avatar is a public-domain image; it has no consent to change."),
            tr("Create your own avatar with 'studio avatar create'."),
        )
    folder = library.find(ref)
    shown = printable(folder.name)
    with library_lock(library.root):
        try:
            data = read_manifest_json(folder)
            AvatarManifest.from_json(data)
            consent = dict(data["consent"])
            change(consent)
            manifest = AvatarManifest.from_json(data | {"consent": consent})
        except InputError:
            raise
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                tr("avatar '{name}' is damaged ({reason}); its consent cannot be changed.").format(
                    name=shown, reason=" ".join(str(exc).split())
                ),
                tr("Delete it with 'studio avatar delete' and create it again."),
            ) from exc
        text = json.dumps(data | {"consent": consent}, indent=2, ensure_ascii=False) + "\n"
        try:
            with atomic_file(folder / MANIFEST, mode=PRIVATE_FILE_MODE) as tmp:
                tmp.write_bytes(text.encode("utf-8"))
        except OSError as exc:
            raise InputError(
                tr("could not write the consent of avatar '{name}' ({reason}).").format(
                    name=shown, reason=exc.strerror or exc
                ),
                tr("Check the folder's permissions and retry."),
            ) from exc
    return replace(manifest, name=folder.name)


def describe_consent(folder: Path, manifest: AvatarManifest, now: datetime | None = None) -> list[str]:
    """``studio avatar consent NAME --show``: who, what, until when, and whether it holds."""
    consent, now = manifest.consent, now or datetime.now(UTC)
    ends = expiry(consent)
    if ends is None:
        until = tr("never (a public-domain image)")
    else:
        days = (ends.date() - now.date()).days
        left = tr("{days} days left").format(days=days) if ends > now else tr("expired")
        note = "" if consent.expires_at else tr("; none written, so recorded + 1 year")
        until = f"{ends.date().isoformat()} ({left}{note})"
    voices = ", ".join(map(printable, consent.voices)) or tr("all voices")
    digests = sorted(consent.sha256)
    tampered = seal_problem(folder, manifest)
    if not digests:
        sealed = tr("no (written before seals; not checked)")
    else:
        state = tr("CHANGED ({problem})").format(problem=tampered) if tampered else tr("unchanged")
        sealed = f"{', '.join(digests)}: {state}"
    uses = [use for use in consent.scope if use in USES]
    problems = [consent_problem(manifest, use, consent.voices or None, now) for use in uses]
    status = tr("REVOKED") if consent.revoked_at else next((p for p in problems if p), None) or tr("valid")
    return [
        tr("avatar:     {name}").format(name=printable(manifest.name)),
        tr("consent by: {name} ({method}, recorded {date})").format(
            name=printable(consent.name),
            method=printable(consent.method),
            date=printable(consent.recorded_at[:10]),
        ),
        tr("covers:     {uses}; {voices}").format(
            uses=", ".join(consent.scope) or tr("nothing"), voices=voices
        ),
        tr("expires:    {until}").format(until=until),
        tr("revoked:    {date}").format(date=printable(consent.revoked_at[:10]) or tr("no")),
        tr("sealed:     {sealed}").format(sealed=sealed),
        tr("status:     {status}").format(status=status),
    ]
