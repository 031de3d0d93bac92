"""What manifest.json says about an avatar package: its schema, kind, consent record and face.

``AvatarManifest.from_json`` reads a parsed manifest and names the first field that is missing
or of the wrong type; ``studio.avatar.package`` reads and writes the files around it.
"""

from __future__ import annotations

import reprlib
from dataclasses import asdict, dataclass, field
from typing import Any

from studio.errors import InputError, control_characters
from studio.translation import tr

SCHEMA_VERSION = 2
READABLE_VERSIONS = (1, 2)
KINDS = ("photo", "twin")
# source_kind of a placeholder manifest for a package that could not be read (never written).
DAMAGED = "damaged"


@dataclass(frozen=True)
class ConsentRecord:
    name: str  # who consented (full name)
    statement: str  # what they agreed to, verbatim
    recorded_at: str  # ISO 8601, UTC
    # "attestation" (typed by the operator) | "public-domain" | "recording"
    method: str = "attestation"
    # The recording's file in the package (CONSENT_AUDIO) when method is "recording"; optional
    # in manifest.json, so packages written before recordings existed still load.
    audio_file: str = ""
    # What the person agreed to, until when, and the digests of the files they agreed to
    # (studio.avatar.consent). Optional in manifest.json: a package without them covers
    # render and live with every voice, until recorded_at + 1 year, and is not sealed.
    scope: tuple[str, ...] = ("render", "live")
    voices: tuple[str, ...] = ()  # the voices it may speak with; none named: all
    expires_at: str = ""  # ISO 8601; "" means recorded_at + 1 year
    revoked_at: str = ""
    sha256: dict[str, str] = field(default_factory=dict)  # biometric file -> hex digest


@dataclass(frozen=True)
class AvatarManifest:
    name: str
    created: str
    source_kind: str  # "photo" | "webcam" | "video"; DAMAGED in listings only
    image_size: tuple[int, int]  # (width, height) of image.png
    consent: ConsentRecord
    face: dict[str, Any] = field(default_factory=dict)  # bbox, pose_degrees
    source_note: str = ""
    schema_version: int = SCHEMA_VERSION
    kind: str = "photo"  # KINDS
    twin: dict[str, Any] = field(default_factory=dict)  # a twin's summary: fps, loop, atlas, coverage

    @classmethod
    def damaged(cls, name: str, problem: str) -> AvatarManifest:
        """A listing placeholder for an unreadable package, so a library view can show it
        (and offer deletion of its biometric data) instead of failing. ``source_note``
        carries the problem."""
        return cls(
            name=name,
            created="",
            source_kind=DAMAGED,
            image_size=(0, 0),
            consent=ConsentRecord(name="", statement="", recorded_at="", method="unknown"),
            source_note=problem,
        )

    @property
    def is_damaged(self) -> bool:
        return self.source_kind == DAMAGED

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["image_size"] = list(self.image_size)
        if not self.consent.audio_file:
            del data["consent"]["audio_file"]  # manifests without a recording look as they always did
        data["consent"].update(scope=list(self.consent.scope), voices=list(self.consent.voices))
        for key in ("expires_at", "revoked_at", "sha256"):
            if not data["consent"][key]:
                del data["consent"][key]
        if not self.twin:
            del data["twin"]
        return data

    @classmethod
    def from_json(cls, data: Any) -> AvatarManifest:
        """The manifest in ``data`` (parsed manifest.json). Raises ``InputError`` for another
        schema version and ``ManifestError`` (a ``ValueError``) naming the first field that
        is missing or of the wrong type."""
        if not isinstance(data, dict):
            raise ManifestError(f"manifest.json holds {_json_type(data)}, not an object")
        version = data.get("schema_version")
        if version not in READABLE_VERSIONS or isinstance(version, bool):
            name = data.get("name")
            shown = reprlib.repr(name) if isinstance(name, str) else "'?'"
            raise InputError(
                tr("avatar {name} has schema version {version}, this Studio reads {readable}.").format(
                    name=shown,
                    version=reprlib.repr(version),
                    readable=tr(" and ").join(map(str, READABLE_VERSIONS)),
                ),
                tr("Recreate the avatar with this version of Studio."),
            )
        name = _field(data, "name", str)
        if control_characters(name):  # Studio never writes one; it would be printed as it is
            raise ManifestError(
                f"manifest.json 'name' contains control characters ({' '.join(control_characters(name))})"
            )
        created = _field(data, "created", str)
        source_kind = _field(data, "source_kind", str)
        image_size = _image_size(data.get("image_size"))
        consent = _field(data, "consent", dict)
        from studio.avatar.consent import consent_terms  # it reads package's types: imported late

        # Version 1 knew photos only; from version 2 the kind is written.
        kind = "photo" if version == 1 else _field(data, "kind", str)
        if kind not in KINDS:
            kinds = ", ".join(KINDS)
            raise ManifestError(f"manifest.json 'kind' is {reprlib.repr(kind)}, not one of {kinds}")
        return cls(
            name=name,
            created=created,
            source_kind=source_kind,
            image_size=image_size,
            consent=ConsentRecord(
                name=_field(consent, "name", str, "consent."),
                statement=_field(consent, "statement", str, "consent."),
                recorded_at=_field(consent, "recorded_at", str, "consent."),
                method=_field(consent, "method", str, "consent.", default="attestation"),
                audio_file=_field(consent, "audio_file", str, "consent.", default=""),
                **consent_terms(consent),
            ),
            face=dict(_field(data, "face", dict, default={})),
            source_note=_field(data, "source_note", str, default=""),
            schema_version=int(version),
            kind=kind,
            twin=dict(_field(data, "twin", dict, default={})),
        )


class ManifestError(ValueError):
    """manifest.json is valid JSON but not a manifest Studio reads."""


_MISSING = object()
_JSON_TYPES = {
    dict: "an object",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _field(data: dict[str, Any], key: str, kind: type, prefix: str = "", default: Any = _MISSING) -> Any:
    value = data.get(key, _MISSING)
    if value is _MISSING:
        if default is not _MISSING:
            return default
        raise ManifestError(f"manifest.json has no '{prefix}{key}'")
    if not isinstance(value, kind):
        raise ManifestError(f"manifest.json '{prefix}{key}' is {_json_type(value)}, not {_JSON_TYPES[kind]}")
    return value


def _image_size(value: object) -> tuple[int, int]:
    if value is None:
        raise ManifestError("manifest.json has no 'image_size'")
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise ManifestError(
            f"manifest.json 'image_size' is {reprlib.repr(value)}, not [width, height] in pixels"
        )
    return int(value[0]), int(value[1])
