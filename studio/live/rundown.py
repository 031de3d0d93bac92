"""A show's rundown: segments of text, each with a voice and a repeat count, looping.

The file is TOML so people can write it by hand and the app can write it back::

    # Studio rundown
    version = 1
    loop = true

    [[segment]]
    title = "Welcome"
    text = "Welcome to the live room! Today we have something special."
    voice = "piper:en_US-joe-medium"   # optional: the default voice for the text's language
    repeat = 1
    pause_ms = 400                     # silence after each sentence
    product = "mug"                    # optional: the catalogue product this segment presents

Loading a rundown runs the claims checker (``studio.compliance``) over every segment: a line
that makes a prohibited claim is refused unless the segment carries an override for exactly
that finding (``[[segment.override]]``, see ``studio.compliance.override``).

``[[slot]]`` tables say which products' segments are said at which time of day; outside them the
segments rotate (``studio.live.schedule``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, time
from pathlib import Path

from studio.compliance import Checker, Override, check_segments, parse_override, place_in_toml, unresolved
from studio.errors import InputError, printable
from studio.live.schedule import Slot, parse_slots, segments_at
from studio.storage.atomic import atomic_write_bytes
from studio.storage.text_file import parse_toml, read_text
from studio.translation import tr
from studio.voice.chunking import split_long

RUNDOWN_VERSION = 1
MAX_REPEAT = 1000


def _fix() -> str:
    return tr("See assets/demo/demo.rundown.toml for a working example.")


# Sentence ends: Latin and CJK full stops, question and exclamation marks, and line breaks.
_SURROGATE = re.compile("[\ud800-\udfff]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[。！？；])|\n+")


@dataclass(frozen=True)
class Segment:
    text: str
    voice: str | None = None
    repeat: int = 1
    pause_ms: int = 400
    title: str = ""
    overrides: tuple[Override, ...] = ()  # claims deliberately let through, with who and when
    product: str | None = None  # the catalogue id of the product it presents (its card, its questions)

    def sentences(self) -> list[str]:
        return split_sentences(self.text)


@dataclass(frozen=True)
class Rundown:
    segments: tuple[Segment, ...]
    loop: bool = True
    source: str = field(default="", compare=False)
    slots: tuple[Slot, ...] = ()  # the day's schedule; none: every segment in turn
    # The time of day the slots are read on; None: local time (a simulated day runs its own).
    day_clock: Callable[[], time] | None = field(default=None, compare=False, repr=False)

    def lines(self, clock: Callable[[], time] | None = None) -> Iterator[Line]:
        """``_lines``, guarded: a looping rundown's lines never end, so ``list()`` or ``tuple()`` of
        them raises at once (``Endless``) instead of filling memory; ``next`` and ``islice`` work."""
        lines = self._lines(clock or self.day_clock)
        return Endless(lines) if self.loop and any(s.sentences() for s in self.segments) else lines

    def _lines(self, clock: Callable[[], time] | None = None) -> Iterator[Line]:
        """Every sentence in speaking order, forever when the rundown loops (a rundown with
        nothing to say yields nothing rather than looping over nothing forever).

        A sentence too long to speak in one piece (a 20 KB paragraph without a full stop) comes
        as several lines split at its commas (``voice.chunking``), so each clip's audio and
        memory stay bounded; the segment's pause follows only the sentence's last piece.

        With slots, each segment is said only when the slot covering ``clock()`` (local time by
        default) presents its product; a lap in which none was said ignores the slots once.
        """
        if not any(s.sentences() for s in self.segments):
            return
        now = clock or (lambda: datetime.now().time())
        products = [s.product for s in self.segments]
        said = True
        while True:
            scheduled, said = bool(self.slots) and said, False
            for number, segment in enumerate(self.segments, 1):
                if scheduled and number not in segments_at(products, self.slots, now()):
                    continue
                said = said or bool(segment.sentences())
                for _ in range(segment.repeat):
                    for sentence in segment.sentences():
                        pieces = split_long(sentence)
                        for i, piece in enumerate(pieces, 1):
                            pause = segment.pause_ms if i == len(pieces) else 0
                            yield Line(piece, segment.voice, pause, number, segment.title)
            if not self.loop:
                return


class Endless(Iterator["Line"]):
    """An iterator that never ends. ``list()``, ``tuple()``, ``sorted()`` and the like ask its
    length hint first, and get a ``ValueError`` here rather than looping until memory runs out."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self._lines = lines

    def __next__(self) -> Line:
        return next(self._lines)

    def __length_hint__(self) -> int:
        raise ValueError("a looping rundown's lines never end: take them one at a time (next, islice)")


