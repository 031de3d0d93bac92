"""The jobs file of ``studio batch``: TOML or CSV, each job read into a ``JobSpec``.

TOML, the smallest form (everything else defaulted)::

    [[job]]
    avatar = "demo"
    text = "Welcome to the live room!"
    out = "welcome.mp4"

Optional top-level keys: ``catalog`` (a catalogue file, for jobs that name a ``product``),
``template`` (the script with ``{placeholders}``: a product's ``name``, ``price``, ``promotion``,
``facts``, ``id``, and any extra keys or columns of the job) and a ``[defaults]`` table of job
fields. CSV: a header row; columns named like job fields are job fields, every other column is a
field for the template (a row per SKU from a spreadsheet). Paths are relative to the jobs file.

Every problem is collected, one line each naming the job (TOML line or CSV row) and the field,
so a whole file is fixed in one pass.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.errors import InputError, printable
from studio.storage.text_file import parse_toml, read_text
from studio.translation import tr, tr_n

MAX_JOBS_BYTES = 16 * 1024 * 1024
MAX_JOBS = 10000
TEXT_FIELDS = ("avatar", "text", "script", "audio", "product", "voice", "size", "fps")
LABEL_FIELDS = ("label", "label_corner")
JOB_FIELDS = (*TEXT_FIELDS, *LABEL_FIELDS, "out")
SOURCES = ("text", "script", "audio", "product")
_TOP_KEYS = {"job", "defaults", "catalog", "template"}
_WHERE = re.compile(r"^(job|row) (\d+)(?: \(line (\d+)\))?$")


def _fix() -> str:
    return tr("See 'studio batch --help' for the jobs file's fields.")


class JobsFileError(InputError):
    """The jobs file cannot be used; ``problems`` holds one line per problem (the CLI prints each)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        count = tr_n("{n} problem", "{n} problems", len(problems)).format(n=len(problems))
        super().__init__(
            tr("{source}: {count}, nothing was rendered: {problem}").format(
                source=source, count=count, problem=problems[0]
            ),
            tr("Fix them and run again."),
        )
        self.source = source
        self.problems = problems


@dataclass(frozen=True)
class JobSpec:
    """One job as written (strings, defaults filled), before avatars, voices and claims are checked."""

    where: str  # "job 2 (line 7)" or "row 3": how messages name it
    number: int  # 1-based, in file order
    avatar: str = "demo"
    text: str = ""
    script: str = ""
    audio: str = ""
    product: str = ""
    voice: str = ""
    size: str = "auto"
    fps: str = "30"
    label: str | bool = True  # True: the default text; a string: that text; False: off
    label_corner: str = "top-right"
    out: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # extra keys/columns, for the template


@dataclass(frozen=True)
class JobsFile:
    path: Path
    jobs: tuple[JobSpec, ...]
    catalog: str = ""  # relative to ``path``'s folder
    template: str = ""  # the template's text
    # (job number, problem) found while reading: 0 for the file's own. Planning adds its own and
    # refuses them all together, in the file's order.
    problems: tuple[tuple[int, str], ...] = ()


