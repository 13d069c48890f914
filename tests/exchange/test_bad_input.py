"""Bad input is refused whole, with a Japanese message naming row, column and value."""

import datetime as dt
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.models import ImportRecord
from exchange.runs import importrecord_run
from exchange.services import importrecord_create
from exchange.spreadsheets import ImportFileError, read_file
from reviews.council.resources import ConsultationResource
from reviews.models import Consultation
from reviews.workflow.states import State
from tests.exchange.conftest import export_xlsx, xlsx_bytes

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture(autouse=True)
def seed_records_as_drafts(seed):
    """Cell checks are tested on drafts, which an import may change; a change to an
    approved record is refused as a whole (tests/exchange/test_workflow_guard.py)."""
    Consignment.objects.update(state=State.DRAFT)


def form2_sheet(**changes_by_row: dict) -> bytes:
    """The seed's Form 2 export, with some cells changed: row_2={"列": "値"} changes the
    first data row (line 2 of the sheet). A changed row loses its 記録番号, so its key
    cells name the record, as in a hand-made sheet (test_record_number covers it)."""
    dataset = ConsignmentResource().export()
    rows = [list(row) for row in dataset]
    for key, changes in changes_by_row.items():
        row = rows[int(key.removeprefix("row_")) - 2]
        row[dataset.headers.index("記録番号")] = ""
        for column, value in changes.items():
            row[dataset.headers.index(column)] = value
    return xlsx_bytes(dataset.headers, rows)


def run(data: bytes, actor, *, resource_class=ConsignmentResource, file_format="xlsx"):
    record = importrecord_create(
        actor=actor,
        resource_class=resource_class,
        register="外部委託記録票",
        file_name=f"台帳.{file_format}",
        file_format=file_format,
        data=data,
        state=ImportRecord.State.QUEUED,
        total_rows=0,
    )
    importrecord_run(record=record, dry_run=False)
    record.refresh_from_db()
    return record


def snapshot() -> list[dict]:
    return ConsignmentResource().export().dict


def test_it_refuses_an_unknown_business_number_and_saves_no_other_row(superuser):
    before = snapshot()
    data = form2_sheet(
        row_2={"個人情報保護管理責任者": "変更した課長"},
        row_4={"業務登録番号": "9999-99"},
    )
    record = run(data, superuser)

    assert record.state == ImportRecord.State.REFUSED
    assert record.messages == [
        "4行目 「業務登録番号」の値「9999-99」: "
        "業務登録番号「9999-99」の業務が登録されていません。先に業務を登録してください。"
    ]
    assert snapshot() == before  # the valid change on line 2 was rolled back too
    assert record.finished_at is not None and record.file_data in (b"", memoryview(b""))


def test_it_reads_heisei_31_may_as_reiwa_1(superuser):
    data = form2_sheet(row_2={"委託期間（開始）": "平成31年5月1日", "効力発生日": "H31.5.1"})
    from tests.exchange.conftest import load_xlsx

    result = ConsignmentResource(user=superuser).import_data(
        load_xlsx(data), rollback_on_validation_errors=True
    )

    assert not result.has_validation_errors()
    first = Consignment.objects.order_by("business__number", "pk").first()
    assert first.period_start == dt.date(2019, 5, 1)
    assert first.period_display == "令和元年5月1日以降継続"


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("委託期間（開始）", "平成0年4月1日", "平成0年という年はありません。"),
        ("委託期間（開始）", "令和1年13月1日", "「令和1年13月1日」は存在しない日付です。"),
        ("効力発生日", "令和2年2月30日", "「令和2年2月30日」は存在しない日付です。"),
        ("委託期間（開始）", "来年の春", "「来年の春」を日付として読めません。"),
    ],
)
def test_it_refuses_impossible_dates(superuser, column, value, reason):
    before = snapshot()
    record = run(form2_sheet(row_3={column: value}), superuser)

    assert record.state == ImportRecord.State.REFUSED
    assert len(record.messages) == 1
    message = record.messages[0]
    assert message.startswith(f"3行目 「{column}」の値「{value}」: ")
    assert reason in message
    assert snapshot() == before


def test_it_refuses_a_fixed_period_ending_before_it_starts(superuser):
    before = snapshot()
    record = run(
        form2_sheet(
            row_5={
                "委託期間の種類": "期間を定める",
                "委託期間（開始）": "令和2年4月1日",
                "委託期間（終了）": "R2.3.31",
            }
        ),
        superuser,
    )
    assert record.messages == [
        "5行目 「委託期間（終了）」の値「R2.3.31」: 委託期間の終了日は開始日以降の日付にしてください。"
    ]
    assert snapshot() == before


def test_it_refuses_text_longer_than_the_field(superuser):
    before = snapshot()
    record = run(form2_sheet(row_2={"委託先業種": "収" * 101}), superuser)

    assert record.state == ImportRecord.State.REFUSED
    message = record.messages[0]
    assert message.startswith("2行目 「委託先業種」の値「収収")
    assert "100" in message and "101" in message
    assert snapshot() == before