@dataclass(frozen=True)
class Line:
    """One sentence to speak, and which segment it belongs to (for the status line)."""

    text: str
    voice: str | None
    pause_ms: int
    segment: int
    title: str


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def load_rundown(path: Path, checker: Checker | None = None, check_claims: bool = True) -> Rundown:
    """The rundown in ``path``, refused when a line makes a claim no override covers.

    ``check_claims=False`` is for an editor reopening the user's own draft, which must open so the
    flagged lines can be shown and fixed; anything about to be spoken is loaded with the check."""
    text = read_text(path, tr("the rundown"))
    rundown = parse_rundown(
        parse_toml(text, tr("rundown {path}").format(path=path), tr("rundown"), _fix()), str(path)
    )
    if check_claims:
        refuse_claims(rundown, checker, text)
    return rundown


def refuse_claims(rundown: Rundown, checker: Checker | None = None, raw: str = "") -> None:
    """Raise ``InputError`` naming the first finding that no override covers. With ``raw`` (the
    rundown file's text) the finding names its line and column in the file."""
    checker = checker or Checker()
    texts = [(s.text, s.repeat) for s in rundown.segments]
    for number, finding in check_segments(texts, rundown.loop, checker):
        segment = rundown.segments[number - 1]
        if not unresolved([finding], segment.overrides):
            continue
        where = tr("{source}, segment {number}").format(source=rundown.source or tr("rundown"), number=number)
        if raw:
            placed = place_in_toml(raw, number, segment.text, finding)
            where = f"{rundown.source}:{placed.line}:{placed.col}"
        raise InputError(
            f"{where}: {printable(finding.describe())}.",
            tr(
                'Rephrase the line, or record an override: [[segment.override]] rule = "{rule}", '
                'text = "{text}", by = "your name", at = <date and time>, reason = "why".'
            ).format(rule=finding.rule.id, text=printable(finding.text)),
        )


def parse_rundown(data: dict[str, object], source: str = "rundown") -> Rundown:
    version = data.get("version", RUNDOWN_VERSION)
    if version != RUNDOWN_VERSION:
        raise InputError(
            tr("{source} is rundown version {version}; this Studio reads version {supported}.").format(
                source=source, version=version, supported=RUNDOWN_VERSION
            ),
            tr("Update Studio, or export the rundown again from the app."),
        )
    loop = data.get("loop", True)
    if not isinstance(loop, bool):
        raise InputError(tr("{source}: 'loop' must be true or false.").format(source=source), _fix())
    items = data.get("segment")
    if not isinstance(items, list) or not items:
        raise InputError(tr("{source} has no [[segment]] entries.").format(source=source), _fix())
    segments = tuple(_segment(item, n, source) for n, item in enumerate(items, 1))
    slots = parse_slots(data.get("slot"), [s.product for s in segments], source)
    return Rundown(segments, loop, source, slots)


