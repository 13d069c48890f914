"""Text that will be exchanged: Windows' look-alikes (～ － ∥ ￠ ￡ ￢) are stored and
exported as their JIS X 0208 characters (〜 − ‖ ¢ £ ¬) on every write path, so a strict
JIS conversion of an export succeeds; half-width katakana stays as typed."""

import datetime as dt

import pytest
import tablib
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from consignments.models import Consignment
from exchange.spreadsheets import SpreadsheetCSV, SpreadsheetXLSX, read_xlsx
from notation.jis import to_jis_x_0208
from registry import roles, services
from registry.models import Organization
from registry.resources import OrganizationResource
from reviews.council import services as council_services
from reviews.workflow import services as record_services
from tests.factories import BusinessFactory, SectionFactory, user_with_role

LOOKALIKES = "～－∥￠￡￢"
STANDARD = "〜−‖¢£¬"
TYPED = f"豊洲３－３－３ 9時～17時 ｶﾅ {LOOKALIKES}"
STORED = f"豊洲３−３−３ 9時〜17時 ｶﾅ {STANDARD}"


def test_each_lookalike_becomes_its_jis_x_0208_character():
    assert to_jis_x_0208(LOOKALIKES) == STANDARD
    assert STORED.encode("iso2022_jp_ext")  # JIS X 0201 kana and JIS X 0208
    with pytest.raises(UnicodeEncodeError):
        LOOKALIKES.encode("iso2022_jp")


@given(st.text())
def test_the_conversion_changes_nothing_else_and_is_idempotent(text):
    converted = to_jis_x_0208(text)
    assert to_jis_x_0208(converted) == converted
    assert not set(converted) & set(LOOKALIKES)
    for before, after in zip(text, converted, strict=True):
        assert before == after or LOOKALIKES.index(before) == STANDARD.index(after)


@pytest.mark.django_db
def test_a_staff_form_stores_the_jis_characters_and_keeps_half_width_kana(client):
    section = SectionFactory()
    business = BusinessFactory(section=section)
    client.force_login(user_with_role(roles.SECTION_STAFF, section))
    response = client.post(
        reverse("consignments:new"),
        {
            "business": business.pk,
            "contractor_type": TYPED,
            "content": "・納付結果情報を区に送信する。",
            "period_kind": "ongoing",
            "period_start": "令和8年4月1日",
            "manager": "収納課長",
            "effective_from": "R8.4.1",
        },
    )
    assert response.status_code == 302
    assert Consignment.objects.get().contractor_type == STORED


@pytest.mark.django_db
def test_the_services_store_the_jis_characters_for_every_caller():
    section = SectionFactory()
    staff = user_with_role(roles.SECTION_STAFF, section)
    clerk = user_with_role(roles.CLERK)
    assert services.organization_create(actor=staff, data={"name": TYPED}).name == STORED
    business = services.business_create(
        actor=clerk, data={"number": "0999-01", "name": TYPED, "section": section}
    )
    assert business.name == STORED
    category = council_services.category_create(
        actor=clerk, data={"chapter": 3, "number": 99, "rule": TYPED}
    )
    assert category.rule == STORED
    record = record_services.record_create(
        actor=staff,
        model=Consignment,
        data={
            "business": business,
            "contractor_type": TYPED,
            "content": TYPED,
            "period_kind": Consignment.PeriodKind.ONGOING,
            "period_start": dt.date(2026, 4, 1),
            "manager": "課長",
            "effective_from": dt.date(2026, 4, 1),
        },
    )
    assert (record.contractor_type, record.content) == (STORED, STORED)


@pytest.mark.django_db
def test_a_register_import_stores_the_jis_characters():
    dataset = tablib.Dataset([TYPED, "東京都"], headers=["名称", "住所"])
    result = OrganizationResource(user=user_with_role(roles.CLERK)).import_data(dataset)
    assert not result.has_validation_errors()
    assert Organization.objects.get().name == STORED


@pytest.mark.django_db
def test_rows_saved_before_the_rule_are_exported_as_jis():
    # A row as an older version stored it (written around the services on purpose).
    Organization.objects.create(name=TYPED, address="")
    dataset = OrganizationResource().export()
    csv_text = SpreadsheetCSV().export_data(dataset).decode("utf-8-sig")
    assert STORED in csv_text
    assert LOOKALIKES not in csv_text
    assert read_xlsx(SpreadsheetXLSX().export_data(dataset)).dict[0]["名称"] == STORED
