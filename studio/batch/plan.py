"""Every job checked before any renders: avatar, consent, claims, voice, size, fps, label, output.

A batch starts only when every job can run: a prohibited claim in row 180 is refused before
row 1 is rendered, as ``studio render`` refuses it before the voice speaks. What comes out is a
``PlannedJob`` per job: small, picklable, and with the hash of everything its output depends on.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any

from studio.avatar.consent import consent_problem
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.batch.jobs import JobsFile, JobsFileError, JobSpec, shown_where
from studio.batch.manifest import input_hash, package_hash, sha256_file
from studio.commerce.catalog import Catalog, Product, load_catalog
from studio.compliance import Checker, check_script
from studio.compliance.disclosure import Disclosure, with_disclosure
from studio.errors import InputError, StudioError, one_line, printable
from studio.media.clock import as_rate
from studio.render.framing import propose_output_size
from studio.render.label import CORNERS, LabelSettings, check_label_fits, check_label_text
from studio.render.photo_renderer import MAX_FPS, MAX_HEIGHT, MAX_WIDTH, MIN_SIDE
from studio.storage.text_file import read_text
from studio.translation import tr

AUDIO_SUFFIXES = (".wav", ".mp3", ".m4a", ".aac", ".flac", ".ogg", ".opus")
MAX_AUDIO_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class PlannedJob:
    """A checked job, ready for any worker: nothing in it needs this machine but its paths."""

    number: int
    where: str
    name: str  # the output's path under the batch's folder, as the jobs file gives it
    out: Path
    avatar_dir: Path
    avatar_hash: str
    text: str  # what the voice says, the spoken AI notice first; "" for an audio job
    script: str  # the lines as written (for the session log)
    notice: str
    audio: Path | None
    voice: str  # resolved voice id; "" for an audio job
    width: int
    height: int
    fps: Fraction
    label: LabelSettings
    input_hash: str

    @property
    def lipsync(self) -> str:
        return "model" if self.audio is not None else "phonemes"


def plan_jobs(
    jobs_file: JobsFile, out_dir: Path, library: AvatarLibrary, disclosure: Disclosure | None
) -> list[PlannedJob]:
    """Check every job; ``JobsFileError`` lists every problem (one line each) when any has one."""
    base = jobs_file.path.parent
    checker = Checker()
    problems: list[tuple[int, str]] = list(jobs_file.problems)
    planned: list[PlannedJob] = []
    avatars: dict[str, tuple[Avatar, str] | str] = {}
    catalog = _catalog(jobs_file, base, problems)
    names: dict[str, str] = {}
    for spec in jobs_file.jobs:
        try:
            job = _plan(spec, jobs_file, base, out_dir, library, disclosure, checker, catalog, avatars)
        except StudioError as exc:
            problems.append(
                (
                    spec.number,
                    tr("{where}: {problem}").format(
                        where=shown_where(spec.where), problem=printable(one_line(exc))
                    ),
                )
            )
            continue
        key = job.name.casefold()
        if key in names:
            problems.append(
                (
                    spec.number,
                    tr("{where}: out '{name}' is also the output of {other}").format(
                        where=shown_where(spec.where), name=job.name, other=shown_where(names[key])
                    ),
                )
            )
            continue
        names[key] = spec.where
        planned.append(job)
    if problems:
        raise JobsFileError(str(jobs_file.path), [text for _, text in sorted(problems, key=lambda p: p[0])])
    return planned


def _catalog(jobs_file: JobsFile, base: Path, problems: list[tuple[int, str]]) -> Catalog | None:
    if not jobs_file.catalog:
        return None
    try:
        return load_catalog(base / jobs_file.catalog)  # every fact passes the claims checker here
    except StudioError as exc:
        problems.append((0, tr("catalog: {reason}").format(reason=printable(one_line(exc)))))
        return None


def _plan(
    spec: JobSpec,
    jobs_file: JobsFile,
    base: Path,
    out_dir: Path,
    library: AvatarLibrary,
    disclosure: Disclosure | None,
    checker: Checker,
    catalog: Catalog | None,
    avatars: dict[str, tuple[Avatar, str] | str],
) -> PlannedJob:
    name = _out_name(spec)
    raw, audio = _script(spec, jobs_file, base, catalog)
    avatar, avatar_hash = _avatar(spec.avatar, library, avatars)
    fps = _fps(spec.fps)
    width, height = _size(spec.size, avatar)
    label = _label(spec, width, height)
    notice, voice = "", ""
    if audio is None:
        findings = check_script(raw, checker)
        if findings:
            first = findings[0]
            raise InputError(f"{_source_field(spec)}:{first.line}:{first.col}: {first.describe()}")
        from studio.voice import resolve
        from studio.voice.script_text import check_text  # the same sentences as 'studio render'

        spoken, notice = with_disclosure(raw, disclosure)
        text = check_text(spoken)
        voice = resolve(spec.voice or None, text)[1].id
        speech: dict[str, Any] = {"text": text, "voice": voice}
    else:
        if spec.voice:
            raise InputError(tr("voice: the job's audio is already speech; drop 'voice'"))
        text = ""
        speech = {"audio_sha256": sha256_file(audio)}
    problem = consent_problem(avatar.manifest, "render", (voice,) if voice else ())
    if problem:
        raise InputError(
            tr("avatar: {problem}; renew it with 'studio avatar consent NAME --renew'").format(
                problem=problem
            )
        )
    inputs = {
        "avatar": avatar_hash,
        **speech,
        "lipsync": "model" if audio is not None else "phonemes",
        "size": [width, height],
        "fps": str(fps),
        "label": [label.enabled, label.text, label.corner],
    }
    return PlannedJob(
        number=spec.number,
        where=spec.where,
        name=name,
        out=out_dir / name,
        avatar_dir=avatar.path,
        avatar_hash=avatar_hash,
        text=text,
        script=raw,
        notice=notice,
        audio=audio,
        voice=voice,
        width=width,
        height=height,
        fps=fps,
        label=label,
        input_hash=input_hash(inputs),
    )


def _source_field(spec: JobSpec) -> str:
    return next((s for s in ("text", "script", "product") if getattr(spec, s)), "template")


def _out_name(spec: JobSpec) -> str:
    name = spec.out or f"{spec.product or f'job-{spec.number}'}.mp4"
    pure = PurePosixPath(name.replace("\\", "/"))
    # A colon is a drive (C:/x.mp4 joins to C:/x.mp4 on Windows) or an NTFS stream: never a name.
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or ":" in name:
        raise InputError(
            tr("out '{name}' must be a file name inside the batch's --out folder").format(name=name)
        )
    if pure.suffix.lower() != ".mp4" or pure.name.startswith("."):
        raise InputError(tr("out '{name}' must be a file name ending in .mp4").format(name=name))
    return str(pure)


def _script(
    spec: JobSpec, jobs_file: JobsFile, base: Path, catalog: Catalog | None
) -> tuple[str, Path | None]:
    """(the script's lines as written, the audio file): one of them is given."""
    if spec.audio:
        path = base / spec.audio
        if not path.is_file():
            raise InputError(tr("audio: {path} is not a file").format(path=path))
        if path.suffix.lower() not in AUDIO_SUFFIXES:
            raise InputError(
                tr("audio: {name} is not one of {kinds}").format(
                    name=path.name, kinds=", ".join(AUDIO_SUFFIXES)
                )
            )
        if path.stat().st_size > MAX_AUDIO_BYTES:
            raise InputError(
                tr("audio: {name} is larger than {size} MB").format(
                    name=path.name, size=MAX_AUDIO_BYTES // 2**20
                )
            )
        return "", path
    if spec.text.strip():
        return spec.text, None
    if spec.script:
        return read_text(base / spec.script, tr("the script"), "script"), None
    fields = dict(spec.fields)
    if spec.product:
        if catalog is None:
            raise InputError(tr('product: no catalogue; name one with catalog = "FILE" or --catalog'))
        fields = {**_product_fields(catalog.product(spec.product), catalog.language), **fields}
        if not jobs_file.template:
            return _show_lines(catalog, spec.product), None
    if not jobs_file.template:
        raise InputError(tr("no script: give text, script, audio or product (or a template for its fields)"))
    return _fill(jobs_file.template, fields), None


def _product_fields(product: Product, lang: str) -> dict[str, str]:
    from studio.commerce.wording import price_words

    return {
        "id": product.id,
        "name": product.name_in(lang),
        "price": price_words(product, lang),
        "promotion": product.promotion_in(lang),
        "facts": ("" if lang == "zh" else " ").join(product.facts_in(lang)),
    }


def _show_lines(catalog: Catalog, product_id: str) -> str:
    """The product's part of a show made from Studio's template: intro, facts, offer, call to action."""
    from studio.commerce.show_script import load_templates, show_from_catalog

    one = Catalog((catalog.product(product_id),), catalog.language, catalog.source)
    rundown = show_from_catalog(one, load_templates(catalog.language), loop=False)
    return "\n".join(segment.text for segment in rundown.segments)


def _fill(template: str, fields: dict[str, str]) -> str:
    try:
        parsed = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(template) if f is not None]
    except ValueError as exc:
        raise InputError(tr("template: a broken placeholder ({reason})").format(reason=exc)) from None
    wanted = {f for f, _, _ in parsed}
    formatted = next((f for f, spec, conv in parsed if spec or conv), None)
    if formatted is not None:  # {name:>999999999} would fill memory; a script needs no format spec
        raise InputError(
            tr("template: formats {{{field}}}; write it plain, as {{{field}}}").format(field=formatted)
        )
    missing = sorted(w for w in wanted if w not in fields)
    if missing:
        raise InputError(
            tr("template: uses {{{field}}}, which this job has no field or column for").format(
                field=missing[0]
            )
        )
    try:
        return template.format_map(fields)
    except (ValueError, IndexError, KeyError, AttributeError) as exc:
        raise InputError(tr("template: cannot be filled ({reason})").format(reason=one_line(exc))) from None


