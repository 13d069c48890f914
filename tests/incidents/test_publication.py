"""The ward's 公表基準: serious cases at once, every released case in its half-year's
list once the half has ended, none held back by a reason; and never a person's data on
the public page, its PDF or its Excel file."""

import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from incidents.publishing import half_year_lists, half_year_of, serious_cases
from tests.factories import IncidentFactory
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db

PERSONAL = ("山田太郎", "練馬区豊玉北1-2-3", "090-1234-5678", "口座番号1234567")


def personal_incident(**fields):
    """An incident whose inside texts name a person, as real ones do."""
    return IncidentFactory(
        summary=f"{PERSONAL[0]}様（{PERSONAL[1]}）宛の通知を誤送付。",
        items=f"氏名、住所、電話番号（{PERSONAL[2]}）、{PERSONAL[3]}",
        cause=f"{PERSONAL[0]}様の封筒に別人の書類を封入した。",
        measures="二人で封入内容を確認する。",
        response_to_people=f"{PERSONAL[0]}様に謝罪した。",
        other=PERSONAL[2],
        **fields,
    )


def test_half_years_follow_the_fiscal_year():
    assert half_year_of(dt.date(2026, 4, 1)).last == dt.date(2026, 9, 30)
    assert half_year_of(dt.date(2027, 2, 1)).first == dt.date(2026, 10, 1)
    assert half_year_of(dt.date(2026, 11, 1)).label == "令和8年度 下半期"


def test_a_serious_case_is_published_at_once_and_in_its_half_year_list_once_it_ends():
    serious = IncidentFactory(
        discovered_on=dt.date(2026, 5, 1),
        sensitive=True,
        public_summary="重大",
        released_on=dt.date(2026, 5, 8),
    )
    minor = IncidentFactory(
        discovered_on=dt.date(2026, 6, 1), public_summary="軽微", released_on=dt.date(2026, 6, 5)
    )
    assert [row.number for row in serious_cases()] == [serious.pk]
    assert half_year_lists(dt.date(2026, 9, 30)) == []
    ((half, rows),) = half_year_lists(dt.date(2026, 10, 1))
    assert half.label == "令和8年度 上半期"
    assert [row.number for row in rows] == [serious.pk, minor.pk]


def test_what_is_published_at_once_is_a_setting(settings):
    IncidentFactory(sensitive=True, public_summary="要配慮", released_on=dt.date(2026, 4, 2))
    settings.INCIDENTS_PUBLISH_AT_ONCE = [4]
    assert serious_cases() == []


def test_an_unreleased_or_held_back_case_is_never_listed():
    IncidentFactory(discovered_on=dt.date(2025, 5, 1), sensitive=True, public_summary="未公表")
    IncidentFactory(
        discovered_on=dt.date(2025, 5, 1),
        sensitive=True,
        public_summary="捜査中",
        released_on=dt.date(2025, 5, 2),
        publication_exception="investigation",
    )
    assert serious_cases() == []
    assert half_year_lists(dt.date(2026, 12, 1)) == []


def test_the_public_page_pdf_and_excel_show_no_personal_data(client):
    personal_incident(
        discovered_on=dt.date(2025, 5, 1),
        people_count=150,
        public_summary="区民1名宛の通知を別の区民に誤送付した。",
        released_on=dt.date(2025, 5, 10),
    )
    page = client.get(reverse("incidents_public:list")).content.decode()
    assert "区民1名宛の通知を別の区民に誤送付した。" in page
    assert page.count("区民1名宛の通知") == 2  # the serious list and the half-year's
    printed = client.get(reverse("incidents_public:pdf"))
    assert printed["Content-Disposition"] == (
        'inline; filename="incidents.pdf"; '
        f"filename*=UTF-8''{quote('個人情報の漏えい等事案の公表.pdf')}"
    )
    pdf = squeeze("".join(page_texts(printed.content)))
    assert "区民1名宛の通知を別の区民に誤送付した。" in pdf
    response = client.get(reverse("incidents_public:xlsx"))
    # A Japanese name for the browser, an ASCII one for a client that reads only that.
    day = f"{timezone.localdate():%Y%m%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="incidents_{day}.xlsx"; '
        f"filename*=UTF-8''{quote(f'漏えい等事案の公表_{day}.xlsx')}"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert "区民1名宛の通知を別の区民に誤送付した。" in cells
    for text in PERSONAL:
        assert text not in page
        assert squeeze(text) not in pdf
        assert text not in cells
    # Nor the inside texts in any other form.
    assert "二人で封入内容を確認する" not in page + pdf + cells


def test_the_public_page_needs_no_login_and_shows_nothing_unreleased(client):
    personal_incident(sensitive=True)
    response = client.get(reverse("incidents_public:list"))
    assert response.status_code == 200
    assert "公表している事案はありません。" in response.content.decode()
