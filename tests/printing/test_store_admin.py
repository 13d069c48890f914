"""The stored PDFs' admin page: the 事務局 sees what the store holds, nobody changes it."""

import pytest
from django.urls import reverse

from consignments.pdf import FORM2
from printing.models import StoredPdf
from registry import roles
from tests.factories import ConsignmentFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored():
    records = [ConsignmentFactory() for _ in range(2)]
    FORM2.render(FORM2.records(ids=[records[0].pk]))
    FORM2.render(FORM2.records(ids=[records[1].pk]))
    StoredPdf.objects.create(
        kind="retired-kind", record_id=7, key="k", content=b"x" * 2048, pages=1
    )
    return StoredPdf.objects.filter(kind="form2").order_by("record_id")


def test_the_clerk_sees_counts_sizes_kinds_and_records(client, stored):
    client.force_login(user_with_role(roles.CLERK))
    page = client.get(reverse("admin:printing_storedpdf_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "外部委託記録票（第2号様式）</th><td>2件</td>" in html
    assert "retired-kind（登録されていない種類）</th><td>1件</td><td>2.0\xa0KB</td>" in html
    assert "合計</th><td>3件</td>" in html
    first = stored.first()
    change = reverse("admin:consignments_consignment_change", args=[first.record_id])
    assert f'<a href="{change}">ID {first.record_id}</a>' in html
    assert "令和" in html  # the creation time, in the era
    detail = client.get(reverse("admin:printing_storedpdf_change", args=[first.pk]))
    assert detail.status_code == 200
    assert first.key in detail.content.decode()
    assert "%PDF" not in detail.content.decode()


def test_reviewers_do_not_see_it_and_section_staff_not_the_admin(client, stored):
    client.force_login(user_with_role(roles.REVIEWER))
    assert client.get(reverse("admin:printing_storedpdf_changelist")).status_code == 403
    client.force_login(user_with_role(roles.SECTION_STAFF, is_staff=True))
    assert client.get(reverse("admin:printing_storedpdf_changelist")).status_code == 302


def test_nobody_adds_changes_or_deletes_a_stored_file_in_the_admin(client, stored):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    first = stored.first()
    listing = client.get(reverse("admin:printing_storedpdf_changelist")).content.decode()
    assert 'value="delete_selected"' not in listing
    assert client.get(reverse("admin:printing_storedpdf_add")).status_code == 403
    change = reverse("admin:printing_storedpdf_change", args=[first.pk])
    assert client.post(change, {"pages": 9}).status_code == 403
    delete = reverse("admin:printing_storedpdf_delete", args=[first.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert StoredPdf.objects.get(pk=first.pk).pages == 1
