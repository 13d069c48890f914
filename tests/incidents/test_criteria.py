"""The report criteria of 施行規則第43条, one by one and in every combination."""

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from incidents.criteria import assess


@dataclass
class Facts:
    sensitive: bool = False
    ordinance_sensitive: bool = False
    financial_risk: bool = False
    unlawful_intent: bool = False
    people_count: int | None = 1
    count_may_exceed_100: bool = False
    secured: bool = False


def numbers(facts: Facts) -> list[int]:
    return [c.number for c in assess(facts).applies]


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (Facts(), []),
        (Facts(sensitive=True), [1]),
        (Facts(financial_risk=True), [2]),
        (Facts(unlawful_intent=True), [3]),
        (Facts(people_count=100), []),
        (Facts(people_count=101), [4]),
        (Facts(people_count=None), []),
        (Facts(people_count=None, count_may_exceed_100=True), [4]),
        (Facts(sensitive=True, unlawful_intent=True, people_count=5000), [1, 3, 4]),
    ],
)
def test_it_applies_each_criterion_by_its_own_fact(facts, expected):
    assert numbers(facts) == expected
    assert assess(facts).report_due is bool(expected)


def test_it_says_why_a_count_over_100_applies():
    (criterion,) = assess(Facts(people_count=1234)).applies
    assert criterion.article == "施行規則第43条第4号"
    assert "1,234人" in criterion.reason


def test_it_asks_about_an_unknown_count_instead_of_deciding():
    assessment = assess(Facts(people_count=None))
    assert not assessment.report_due
    assert any("本人の数が判明していません" in q for q in assessment.open_questions)


def test_strong_encryption_leaves_every_case_out():
    everything = Facts(True, True, True, True, 10_000, False, secured=True)
    assessment = assess(everything)
    assert assessment.applies == ()
    assert "高度な暗号化" in assessment.consequences()[0]


def test_ordinance_sensitive_information_counts_only_where_the_ordinance_defines_it(settings):
    settings.INCIDENTS_ORDINANCE_SENSITIVE = False
    assert numbers(Facts(ordinance_sensitive=True)) == []
    settings.INCIDENTS_ORDINANCE_SENSITIVE = True
    assert numbers(Facts(ordinance_sensitive=True)) == [5]


def test_the_final_report_takes_60_days_only_with_unlawful_intent():
    assert assess(Facts(sensitive=True)).final_report_days == 30
    assert assess(Facts(sensitive=True, unlawful_intent=True)).final_report_days == 60


def test_the_consequences_name_the_report_and_the_notice():
    lines = assess(Facts(unlawful_intent=True)).consequences()
    assert "法第68条第1項" in lines[0] and "60日以内" in lines[0]
    assert "法第68条第2項" in lines[1]


counts = st.one_of(
    st.none(), st.integers(0, 99), st.sampled_from([100, 101]), st.integers(0, 10**6)
)


@given(
    sensitive=st.booleans(),
    ordinance=st.booleans(),
    financial=st.booleans(),
    unlawful=st.booleans(),
    count=counts,
    may_exceed=st.booleans(),
    secured=st.booleans(),
    ordinance_defined=st.booleans(),
)
def test_every_combination_follows_the_rule(
    sensitive, ordinance, financial, unlawful, count, may_exceed, secured, ordinance_defined
):
    from django.test import override_settings

    facts = Facts(sensitive, ordinance, financial, unlawful, count, may_exceed, secured)
    with override_settings(INCIDENTS_ORDINANCE_SENSITIVE=ordinance_defined):
        assessment = assess(facts)
    expected = set()
    if not secured:
        expected |= {1} if sensitive else set()
        expected |= {2} if financial else set()
        expected |= {3} if unlawful else set()
        if (count is not None and count > 100) or (count is None and may_exceed):
            expected.add(4)
        if ordinance and ordinance_defined:
            expected.add(5)
    assert {c.number for c in assessment.applies} == expected
    assert [c.number for c in assessment.applies] == sorted(expected)
    assert assessment.report_due is bool(expected)
    assert assessment.final_report_days == (60 if 3 in expected else 30)
    # 100 people is not "more than 100"; 101 is.
    if count == 100 and not may_exceed:
        assert 4 not in expected
