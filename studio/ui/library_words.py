"""What the library's details card says about an avatar, in a creator's words."""

from __future__ import annotations

from datetime import UTC, datetime

from studio.avatar.consent import WARN_DAYS, expiry
from studio.avatar.library import DEMO_NAME
from studio.avatar.package import AvatarManifest

SOURCE_WORDS = {"photo": "a photo", "webcam": "a webcam capture", "video": "a video file"}
CONSENT_WORDS = {
    "attestation": "attested in Studio",
    "recording": "spoken statement recorded",
    "public-domain": "public-domain image",
}
DEMO_WORDS = (
    "The built-in demo avatar: a public-domain NASA portrait, here so you can try "
    "everything before making your own twin. It cannot be renamed or deleted."
)


def describe(name: str | None, manifest: AvatarManifest | None, now: datetime | None = None) -> str:
    """Where the avatar ``name`` came from, what it is (photo or video twin) and who consented."""
    if name is None:
        return ""
    if name == DEMO_NAME:
        return DEMO_WORDS
    if manifest is None:
        return ""
    if manifest.is_damaged:
        return f"This package cannot be read: {manifest.source_note}\nDelete it and create it again."
    consent = manifest.consent
    how = CONSENT_WORDS.get(consent.method, consent.method)
    twin = "A video twin: its own face, lips and head motion.\n" if manifest.kind == "twin" else ""
    return twin + "\n".join(
        [
            f"Made from {SOURCE_WORDS.get(manifest.source_kind, manifest.source_kind)} "
            f"on {manifest.created[:10]}, {manifest.image_size[0]}×{manifest.image_size[1]} px.",
            f"Consent: {consent.name} ({how}, {consent.recorded_at[:10]}).",
            *filter(None, [consent_words(manifest, now or datetime.now(UTC))]),
        ]
    )


def consent_words(manifest: AvatarManifest, now: datetime) -> str:
    """Until when the consent runs; a warning from WARN_DAYS before it ends, or once it has
    ended or was revoked (render and live then refuse the avatar)."""
    consent = manifest.consent
    renew = f"renew it with the person's agreement ('studio avatar consent \"{manifest.name}\" --renew')"
    off_air = "this avatar cannot go on air until you"
    if consent.revoked_at:
        return f"⚠ Consent revoked on {consent.revoked_at[:10]}: {off_air} {renew}."
    ends = expiry(consent)
    if ends is None:
        return ""
    day = ends.date().isoformat()
    if ends <= now:
        return f"⚠ Consent expired on {day}: {off_air} {renew}."
    days = (ends.date() - now.date()).days
    if days <= WARN_DAYS:
        return f"⚠ Consent expires on {day}, in {days} day{'s' if days != 1 else ''}: {renew}."
    return f"Consent valid until {day}."
