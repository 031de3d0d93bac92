"""Trust built in: the prohibited-claims checker (Chinese and English) for every line the avatar says.

``Checker(load_rules(paths), language).check(line, looped=...)`` gives the findings in one line;
``show.check_script`` and ``show.check_segments`` check a whole script or rundown, where false
urgency repeated by a loop is caught. Rules are data: ``rules/claims.toml``, versioned, each with
its legal source; users add rules and allow-lists with files of the same format.
"""

from __future__ import annotations

from studio.compliance.checker import LANGUAGE_CHOICES, Checker, Finding
from studio.compliance.override import Override, parse_override, unresolved
from studio.compliance.rules import CLASSES, Rule, RuleSet, default_rules, load_rules
from studio.compliance.show import check_script, check_segments, place_in_toml

__all__ = [
    "CLASSES",
    "LANGUAGE_CHOICES",
    "Checker",
    "Finding",
    "Override",
    "Rule",
    "RuleSet",
    "check_script",
    "check_segments",
    "default_rules",
    "load_rules",
    "parse_override",
    "place_in_toml",
    "unresolved",
]