def _segment(item: object, number: int, source: str) -> Segment:
    where = tr("{source}, segment {number}").format(source=source, number=number)
    if not isinstance(item, dict):
        raise InputError(tr("{where} is not a table.").format(where=where), _fix())
    unknown = set(item) - {"text", "voice", "repeat", "pause_ms", "title", "override", "product"}
    if unknown:
        raise InputError(
            tr("{where} has unknown keys: {keys}.").format(where=where, keys=", ".join(sorted(unknown))),
            _fix(),
        )
    text = item.get("text")
    if not isinstance(text, str) or not split_sentences(text):
        raise InputError(
            tr("{where} has no text to speak.").format(where=where), tr('Give it a text = "..." line.')
        )
    voice = item.get("voice")
    if voice is not None and (not isinstance(voice, str) or not voice.strip()):
        raise InputError(
            tr("{where}: 'voice' must be a voice name.").format(where=where),
            tr("Run `studio voices` to list them."),
        )
    repeat = item.get("repeat", 1)
    if not isinstance(repeat, int) or isinstance(repeat, bool) or not 1 <= repeat <= MAX_REPEAT:
        raise InputError(
            tr("{where}: 'repeat' must be a whole number from 1 to {limit}.").format(
                where=where, limit=MAX_REPEAT
            ),
            _fix(),
        )
    pause = item.get("pause_ms", 400)
    if not isinstance(pause, int) or isinstance(pause, bool) or not 0 <= pause <= 10_000:
        raise InputError(tr("{where}: 'pause_ms' must be from 0 to 10000.").format(where=where), _fix())
    title = item.get("title", "")
    if not isinstance(title, str):
        raise InputError(tr("{where}: 'title' must be text.").format(where=where), _fix())
    items = item.get("override", [])
    if not isinstance(items, list):
        raise InputError(
            tr("{where}: 'override' must be a list of [[segment.override]] tables.").format(where=where),
            _fix(),
        )
    overrides = tuple(parse_override(o, where) for o in items)
    product = item.get("product")
    if product is not None and (not isinstance(product, str) or not product.strip()):
        raise InputError(
            tr("{where}: 'product' must be a product id from the catalogue.").format(where=where), _fix()
        )
    voice_name = voice.strip() if voice else None
    return Segment(
        text.strip(), voice_name, repeat, pause, title, overrides, product.strip() if product else None
    )


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string that ``tomllib`` reads back exactly.

    JSON strings are TOML basic strings with the same escapes, which spares a TOML writer; JSON
    escapes U+0000-U+001F but TOML also forbids a raw U+007F (DEL), so that is escaped too. A
    lone surrogate (no character at all, and not allowed in TOML even escaped) becomes U+FFFD.
    """
    clean = _SURROGATE.sub("\ufffd", value)
    return json.dumps(clean, ensure_ascii=False).replace("\x7f", "\\u007f")


def format_rundown(rundown: Rundown) -> str:
    lines = ["# Studio rundown", f"version = {RUNDOWN_VERSION}", f"loop = {str(rundown.loop).lower()}"]
    for slot in rundown.slots:
        lines += ["", "[[slot]]", *slot.as_toml()]
    for segment in rundown.segments:
        lines += ["", "[[segment]]"]
        if segment.title:
            lines.append(f"title = {toml_string(segment.title)}")
        lines.append(f"text = {toml_string(segment.text)}")
        if segment.voice:
            lines.append(f"voice = {toml_string(segment.voice)}")
        lines += [f"repeat = {segment.repeat}", f"pause_ms = {segment.pause_ms}"]
        if segment.product:
            lines.append(f"product = {toml_string(segment.product)}")
        for override in segment.overrides:
            lines += ["", "[[segment.override]]"]
            for key, value in override.as_json().items():
                if key == "at":  # a TOML offset date-time, read back as a datetime
                    lines.append(f"at = {override.at.isoformat().replace('+00:00', 'Z')}")
                elif value or key != "reason":
                    lines.append(f"{key} = {toml_string(value)}")
    return "\n".join(lines) + "\n"


def save_rundown(rundown: Rundown, path: Path) -> None:
    atomic_write_bytes(path, format_rundown(rundown).encode("utf-8"))


def read_show_script(path: Path, voice: str | None) -> Rundown:
    """A rundown file, or a plain text script whose lines loop as one segment each."""
    if path.suffix.lower() == ".toml":
        rundown = load_rundown(path)
    else:
        lines = [line.strip() for line in read_text(path).splitlines() if line.strip()]
        if not lines:
            raise InputError(
                tr("the script {path} is empty.").format(path=path),
                tr("Write what the avatar says, one sentence a line."),
            )
        rundown = Rundown(tuple(Segment(line) for line in lines), loop=True, source=str(path))
        refuse_claims(rundown)  # a rundown file is checked as it loads
    return with_default_voice(rundown, voice)


def with_default_voice(rundown: Rundown, voice: str | None) -> Rundown:
    """``rundown`` with ``voice`` for the segments that name none."""
    if voice:
        segments = tuple(replace(s, voice=s.voice or voice) for s in rundown.segments)
        rundown = replace(rundown, segments=segments)
    return rundown


def spoken_voices(rundown: Rundown) -> tuple[str, ...] | None:
    """The voices ``rundown`` speaks with, for the avatar's consent; None when a segment names
    none (the default voice, unknown until it speaks)."""
    voices = [segment.voice for segment in rundown.segments]
    if any(not voice for voice in voices):
        return None
    return tuple(dict.fromkeys(v for v in voices if v))
