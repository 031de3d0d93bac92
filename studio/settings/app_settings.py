"""The app's settings file: typed, schema-versioned JSON that never stops Studio from starting.

Every value is checked on the way in. A damaged file is set aside (``settings.json.damaged``)
and the defaults are used; a value of the wrong type or out of range falls back to its own
default; either way the user is told what happened. A file written by a newer Studio is read
as defaults and never overwritten, so going back to an older version loses nothing.
"""

from __future__ import annotations

import json
import os
import reprlib
import stat
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from studio.errors import InputError
from studio.render.photo_renderer import MAX_FPS, MAX_HEIGHT, MAX_WIDTH, MIN_SIDE
from studio.settings.secrets import settle_rtmp_url, stash_rtmp_url
from studio.storage.atomic import atomic_file
from studio.storage.input_file import MAX_TEXT_BYTES, read_input_bytes
from studio.translation import tr

SCHEMA_VERSION = 1
SETTINGS_ENV = "STUDIO_SETTINGS"  # a path that replaces the default settings file (tests, portable use)
DAMAGED_SUFFIX = ".damaged"
_MAX_TEXT = 4096  # paths, device names, URLs: anything longer is not one


@dataclass(frozen=True)
class OutputSettings:
    vcam: bool = False
    # None: never chosen; the app then plays the voice wherever a sound output exists.
    audio_out: bool | None = None
    audio_device: str = ""  # "" = the system's default output
    record: bool = False
    record_dir: str = ""  # "" = default_record_dir()
    rtmp: bool = False
    rtmp_url: str = ""


@dataclass(frozen=True)
class AppSettings:
    schema_version: int = SCHEMA_VERSION
    library_dir: str = ""  # "" = the default avatar library
    avatar: str = "demo"  # selected avatar
    camera: str = ""  # "" = first camera
    microphone: str = ""  # "" = system default
    voice: str = ""  # "" = the default voice for the text's language
    rundown_path: str = ""  # last rundown opened/saved in the show editor
    width: int = 1280
    height: int = 720
    fps: int = 30
    label_enabled: bool = True
    label_text: str = "AI-generated"
    label_corner: str = "top-right"
    provider: str = "auto"
    outputs: OutputSettings = field(default_factory=OutputSettings)
    # Who acknowledged streaming (RTMP, virtual camera) with the visible label off; logged per show.
    label_off_acknowledged_by: str = ""
    # The spoken AI notice (studio.compliance.disclosure): at the start and every N minutes (0:
    # the start only), per language; an empty text says none in that language.
    disclosure_enabled: bool = True
    disclosure_every_min: int = 10
    disclosure_zh: str = "以下内容由AI生成。"
    disclosure_en: str = "This host is AI-generated."
    # The app's language: "" follows the system's locale, else "en" or "zh_CN" (studio.ui.i18n).
    # A new optional field: files without it read as "", so the schema version stays.
    language: str = ""
    # The catalogue the Live page's room answers from (studio.ui.live_catalog); "" = none. A new
    # optional field: files without it read as "", so the schema version stays.
    catalog_path: str = ""
    room_page: bool = False  # the audience page served with it
    # The audience page's port, so its address stays the same from one show to the next (viewers
    # and moderators keep a link); 0 = any free port. A new optional field: files without it read 0.
    room_port: int = 0
    # The answer kinds the room approves without a person, as the operator last ticked them on
    # the Live page (``RoomOptions.auto``). A new optional field: files without it read as none.
    room_auto: tuple[str, ...] = ()


def default_settings_path() -> Path:
    override = os.environ.get(SETTINGS_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    import platformdirs

    # appauthor=False: on Windows this avoids a redundant "studio\\studio" level.
    return Path(platformdirs.user_config_dir("Studio", appauthor=False)) / "settings.json"


def default_record_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_videos_dir()) / "Studio"


# -- checks: each returns the value to keep or raises _Bad with a reason ----------------------


class _Bad(ValueError):
    """A value that cannot be used; the message is a sentence saying what it must be."""


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _Bad(tr("It must be true or false."))
    return value


