"""The seed's records imported from another ward's Excel register: other column order,
other header spellings, era dates in several notations and Excel date cells, ○/✓/1 for
ticked boxes, full-width 業務登録番号."""

import datetime as dt

import pytest

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.models import ImportRecord
from exchange.runs import importrecord_run
from exchange.services import importrecord_create
from linkages.models import Linkage
from linkages.resources import LinkageResource
from notation import wareki
from notation.fullwidth import to_fullwidth_digits
from reviews.workflow.states import State
from tests.exchange.conftest import load_xlsx, xlsx_bytes

pytestmark = pytest.mark.usefixtures("seed")

TICKS = ["○", "✓", "1", "■", "✔"]
BLANKS = ["", "□", "0", "いいえ", None]


def other_notation(date: dt.date, index: int):
    """The same date the way different wards' sheets hold it."""
    era, year = wareki.era_year(date)
    match index % 5:
        case 0:
            return wareki.format_date(date, fullwidth=True)  # 平成３１年４月１日
        case 1:
            return f"{era.letter}{year}.{date.month}.{date.day}"  # H31.4.1 / R2.1.1
        case 2:
            return dt.datetime.combine(date, dt.time())  # an Excel date cell
        case 3:
            if date.year >= 2019 and date >= dt.date(2019, 5, 1):
                # 平成32年1月1日: forms printed before the era change go on this way.
                return f"平成{date.year - 1988}年{date.month}月{date.day}日"
            return f"{date.year}/{date.month}/{date.day}"
        case _:
            return to_fullwidth_digits(f"{era.letter}{year}/{date.month}/{date.day}")


def other_ward_sheet(resource_class, header_spelling: dict[str, str]):
    exported = resource_class().export()
    resource = resource_class()
    # Another ward's sheet has no record numbers of ours.
    headers = [h for h in reversed(exported.headers) if h != "記録番号"]
    rows = []
    for index, record in enumerate(exported.dict):
        row = []
        for column_index, header in enumerate(headers):
            value = record[header]
            position = index + column_index
            if value == "■":
                value = TICKS[position % len(TICKS)]
            elif value == "□":
                value = BLANKS[position % len(BLANKS)]
            elif header == "業務登録番号":
                value = to_fullwidth_digits(value).replace("-", "－")
            elif value and "日" in value and header in _date_columns(resource):
                value = other_notation(wareki.parse_date(value), position)
            row.append(value)
        rows.append(row)
    spelled = [header_spelling.get(header, header) for header in headers]
    return xlsx_bytes(spelled, rows), exported


def as_drafts(rows: list[dict]) -> list[dict]:
    """Rows with their 状態 and 記録番号 columns left out: imported records are new drafts,
    whatever state and number the sheet they came from shows."""
    return [{k: v for k, v in row.items() if k not in ("状態", "記録番号")} for row in rows]


def _date_columns(resource) -> set[str]:
    from exchange.resources import WarekiDateWidget

    return {
        field.column_name
        for field in resource.fields.values()
        if isinstance(field.widget, WarekiDateWidget) and not field.widget.month_only
    }


def test_it_imports_the_seeds_form2_records_from_another_wards_layout(superuser):
    data, exported = other_ward_sheet(
        ConsignmentResource,
        {
            "委託期間（開始）": "委託期間(開始)",
            "記録の種別：戸籍等事項": "戸籍等事項(氏名、住所、生年月日、本籍、続柄、親族関係、婚歴など)",
            "授受の形態：電算処理": "授受の形態:電算処理",
        },
    )
    Consignment.objects.all().delete()

    record = importrecord_create(
        actor=superuser,
        resource_class=ConsignmentResource,
        register="外部委託記録票",
        file_name="他区の台帳.xlsx",
        file_format="xlsx",
        data=data,
        state=ImportRecord.State.QUEUED,
        total_rows=0,
    )
    importrecord_run(record=record, dry_run=False)

    assert record.state == ImportRecord.State.DONE, record.messages
    assert record.counts == {"new": 10}
    assert Consignment.objects.count() == 10
    assert as_drafts(ConsignmentResource().export().dict) == as_drafts(exported.dict)
    assert {c.state for c in Consignment.objects.all()} == {State.DRAFT}
    credit = Consignment.objects.get(
        business__number="0404-02", contractor_type="クレジットカード事業者"
    )
    assert credit.period_display == "平成31年4月1日以降継続"
    assert credit.record_kinds_other == "クレジットカード番号"

    # The same file again, as the background task runs it: nothing changes.
    again = importrecord_create(
        actor=superuser,
        resource_class=ConsignmentResource,
        register="外部委託記録票",
        file_name="他区の台帳.xlsx",
        file_format="xlsx",
        data=data,
        state=ImportRecord.State.QUEUED,
        total_rows=0,
    )
    importrecord_run(record=again, dry_run=False)
    assert again.counts == {"skip": 10}
    assert as_drafts(ConsignmentResource().export().dict) == as_drafts(exported.dict)


def test_it_imports_the_seeds_form5_records_with_items_on_separate_lines(superuser):
    nerima = Linkage.objects.filter(business__section__department="区民部")
    exported = LinkageResource().export(queryset=nerima)
    headers = [h for h in reversed(exported.headers) if h != "記録番号"]
    rows = []
    for record in exported.dict:
        record = dict(record)
        record["業務登録番号"] = to_fullwidth_digits(record["業務登録番号"])
        record["提供を受ける個人情報"] = record["提供を受ける個人情報"].replace("、", "\n")
        record["結合年月日"] = "R2.1"
        rows.append([record[header] for header in headers])
    nerima.delete()

    result = LinkageResource(user=superuser).import_data(
        load_xlsx(xlsx_bytes(headers, rows)),
        rollback_on_validation_errors=True,
    )

    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["new"] == 2
    assert as_drafts(LinkageResource().export(queryset=nerima).dict) == as_drafts(exported.dict)
    assert {linkage.state for linkage in nerima} == {State.DRAFT}
    linkage = Linkage.objects.with_form_data().get(business__number="0404-01")
    assert [item.name for item in linkage.received_items][-1] == "コンビニ収納連携情報コード"
