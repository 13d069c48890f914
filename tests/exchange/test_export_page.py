"""The admin's export page and file in Japanese: column choices named by their headers,
no library English, and a file named 外部委託記録票_20261130.xlsx (consignment_20261130.xlsx
for a client that reads only ASCII)."""

import datetime as dt
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from registry.roles import CLERK
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("seed")

EXPORT_URL = reverse("admin:consignments_consignment_export")


@pytest.fixture
def clerk_client(client):
    client.force_login(user_with_role(CLERK))
    return client


def test_the_export_page_is_japanese_and_valid_html(clerk_client):
    response = clerk_client.get(EXPORT_URL)
    html = response.content.decode()
    for english in ("This exporter", "Select all", "Record Kinds", "Business (", "Submit"):
        assert english not in html
    labels = [field.label for field in response.context["form"].fields.values()]
    assert "業務登録番号" in labels and "委託内容" in labels
    assert "記録の種別：戸籍等事項" in labels
    assert not [label for label in labels if label and re.search("[A-Za-z_]", str(label))]
    assert "resource-id=" not in html and "onchange=" not in html
    assert 'data-resource-index="0"' in html and "すべて選択" in html


def test_the_exported_file_is_named_in_japanese_with_the_day(clerk_client, monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *args, **kwargs: dt.date(2026, 11, 30)
    )
    form = clerk_client.get(EXPORT_URL).context["form"]
    data = {"format": "0", "resource": "0"} | {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", 0)
    }
    response = clerk_client.post(EXPORT_URL, data)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="consignment_20261130.xlsx"; ')
    assert unquote(disposition.split("''", 1)[1]) == "外部委託記録票_20261130.xlsx"
    assert response.content[:2] == b"PK"