def _avatar(
    ref: str, library: AvatarLibrary, cache: dict[str, tuple[Avatar, str] | str]
) -> tuple[Avatar, str]:
    if ref not in cache:
        try:
            avatar = library.load(ref)
            cache[ref] = (avatar, package_hash(avatar.path))
        except StudioError as exc:
            cache[ref] = tr("avatar: {reason}").format(reason=one_line(exc))
    found = cache[ref]
    if isinstance(found, str):
        raise InputError(found)
    return found


def _fps(value: str) -> Fraction:
    try:
        fps = as_rate(value.strip())
    except (ValueError, ZeroDivisionError):
        raise InputError(tr("fps '{value}' is not a number (e.g. 30)").format(value=value)) from None
    if not 1 <= fps <= MAX_FPS:
        raise InputError(tr("fps {value} is out of range (1 to {limit})").format(value=value, limit=MAX_FPS))
    return fps


def _size(value: str, avatar: Avatar) -> tuple[int, int]:
    text = value.strip().lower().replace("×", "x")
    if text == "auto":
        return propose_output_size(*avatar.manifest.image_size)
    w_text, x, h_text = text.partition("x")
    if not x or not w_text.strip().isdigit() or not h_text.strip().isdigit():
        raise InputError(tr("size '{value}' is not WIDTHxHEIGHT (e.g. 1280x720) or auto").format(value=value))
    w, h = int(w_text), int(h_text)
    if not (MIN_SIDE <= w <= MAX_WIDTH and MIN_SIDE <= h <= MAX_HEIGHT) or w % 2 or h % 2:
        raise InputError(
            tr("size {w}x{h}: use even numbers from {low}x{low} to {width}x{height}").format(
                w=w, h=h, low=MIN_SIDE, width=MAX_WIDTH, height=MAX_HEIGHT
            )
        )
    return w, h


def _label(spec: JobSpec, width: int, height: int) -> LabelSettings:
    if spec.label_corner not in CORNERS:
        raise InputError(
            tr("label_corner '{corner}' is not one of {corners}").format(
                corner=spec.label_corner, corners=", ".join(CORNERS)
            )
        )
    if spec.label is False:
        return LabelSettings(False, LabelSettings().text, spec.label_corner)
    text = LabelSettings().text if spec.label is True else spec.label
    try:
        label = LabelSettings(True, check_label_text(text), spec.label_corner)
        check_label_fits(label.text, width, height)
    except InputError as exc:
        raise InputError(tr("label: {reason}").format(reason=one_line(exc))) from None
    return label
