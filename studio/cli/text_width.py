"""Text in terminal columns, for tables and ``--help`` in Chinese as well as English.

A Chinese character takes two columns, and Chinese has no spaces to wrap at: argparse (which
counts characters and wraps only at spaces) printed Chinese help lines twice as wide as the
terminal. ``StudioParser`` wraps by columns, between any two Chinese characters, and never
starts a line with closing punctuation.
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from typing import Any

# Break opportunities: a run of non-space Latin text is one word; each wide character is its own.
_WIDE = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKEN = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
# Punctuation that must not begin a line (it stays with the character before it), and that must
# not end one (it goes down with the character after it).
_NO_LINE_START = set("，。、；：？！）」』】》”’…,.;:?!)")
_NO_LINE_END = set("（「『【《“‘(")
_CHINESE_HEADING = re.compile(r"^(\S*[\u4e00-\u9fff]):$", re.MULTILINE)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``str.ljust`` counts characters)."""
    return text + " " * max(0, width - display_width(text))


def wrap_columns(text: str, width: int) -> list[str]:
    """``text`` (one paragraph, spaces collapsed) in lines of at most ``width`` columns where it can
    be: at spaces, and between wide characters. A Latin word longer than a line stays whole."""
    width = max(width, 10)
    lines: list[str] = []
    line: list[str] = []  # the tokens of the line being filled, spaces included
    for token in _TOKEN.findall(text):
        if token.isspace():
            if line:
                line.append(" ")
            continue
        if line and display_width("".join(line)) + display_width(token) > width:
            # Closing punctuation goes down with the character before it; opening punctuation
            # goes down with the character after it.
            carried: list[str] = []
            if token in _NO_LINE_START and len(line) > 1:
                carried = [line.pop()]
            if line and line[-1] in _NO_LINE_END and len(line) > 1:
                carried = [line.pop(), *carried]
            lines.append("".join(line).rstrip())
            line = carried
        line.append(token)
    if line:
        lines.append("".join(line).rstrip())
    return [text for text in lines if text]


class ColumnsHelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, wrapping by terminal columns (see the module's note)."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap_columns(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap_columns(" ".join(text.split()), width))

    def format_help(self) -> str:
        # argparse puts an ASCII colon after each section's title; a Chinese title takes a full-width one.
        return _CHINESE_HEADING.sub("\\1：", super().format_help())


class StudioParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help wraps by columns; its subcommands' parsers are ones too
    (``add_subparsers`` makes parsers of the parser's own class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ColumnsHelpFormatter)
        super().__init__(*args, **kwargs)