def test_it_refuses_a_checkbox_mark_it_cannot_read(superuser):
    record = run(form2_sheet(row_2={"委託の条件：再委託の禁止": "済"}), superuser)
    assert record.messages == [
        "2行目 「委託の条件：再委託の禁止」の値「済」: "
        "チェック欄は ■（あり）か □（なし）で入力してください（○・✓・1 も可）。"
    ]


def test_it_lists_every_bad_row_not_only_the_first(superuser):
    record = run(
        form2_sheet(row_2={"委託期間（開始）": "平成0年1月1日"}, row_7={"業務登録番号": "0000-00"}),
        superuser,
    )
    assert [message.split(" ")[0] for message in record.messages] == ["2行目", "7行目"]


def test_it_refuses_a_file_without_the_key_columns(superuser):
    record = run(xlsx_bytes(["業務の名称", "委託内容"], [["x", "y"]]), superuser)
    assert record.state == ImportRecord.State.REFUSED
    assert record.messages == [
        "ファイルに必要な列がありません: 「業務登録番号」、「委託先業種」。"
        "1行目に列の見出しを入れてください（書き出したファイルの見出しが使えます）。"
    ]


@pytest.mark.parametrize(
    ("data", "file_format", "message"),
    [
        (b"PK\x03\x04 not really a zip", "xlsx", "Excel ファイル（.xlsx）として読めません。"),
        ("業務登録番号,委託先業種\n".encode(), "xlsx", "Excel ファイル（.xlsx）として読めません。"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv", "CSV ファイルとして読めません"),
        (b"", "csv", "ファイルが空です。"),
    ],
    ids=["broken-zip", "csv-named-xlsx", "png-as-csv", "empty"],
)
def test_it_refuses_a_malformed_or_non_spreadsheet_file(superuser, data, file_format, message):
    with pytest.raises(ImportFileError) as raised:
        read_file(data, file_format)
    assert message in str(raised.value)
    record = run(data, superuser, file_format=file_format)
    assert record.state == ImportRecord.State.REFUSED
    assert message in record.messages[0]


def test_it_reads_a_shift_jis_csv_as_japanese_excel_saves_it(superuser):
    text = "諮問日,諮問番号,件名\r\n令和7年6月1日,９,新しい諮問\r\n"
    record = run(
        text.encode("cp932"), superuser, resource_class=ConsultationResource, file_format="csv"
    )
    assert record.state == ImportRecord.State.DONE, record.messages
    assert Consultation.objects.get(number=9).consulted_on == dt.date(2025, 6, 1)


def test_it_refuses_more_rows_than_the_setting_allows(superuser, settings):
    settings.IMPORT_MAX_ROWS = 5
    record = run(export_xlsx(ConsignmentResource), superuser)
    assert record.state == ImportRecord.State.REFUSED
    assert record.messages == [
        "行数が多すぎます（10行以上）。一度に取り込めるのは 5行までです。ファイルを分けてください。"
    ]


def test_the_admin_refuses_a_50_mb_upload_before_reading_it(admin_client):
    before = snapshot()
    upload = SimpleUploadedFile("大きな台帳.xlsx", os.urandom(50 * 1024 * 1024))
    response = admin_client.post(
        reverse("admin:consignments_consignment_import"),
        {"import_file": upload, "format": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ファイルが大きすぎます（50.0 MB）。取り込めるのは 5.0 MB までです。" in page
    assert snapshot() == before
    assert not ImportRecord.objects.exists()


def test_the_import_command_saves_nothing_from_a_file_with_a_bad_row(tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    before = snapshot()
    path = tmp_path / "台帳.xlsx"
    path.write_bytes(
        form2_sheet(
            row_2={"個人情報保護管理責任者": "変更した課長"}, row_3={"廃止日": "令和1年13月1日"}
        )
    )
    with pytest.raises(CommandError) as refused:
        call_command(
            "import", "consignments.resources.ConsignmentResource", str(path), interactive=False
        )
    assert (
        "3行目 「廃止日」の値「令和1年13月1日」: 「令和1年13月1日」は存在しない日付です。"
        in str(refused.value)
    )
    assert snapshot() == before


def test_it_refuses_two_rows_for_the_same_record(superuser):
    dataset = ConsignmentResource().export()
    rows = [list(row) for row in dataset][:2]
    for row in rows:
        row[dataset.headers.index("記録番号")] = ""  # two new rows, named by their key
    rows[0][dataset.headers.index("委託先業種")] = "新しい業種"
    rows[1][dataset.headers.index("委託先業種")] = "新しい業種"
    rows[1][dataset.headers.index("業務登録番号")] = rows[0][dataset.headers.index("業務登録番号")]
    before = snapshot()

    record = run(xlsx_bytes(dataset.headers, rows), superuser)

    assert record.messages == [
        "3行目 2行目と同じ記録です（業務登録番号＋委託先業種が同じ）。1つの行にまとめてください。"
    ]
    assert snapshot() == before
