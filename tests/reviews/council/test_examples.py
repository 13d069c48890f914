import datetime as dt

import pytest

from registry import roles
from reviews.council.services import report_add_example
from reviews.models import PreApprovalCategory, PreApprovalReport
from tests.factories import (
    PreApprovalCategoryFactory,
    PreApprovalReportFactory,
    user_with_role,
)


@pytest.mark.django_db
def test_an_added_example_remembers_the_report_and_the_day():
    category = PreApprovalCategoryFactory(number=17)
    report = PreApprovalReportFactory()
    example = report_add_example(
        actor=user_with_role(roles.REVIEWER), report=report, category=category, text="電子マネーによる収納業務",
        on=dt.date(2019, 4, 1),
    )  # fmt: skip
    assert example.report == report
    assert example.added_on == dt.date(2019, 4, 1)
    assert list(category.examples.values_list("text", flat=True)) == ["電子マネーによる収納業務"]
    assert list(report.added_examples.all()) == [example]


@pytest.mark.usefixtures("seed")
def test_the_seed_report_added_the_paygy_and_e_money_examples():
    report = PreApprovalReport.objects.get()
    assert sorted(report.added_examples.values_list("text", flat=True)) == [
        "ペイジーによる収納業務",
        "電子マネーによる収納業務",
    ]
    earlier = PreApprovalCategory.objects.get(number=17).examples.filter(report__isnull=True)
    assert list(earlier.values_list("text", flat=True)) == [
        "携帯電話収納業務",
        "クレジットカード決済の代理納付業務",
    ]


@pytest.mark.usefixtures("seed")
def test_the_seed_report_lists_its_three_channels_with_their_reasons():
    report = PreApprovalReport.objects.get()
    assert [(i.name, i.applies_from_display, i.reason) for i in report.items.all()] == [
        ("モバイルレジクレジットによる納付", "平成31年4月（予定）",
         "外部委託に関する審議会事前一括承認基準の類型17の事例に該当"),
        ("電子マネーによる納付", "平成31年4月（予定）",
         "外部委託に関する審議会事前一括承認基準の類型17に該当"),
        ("ペイジーによる納付", "令和2年1月（予定）",
         "外部委託に関する審議会事前一括承認基準の類型16に該当"),
    ]  # fmt: skip
