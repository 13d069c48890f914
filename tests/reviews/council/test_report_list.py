"""The reports' list is rendered once per change stamp, viewer's sections and page: a
new item shows at once, and one section never gets another's reports."""

import pytest
from django.urls import reverse

from registry import roles
from tests.factories import (
    PreApprovalReportFactory,
    ReportItemFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

LIST = reverse("council:report_list")


def test_a_new_item_shows_at_once(client):
    report = ReportItemFactory(name="ペイジーによる納付").report
    client.force_login(user_with_role(roles.SECTION_STAFF, report.section))
    assert "ペイジーによる納付" in client.get(LIST).content.decode()
    ReportItemFactory(report=report, name="電子マネーによる納付")
    assert "電子マネーによる納付" in client.get(LIST).content.decode()


def test_one_sections_reports_are_never_shown_to_another(client):
    report = PreApprovalReportFactory(title="収納課の報告")
    client.force_login(user_with_role(roles.REVIEWER))
    assert "収納課の報告" in client.get(LIST).content.decode()
    client.force_login(user_with_role(roles.SECTION_STAFF, report.section))
    assert "収納課の報告" in client.get(LIST).content.decode()
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert "収納課の報告" not in client.get(LIST).content.decode()
