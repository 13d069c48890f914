"""After any amendment the register exports and imports back as "nothing changed". The
versions of one record share its natural key; each exported row carries its 状態 (and a
superseded one its 効力発生日), which names the version it describes."""

import datetime as dt

import pytest

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.spreadsheets import SpreadsheetCSV, read_csv
from linkages.models import Linkage, LinkageMeasure, ProtectionMeasure
from linkages.resources import LinkageResource
from registry import roles
from reviews.models import Consultation, PreApprovalCategory, Transition
from reviews.workflow import services
from reviews.workflow.states import State
from tests.exchange.conftest import export_xlsx, load_xlsx
from tests.factories import AnswerFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def staff(seed):
    section = Consignment.objects.get(
        business__number="0404-01", contractor_type="収納代行事業者"
    ).business.section
    return user_with_role(roles.SECTION_STAFF, section, is_staff=True)


@pytest.fixture
def reviewer(seed):
    return user_with_role(roles.REVIEWER)


def amend_form2(staff, **data) -> Consignment:
    approved = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    amendment = services.record_amend(actor=staff, record=approved)
    return services.record_save(
        actor=staff,
        record=amendment,
        data={"content": "・改訂後の委託内容", "effective_from": dt.date(2025, 4, 1), **data},
        loaded_version=amendment.lock_version,
    )


def amend_form5(staff) -> Linkage:
    approved = Linkage.objects.get(business__number="0404-01")
    amendment = services.record_amend(actor=staff, record=approved)
    return services.record_save(
        actor=staff,
        record=amendment,
        data={"purpose": "・改訂後の目的", "effective_from": dt.date(2025, 4, 1)},
        children={
            "measures": [
                {"measure": measure, "answer": LinkageMeasure.Answer.TAKEN}
                for measure in ProtectionMeasure.objects.filter(is_active=True)
            ]
        },
        loaded_version=amendment.lock_version,
    )


def assert_round_trip(resource_class, user, file_format: str) -> None:
    before = resource_class().export()
    transitions, history = Transition.objects.count(), resource_class._meta.model.history.count()
    if file_format == "xlsx":
        dataset = load_xlsx(export_xlsx(resource_class))
    else:
        dataset = read_csv(SpreadsheetCSV().export_data(before))

    result = resource_class(user=user).import_data(dataset, rollback_on_validation_errors=True)

    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert messages == []
    assert not result.has_errors()
    assert result.totals["skip"] == len(before)
    assert result.totals["new"] == result.totals["update"] == 0
    assert resource_class().export().dict == before.dict
    assert Transition.objects.count() == transitions
    assert resource_class._meta.model.history.count() == history


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_form2_round_trips_after_an_approved_amendment(staff, reviewer, file_format):
    amendment = amend_form2(staff)
    services.record_submit(actor=staff, record=amendment)
    services.record_approve(
        actor=reviewer, record=amendment, category=PreApprovalCategory.objects.get(number=17)
    )
    assert Consignment.objects.filter(state=State.AMENDED).count() == 1

    assert_round_trip(ConsignmentResource, staff, file_format)


def test_form2_round_trips_with_an_open_amendment_that_differs(staff):
    amendment = amend_form2(staff)

    assert_round_trip(ConsignmentResource, staff, "xlsx")

    amendment.refresh_from_db()
    assert amendment.content == "・改訂後の委託内容"
    assert amendment.amends.content != "・改訂後の委託内容"


def test_form2_round_trips_without_a_user(staff, reviewer):
    # Nothing changes, so nothing needs an actor (as `manage.py import` without --user).
    amendment = amend_form2(staff)
    services.record_submit(actor=staff, record=amendment)
    services.record_approve(
        actor=reviewer, record=amendment, category=PreApprovalCategory.objects.get(number=17)
    )
    assert_round_trip(ConsignmentResource, None, "xlsx")


def test_form5_round_trips_after_an_approved_amendment_and_with_an_open_one(staff, reviewer):
    amendment = amend_form5(staff)
    assert_round_trip(LinkageResource, staff, "xlsx")

    services.record_submit(actor=staff, record=amendment)
    answer = AnswerFactory(consultation=Consultation.objects.get(number=5, fiscal_year=2018))
    services.record_approve(actor=reviewer, record=amendment, answer=answer)
    assert Linkage.objects.get(pk=amendment.amends_id).state == State.AMENDED

    assert_round_trip(LinkageResource, staff, "csv")


def test_an_edited_row_of_the_open_amendment_changes_only_the_draft(staff):
    amendment = amend_form2(staff)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    [draft_row] = [r for r in rows if r["委託内容"] == "・改訂後の委託内容"]
    assert draft_row["状態"] == "下書き"
    index = rows.index(draft_row)
    draft_row["個人情報保護管理責任者"] = "収納課長（代理）"
    dataset[index] = [draft_row[h] for h in dataset.headers]

    result = ConsignmentResource(user=staff).import_data(
        dataset, rollback_on_validation_errors=True
    )

    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert result.totals["update"] == 1
    amendment = Consignment.objects.get(pk=amendment.pk)
    assert amendment.manager == "収納課長（代理）"
    assert amendment.lock_version == 3
    assert Consignment.objects.get(pk=amendment.amends_id).manager == "収納課長"


def test_an_edited_superseded_row_is_refused(staff, reviewer):
    amendment = amend_form2(staff)
    services.record_submit(actor=staff, record=amendment)
    services.record_approve(
        actor=reviewer, record=amendment, category=PreApprovalCategory.objects.get(number=17)
    )
    old = Consignment.objects.get(pk=amendment.amends_id)
    dataset = load_xlsx(export_xlsx(ConsignmentResource))
    rows = [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
    [old_row] = [r for r in rows if r["状態"] == "変更済み（旧版）"]
    index = rows.index(old_row)
    old_row["委託内容"] = "・旧版を書き換える"
    dataset[index] = [old_row[h] for h in dataset.headers]

    result = ConsignmentResource(user=staff).import_data(
        dataset, rollback_on_validation_errors=True
    )

    # A superseded version is history: a changed row of it is read against the version
    # in force, which an import may not change either.
    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert messages == [
        f"{index + 2}行目 {amendment}は承認済みのため、取り込みで変更できません。"
        "職員画面で変更（改訂）を開始してください。"
    ]
    assert Consignment.objects.get(pk=old.pk).content == old.content
    assert Consignment.objects.get(pk=amendment.pk).content == "・改訂後の委託内容"
