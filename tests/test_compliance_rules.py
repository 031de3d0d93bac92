"""Rule files: Studio's shipped rules, and the user's own rules, allow-list and disabled rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.compliance import CLASSES, Checker, default_rules, load_rules
from studio.errors import InputError


def test_every_shipped_rule_has_a_source_message_and_suggestion_and_every_class_is_covered() -> None:
    rules = default_rules()
    assert rules.version
    assert all(r.source and r.message and r.suggestion for r in rules.rules)
    assert {(r.klass, lang) for r in rules.rules for lang in ("zh", "en") if r.language in (lang, "any")} == {
        (klass, lang) for klass in CLASSES for lang in ("zh", "en")
    }


def test_a_user_file_adds_rules_allows_terms_and_disables_rules(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        'allow = ["Best Buy", "最美乡村"]\n'
        'disable = ["ZH-ABS-03"]\n'
        "[[rule]]\n"
        'id = "SHOP-01"\nclass = "absolute"\nlanguage = "zh"\npatterns = ["爆款之王"]\n'
        'message = "our own banned phrase"\nsuggestion = "say 热销"\nsource = "shop policy 2026"\n',
        encoding="utf-8",
    )
    checker = Checker(load_rules([mine]))
    assert [f.rule.id for f in checker.check("这是爆款之王")] == ["SHOP-01"]
    assert checker.check("唯一的选择") == []  # ZH-ABS-03 is off
    assert Checker().check("唯一的选择") != []
    assert checker.check("最美乡村出品的大米") == []  # a title, allow-listed
    assert [f.text for f in checker.check("最美的裙子")] == ["最美"]
    assert checker.check("Shop the best in the world at Best Buy")[0].text == "the best in the world"
    assert Checker(load_rules([mine])).check("Find it at the BEST BUY store") == []  # allowed, any case


def test_a_user_rule_with_a_shipped_id_replaces_it(tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[rule]]\nid = "ZH-ABS-01"\nclass = "absolute"\nlanguage = "zh"\npatterns = ["最牛"]\n'
        'message = "m"\nsuggestion = "s"\nsource = "src"\n',
        encoding="utf-8",
    )
    checker = Checker(load_rules([mine]))
    assert checker.check("最好用") == []
    assert [f.text for f in checker.check("最牛的")] == ["最牛"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[[rule]\n", "not valid TOML"),
        ("rules = []\n", "unknown keys: rules"),
        ("disable = ['NOPE-1']\n", "names rules that do not exist: NOPE-1"),
        ("allow = 'x'\n", "'allow' must be a list"),
        ("[[rule]]\nid = 'X'\n", "needs 'class' as text"),
        (
            "[[rule]]\nid='X'\nclass='odd'\nlanguage='zh'\npatterns=['a']\nmessage='m'\nsuggestion='s'\nsource='s'\n",
            "'class' is 'odd'",
        ),
        (
            "[[rule]]\nid='X'\nclass='medical'\nlanguage='zh'\npatterns=['(']\nmessage='m'\nsuggestion='s'\n"
            "source='s'\n",
            "is not a valid regular expression",
        ),
        (
            "[[rule]]\nid='X'\nclass='medical'\nlanguage='zh'\npatterns=[]\nmessage='m'\nsuggestion='s'\n"
            "source='s'\n",
            "needs at least one pattern",
        ),
    ],
)
def test_a_bad_rule_file_is_one_clear_error(tmp_path: Path, text: str, problem: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=problem):
        load_rules([bad])


def test_every_shipped_rule_speaks_chinese_when_studio_does() -> None:
    """A merchant working in Chinese reads why a line is blocked and what to say instead in Chinese;
    ``--json`` and the session log keep the English text (``message``)."""
    import re  # noqa: PLC0415

    from studio.translation import CHINESE, ENGLISH, use_language  # noqa: PLC0415

    han = re.compile(r"[\u4e00-\u9fff]")
    rules = default_rules().rules
    assert all(han.search(r.message_zh) and han.search(r.suggestion_zh) for r in rules)
    finding = Checker().check("全网最低价，错过今天再等一年")[0]
    assert finding.describe() == (
        f'{finding.rule.id} {finding.rule.message}: "{finding.text}" ({finding.rule.suggestion})'
    )
    use_language(CHINESE)
    try:
        shown = finding.describe()
        assert finding.rule.message_zh in shown and finding.rule.suggestion_zh in shown
        assert finding.as_json()["message"] == finding.rule.message  # machine output stays English
    finally:
        use_language(ENGLISH)


def test_a_user_rule_without_chinese_texts_shows_its_own(tmp_path: Path) -> None:
    from studio.translation import CHINESE, ENGLISH, use_language  # noqa: PLC0415

    path = tmp_path / "mine.toml"
    path.write_text(
        'version = "1"\n[[rule]]\nid = "MINE-1"\nclass = "absolute"\nlanguage = "en"\n'
        'patterns = ["\\\\bmiracle\\\\b"]\nmessage = "miracle claim"\nsuggestion = "say what it does"\n'
        'source = "house rule"\n',
        encoding="utf-8",
    )
    rule = load_rules([path]).rules[-1]
    use_language(CHINESE)
    try:
        assert (rule.shown_message, rule.shown_suggestion) == ("miracle claim", "say what it does")
    finally:
        use_language(ENGLISH)
