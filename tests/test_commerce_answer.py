"""Answers from the catalogue only: paraphrases in English and Chinese, exact prices, an honest
"I'll check", declined health questions, and the accuracy floor on the labelled question set."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from studio.commerce import load_catalog
from studio.commerce.answer import DECLINED, NOT_ANSWERED, answer
from studio.commerce.evaluate import accuracy, invented, read_questions, score
from studio.commerce.grounding import numbers_in, unsupported_numbers

DEMO = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog"
CATALOG = load_catalog(DEMO / "catalog.toml")
# Measured 0.960 overall, 0.942 on the held-out split (benchmarks/bench_ask.py, docs/BENCHMARKS.md).
ACCURACY_FLOOR = 0.92
TEST_SPLIT_FLOOR = 0.90


def test_a_paraphrase_finds_the_fact() -> None:
    got = answer(CATALOG, "how long does it keep coffee hot?", "mug")
    assert got.kind == "fact" and got.sources == ("mug/fact/2",)
    assert got.facts == ("Keeps drinks hot for 6 hours.",)
    assert got.text == "Ceramic travel mug: Keeps drinks hot for 6 hours."
    assert got.confidence > 0.8 and got.language == "en" and got.product == "mug"


def test_a_chinese_question_without_spaces_is_answered_in_chinese() -> None:
    got = answer(CATALOG, "热水能保温多久？", "mug")
    assert got.sources == ("mug/fact/2",) and got.text == "陶瓷随行杯：热饮保温6小时。"
    traditional = answer(CATALOG, "保溫多久", "mug")
    assert traditional.sources == ("mug/fact/2",)


def test_the_question_names_the_product_when_none_is_on_screen() -> None:
    assert answer(CATALOG, "how long does the lamp battery last", None).sources == ("lamp/fact/4",)
    assert answer(CATALOG, "台灯多少钱", None).sources == ("lamp/price",)


def test_a_price_is_quoted_exactly_as_the_catalogue_writes_it() -> None:
    board = answer(CATALOG, "how much is it?", "board")
    assert board.kind == "price" and board.text == "The Bamboo cutting board is $24.50."
    mug = answer(CATALOG, "多少钱", "mug")
    assert mug.text == "陶瓷随行杯的价格是19.99美元。第二个杯子半价。"
    assert mug.facts == ("19.99 USD", "第二个杯子半价。")


def test_a_size_question_is_not_a_price_question() -> None:
    got = answer(CATALOG, "how much does it hold?", "mug")
    assert got.sources == ("mug/fact/1",) and "350 ml" in got.text


def test_a_faq_answer_is_said_verbatim() -> None:
    got = answer(CATALOG, "can I microwave it to reheat my coffee?", "mug")
    assert got.kind == "faq" and got.text == "No, the steel body must not go in the microwave."
    shipping = answer(CATALOG, "什么时候发货", "lamp")
    assert shipping.kind == "shipping" and shipping.text == "下单后2个工作日内发货，一般3到5天送到。"


@pytest.mark.parametrize(
    ("question", "product", "lang"),
    [
        ("can I return the mug if I don't like it?", "mug", "en"),
        ("does it have a remote?", "lamp", "en"),
        ("有遥控器吗", "lamp", "zh"),
        ("产地是哪里", "board", "zh"),
    ],
)
def test_nothing_in_the_catalogue_answers_it_so_the_host_says_so(
    question: str, product: str, lang: str
) -> None:
    got = answer(CATALOG, question, product)
    assert got.kind == "none" and got.text == NOT_ANSWERED[lang] and got.facts == ()


@pytest.mark.parametrize(
    ("question", "product", "lang"),
    [
        ("is the mug safe for my toddler to drink from?", "mug", "en"),
        ("is it good for my eyes?", "lamp", "en"),
        ("孕妇可以用吗", "mug", "zh"),
        ("湿疹能穿吗", "tshirt", "zh"),
    ],
)
def test_a_health_question_beyond_the_facts_is_declined(question: str, product: str, lang: str) -> None:
    got = answer(CATALOG, question, product)
    assert got.kind == "declined" and got.text == DECLINED[lang]


def test_a_safety_question_the_facts_answer_is_answered_from_them() -> None:
    got = answer(CATALOG, "is it microwave safe?", "mug")
    assert got.sources == ("mug/faq/1",)


def test_numbers_are_read_in_digits_and_words() -> None:
    assert numbers_in("six hours, 12.9 inches, 1,200 mAh, 两年, 十二小时, 半价") == {
        Decimal(n).normalize() for n in ("6", "12.9", "1200", "2", "12", "0.5")
    }
    assert unsupported_numbers("It keeps coffee hot for eight hours.", ["Keeps drinks hot for 6 hours."]) == [
        Decimal(8)
    ]
    assert unsupported_numbers("保温六个小时", ["热饮保温6小时。"]) == []


def test_a_number_with_thousands_and_decimals_is_read_not_skipped() -> None:
    assert numbers_in("$1,200.50 or 1.200,50 €") == {Decimal("1200.5")}
    assert unsupported_numbers("It costs $1,300.50.", ["Price: $1,200.50"]) == [Decimal("1300.5")]
    assert unsupported_numbers("It costs $1,200.50.", ["Price: $1,200.50"]) == []
    # A token that is no one number (a version, a date) still has its digits checked.
    assert unsupported_numbers("Model 2.4.7", ["Model 2.4.6"]) == [Decimal(7)]


def test_the_invented_fact_check_catches_a_made_up_answer() -> None:
    real = answer(CATALOG, "how long does it keep coffee hot?", "mug")
    assert invented(CATALOG, real) == ""
    assert "states 8" in invented(
        CATALOG, replace(real, text="Ceramic travel mug: keeps drinks hot for 8 hours.")
    )
    made_up = replace(real, facts=("Keeps drinks hot all day.",))
    assert "not in the catalogue" in invented(CATALOG, made_up)
    assert "says more" in invented(CATALOG, replace(answer(CATALOG, "有遥控器吗", "lamp"), text="有的。"))


def test_accuracy_on_the_labelled_questions_stays_above_its_floor() -> None:
    questions = read_questions(DEMO / "questions.tsv")
    assert len(questions) >= 150
    assert {q.lang for q in questions} == {"en", "zh"}
    results = score(CATALOG, questions)
    assert accuracy(results) >= ACCURACY_FLOOR
    assert accuracy([r for r in results if r.question.split == "test"]) >= TEST_SPLIT_FLOOR
    assert [r.question.text for r in results if r.invented] == []
    health = [r for r in results if r.question.expect == ("declined",)]
    assert health and not any(r.answer.answered for r in health)
