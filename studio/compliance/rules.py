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

CLASSES = ("absolute", "medical", "guarantee", "urgency", "impersonation")
LANGUAGES = ("zh", "en", "any")
SCOPES = ("line", "loop")
_RULE_KEYS = {"id", "class", "language", "patterns", "unless", "scope", "message", "suggestion", "source"}
_FILE_KEYS = {"version", "rule", "disable", "allow"}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_FIX = "See studio/compliance/rules/claims.toml for the format of a rule file."


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
        text = read_text(path, "the rule file")
        user, disable = parse_rules(parse_toml(text, f"rule file {path}", "rule file", _FIX), str(path))
        unknown = set(disable) - {r.id for r in rules.rules}
        if unknown:
            raise InputError(
                f"{path}: 'disable' names rules that do not exist: {', '.join(sorted(unknown))}.",
                "Run `studio check --list-rules` to see the rule ids.",
            )
        rules = rules.merged(user, disable)
    return rules


def parse_rules(data: dict[str, object], source: str) -> tuple[RuleSet, tuple[str, ...]]:
    unknown = set(data) - _FILE_KEYS
    if unknown:
        raise InputError(f"{source} has unknown keys: {', '.join(sorted(unknown))}.", _FIX)
    version = data.get("version", "")
    if not isinstance(version, str):
        raise InputError(f"{source}: 'version' must be text, like \"2026.12.1\".", _FIX)
    items = data.get("rule", [])
    if not isinstance(items, list):
        raise InputError(f"{source}: 'rule' must be a list of [[rule]] tables.", _FIX)
    rules = tuple(_rule(item, n, source) for n, item in enumerate(items, 1))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise InputError(f"{source}: two rules have the id {rule.id}.", "Give each rule its own id.")
        seen.add(rule.id)
    allow = tuple(fold(term).text for term in _strings(data, "allow", source))
    disable = _strings(data, "disable", source)
    return RuleSet(rules, tuple(a for a in allow if a), version), disable


def _strings(data: dict[str, object], key: str, source: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{source}: '{key}' must be a list of non-empty strings.", _FIX)
    return tuple(str(v) for v in value)


def _rule(item: object, number: int, source: str) -> Rule:
    where = f"{source}, rule {number}"
    if not isinstance(item, dict):
        raise InputError(f"{where} is not a table.", _FIX)
    unknown = set(item) - _RULE_KEYS
    if unknown:
        raise InputError(f"{where} has unknown keys: {', '.join(sorted(unknown))}.", _FIX)
    text: dict[str, str] = {}
    for key in ("id", "class", "language", "message", "suggestion", "source"):
        value = item.get(key)
        if not isinstance(value, str) or not value.strip():
            raise InputError(f"{where} needs '{key}' as text.", _FIX)
        text[key] = value.strip()
    if not _ID.match(text["id"]):
        raise InputError(f"{where}: id {text['id']!r} must be letters, digits, '-', '_' or '.'.", _FIX)
    where = f"{source}, rule {text['id']}"
    scope = item.get("scope", "line")
    for key, value, allowed in (
        ("class", text["class"], CLASSES),
        ("language", text["language"], LANGUAGES),
        ("scope", scope, SCOPES),
    ):
        if value not in allowed:
            raise InputError(f"{where}: '{key}' is {value!r}; use one of {', '.join(allowed)}.", _FIX)
    patterns = _patterns(item.get("patterns"), "patterns", where)
    if not patterns:
        raise InputError(f"{where} needs at least one pattern.", _FIX)
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
    )


def _patterns(value: object, key: str, where: str) -> tuple[re.Pattern[str], ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise InputError(f"{where}: '{key}' must be a list of regular expressions.", _FIX)
    compiled = []
    for pattern in value:
        try:
            # Rules are written in folded form; folding the pattern too lets a user write 治療 or ＃１.
            compiled.append(re.compile(_fold_pattern(pattern)))
        except re.error as exc:
            raise InputError(
                f"{where}: pattern {pattern!r} is not a valid regular expression: {exc}.",
                "Escape special characters such as ( ) [ ] + ? * with a backslash.",
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
