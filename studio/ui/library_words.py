"""What the library's details card says about an avatar, in a creator's words."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from studio.avatar.consent import WARN_DAYS, expiry
from studio.avatar.library import DEMO_NAME
from studio.avatar.package import AvatarManifest
from studio.ui.i18n import QT_TRANSLATE_NOOP, translated

SOURCE_WORDS = {
    "photo": QT_TRANSLATE_NOOP("library_words", "a photo"),
    "webcam": QT_TRANSLATE_NOOP("library_words", "a webcam capture"),
    "video": QT_TRANSLATE_NOOP("library_words", "a video file"),
}
CONSENT_WORDS = {
    "attestation": QT_TRANSLATE_NOOP("library_words", "attested in Studio"),
    "recording": QT_TRANSLATE_NOOP("library_words", "spoken statement recorded"),
    "public-domain": QT_TRANSLATE_NOOP("library_words", "public-domain image"),
}
DEMO_WORDS = QT_TRANSLATE_NOOP(
    "library_words",
    "The built-in demo avatar: a public-domain NASA portrait, here so you can try "
    "everything before making your own twin. It cannot be renamed or deleted.",
)


def describe(name: str | None, manifest: AvatarManifest | None, now: datetime | None = None) -> str:
    """Where the avatar ``name`` came from, what it is (photo or video twin) and who consented."""
    if name is None:
        return ""
    if name == DEMO_NAME:
        return translated("library_words", DEMO_WORDS)
    if manifest is None:
        return ""
    if manifest.is_damaged:
        return QCoreApplication.translate(
            "library_words", "This package cannot be read: {source_note}\nDelete it and create it again."
        ).format(source_note=manifest.source_note)
    consent = manifest.consent
    how = translated("library_words", CONSENT_WORDS.get(consent.method, consent.method))
    twin = (
        QCoreApplication.translate("library_words", "A video twin: its own face, lips and head motion.\n")
        if manifest.kind == "twin"
        else ""
    )
    return twin + "\n".join(
        [
            QCoreApplication.translate(
                "library_words", "Made from {source} on {day}, {width}×{height} px."
            ).format(
                source=translated(
                    "library_words", SOURCE_WORDS.get(manifest.source_kind, manifest.source_kind)
                ),
                day=manifest.created[:10],
                width=manifest.image_size[0],
                height=manifest.image_size[1],
            ),
            QCoreApplication.translate("library_words", "Consent: {name} ({how}, {day}).").format(
                name=consent.name, how=how, day=consent.recorded_at[:10]
            ),
            *filter(None, [consent_words(manifest, now or datetime.now(UTC))]),
        ]
    )


def consent_words(manifest: AvatarManifest, now: datetime) -> str:
    """Until when the consent runs; a warning from WARN_DAYS before it ends, or once it has
    ended or was revoked (render and live then refuse the avatar)."""
    consent = manifest.consent
    renew = QCoreApplication.translate(
        "library_words", "renew it with the person's agreement ('studio avatar consent \"{name}\" --renew')"
    ).format(name=manifest.name)
    off_air = QCoreApplication.translate("library_words", "this avatar cannot go on air until you")
    if consent.revoked_at:
        return QCoreApplication.translate(
            "library_words", "⚠ Consent revoked on {revoked_at}: {off_air} {renew}."
        ).format(revoked_at=consent.revoked_at[:10], off_air=off_air, renew=renew)
    ends = expiry(consent)
    if ends is None:
        return ""
    day = ends.date().isoformat()
    if ends <= now:
        return QCoreApplication.translate(
            "library_words", "⚠ Consent expired on {day}: {off_air} {renew}."
        ).format(day=day, off_air=off_air, renew=renew)
    days = (ends.date() - now.date()).days
    if days <= WARN_DAYS:
        soon = (
            QCoreApplication.translate("library_words", "⚠ Consent expires on {day}, in 1 day: {renew}.")
            if days == 1
            else QCoreApplication.translate(
                "library_words", "⚠ Consent expires on {day}, in {days} days: {renew}."
            )
        )
        return soon.format(day=day, days=days, renew=renew)
    return QCoreApplication.translate("library_words", "Consent valid until {day}.").format(day=day)
