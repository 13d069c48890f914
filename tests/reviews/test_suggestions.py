import pytest

from reviews.council.suggestions import rank_categories

pytestmark = pytest.mark.usefixtures("seed")


def ranked_numbers(description: str) -> list[int]:
    return [suggestion.category.number for suggestion in rank_categories(description)]


def test_a_credit_card_payment_agent_ranks_category_17_first():
    assert ranked_numbers("クレジットカード決済による代理納付を収納代行事業者に委託する")[0] == 17


def test_paygy_ranks_category_16_first():
    assert ranked_numbers("ペイジーによる納付を導入する")[0] == 16


def test_it_names_the_examples_that_matched():
    best = rank_categories("電子マネーで税金を納付できるようにする")[0]
    assert best.category.number == 17
    assert best.matching_examples[0] == "電子マネーによる収納業務"


def test_an_unrelated_description_suggests_nothing():
    assert ranked_numbers("図書館の蔵書点検") == []
