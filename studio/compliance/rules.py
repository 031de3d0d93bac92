"""Claim rules: Studio's shipped, versioned rule file, merged with the user's own rules and allow-list.

A rule file is TOML::

    version = "2026.12.1"            # the shipped file's version; a user file may leave it out
    disable = ["EN-ABS-01"]          # shipped rules this file switches off
    allow = ["Best Buy", "第一财经"]   # terms that are never a claim (brand names, titles)

    [[rule]]
    id = "ZH-MED-01"
    class = "medical"                # absolute | medical | guarantee | urgency | impersonation
    language = "zh"                  # zh | en | any
    patterns = ["治疗|治愈|根治"]      # regular expressions on the folded line (see normalize.py)
    unless = ["治疗仪说明书"]         # matches inside one of these are not claims
    scope = "line"                   # line: every line; loop: only lines the show repeats
    message = "medical claim for an ordinary product"
    suggestion = "describe how it feels or what it contains, not what it cures"
    source = "PRC Advertising Law art. 17"

A user rule with the id of a shipped rule replaces it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from studio.compliance.normalize import fold
from studio.errors import InputError
from studio.storage.text_file import parse_toml, read_text
from studio.translation import CHINESE, current_language, tr

CLASSES = ("absolute", "medical", "guarantee", "urgency", "impersonation")
LANGUAGES = ("zh", "en", "any")
SCOPES = ("line", "loop")
_RULE_KEYS = {
    "id",
    "class",
    "language",
    "patterns",
    "unless",
    "scope",
    "message",
    "suggestion",
    "source",
    "message_zh",
    "suggestion_zh",
}
_FILE_KEYS = {"version", "rule", "disable", "allow"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def _fix() -> str:
    return tr("See studio/compliance/rules/claims.toml for the format of a rule file.")


@dataclass(frozen=True)
class Rule:
    id: str
    klass: str
    language: str
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    scope: str
    message: str
    suggestion: str
    source: str
    message_zh: str = ""  # what Studio shows when it speaks Chinese (optional in a rule file)
    suggestion_zh: str = ""

    @property
    def shown_message(self) -> str:
        """The message in the language Studio speaks (``message`` when there is no translation);
        ``message`` itself stays English for ``--json`` and the session log."""
        return self.message_zh if self.message_zh and current_language() == CHINESE else self.message

    @property
    def shown_suggestion(self) -> str:
        return self.suggestion_zh if self.suggestion_zh and current_language() == CHINESE else self.suggestion


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    allow: tuple[str, ...]  # folded
    version: str

    def merged(self, other: RuleSet, disable: Iterable[str] = ()) -> RuleSet:
        """These rules with ``other``'s added (replacing those with the same id) and ``disable`` off."""
        replaced = {rule.id for rule in other.rules} | set(disable)
        rules = tuple(r for r in self.rules if r.id not in replaced) + other.rules
        return RuleSet(rules, self.allow + other.allow, self.version)


@cache
def default_rules() -> RuleSet:
    text = resources.files("studio.compliance").joinpath("rules/claims.toml").read_text(encoding="utf-8")
    rules, _ = parse_rules(tomllib.loads(text), "Studio's claims.toml")
    return rules


def load_rules(paths: Sequence[Path] = ()) -> RuleSet:
    """The shipped rules merged with each user rule file in ``paths``, in order."""
    rules = default_rules()
    for path in paths:
        text = read_text(path, tr("the rule file"), "--rules")
        data = parse_toml(text, tr("rule file {path}").format(path=path), tr("rule file"), _fix())
        user, disable = parse_rules(data, str(path))
        unknown = set(disable) - {r.id for r in rules.rules}
        if unknown:
            raise InputError(
                tr("{path}: 'disable' names rules that do not exist: {ids}.").format(
                    path=path, ids=", ".join(sorted(unknown))
                ),
                tr("Run `studio check --list-rules` to see the rule ids."),
            )
        rules = rules.merged(user, disable)
    return rules


