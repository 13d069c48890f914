"""Every spreadsheet the admin exports, in every format, is named in Japanese with the day
(外部委託記録票_20261207.xlsx), with an ASCII name beside it for a client that reads only
that, and its sheet is named in Japanese."""

import datetime as dt
import io
import re
from urllib.parse import unquote

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from import_export.admin import ExportMixin

from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("seed")

DAY = dt.date(2026, 12, 7)
EXPORTING = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ExportMixin)
    ),
    key=lambda model: model._meta.label,
)
DISPOSITION = re.compile(
    r"""attachment; filename="([a-z_]+_20261207\.(?:xlsx|csv))"; filename\*=UTF-8''(\S+)"""
)


@pytest.fixture
def admin_client(client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: DAY)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_access_log_and_the_registers_export():
    labels = {model._meta.label for model in EXPORTING}
    assert {"accesslog.AccessEvent", "consignments.Consignment"} <= labels


@pytest.mark.parametrize("model", EXPORTING, ids=lambda model: model._meta.label)
def test_every_export_is_named_and_its_sheet_titled_in_japanese(admin_client, model):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_export")
    form = admin_client.get(url).context["form"]
    fields = {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", 0)
    }
    formats = [value for value, _ in form.fields["format"].choices if value]
    assert formats
    for value in formats:
        response = admin_client.post(url, {"format": value, "resource": "0", **fields})
        assert response.status_code == 200
        match = DISPOSITION.fullmatch(response["Content-Disposition"])
        assert match, response["Content-Disposition"]
        extension = match[1].rsplit(".", 1)[1]
        assert match[1] == f"{opts.model_name}_20261207.{extension}"
        assert unquote(match[2]) == f"{opts.verbose_name}_20261207.{extension}"
        if extension == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            assert book.active.title == str(opts.verbose_name)
