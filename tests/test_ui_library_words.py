"""The library's details card: the consent's expiry, a warning 14 days ahead, and revocation."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from studio.avatar.package import MANIFEST, AvatarManifest
from studio.ui.library_words import describe

V1_PACKAGE = Path(__file__).parent / "data" / "avatar_v1"
V1 = AvatarManifest.from_json(json.loads((V1_PACKAGE / MANIFEST).read_text(encoding="utf-8")))
RECORDED = datetime.fromisoformat(V1.consent.recorded_at)  # no expiry written: a year after this


def test_the_card_shows_the_expiry_and_warns_14_days_ahead():
    card = describe("Version One", V1, RECORDED + timedelta(days=30))
    assert card.splitlines()[-1] == f"Consent valid until {RECORDED.year + 1}{V1.consent.recorded_at[4:10]}."
    ends = RECORDED.replace(year=RECORDED.year + 1)
    soon = describe("Version One", V1, ends - timedelta(days=14))
    assert soon.splitlines()[-1].startswith(f"⚠ Consent expires on {ends.date()}, in 14 days: renew it")
    assert "Consent valid" in describe("Version One", V1, ends - timedelta(days=15))
    late = describe("Version One", V1, ends + timedelta(days=1))
    assert f"⚠ Consent expired on {ends.date()}: this avatar cannot go on air" in late
    assert "'studio avatar consent \"Version One\" --renew'" in late


def test_the_card_says_a_revoked_consent_is_off_air():
    revoked = replace(V1, consent=replace(V1.consent, revoked_at="2026-12-08T10:00:00+00:00"))
    card = describe("Version One", revoked, RECORDED + timedelta(days=2))
    assert "⚠ Consent revoked on 2026-12-08: this avatar cannot go on air" in card