def parse_rules(data: dict[str, object], source: str) -> tuple[RuleSet, tuple[str, ...]]:
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise InputError(
            tr("{source} has unknown keys: {keys}.").format(source=source, keys=", ".join(sorted(unknown))),
            _fix(),
        )
    version = data.get("version", "")
    if not isinstance(version, str):
        raise InputError(
            tr("{source}: 'version' must be text, like \"2026.12.1\".").format(source=source), _fix()
        )
    items = data.get("rule", [])
    if not isinstance(items, list):
        raise InputError(
            tr("{source}: 'rule' must be a list of [[rule]] tables.").format(source=source), _fix()
        )
    rules = tuple(_rule(item, n, source) for n, item in enumerate(items, 1))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise InputError(
                tr("{source}: two rules have the id {id}.").format(source=source, id=rule.id),
                tr("Give each rule its own id."),
            )
        seen.add(rule.id)
    allow = tuple(fold(term).text for term in _strings(data, "allow", source))
    disable = _strings(data, "disable", source)
    return RuleSet(rules, tuple(a for a in allow if a), version), disable


def _strings(data: dict[str, object], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(
            tr("{source}: '{key}' must be a list of non-empty strings.").format(source=source, key=key),
            _fix(),
        )
    return tuple(str(v) for v in value)


def _rule(item: object, number: int, source: str) -> Rule:
    where = tr("{source}, rule {number}").format(source=source, number=number)
    if not isinstance(item, dict):
        raise InputError(tr("{where} is not a table.").format(where=where), _fix())
    unknown = set(item) - _RULE_KEYS
    if unknown:
        raise InputError(
            tr("{where} has unknown keys: {keys}.").format(where=where, keys=", ".join(sorted(unknown))),
            _fix(),
        )
    text: dict[str, str] = {}
    for key in ("id", "class", "language", "message", "suggestion", "source"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError(tr("{where} needs '{key}' as text.").format(where=where, key=key), _fix())
        text[key] = value.strip()
    if not _ID.match(text["id"]):
        raise InputError(
            tr("{where}: id {id!r} must be letters, digits, '-', '_' or '.'.").format(
                where=where, id=text["id"]
            ),
            _fix(),
        )
    where = tr("{source}, rule {number}").format(source=source, number=text["id"])
    scope = item.get("scope", "line")
    for key, value, allowed in (
        ("class", text["class"], CLASSES),
        ("language", text["language"], LANGUAGES),
        ("scope", scope, SCOPES),
    ):
        if value not in allowed:
            raise InputError(
                tr("{where}: '{key}' is {value!r}; use one of {allowed}.").format(
                    where=where, key=key, value=value, allowed=", ".join(allowed)
                ),
                _fix(),
            )
    patterns = _patterns(item.get("patterns"), "patterns", where)
    if not patterns:
        raise InputError(tr("{where} needs at least one pattern.").format(where=where), _fix())
    unless = _patterns(item.get("unless", []), "unless", where)
    return Rule(
        text["id"],
        text["class"],
        text["language"],
        patterns,
        unless,
        str(scope),
        text["message"],
        text["suggestion"],
        text["source"],
        _optional_text(item, "message_zh", where),
        _optional_text(item, "suggestion_zh", where),
    )


def _optional_text(item: dict[str, object], key: str, where: str) -> str:
    value = item.get(key, "")
    if not isinstance(value, str):
        raise InputError(tr("{where} needs '{key}' as text.").format(where=where, key=key), _fix())
    return value.strip()


def _patterns(value: object, key: str, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(
            tr("{where}: '{key}' must be a list of regular expressions.").format(where=where, key=key),
            _fix(),
        )
    compiled = []
    for pattern in value:
        try:
            # Rules are written in folded form; folding the pattern too lets a user write 治療 or ＃１.
            compiled.append(re.compile(_fold_pattern(pattern)))
        except re.error as exc:
            raise InputError(
                tr("{where}: pattern {pattern!r} is not a valid regular expression: {reason}.").format(
                    where=where, pattern=pattern, reason=exc
                ),
                tr("Escape special characters such as ( ) [ ] + ? * with a backslash."),
            ) from None
    return tuple(compiled)


def _fold_pattern(pattern: str) -> str:
    # Only letters and CJK are folded: the pattern's syntax (\b, \s, [...]) must stay as written,
    # and an escape such as \S must not be case-folded into \s.
    out = []
    escaped = False
    for char in pattern:
        foldable = (char.isalpha() and not char.isascii()) or char.isupper()
        if escaped or not foldable:
            out.append(char)
        else:
            out.append(fold(char).text or char)
        escaped = char == "\\" and not escaped
    return "".join(out)