def read_jobs_file(path: Path, template_file: Path | None = None, catalog: Path | None = None) -> JobsFile:
    """The jobs in ``path`` (``.toml`` or ``.csv``), or ``JobsFileError`` listing every problem.
    ``template_file`` and ``catalog`` are the command line's, used where the file names none."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".csv"):
        raise InputError(
            tr("the jobs file {path} is neither .toml nor .csv.").format(path=path),
            tr("Give a .toml or .csv file."),
        )
    text = read_text(path, tr("the jobs file"), "JOBS", MAX_JOBS_BYTES)
    template = read_text(template_file, tr("the template"), "--template") if template_file else ""
    if suffix == ".toml":
        jobs, problems, file_catalog, file_template = _toml_jobs(text, str(path), bool(template))
    else:
        (jobs, problems), file_catalog, file_template = _csv_jobs(text, str(path)), "", ""
    if not jobs and not problems:
        raise InputError(
            tr("{path} holds no jobs.").format(path=path), tr("Add a [[job]] table (TOML) or a row (CSV).")
        )
    if len(jobs) > MAX_JOBS:
        raise InputError(
            tr("{path} holds {count} jobs; one batch takes {limit}.").format(
                path=path, count=len(jobs), limit=MAX_JOBS
            ),
            tr("Split the file."),
        )
    # The command line's catalogue is relative to where the command runs, the file's to the file.
    catalog_name = str(Path(catalog).resolve()) if catalog else str(file_catalog)
    return JobsFile(path, tuple(jobs), catalog_name, template or file_template, tuple(problems))


def _toml_jobs(
    text: str, source: str, cli_template: bool
) -> tuple[list[JobSpec], list[tuple[int, str]], str, str]:
    data = parse_toml(text, source, tr("jobs file"), _fix())
    problems: list[tuple[int, str]] = []
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        known = ", ".join(sorted(_TOP_KEYS))
        problems.append(
            (0, tr("unknown top-level key '{key}' (known: {known})").format(key=unknown[0], known=known))
        )
    catalog = data.get("catalog", "")
    template = data.get("template", "")
    for key, value in (("catalog", catalog), ("template", template)):
        if not isinstance(value, str):
            problems.append((0, tr("'{key}' is not text").format(key=key)))
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        problems.append((0, tr("[defaults] is not a table")))
        defaults = {}
    tables = data.get("job", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise JobsFileError(source, [p for _, p in problems] + [tr("'job' must be [[job]] tables")])
    lines = _job_lines(text)
    jobs = []
    for number, table in enumerate(tables, 1):
        line = lines[number - 1] if number - 1 < len(lines) else 0
        where = f"job {number} (line {line})" if line else f"job {number}"
        # Keys beyond the job's fields are the template's; with no template, a typo.
        extra_allowed = cli_template or bool(template)
        job = _spec(where, number, {**defaults, **table}, problems, extra_allowed)
        if job is not None:
            jobs.append(job)
    return jobs, problems, str(catalog), str(template)


def _job_lines(text: str) -> list[int]:
    """The line of each ``[[job]]`` header, in order (for messages)."""
    return [i for i, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*job\s*\]\]", line)]


def _csv_jobs(text: str, source: str) -> tuple[list[JobSpec], list[tuple[int, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames  # reads the header row: a cell over csv's limit fails here
    except csv.Error as exc:
        raise InputError(
            tr("{source} is not valid CSV ({reason}).").format(source=source, reason=exc),
            tr("Save it again as CSV (UTF-8)."),
        ) from None
    if not fieldnames:
        raise InputError(
            tr("{source} has no header row.").format(source=source),
            tr("Put the column names on the first line."),
        )
    names = [n.strip() for n in fieldnames]
    if len(set(names)) != len(names) or "" in names:
        raise InputError(
            tr("{source}: the header has an empty or repeated column name.").format(source=source),
            tr("Name each column once."),
        )
    problems: list[tuple[int, str]] = []
    jobs = []
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(
            tr("{source} is not valid CSV ({reason}).").format(source=source, reason=exc),
            tr("Save it again as CSV (UTF-8)."),
        ) from None
    for number, row in enumerate(rows, 1):
        if None in row:  # more cells than the header has names
            problems.append(
                (
                    number,
                    tr("row {number} (line {line}): more cells than the header names").format(
                        number=number, line=number + 1
                    ),
                )
            )
            continue
        values = {k.strip(): (v or "").strip() for k, v in row.items()}
        if not any(values.values()):
            continue
        cleaned: dict[str, Any] = {k: v for k, v in values.items() if v != "" or k not in JOB_FIELDS}
        job = _spec(f"row {number} (line {number + 1})", number, cleaned, problems, extra_allowed=True)
        if job is not None:
            jobs.append(job)
    return jobs, problems


def _spec(
    where: str, number: int, data: dict[str, Any], problems: list[tuple[int, str]], extra_allowed: bool
) -> JobSpec | None:
    before = len(problems)
    shown = shown_where(where)
    values: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for key, value in data.items():
        if key in TEXT_FIELDS or key in ("label_corner", "out"):
            if isinstance(value, int | float) and not isinstance(value, bool) and key == "fps":
                value = str(value)
            if not isinstance(value, str):
                problems.append((number, tr("{where}: '{key}' is not text").format(where=shown, key=key)))
                continue
            values[key] = value.strip() if key not in ("text",) else value
        elif key == "label":
            if isinstance(value, str) and value.strip().casefold() in ("false", "off", "no"):
                value = False
            elif isinstance(value, str) and value.strip().casefold() in ("true", "on", "yes", ""):
                value = True
            if not isinstance(value, str | bool):
                problems.append(
                    (
                        number,
                        tr("{where}: 'label' is neither true, false nor the label's text").format(
                            where=shown
                        ),
                    )
                )
                continue
            values[key] = value
        elif extra_allowed and isinstance(value, str | int | float) and not isinstance(value, bool):
            extra[key] = str(value)
        else:
            known = ", ".join(JOB_FIELDS)
            problems.append(
                (
                    number,
                    tr("{where}: unknown field '{key}' (known: {known})").format(
                        where=shown, key=printable(key), known=known
                    ),
                )
            )
    given = [s for s in SOURCES if values.get(s, "").strip() if isinstance(values.get(s, ""), str)]
    if len(given) > 1:
        both = tr("{where}: '{first}' and '{second}' both given; a job says one of {names}").format(
            where=shown, first=given[0], second=given[1], names=_or(SOURCES)
        )
        problems.append((number, both))
    if len(problems) > before:
        return None
    return JobSpec(where=where, number=number, fields=extra, **values)


def shown_where(where: str) -> str:
    """A job's ``where`` ("job 2 (line 7)", "row 3 (line 4)": English in the report and the
    session log) as a message in the user's language names it."""
    match = _WHERE.match(where)
    if match is None:
        return where
    kind, number, line = match.groups()
    if kind == "row":
        return tr("row {number} (line {line})").format(number=number, line=line)
    if line:
        return tr("job {number} (line {line})").format(number=number, line=line)
    return tr("job {number}").format(number=number)


def _or(names: tuple[str, ...]) -> str:
    return tr("{names} or {last}").format(names=", ".join(names[:-1]), last=names[-1])
