"""/register/files/: the approved files in force, each with an HTML page and a PDF, and
the whole 帳簿 as Excel and CSV with one column per item in the published order. Drafts,
submissions and returned files never appear; smaller files only where the ward's
setting publishes them."""

import csv
import datetime as dt
import io
from urllib.parse import quote

import openpyxl
import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from filebook.models import ITEMS, NONE, PersonalInfoFile
from reviews.workflow.states import State
from tests.factories import PersonalInfoFileFactory
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.usefixtures("seed")

LABELS = [label for _, label in ITEMS]


@pytest.fixture
def approved(seed):
    return PersonalInfoFileFactory(
        business=PersonalInfoFile.objects.get(pk=1).business,
        name="特別区民税・都民税課税ファイル",
        record_items='氏名\n住所\n=HYPERLINK("http://example.com")',
        regular_recipients="株式会社エヌ・ティ・ティ・データ\n地方税共同機構",
        sensitive=True,
    )


def test_the_labels_are_the_issues_in_its_order():
    assert LABELS == [
        "個人情報ファイルの名称",
        "行政機関等の名称",
        "利用に供される事務をつかさどる組織の名称",
        "利用目的",
        "記録項目",
        "記録範囲",
        "記録情報の収集方法",
        "要配慮個人情報が含まれるときはその旨",
        "記録情報の経常的提供先",
        "開示請求等を受理する組織の名称及び所在地",
        "訂正及び利用停止に関する他の法令の規定による特別の手続等",
        "個人情報ファイルの種別",
        "行政機関等匿名加工情報の提案の募集をする個人情報ファイルである旨",
        "本人の数",
        "業務登録番号",
        "効力発生日",
        "廃止日",
    ]


def test_the_list_shows_approved_files_in_force_and_never_drafts(client, approved):
    for state in (State.SUBMITTED, State.RETURNED, State.RESUBMITTED):
        PersonalInfoFileFactory(state=state, name=f"未承認ファイル（{state}）")
    PersonalInfoFileFactory(name="来年度からのファイル", effective_from=dt.date(2099, 4, 1))
    page = client.get(reverse("filebook_register:list")).content.decode()
    assert "特別区民税・都民税課税ファイル" in page
    assert "特別区民税・都民税ファイル" not in page  # the seed's draft
    assert "軽自動車税ファイル" not in page
    assert "未承認ファイル" not in page and "来年度からのファイル" not in page
    for label in LABELS:
        assert f'<th scope="col">{label}</th>' in page
    assert "含む" in page and "電算処理ファイル" in page and "1,000人以上" in page


def test_a_draft_has_no_public_page_pdf_or_row(client):
    draft = PersonalInfoFile.objects.get(pk=1)
    assert client.get(reverse("filebook_register:detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("filebook_register:pdf", args=[draft.pk])).status_code == 404
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("filebook_register:xlsx")).content)
    ).active
    assert sheet.max_row == 1  # the header only


def test_smaller_files_are_published_only_by_the_wards_choice(client, settings, approved):
    PersonalInfoFileFactory(
        name="小規模ファイル", subject_count=PersonalInfoFile.SubjectCount.SMALL
    )
    assert "小規模ファイル" not in client.get(reverse("filebook_register:list")).content.decode()
    settings.FILEBOOK_PUBLISH_SMALL_FILES = True
    page = client.get(reverse("filebook_register:list")).content.decode()
    assert "小規模ファイル" in page and "1,000人未満のものを含みます" in page


def test_the_page_and_the_pdf_carry_every_item(client, approved):
    page = client.get(reverse("filebook_register:detail", args=[approved.pk])).content.decode()
    for label in LABELS:
        assert f'<th scope="row">{label}</th>' in page
    # User text is escaped.
    assert "=HYPERLINK(&quot;http://example.com&quot;)" in page
    response = client.get(reverse("filebook_register:pdf", args=[approved.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = squeeze("".join(page_texts(response.content)))
    for label in LABELS:
        assert label in text, label
    assert "特別区民税・都民税課税ファイル" in text
    # The number and the dates full-width, as official documents print them.
    assert "０４０４―０１" in text and "令和５年４月１日" in text


def test_the_excel_has_one_column_per_item_and_no_live_formula(client, approved):
    response = client.get(reverse("filebook_register:xlsx"))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="kojin_joho_file_bo_')
    assert quote("個人情報ファイル簿_") in disposition.split("filename*=UTF-8''")[1]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "個人情報ファイル簿"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == LABELS
    assert len(rows) == 2
    row = dict(zip(LABELS, rows[1], strict=True))
    assert row["個人情報ファイルの名称"] == "特別区民税・都民税課税ファイル"
    assert row["記録情報の経常的提供先"] == "株式会社エヌ・ティ・ティ・データ、地方税共同機構"
    assert row["要配慮個人情報が含まれるときはその旨"] == "含む"
    assert row["業務登録番号"] == "0404-01"
    assert row["効力発生日"] == "令和5年4月1日"
    assert row["訂正及び利用停止に関する他の法令の規定による特別の手続等"] == NONE == "\u2212"
    items_cell = sheet.cell(row=2, column=LABELS.index("記録項目") + 1)
    assert items_cell.data_type == "s"  # text, never a formula


def test_the_csv_has_a_bom_and_escapes_formulas(client, approved):
    approved.name = "=1+1"
    approved.save()
    content = client.get(reverse("filebook_register:csv")).content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == LABELS
    assert rows[1][0] == "'=1+1"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.lists(
        st.tuples(
            st.sampled_from(State.values),
            st.dates(dt.date(2023, 4, 1), dt.date(2027, 3, 31)),
            st.one_of(st.none(), st.dates(dt.date(2023, 4, 1), dt.date(2028, 3, 31))),
            st.sampled_from(PersonalInfoFile.SubjectCount.values),
        ),
        max_size=6,
    ),
    on=st.dates(dt.date(2023, 4, 1), dt.date(2028, 3, 31)),
    small_files=st.booleans(),
)
def test_the_published_files_are_exactly_the_approved_ones_in_force(files, on, small_files):
    """Whatever the states and dates: a file is listed iff it is in the register (approved,
    or superseded / retired but not ended), in force on the day, and large enough unless
    the ward publishes smaller files. A draft, a submission or a return never is."""
    with transaction.atomic():
        created = [
            PersonalInfoFileFactory(
                state=state,
                effective_from=start,
                effective_until=end if end is None or end >= start else start,
                subject_count=count,
            )
            for state, start, end, count in files
        ]
        expected = {
            f.pk
            for f in created
            if f.state in (State.APPROVED, State.AMENDED, State.RETIRED)
            and f.effective_from <= on
            and (f.effective_until is None or f.effective_until >= on)
            and (small_files or f.subject_count == PersonalInfoFile.SubjectCount.LARGE)
        }
        shown = set(
            PersonalInfoFile.objects.published(small_files=small_files, on=on).values_list(
                "pk", flat=True
            )
        )
        assert shown == expected
        transaction.set_rollback(True)
