"""The incident pages for every role: anonymous → login, no role / another section →
404 or 403, the section, reviewers and clerks → what each may do, and the side effect."""

import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse

from accesslog.models import AccessEvent
from incidents.models import Incident
from registry import roles
from tests.factories import IncidentFactory, SectionFactory, user_with_role
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "no_role", "own_staff", "other_staff", "reviewer", "clerk", "superuser")


@pytest.fixture
def world():
    own, other = SectionFactory(name="収納課"), SectionFactory(name="税務課")
    users = {
        "no_role": user_with_role(None),
        "own_staff": user_with_role(roles.SECTION_STAFF, own),
        "other_staff": user_with_role(roles.SECTION_STAFF, other),
        "reviewer": user_with_role(roles.REVIEWER),
        "clerk": user_with_role(roles.CLERK),
        "superuser": user_with_role(None, is_superuser=True, is_staff=True),
    }
    incident = IncidentFactory(section=own, title="収納課の誤送付", people_count=150)
    return {"own": own, "users": users, "incident": incident}


def client_as(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


SEES = {"own_staff", "reviewer", "clerk", "superuser"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["detail", "report_pdf", "report_xlsx"])
def test_who_sees_an_incident(client, world, role, name):
    response = client_as(client, world, role).get(
        reverse(f"incidents:{name}", args=[world["incident"].pk])
    )
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in SEES else 404)


@pytest.mark.parametrize("role", ROLES[1:])
def test_the_list_shows_each_user_what_they_may_see(client, world, role):
    response = client_as(client, world, role).get(reverse("incidents:list"))
    assert response.status_code == 200
    assert ("収納課の誤送付" in response.content.decode()) is (role in SEES)


@pytest.mark.parametrize("role", ROLES[1:])
def test_who_may_edit(client, world, role):
    response = client_as(client, world, role).get(
        reverse("incidents:edit", args=[world["incident"].pk])
    )
    expected = {"own_staff": 200, "clerk": 200, "superuser": 200, "reviewer": 403}
    assert response.status_code == expected.get(role, 404)


@pytest.mark.parametrize("role", ROLES[1:])
def test_who_may_record_a_new_incident(client, world, role):
    response = client_as(client, world, role).get(reverse("incidents:new"))
    allowed = {"own_staff", "other_staff", "superuser"}
    assert response.status_code == (200 if role in allowed else 403)


@pytest.mark.parametrize("role", ROLES[1:])
def test_who_sees_the_summary(client, world, role):
    response = client_as(client, world, role).get(reverse("incidents:summary"))
    assert response.status_code == (200 if role in {"reviewer", "clerk", "superuser"} else 403)


FORM = {
    "title": "委託先での申請書紛失",
    "discovered_on": "令和8年4月1日",
    "occurred_on": "",
    "kind": "loss",
    "summary": "委託先が申請書を紛失した。",
    "items": "氏名、住所、口座番号",
    "people_count": "",
    "count_may_exceed_100": "on",
    "financial_risk": "on",
    "cause": "",
}


def test_the_section_records_an_incident_and_sees_why_it_must_be_reported(client, world):
    client_as(client, world, "own_staff")
    response = client.post(reverse("incidents:new"), FORM, follow=True)
    incident = Incident.objects.get(title="委託先での申請書紛失")
    assert incident.section == world["own"]
    assert incident.discovered_on == dt.date(2026, 4, 1)
    page = response.content.decode()
    assert "施行規則第43条第2号" in page and "施行規則第43条第4号" in page
    assert "法第68条第1項" in page
    assert AccessEvent.objects.filter(record_type="incidents.Incident").exists()


def test_bad_input_shows_japanese_messages_and_saves_nothing(client, world):
    client_as(client, world, "own_staff")
    bad = FORM | {"title": "", "discovered_on": "令和8年13月1日", "people_count": "-3"}
    response = client.post(reverse("incidents:new"), bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "件名を入力してください。" in page
    assert "何も保存されていません" in page
    assert not Incident.objects.filter(summary=FORM["summary"]).exists()


def test_user_text_is_escaped(client, world):
    world["incident"].summary = "<script>alert(1)</script>"
    world["incident"].save()
    response = client_as(client, world, "reviewer").get(
        reverse("incidents:detail", args=[world["incident"].pk])
    )
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_the_report_prints_and_exports_the_commission_s_items(client, world):
    client_as(client, world, "clerk")
    pk = world["incident"].pk
    pdf = client.get(reverse("incidents:report_pdf", args=[pk]))
    assert pdf["Content-Disposition"] == (
        f'inline; filename="incident_{pk}.pdf"; '
        f"filename*=UTF-8''{quote(f'漏えい等報告_{pk}.pdf')}"
    )
    text = squeeze("".join(page_texts(pdf.content)))
    for label in ("概要", "本人の数", "原因", "二次被害", "再発防止のための措置", "150人"):
        assert label in text
    response = client.get(reverse("incidents:report_xlsx", args=[pk]))
    assert response["Content-Disposition"] == (
        f'attachment; filename="incident_{pk}.xlsx"; '
        f"filename*=UTF-8''{quote(f'漏えい等報告_{pk}.xlsx')}"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["原因"] is None or rows["原因"] == ""
    assert "施行規則第43条第4号" in rows["報告対象事態"]
    assert rows["漏えい等が発生し、又は発生したおそれがある保有個人情報に係る本人の数"] == "150人"


def test_release_is_the_clerk_s_and_a_refusal_is_a_message(client, world):
    incident = world["incident"]
    client_as(client, world, "clerk")
    response = client.post(reverse("incidents:release", args=[incident.pk]), follow=True)
    assert "公表する概要を書いてから公表してください。" in response.content.decode()
    incident.refresh_from_db()
    assert incident.released_on is None
    client_as(client, world, "own_staff")
    response = client.post(reverse("incidents:release", args=[incident.pk]))
    assert response.status_code == 403


def test_closing_with_open_clocks_is_refused_with_a_message(client, world):
    client_as(client, world, "own_staff")
    response = client.post(reverse("incidents:close", args=[world["incident"].pk]), follow=True)
    assert "完了にできません" in response.content.decode()
    world["incident"].refresh_from_db()
    assert world["incident"].status == Incident.Status.OPEN


def test_a_cited_record_since_replaced_stays_a_choice_on_edit(client, world):
    from incidents.forms import IncidentForm
    from tests.factories import ConsignmentFactory

    retired = ConsignmentFactory(
        state="retired", effective_until=dt.date(2020, 3, 31), business__section=world["own"]
    )
    current = ConsignmentFactory(business__section=world["own"])
    world["incident"].consignments.set([retired])
    choices = IncidentForm(instance=world["incident"]).fields["consignments"].queryset
    assert set(choices) >= {retired, current}
    assert retired not in IncidentForm(section=world["own"]).fields["consignments"].queryset