def _optional_flag(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise _Bad(tr("It must be true, false or null."))
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _Bad(tr("It must be text."))
    if len(value) > _MAX_TEXT or "\0" in value:
        raise _Bad(tr("It is not a usable name or path."))
    return value.strip()


def _room_auto(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _Bad(tr("It must be a list of question kinds."))
    kinds = tuple(dict.fromkeys(v.strip().lower() for v in value))
    if not kinds:
        return ()
    from studio.commerce.answer import KINDS  # noqa: PLC0415 - loads the answer engine: only when needed

    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise _Bad(
            tr("{kind!r} is not a question kind; they are {kinds}.").format(
                kind=unknown[0], kinds=", ".join(KINDS)
            )
        )
    return kinds


def _whole(low: int, high: int, even: bool = False) -> Callable[[Any], int]:
    def bad() -> _Bad:
        if even:
            return _Bad(tr("It must be an even number from {low} to {high}.").format(low=low, high=high))
        return _Bad(tr("It must be a whole number from {low} to {high}.").format(low=low, high=high))

    def check(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise bad()
        if not low <= value <= high or (even and value % 2):
            raise bad()
        return value

    return check


def _avatar(value: Any) -> str:
    from studio.avatar.library import DEMO_NAME, normalize_name

    name = _text(value)
    if name.casefold() == DEMO_NAME:
        return DEMO_NAME
    try:
        return normalize_name(name)
    except InputError as exc:
        raise _Bad(f"{_sentence(exc.problem)} {exc.hint}".strip()) from None


def _label_text(value: Any) -> str:
    from studio.render.label import check_label_text

    if not isinstance(value, str):
        raise _Bad(tr("It must be text."))
    try:
        return check_label_text(value)
    except InputError as exc:
        raise _Bad(f"{_sentence(exc.problem)} {exc.hint}".strip()) from None


def _corner(value: Any) -> str:
    from studio.render.label import CORNERS

    if value not in CORNERS:
        raise _Bad(tr("It must be one of {choices}.").format(choices=", ".join(CORNERS)))
    return str(value)


def _provider(value: Any) -> str:
    name = _text(value)
    if not name:
        raise _Bad(tr("It must name an inference provider, or be 'auto'."))
    return name


APP_LANGUAGES = ("", "en", "zh_CN")  # "" = the system's; the app's catalogues (studio/ui/translations)


def _language(value: Any) -> str:
    if value not in APP_LANGUAGES:
        raise _Bad(tr('It must be "" (the system\'s language), "en" or "zh_CN".'))
    return str(value)


def _rtmp_url(value: Any) -> str:
    url = _text(value)
    if url and not url.lower().startswith(("rtmp://", "rtmps://")):
        raise _Bad(tr("The RTMP address must start with rtmp:// or rtmps://."))
    return url


# Values never repeated in a message: the stream address holds the stream key, a password, and
# messages end up on shared screens and in bug reports.
_SECRET = {"outputs.rtmp_url"}


_APP_CHECKS: dict[str, Callable[[Any], Any]] = {
    "library_dir": _text,
    "avatar": _avatar,
    "camera": _text,
    "microphone": _text,
    "voice": _text,
    "rundown_path": _text,
    "width": _whole(MIN_SIDE, MAX_WIDTH, even=True),
    "height": _whole(MIN_SIDE, MAX_HEIGHT, even=True),
    "fps": _whole(1, MAX_FPS),
    "label_enabled": _flag,
    "label_text": _label_text,
    "label_corner": _corner,
    "provider": _provider,
    "label_off_acknowledged_by": _text,
    "disclosure_enabled": _flag,
    "disclosure_every_min": _whole(0, 24 * 60),
    "disclosure_zh": _text,
    "disclosure_en": _text,
    "language": _language,
    "catalog_path": _text,
    "room_page": _flag,
    "room_port": _whole(0, 65535),
    "room_auto": _room_auto,
}
_OUTPUT_CHECKS: dict[str, Callable[[Any], Any]] = {
    "vcam": _flag,
    "audio_out": _optional_flag,
    "audio_device": _text,
    "record": _flag,
    "record_dir": _text,
    "rtmp": _flag,
    "rtmp_url": _rtmp_url,
}
# Every field but these two has a check: a field added without one would be saved unchecked.
assert set(_APP_CHECKS) == {f.name for f in fields(AppSettings)} - {"schema_version", "outputs"}
assert set(_OUTPUT_CHECKS) == {f.name for f in fields(OutputSettings)}


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _shown(value: Any, name: str = "") -> str:
    if name in _SECRET and value:
        return tr("not usable (its value is not shown: it may hold the stream key)")
    return reprlib.repr(value)


def _read_fields(
    data: Mapping[str, Any], checks: Mapping[str, Callable[[Any], Any]], defaults: Any, prefix: str
) -> tuple[dict[str, Any], list[str]]:
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, check in checks.items():
        if key not in data:
            continue
        try:
            values[key] = check(data[key])
        except _Bad as bad:
            default, name = getattr(defaults, key), prefix + key
            warnings.append(
                tr("Setting '{name}' is {value}: {reason} Using the default, {default}.").format(
                    name=name, value=_shown(data[key], name), reason=bad, default=_shown(default, name)
                )
            )
    return values, warnings


# -- loading -------------------------------------------------------------------------------


def load_settings(path: Path | None = None, with_secrets: bool = True) -> tuple[AppSettings, list[str]]:
    """The settings in ``path`` (default: ``default_settings_path()``) and what the user should
    be told about them. Never raises for the file's content: the worst case is the defaults.
    ``with_secrets=False`` leaves the OS keychain alone (no unlock prompt, no moving an old
    file's key into it): for commands that need no stream key, the address stays as filed."""
    path = Path(path) if path is not None else default_settings_path()
    if not path.exists():
        return AppSettings(), []
    try:
        info = path.stat()
    except OSError as exc:
        return AppSettings(), [_unreadable(path, exc.strerror or str(exc))]
    if stat.S_ISREG(info.st_mode) and info.st_size > MAX_TEXT_BYTES:
        return AppSettings(), [_set_aside(path)]  # no settings file is this big: it is damaged
    try:
        raw = read_input_bytes(
            path, tr("settings file"), tr("a settings file"), MAX_TEXT_BYTES, allow_empty=True
        )
    except InputError as exc:  # a folder, a FIFO, a device, unreadable: not ours to move
        return AppSettings(), [_unreadable(path, exc.problem)]
    data = _parse_json(raw)
    if not isinstance(data, dict):
        return AppSettings(), [_set_aside(path)]

    warnings: list[str] = []
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        warnings.append(
            tr(
                "Setting 'schema_version' is {value}, which is not a settings version; "
                "reading the file as version {version}."
            ).format(value=_shown(version), version=SCHEMA_VERSION)
        )
    elif version > SCHEMA_VERSION:
        return AppSettings(), [
            tr(
                "The settings in {path} were saved by a newer version of Studio "
                "(settings version {version}); this Studio is older and reads version {ours}. "
                "It starts with the default settings and will not save over that file. "
                "Update Studio to get your settings back."
            ).format(path=path, version=version, ours=SCHEMA_VERSION)
        ]

    values, found = _read_fields(data, _APP_CHECKS, AppSettings(), "")
    warnings += found
    outputs = OutputSettings()
    if "outputs" in data:
        if isinstance(data["outputs"], dict):
            output_values, found = _read_fields(data["outputs"], _OUTPUT_CHECKS, outputs, "outputs.")
            outputs = OutputSettings(**output_values)
            warnings += found
            # The stream key lives in the OS keychain (studio.settings.secrets), not in this file.
            if with_secrets:
                url, found = settle_rtmp_url(path, data, outputs.rtmp_url, _rtmp_url)
                outputs = replace(outputs, rtmp_url=url)
                warnings += found
        else:
            warnings.append(
                tr(
                    "Setting 'outputs' is {value}, not a group of settings; "
                    "using the default outputs (all off)."
                ).format(value=_shown(data["outputs"]))
            )
    return AppSettings(**values, outputs=outputs), warnings


def _parse_json(raw: bytes) -> Any:
    """The JSON value in ``raw``, or None when it is not JSON (or nested too deeply to be ours)."""
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def _unreadable(path: Path, why: str) -> str:
    return tr("Could not read the settings file {path} ({reason}); using the default settings.").format(
        path=path, reason=why.rstrip(".")
    )


def _set_aside(path: Path) -> str:
    """Keep a damaged file for the user to look at, out of the way of the next save."""
    kept = path.with_name(path.name + DAMAGED_SUFFIX)
    try:
        os.replace(path, kept)
    except OSError as exc:
        return tr(
            "The settings file {path} is damaged, so Studio started with the default settings. "
            "It could not be moved aside ({reason}); saving the settings will replace it."
        ).format(path=path, reason=exc.strerror or exc)
    return tr(
        "The settings file {path} was damaged, so Studio started with the default settings. "
        "The damaged file was kept as {kept}."
    ).format(path=path, kept=kept)


# -- checking and saving -------------------------------------------------------------------


def validate(settings: AppSettings) -> AppSettings:
    """``settings`` with every value checked and tidied (e.g. the label's spaces); raises
    ``InputError`` naming the first setting that cannot be used."""
    if settings.schema_version != SCHEMA_VERSION:
        raise InputError(
            tr("these settings are version {version}; this Studio writes version {ours}.").format(
                version=settings.schema_version, ours=SCHEMA_VERSION
            ),
            tr("Start from AppSettings() and copy the values over."),
        )
    if not isinstance(settings.outputs, OutputSettings):
        raise InputError(
            "setting 'outputs' is not an OutputSettings.",  # untranslated: a programming mistake
            "Use OutputSettings(...).",
        )
    app = _checked(asdict(settings), _APP_CHECKS, "")
    outputs = _checked(asdict(settings.outputs), _OUTPUT_CHECKS, "outputs.")
    return replace(settings, **app, outputs=replace(settings.outputs, **outputs))


def _checked(
    values: dict[str, Any], checks: Mapping[str, Callable[[Any], Any]], prefix: str
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, check in checks.items():
        try:
            clean[key] = check(values[key])
        except _Bad as bad:
            name = prefix + key
            raise InputError(
                tr("setting '{name}' is {value}.").format(name=name, value=_shown(values[key], name)),
                tr("{reason} Change it and save again.").format(reason=bad),
            ) from None
    return clean


def save_settings(settings: AppSettings, path: Path | None = None) -> None:
    """Write ``settings`` atomically: a crash leaves the old file or the new one, never half.

    Refuses (``InputError``) to replace a file written by a newer Studio."""
    path = Path(path) if path is not None else default_settings_path()
    clean = validate(settings)
    newer = _newer_version_on_disk(path)
    if newer is not None:
        raise InputError(
            tr(
                "the settings file {path} was written by a newer version of Studio (settings version "
                "{version}), so this Studio will not overwrite it."
            ).format(path=path, version=newer),
            tr("Update Studio, or move that file away to start again with this version's settings."),
        )
    values = asdict(clean)
    forget_key = stash_rtmp_url(path, values["outputs"])  # the key into the keychain, not this file
    data = (json.dumps(values, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        # Private (0600): the stream address holds the stream key, which is a password.
        with atomic_file(path, mode=0o600) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise InputError(
            tr("could not save the settings to {path} ({reason}).").format(
                path=path, reason=exc.strerror or exc
            ),
            tr("Check that the folder is writable and the disk is not full, then try again."),
        ) from exc
    forget_key()


def _newer_version_on_disk(path: Path) -> int | None:
    try:
        data = _parse_json(read_input_bytes(path, tr("settings file"), tr("a settings file"), MAX_TEXT_BYTES))
    except InputError:
        return None  # missing, damaged or not a file: nothing a newer Studio could lose
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        return version
    return None
