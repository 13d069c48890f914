import pytest

from reviews.council.suggestions import NO_FIT_THRESHOLD, assess, rank_categories

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


ALLERGY_LIST = (
    "保育園給食のアレルギー対応のため、園児のアレルギー食品一覧を給食調理業務の委託事業者に渡す"
)


def test_a_nursery_meal_allergy_list_fits_no_category_and_says_why():
    assessment = assess(ALLERGY_LIST)
    assert assessment.needs_consultation
    best = assessment.suggestions[0]
    assert best.score < NO_FIT_THRESHOLD
    assert "最も近い類型 ３‐１７ でも一致度が 0.6" in assessment.reason
    # the reason names only what little the texts share
    assert "「業務」" in assessment.reason
    assert "アレルギー" not in assessment.reason


@pytest.mark.parametrize(
    "description",
    [
        "クレジットカード決済による代理納付を収納代行事業者に委託する",
        "ペイジーによる納付を導入する",
        "電子マネーで税金を納付できるようにする",
        "区民税の収納業務を委託",
    ],
)
def test_the_seeds_fitting_descriptions_need_no_consultation(description):
    assessment = assess(description)
    assert not assessment.needs_consultation
    assert assessment.reason == ""


def test_nothing_in_common_needs_a_consultation():
    assessment = assess("図書館の蔵書点検")
    assert assessment.needs_consultation
    assert assessment.suggestions == []
