"""The claims checker on specific live-commerce lines, and its precision and recall on the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.compliance import Checker, check_script, check_segments
from studio.compliance.evaluate import read_labelled, score

LABELLED = Path(__file__).resolve().parent / "data" / "claims" / "labelled.tsv"
HELD_OUT = LABELLED.with_name("heldout.tsv")  # never used to tune the rules


def _found(text: str, looped: bool = False, language: str = "auto") -> list[tuple[str, str]]:
    return [(f.rule.klass, f.text) for f in Checker(language=language).check(text, looped=looped)]


@pytest.mark.parametrize(
    ("line", "klass", "span"),
    [
        ("这款是最好用的面霜", "absolute", "最好"),
        ("全网最低价，今天只要39.9", "absolute", "全网最低价"),
        ("我们家销量第一", "absolute", "销量第一"),
        ("顶级面料", "absolute", "顶级"),
        ("It's the #1 serum", "absolute", "#1"),
        ("Lowest price ever!", "absolute", "Lowest price ever"),
        ("这个茶能降血压", "medical", "降血压"),
        ("一个月减肥二十斤", "medical", "减肥"),
        ("This tea cures insomnia.", "medical", "cures"),
        ("Finally, an FDA-approved face cream.", "medical", "FDA-approved"),
        ("Clinically proven to reduce wrinkles.", "medical", "Clinically proven"),
        ("稳赚不赔的好项目", "guarantee", "稳赚不赔"),
        ("Guaranteed results or you pay nothing.", "guarantee", "Guaranteed results"),
        ("我是真人哦", "impersonation", "我是真人"),
        ("I'm not an AI, I promise.", "impersonation", "I'm not an AI"),
    ],
)
def test_claims_are_found_with_their_words(line: str, klass: str, span: str) -> None:
    assert (klass, span) in _found(line)


@pytest.mark.parametrize(
    ("line", "span"),
    [
        ("最.好用的洗面奶", "最.好"),  # evasions: a dot, spaces, a star between the characters
        ("最 好 用 的", "最 好"),
        ("最*好用", "最*好"),
        ("the b.e.s.t deal", "the b.e.s.t"),
        ("頂級工藝", "頂級"),  # traditional characters, reported as written
        ("治療脫髮", "治療"),
        ("ＮＯ．１的好物", "ＮＯ．１"),  # full-width
        ("Ｔｈｅ ｂｅｓｔ price", "Ｔｈｅ ｂｅｓｔ"),
        ("最\u200b好用", "最\u200b好"),  # a zero-width space between the characters
        ("I’m not an A.I.", "I’m not an A.I."),  # a curly apostrophe
    ],
)
def test_evasions_full_width_and_traditional_forms_are_caught_where_they_stand(line: str, span: str) -> None:
    findings = Checker().check(line)
    assert [line[f.start : f.end] for f in findings] == [span] == [f.text for f in findings]


@pytest.mark.parametrize(
    "line",
    [
        "最近很多宝宝问我这个怎么用",
        "第一次来直播间的宝宝点个关注",
        "第一步先洗脸，第二步涂精华",
        "你们最好先量一下腰围再拍",
        "最后，谢谢大家的支持",
        "面料成分是100%桑蚕丝",
        "唯一的缺点就是颜色少了点",
        "我是AI数字人主播小美",
        "Best regards from the whole team!",
        "This is my first time trying this brand.",
        "Treat yourself this weekend.",
        "These dog treats are made with real chicken.",
        "The fabric is 100% cotton.",
        "This product is not FDA approved and is not intended to treat any disease.",
        "Hi, I'm Mia, your AI host for today.",
        "最，好",  # clause punctuation is not an evasion: two clauses never join into a claim
    ],
)
def test_hard_negatives_are_not_claims(line: str) -> None:
    assert _found(line, looped=True) == []


def test_language_picks_the_rules() -> None:
    assert _found("最好的 best in the world", language="zh") == [("absolute", "最好")]
    assert _found("最好的 best in the world", language="en") == [("absolute", "best in the world")]
    assert _found("100%有效", language="en") == [("absolute", "100%")]  # language-neutral rules always apply


def test_urgency_is_a_claim_only_when_the_show_repeats_it() -> None:
    line = "只剩3件了，抓紧拍"
    assert _found(line) == []
    assert _found(line, looped=True) == [("urgency", "只剩3件")]
    # A script: said once it may be true; said on two lines it is a template.
    assert check_script("Only 3 left!\nThanks for joining.", Checker()) == []
    twice = check_script("Only 3 left!\nThanks.\nOnly 2 left!", Checker())
    assert [(f.line, f.col, f.rule.id) for f in twice] == [(1, 1, "EN-URG-01"), (3, 1, "EN-URG-01")]
    # A rundown: any segment of a looping show, or a segment repeated in a show that does not loop.
    segments = [("Hello there.", 1), ("Only 3 left!", 1)]
    assert [n for n, _ in check_segments(segments, loop=True, checker=Checker())] == [2]
    assert check_segments(segments, loop=False, checker=Checker()) == []
    assert [n for n, _ in check_segments([("Only 3 left!", 2)], loop=False, checker=Checker())] == [1]


def test_one_claim_is_reported_once() -> None:
    # 全网最低价 is also 最低 (ZH-ABS-01) and 全网最 (ZH-ABS-04): the outermost match stands for them.
    assert _found("全网最低价") == [("absolute", "全网最低价")]


def test_precision_and_recall_on_the_labelled_set_stay_above_their_floor() -> None:
    rows = read_labelled(LABELLED)
    assert len(rows) >= 300
    assert 0.45 <= sum(r.lang == "zh" for r in rows) / len(rows) <= 0.55  # half Chinese, half English
    scores = score(rows, Checker())
    # Measured 0.983 / 0.955 overall with rules 2026.12.2 (benchmarks/bench_claims.py); the floors
    # leave room for a rule change to trade a little of one for the other, not for a regression.
    assert scores.overall.precision >= 0.95 and scores.overall.recall >= 0.93
    for klass, counts in scores.per_class.items():
        assert counts.tp + counts.fn >= 20, klass  # every class has positives in the set
        assert counts.precision >= 0.9 and counts.recall >= 0.85, klass


def test_the_held_out_set_stays_above_its_floor() -> None:
    # Measured 0.930 / 0.800 with rules 2026.12.2 on lines written after the rules were tuned:
    # the honest figure for phrasing the rules have not seen (Chinese recall is the weak spot).
    scores = score(read_labelled(HELD_OUT), Checker())
    assert scores.overall.precision >= 0.9 and scores.overall.recall >= 0.75
