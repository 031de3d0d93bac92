"""The spoken AI disclosure: an audible notice that the host is AI-generated.

GB 45438-2025 asks AI-generated audio to carry an explicit label a listener can hear, as the
visible label is for a viewer. The notice is said at the start of a show and again every
``every_s`` seconds, between two sentences (never cutting one), in the voice and the language of
the line it comes before. Its text is the user's to change per language, and it is a line like
any other: it must pass the claims checker, and the session log counts it as said.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from studio.compliance.checker import Checker
from studio.errors import InputError, printable
from studio.translation import tr
from studio.voice.language import has_cjk

DEFAULT_TEXTS = {"zh": "以下内容由AI生成。", "en": "This host is AI-generated."}
DEFAULT_EVERY_MIN = 10
MAX_TEXT = 200


def language_of(line: str) -> str:
    """ "zh" for a line with Chinese in it, else "en": the languages the notice ships in."""
    return "zh" if has_cjk(line) else "en"


@dataclass(frozen=True)
class Disclosure:
    every_s: float = DEFAULT_EVERY_MIN * 60.0  # 0: only at the start
    texts: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_TEXTS))

    def text_for(self, line: str) -> str:
        """The notice to say before ``line``; "" when none is set for its language."""
        return self.texts.get(language_of(line), "").strip()

    def checked(self, checker: Checker | None = None) -> Disclosure:
        """``self``, or ``InputError`` naming the first notice that is too long or makes a claim."""
        checker = checker or Checker()
        for language, text in self.texts.items():
            example = DEFAULT_TEXTS.get(language, DEFAULT_TEXTS["en"])
            if len(text) > MAX_TEXT:
                raise InputError(
                    tr("the {language} AI disclosure has {count} characters.").format(
                        language=language, count=len(text)
                    ),
                    tr("Keep it under {limit}, e.g. '{example}'.").format(limit=MAX_TEXT, example=example),
                )
            findings = checker.check(text)
            if findings:
                raise InputError(
                    tr("the {language} AI disclosure is not said: {finding}.").format(
                        language=language, finding=printable(findings[0].describe())
                    ),
                    tr("Rephrase it in the settings, e.g. '{example}'.").format(example=example),
                )
        if self.every_s < 0:
            raise InputError(
                tr("the AI disclosure's interval is negative."), tr("Give minutes (0: the start only).")
            )
        return self


def with_disclosure(text: str, disclosure: Disclosure | None) -> tuple[str, str]:
    """A render's script with the notice first (the language of its first line), and the notice."""
    if disclosure is None:
        return text, ""
    first = next((line for line in text.splitlines() if line.strip()), text)
    notice = disclosure.text_for(first)
    return (f"{notice}\n{text}" if notice else text), notice


def disclosure_from(enabled: bool, every_min: float, zh: str, en: str) -> Disclosure | None:
    """The notice the settings ask for (``AppSettings.disclosure_*``), or None when it is off."""
    return Disclosure(every_min * 60.0, {"zh": zh, "en": en}) if enabled else None
