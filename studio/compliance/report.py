"""``studio report``: a session log (or its rotated parts) as a one-page compliance summary.

The report is built from sections, each fed every record in order and asked for its lines at
the end (``SECTIONS``); a feature that logs a record type of its own adds a section for it. The
log is read line by line, never whole, so a week-long show's log takes no more memory than a
short one's. A cut last line (a kill while it was written) is tolerated and said; anything else
that is not a session record is refused in one line.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from studio.compliance.report_frames import RESTART, STALL, FramesSection, WatchdogSection
from studio.compliance.report_room import DECISION, QUESTION, AirtimeSection, QuestionsSection
from studio.compliance.report_types import Record, Section, _at, _text, clock
from studio.compliance.session_log import LOG_SUFFIX, LOG_VERSION, PART_BYTES, RECORD_TYPES, SHOW, STICKY
from studio.errors import InputError
from studio.translation import tr

MAX_PART_BYTES = 16 * PART_BYTES  # a part bigger than this was not written by Studio
_PART = re.compile(r"^(?P<name>.+?)(?:\.(?P<part>\d+))?" + re.escape(LOG_SUFFIX) + "$")


def _fix() -> str:
    return tr("Give a session log: 'studio live' and 'studio render' print where they wrote it.")


def log_parts(path: Path) -> list[Path]:
    """Every part of the log that ``path`` is one part of, in order (``NAME.jsonl``,
    ``NAME.2.jsonl``…); the rotation may have removed the first ones."""
    path = Path(path)
    if path.is_dir():
        raise InputError(tr("{path} is a folder.").format(path=path), _fix())
    if not path.is_file():
        raise InputError(tr("no session log at {path}.").format(path=path), _fix())
    match = _PART.match(path.name)
    if match is None:
        return [path]
    found = []
    for candidate in path.parent.glob(f"{glob_escape(match['name'])}*{LOG_SUFFIX}"):
        m = _PART.match(candidate.name)
        if m is not None and m["name"] == match["name"] and candidate.is_file():
            found.append((int(m["part"] or 1), candidate))
    return [p for _, p in sorted(found)] or [path]


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def read_records(paths: list[Path], notes: list[str]) -> Iterator[Record]:
    """The records of ``paths`` in order; what was odd about them is appended to ``notes``."""
    for index, path in enumerate(paths):
        size = path.stat().st_size
        if size > MAX_PART_BYTES:
            raise InputError(
                tr("{path} is {size:.0f} MB, too big for a session log part.").format(
                    path=path, size=size / 2**20
                ),
                _fix(),
            )
        with open(path, "rb") as fh:
            number = 0
            for number, raw in enumerate(fh, 1):  # noqa: B007 - the count is used after the loop
                record = _parse(raw)
                if record is None:
                    last = index == len(paths) - 1 and not raw.endswith(b"\n")
                    if last and number > 1:
                        notes.append(
                            tr("the last line of {name} was cut (the show was killed mid-line)").format(
                                name=path.name
                            )
                        )
                        return
                    raise InputError(
                        tr("{path}:{number}: not a session log record.").format(path=path, number=number),
                        _fix(),
                    )
                if number == 1:
                    _check_header(record, path)
                yield record
            if number == 0:
                raise InputError(tr("{path} is empty.").format(path=path), _fix())


def _parse(raw: bytes) -> Record | None:
    try:
        record = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("type"), str):
        return None
    return record


def _check_header(record: Record, path: Path) -> None:
    if record.get("type") != SHOW:
        raise InputError(
            tr("{path} does not start with a show record, so it is not a session log.").format(path=path),
            _fix(),
        )
    version = record.get("log_version")
    if not isinstance(version, int) or version > LOG_VERSION:
        raise InputError(
            tr("{path} is session log version {version}; this Studio reads version {supported}.").format(
                path=path, version=version, supported=LOG_VERSION
            ),
            tr("Update Studio to read it."),
        )


@dataclass
class ShowSection(Section):
    title: str = "Show"
    header: Record = field(default_factory=dict)
    first_t: str = ""
    last: Record = field(default_factory=dict)
    end: Record | None = None
    duration: float = 0.0
    parts: list[int] = field(default_factory=list)

    def take(self, record: Record) -> None:
        if record["type"] == SHOW:
            self.header = self.header or record
            self.parts.append(int(record.get("part", 1)))
        self.first_t = self.first_t or str(record.get("t", ""))
        self.last = record
        if isinstance(record.get("pts_s"), int | float):
            self.duration = max(self.duration, float(record["pts_s"]))
        if record["type"] == "end":
            self.end = record

    def finish(self) -> list[str]:
        h = self.header
        kind, show, avatar = (_text(h.get(k, "")) for k in ("kind", "show", "avatar"))
        ended = tr("no end record (the show was killed, or is still running)")
        if self.end is not None:
            ended = _text(self.end.get("reason", "stopped"))
        lines = [
            tr("{kind} show '{show}' with avatar '{avatar}'").format(kind=kind, show=show, avatar=avatar),
            tr("from {start} to {end}, {duration} of show time").format(
                start=self.first_t, end=self.last.get("t", ""), duration=clock(self.duration)
            ),
            tr("ended: {ended}").format(ended=ended),
        ]
        if self.parts and self.parts[0] > 1:
            first = self.parts[0]
            lines.append(
                tr("log parts 1 to {last} were rotated away; read from part {first}").format(
                    last=first - 1, first=first
                )
            )
        return lines


@dataclass
class ConsentSection(Section):
    title: str = "Consent"

    def take(self, record: Record) -> None:
        if record["type"] == "consent":
            voices = ", ".join(map(str, record.get("voices") or [])) or tr("any voice")
            self.lines.append(
                tr(
                    "checked for {use} at {at}: avatar '{avatar}', "
                    "covers {scope} with {voices}, expires {expires}"
                ).format(
                    use=_text(record.get("use", "")),
                    at=_at(record),
                    avatar=_text(record.get("avatar", "")),
                    scope=", ".join(map(str, record.get("scope", []))),
                    voices=voices,
                    expires=_text(record.get("expires", "") or tr("never")),
                )
            )

    def finish(self) -> list[str]:
        return self.lines or [tr("NOT RECORDED: no consent check in this log")]


@dataclass
class SpokenSection(Section):
    title: str = "Spoken"
    kinds: Counter[str] = field(default_factory=Counter)
    voices: Counter[str] = field(default_factory=Counter)
    disclosures: list[Record] = field(default_factory=list)

    def take(self, record: Record) -> None:
        if record["type"] == "said":
            self.kinds[str(record.get("kind", "?"))] += 1
            self.voices[str(record.get("voice", "") or "?")] += 1
            if record.get("kind") == "disclosure":
                self.disclosures.append(record)

    def finish(self) -> list[str]:
        total = sum(self.kinds.values())
        kinds = ", ".join(f"{n} {k}" for k, n in self.kinds.most_common())
        said = tr("{total} lines said").format(total=total)
        lines = [said + (tr(": {kinds}").format(kinds=kinds) if kinds else "")]
        lines += [
            "  " + tr("{n} by {voice}").format(n=n, voice=_text(v)) for v, n in self.voices.most_common()
        ]
        if self.disclosures:
            times = ", ".join(clock(d.get("pts_s", 0)) for d in self.disclosures[:12])
            more = "…" if len(self.disclosures) > 12 else ""
            lines.append(
                tr("AI disclosure said {count} times, at {times}{more}").format(
                    count=len(self.disclosures), times=times, more=more
                )
            )
        else:
            lines.append(tr("AI disclosure: not said"))
        return lines


@dataclass
class OverrideSection(Section):
    title: str = "Claim overrides"
    said: Counter[str] = field(default_factory=Counter)
    overrides: list[Record] = field(default_factory=list)
    blocked: list[Record] = field(default_factory=list)

    def take(self, record: Record) -> None:
        if record["type"] == "override":
            self.overrides.append(record)
        elif record["type"] == "said":
            self.said.update(map(str, record.get("overrides", [])))
        elif record["type"] == "blocked":
            self.blocked.append(record)

    def finish(self) -> list[str]:
        lines = []
        for o in self.overrides:
            rule, words, by, at = (_text(o.get(k, "")) for k in ("rule", "text", "by", "at"))
            reason = _text(o.get("reason", "") or tr("no reason given"))
            spoken = self.said[str(o.get("rule", ""))]
            lines.append(
                tr("{rule} '{words}' let through by {by} at {at} ({reason}); spoken {spoken} times").format(
                    rule=rule, words=words, by=by, at=at, reason=reason, spoken=spoken
                )
            )
        lines = lines or [tr("none")]
        if self.blocked:
            lines.append(
                tr("{count} typed lines kept off the air by the claims checker:").format(
                    count=len(self.blocked)
                )
            )
            for record in self.blocked[:10]:
                rules = ", ".join(map(str, record.get("rules", [])))
                lines.append(f"  {_at(record)} {rules}: {_text(record.get('text', ''))}")
        return lines


@dataclass
class LabelSection(Section):
    title: str = "AI labels"

    def take(self, record: Record) -> None:
        if record["type"] == "label":
            shown = tr("on ('{text}', {corner})").format(
                text=_text(record.get("text", "")), corner=record.get("corner", "")
            )
            self.lines.append(
                tr("visible label {state} at {at}").format(
                    state=shown if record.get("visible") else tr("OFF"), at=_at(record)
                )
            )
        elif record["type"] == "unlabelled_ack":
            outputs = ", ".join(map(str, record.get("outputs", [])))
            self.lines.append(
                tr("unlabelled {outputs} acknowledged by {by}").format(
                    outputs=outputs, by=_text(record.get("by", ""))
                )
            )
        elif record["type"] == "output" and record.get("event") == "started":
            tag = record.get("produce_id")
            implicit = (
                tr("implicit label ProduceID {tag}").format(tag=_text(tag))
                if tag
                else tr("no implicit label (no file)")
            )
            self.lines.append(f"{_text(record.get('name', ''))}: {implicit}")

    def finish(self) -> list[str]:
        return self.lines or [tr("NOT RECORDED: no label state in this log")]


@dataclass
class OutputSection(Section):
    title: str = "Outputs"

    def take(self, record: Record) -> None:
        if record["type"] != "output":
            return
        name, event = _text(record.get("name", "")), record.get("event")
        if event == "started":
            self.lines.append(
                tr("{at} {name} started: {target}").format(
                    at=_at(record), name=name, target=_text(record.get("target", ""), 100)
                )
            )
        elif event == "state":
            self.lines.append(f"{_at(record)} {name} {_text(record.get('state', ''))}")
        elif event == "stopped":
            error = f", {_text(record['last_error'])}" if record.get("last_error") else ""
            self.lines.append(
                tr("{at} {name} {state}: {frames} frames, {dropped} dropped{error}").format(
                    at=_at(record),
                    name=name,
                    state=_text(record.get("state", "")),
                    frames=record.get("frames", 0),
                    dropped=record.get("dropped", 0),
                    error=error,
                )
            )

    def finish(self) -> list[str]:
        return self.lines or [tr("none")]


@dataclass
class WarningSection(Section):
    title: str = "Warnings"
    count: int = 0

    def take(self, record: Record) -> None:
        if record["type"] == "warning":
            self.count += 1
            if len(self.lines) < 10:
                self.lines.append(f"{_at(record)} {_text(record.get('message', ''), 160)}")

    def finish(self) -> list[str]:
        more = (
            [tr("… and {count} more").format(count=self.count - len(self.lines))]
            if self.count > len(self.lines)
            else []
        )
        return [*self.lines, *more] or [tr("none")]


@dataclass
class LogSection(Section):
    title: str = "Log"
    records: int = 0
    dropped: int = 0
    cut: int = 0
    unknown: Counter[str] = field(default_factory=Counter)

    def take(self, record: Record) -> None:
        self.records += 1
        self.cut += bool(record.get("cut"))
        if record["type"] == "log_dropped":
            self.dropped += int(record.get("count", 0))
        elif record["type"] not in (*RECORD_TYPES, QUESTION, DECISION, STALL, RESTART):
            self.unknown[_text(record["type"], 30)] += 1

    def finish(self) -> list[str]:
        lines = [tr("{count} records read").format(count=self.records)]
        if self.dropped:
            lines.append(tr("{count} records lost: the log could not keep up").format(count=self.dropped))
        if self.cut:
            lines.append(tr("{count} records had long texts cut to fit a line").format(count=self.cut))
        if self.unknown:
            counts = ", ".join(f"{n} {k}" for k, n in self.unknown.items())
            lines.append(tr("records this report does not summarise: {counts}").format(counts=counts))
        return lines


SECTIONS: tuple[Callable[[], Section], ...] = (
    ShowSection, ConsentSection, SpokenSection, OverrideSection, LabelSection, OutputSection,
    WarningSection, AirtimeSection, QuestionsSection, FramesSection, WatchdogSection, LogSection,
)  # fmt: skip


@dataclass(frozen=True)
class Report:
    source: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    notes: tuple[str, ...]
    figures: tuple[tuple[str, str], ...] = ()  # (section title, inline SVG) for the HTML page

    def text(self) -> str:
        out = [tr("Session report: {source}").format(source=self.source)]
        for title, lines in self.sections:
            out += ["", heading(title), *(f"  {line}" for line in lines)]
        if self.notes:
            out += ["", heading("Notes"), *(f"  {note}" for note in self.notes)]
        return "\n".join(out) + "\n"

    def html(self) -> str:
        e = html.escape
        page_title = e(tr("Session report"))
        body = [f"<h1>{page_title}</h1><p>{e(self.source)}</p>"]
        for title, lines in (*self.sections, *((("Notes", self.notes),) if self.notes else ())):
            items = "".join(f"<li>{e(line)}</li>" for line in lines)
            figures = "".join(svg for name, svg in self.figures if name == title)  # made from numbers only
            body.append(f"<h2>{e(heading(title))}</h2><ul>{items}</ul>{figures}")
        style = "body{font:14px sans-serif;max-width:60em;margin:2em auto}h2{font-size:1.1em}"
        return (
            f'<!doctype html><html><head><meta charset="utf-8"><title>{page_title}</title>'
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n"
        )


def heading(title: str) -> str:
    """A section's title as the reader sees it (the titles stay English in ``Report.sections``)."""
    titles = {
        "Show": tr("Show"),
        "Consent": tr("Consent"),
        "Spoken": tr("Spoken"),
        "Claim overrides": tr("Claim overrides"),
        "AI labels": tr("AI labels"),
        "Outputs": tr("Outputs"),
        "Warnings": tr("Warnings"),
        "Products on air": tr("Products on air"),
        "Viewers' questions": tr("Viewers' questions"),
        "Late frames": tr("Late frames"),
        "Stalls and restarts": tr("Stalls and restarts"),
        "Log": tr("Log"),
        "Notes": tr("Notes"),
    }
    return titles.get(title, title)


def build_report(path: Path, sections: tuple[Callable[[], Section], ...] = SECTIONS) -> Report:
    """The report of the log ``path`` is part of (all its parts still on disk)."""
    paths = log_parts(path)
    notes: list[str] = []
    made = [make() for make in sections]
    repeated: set[object] = set()  # the sticky records each part repeats: counted once
    for record in read_records(paths, notes):
        if record["type"] in STICKY:
            if record.get("seq") in repeated:
                continue
            repeated.add(record.get("seq"))
        for section in made:
            section.take(record)
    source = (
        str(paths[0])
        if len(paths) == 1
        else tr("{path} (+{count} parts)").format(path=paths[0], count=len(paths) - 1)
    )
    figures = tuple((s.title, s.figure()) for s in made if s.figure())
    return Report(source, tuple((s.title, tuple(s.finish())) for s in made), tuple(notes), figures)
