"""The issue's "done when", in one run: a file drafted from a 業務 on the staff pages,
submitted, approved by a reviewer in the admin, then published on /register/files/ with
its page, PDF, Excel and CSV carrying every item."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from filebook.models import ITEMS, PersonalInfoFile
from registry import roles
from registry.models import Business
from reviews.workflow.states import State
from tests.factories import user_with_role
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.usefixtures("seed")


def test_a_file_goes_from_a_business_to_the_published_filebook():
    business = Business.objects.get(number="0404-02")
    staff, reviewer, public = Client(), Client(), Client()
    staff.force_login(user_with_role(roles.SECTION_STAFF, business.section))
    reviewer.force_login(user_with_role(roles.REVIEWER))

    shown = staff.get(reverse("filebook:new"), {"business": business.pk}).context["form"]
    initial = {name: shown.get_initial_for_field(f, name) for name, f in shown.fields.items()}
    data = {name: getattr(v, "pk", v) for name, v in initial.items() if v is not None}
    data |= {
        "name": "軽自動車税（種別割）課税ファイル",
        "effective_from": "令和5年4月1日",
        "collection_method": "本人からの申告、運輸支局からの通知",
        "disclosure_office": "練馬区 区政情報課（東京都練馬区豊玉北6-12-1）",
        "subject_count": PersonalInfoFile.SubjectCount.LARGE,
    }
    created = staff.post(reverse("filebook:new"), data)
    file = PersonalInfoFile.objects.get(name="軽自動車税（種別割）課税ファイル")
    assert created["Location"] == reverse("filebook:detail", args=[file.pk])
    assert public.get(reverse("filebook_register:detail", args=[file.pk])).status_code == 404

    staff.post(reverse("filebook:submit", args=[file.pk]), {"comment": ""})
    assert public.get(reverse("filebook_register:detail", args=[file.pk])).status_code == 404
    reviewer.post(
        reverse("admin:filebook_personalinfofile_approve", args=[file.pk]), {"comment": ""}
    )
    file.refresh_from_db()
    assert file.state == State.APPROVED

    listing = public.get(reverse("filebook_register:list")).content.decode()
    assert "軽自動車税（種別割）課税ファイル" in listing
    page = public.get(reverse("filebook_register:detail", args=[file.pk])).content.decode()
    pdf = squeeze(
        "".join(page_texts(public.get(reverse("filebook_register:pdf", args=[file.pk])).content))
    )
    rows = list(
        openpyxl.load_workbook(
            io.BytesIO(public.get(reverse("filebook_register:xlsx")).content)
        ).active.iter_rows(values_only=True)
    )
    csv_text = public.get(reverse("filebook_register:csv")).content.decode("utf-8-sig")
    row = dict(zip(rows[0], rows[1], strict=True))
    for _, label in ITEMS:
        assert label in page and label in pdf and label in csv_text, label
    assert row["個人情報ファイルの名称"] == "軽自動車税（種別割）課税ファイル"
    assert row["記録情報の収集方法"] == "本人からの申告、運輸支局からの通知"
    assert row["記録情報の経常的提供先"] == "株式会社エヌ・ティ・ティ・データ"
    assert row["個人情報ファイルの種別"] == "電算処理ファイル"
    assert row["本人の数"] == "1,000人以上"
    assert "本人からの申告、運輸支局からの通知" in pdf
