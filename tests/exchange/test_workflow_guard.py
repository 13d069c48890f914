"""An import follows the review workflow: approved or submitted records are never changed
in place, new rows become drafts with the audit trail a staff member's 作成 leaves, and a
row names the amendment draft rather than the approved version it will replace."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consignments.models import Consignment
from consignments.resources import ConsignmentResource
from exchange.models import ImportRecord
from exchange.runs import importrecord_run
from exchange.services import importrecord_create
from linkages.models import Linkage, LinkageItem
from linkages.resources import LinkageResource
from notation.people import person_name
from registry import roles
from reviews.models import Transition
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import Action, State
from tests.exchange.conftest import export_xlsx, load_xlsx, xlsx_bytes
from tests.factories import BusinessFactory, ConsignmentFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


def sheet(resource_class=ConsignmentResource, queryset=None, **changes_by_key) -> bytes:
    """The export of queryset (default: every record), with cells changed in the rows
    named by changes_by_key: 「0404-01 収納代行事業者」 (Form 5: 業務登録番号 and the
    partner's name). A changed row loses its 記録番号, so its key cells name the record,
    as in a hand-made sheet (test_record_number covers rows that keep it)."""
    dataset = resource_class().export(queryset=queryset)
    second = "委託先業種" if resource_class is ConsignmentResource else "電算結合の相手方（名称）"
    rows = []
    for row in dataset:
        row = list(row)
        key = f"{row[dataset.headers.index('業務登録番号')]} {row[dataset.headers.index(second)]}"
        if key in changes_by_key:
            row[dataset.headers.index("記録番号")] = ""
        for column, value in changes_by_key.get(key, {}).items():
            row[dataset.headers.index(column)] = value
        rows.append(row)
    return xlsx_bytes(dataset.headers, rows)


def run(data: bytes, actor, resource_class=ConsignmentResource) -> ImportRecord:
    record = importrecord_create(
        actor=actor,
        resource_class=resource_class,
        register=resource_class._meta.model._meta.verbose_name,
        file_name="台帳.xlsx",
        file_format="xlsx",
        data=data,
        state=ImportRecord.State.QUEUED,
        total_rows=0,
    )
    importrecord_run(record=record, dry_run=False)
    record.refresh_from_db()
    return record


def snapshot() -> list[dict]:
    return ConsignmentResource().export().dict


def line_of(number: str, contractor_type: str) -> int:
    """The sheet line of a seed record in the exported register (line 1 = headers)."""
    keys = [(row["業務登録番号"], row["委託先業種"]) for row in snapshot()]
    return keys.index((number, contractor_type)) + 2


@pytest.fixture
def cashier_staff(seed):
    """Section staff of 区民部 収納課, whose business 0404-01 the seed records belong to."""
    section = Consignment.objects.get(
        business__number="0404-01", contractor_type="収納代行事業者"
    ).business.section
    user = user_with_role(roles.SECTION_STAFF, section, is_staff=True)
    return user


def test_it_refuses_a_change_to_an_approved_record_naming_the_row_and_the_record(superuser):
    before = snapshot()
    transitions = Transition.objects.count()
    line = line_of("0404-01", "収納代行事業者")
    data = sheet(**{"0404-01 収納代行事業者": {"委託内容": "変更"}})

    record = run(data, superuser)

    assert record.state == ImportRecord.State.REFUSED
    assert record.messages == [
        f"{line}行目 0404-01 収納代行事業者は承認済みのため、取り込みで変更できません。"
        "職員画面で変更（改訂）を開始してください。"
    ]
    assert snapshot() == before
    assert Transition.objects.count() == transitions


def test_the_admin_preview_shows_the_refusal_and_offers_no_confirm(admin_client, post_to_worker):
    data = sheet(**{"0404-01 収納代行事業者": {"個人情報保護管理責任者": "別の課長"}})
    response = post_to_worker(
        admin_client,
        reverse("admin:consignments_consignment_import"),
        {"format": "0", "import_file": SimpleUploadedFile("台帳.xlsx", data)},
    )
    page = admin_client.get(response.url).content.decode()
    assert "0404-01 収納代行事業者は承認済みのため、取り込みで変更できません。" in page
    assert "取り込みを実行" not in page
    assert not Consignment.objects.filter(manager="別の課長").exists()


def test_it_refuses_a_change_to_a_record_under_review(superuser):
    submitted = ConsignmentFactory(state=State.SUBMITTED, contractor_type="審査中の業種")
    data = sheet(
        queryset=Consignment.objects.filter(pk=submitted.pk),
        **{f"{submitted.business.number} 審査中の業種": {"委託内容": "審査中に書き換え"}},
    )

    record = run(data, superuser)

    assert record.messages == [
        f"2行目 {submitted.business.number} 審査中の業種は審査中のため、取り込みで変更できません。"
        "差し戻されてから取り込んでください。"
    ]
    submitted.refresh_from_db()
    assert submitted.content == "・納付結果情報を区に送信する。"


def test_it_skips_a_row_identical_to_an_approved_record(superuser):
    approved = Consignment.objects.filter(state=State.APPROVED)
    versions = {c.pk: c.lock_version for c in approved}
    history = Consignment.history.count()
    transitions = Transition.objects.count()

    record = run(export_xlsx(ConsignmentResource), superuser)

    assert record.state == ImportRecord.State.DONE, record.messages
    assert record.counts == {"skip": 10}
    assert {c.pk: c.lock_version for c in approved} == versions
    assert Consignment.history.count() == history
    assert Transition.objects.count() == transitions


def test_it_updates_a_draft_as_one_audited_save(superuser):
    draft = ConsignmentFactory(state=State.DRAFT, contractor_type="下書きの業種")
    history = draft.history.count()
    key = f"{draft.business.number} 下書きの業種"
    data = sheet(
        queryset=Consignment.objects.filter(pk=draft.pk),
        **{key: {"委託内容": "・取り込みで直した内容", "記録の種別：戸籍等事項": "■"}},
    )

    record = run(data, superuser)

    assert record.state == ImportRecord.State.DONE, record.messages
    assert record.counts == {"update": 1}
    updated = Consignment.objects.get(pk=draft.pk)
    assert updated.content == "・取り込みで直した内容"
    assert {kind.pk for kind in updated.record_kinds.all()} == {"family"}
    assert updated.state == State.DRAFT
    assert updated.lock_version == draft.lock_version + 1
    assert updated.history.count() == history + 1  # one snapshot, lists included
    latest = history_entries(updated)[0]
    assert (latest.kind, latest.user) == ("変更", person_name(superuser))
    assert {change.label for change in latest.changes} == {
        "委託内容",
        "預託する管理個人情報の記録の種別",
    }


def test_new_rows_become_drafts_with_a_transition_and_a_history(cashier_staff):
    data = sheet(
        queryset=Consignment.objects.filter(
            business__number="0404-01", contractor_type="収納代行事業者"
        ),
        **{
            "0404-01 収納代行事業者": {
                "委託先業種": "新しい委託先業種",
                "効力発生日": "令和7年4月1日",
            }
        },
    )

    record = run(data, cashier_staff)

    assert record.state == ImportRecord.State.DONE, record.messages
    assert record.counts == {"new": 1}
    created = Consignment.objects.get(contractor_type="新しい委託先業種")
    assert (created.state, created.lock_version, created.amends) == (State.DRAFT, 1, None)
    assert not created.is_in_force
    [transition] = created.transitions.all()
    assert (transition.action, transition.from_state, transition.to_state) == (
        Action.CREATE,
        "",
        State.DRAFT,
    )
    assert transition.actor == cashier_staff
    assert transition.comment == "取り込み（台帳.xlsx）で作成しました。"
    [snapshot_row] = created.history.all()
    assert snapshot_row.history_type == "+" and snapshot_row.history_user == cashier_staff
    # The snapshot holds the lists too, so a later change reads against them.
    assert (
        {row.recordkind_id for row in snapshot_row.record_kinds.all()}
        == {kind.pk for kind in created.record_kinds.all()}
        != set()
    )
    assert [entry.kind for entry in history_entries(created)] == ["作成"]


def test_new_form5_rows_get_item_history_as_well(superuser):
    source = Linkage.objects.filter(business__section__department="区民部").first()
    business = BusinessFactory(section=source.business.section)
    data = sheet(
        LinkageResource,
        queryset=Linkage.objects.filter(pk=source.pk),
        **{f"{source.business.number} {source.partner.name}": {"業務登録番号": business.number}},
    )

    record = run(data, superuser, LinkageResource)

    assert record.state == ImportRecord.State.DONE, record.messages
    assert record.counts == {"new": 1}
    created = Linkage.objects.get(business=business, partner=source.partner)
    assert created.state == State.DRAFT
    assert created.transitions.get().action == Action.CREATE
    items = LinkageItem.objects.filter(linkage=created)
    assert items.exists()
    assert LinkageItem.history.filter(linkage_id=created.pk, history_type="+").count() == (
        items.count()
    )


def test_an_import_without_a_known_user_creates_nothing():
    data = sheet(
        queryset=Consignment.objects.filter(
            business__number="0404-01", contractor_type="収納代行事業者"
        ),
        **{"0404-01 収納代行事業者": {"委託先業種": "誰が作ったか分からない業種"}},
    )
    result = ConsignmentResource().import_data(load_xlsx(data), rollback_on_validation_errors=True)

    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert messages == [
        "2行目 取り込む職員が分からないため、外部委託記録票を作成できません。"
        "管理画面から取り込んでください。"
    ]
    assert not Consignment.objects.filter(contractor_type="誰が作ったか分からない業種").exists()


def test_a_row_names_the_amendment_draft_not_the_approved_version(cashier_staff):
    approved = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    amendment = services.record_amend(actor=cashier_staff, record=approved)
    before = snapshot()
    # The whole register as exported now: the approved version and its draft are both
    # listed and both identical to what they describe, so nothing changes.
    record = run(export_xlsx(ConsignmentResource), cashier_staff)
    assert record.counts == {"skip": 11}, record.messages
    assert snapshot() == before

    data = sheet(
        queryset=Consignment.objects.filter(pk=approved.pk),
        **{"0404-01 収納代行事業者": {"委託内容": "・改訂後の内容", "効力発生日": "令和7年4月1日"}},
    )
    record = run(data, cashier_staff)

    assert record.state == ImportRecord.State.DONE, record.messages
    assert record.counts == {"update": 1}
    amendment.refresh_from_db()
    approved.refresh_from_db()
    assert amendment.content == "・改訂後の内容"
    assert amendment.effective_from == dt.date(2025, 4, 1)
    assert (amendment.state, amendment.amends) == (State.DRAFT, approved)
    assert approved.state == State.APPROVED
    assert approved.content != "・改訂後の内容"


def test_a_superseded_version_is_never_matched(cashier_staff):
    old = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    amendment = services.record_amend(actor=cashier_staff, record=old)
    Consignment.objects.filter(pk=amendment.pk).update(effective_from=dt.date(2025, 4, 1))
    reviewer = user_with_role(roles.REVIEWER)
    services.record_submit(actor=cashier_staff, record=amendment)
    services.record_approve(actor=reviewer, record=amendment, category=old.categories.first())
    old.refresh_from_db()
    assert old.state == State.AMENDED

    data = sheet(
        queryset=Consignment.objects.filter(pk=old.pk),
        **{"0404-01 収納代行事業者": {"委託内容": "・旧版を書き換えようとする"}},
    )
    record = run(data, cashier_staff)

    # The row is read against the approved new version, which it may not change either.
    assert record.messages == [
        "2行目 0404-01 収納代行事業者は承認済みのため、取り込みで変更できません。"
        "職員画面で変更（改訂）を開始してください。"
    ]
    assert Consignment.objects.get(pk=old.pk).content != "・旧版を書き換えようとする"


@pytest.mark.parametrize(
    ("state", "changed"),
    [
        (State.DRAFT, True),
        (State.RETURNED, True),
        (State.SUBMITTED, False),
        (State.RESUBMITTED, False),
        (State.APPROVED, False),
        (State.RETIRED, False),
    ],
)
def test_only_records_in_the_sections_hands_are_changed(superuser, state, changed):
    record = ConsignmentFactory(state=state, contractor_type="状態を見る業種")
    data = sheet(
        queryset=Consignment.objects.filter(pk=record.pk),
        **{f"{record.business.number} 状態を見る業種": {"委託内容": "・書き換え"}},
    )

    result = run(data, superuser)

    record.refresh_from_db()
    assert (record.content == "・書き換え") is changed
    assert record.state == state
    assert result.state == (ImportRecord.State.DONE if changed else ImportRecord.State.REFUSED)


def test_a_draft_saved_by_someone_else_during_the_import_refuses_the_file(superuser):
    first = ConsignmentFactory(state=State.DRAFT, contractor_type="先の業種")
    second = ConsignmentFactory(state=State.DRAFT, contractor_type="後の業種")
    queryset = Consignment.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
    data = sheet(
        queryset=queryset,
        **{
            f"{first.business.number} 先の業種": {"委託内容": "・先を書き換え"},
            f"{second.business.number} 後の業種": {"委託内容": "・後を書き換え"},
        },
    )
    resource = ConsignmentResource(user=superuser)

    def staff_saves_second(rows_done: int) -> None:
        # A staff member's save between the file being read and its second row.
        if rows_done == 1:
            Consignment.objects.filter(pk=second.pk).update(
                content="・職員が保存", lock_version=second.lock_version + 1
            )

    resource.on_row = staff_saves_second
    result = resource.import_data(load_xlsx(data))

    messages = [m for row in result.invalid_rows for ms in row.error_dict.values() for m in ms]
    assert messages == [
        f"3行目 {second}は取り込みの間に他の人が保存しました。もう一度取り込んでください。"
    ]
    assert Consignment.objects.get(pk=first.pk).content == first.content  # rolled back
