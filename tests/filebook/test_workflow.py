"""A 個人情報ファイル goes through the same workflow services as Form 2 / Form 5: draft,
submit, return, approve (on the review alone: no council basis), amend, retire,
correct, with its transitions, history and section access."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from filebook.models import PersonalInfoFile
from registry import roles
from reviews.workflow import services
from reviews.workflow.states import Action, State
from tests.factories import (
    BusinessFactory,
    PersonalInfoFileFactory,
    PreApprovalCategoryFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(name="収納課")


@pytest.fixture
def business(section):
    return BusinessFactory(section=section, number="0404-01", name="特別区民税・都民税に関する業務")


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


@pytest.fixture
def reviewer():
    return user_with_role(roles.REVIEWER)


def create(staff, business, **data) -> PersonalInfoFile:
    return services.record_create(
        actor=staff,
        model=PersonalInfoFile,
        data={
            "business": business,
            "name": "特別区民税・都民税ファイル",
            "agency_name": "練馬区長",
            "organization_name": "区民部 収納課",
            "effective_from": dt.date(2023, 4, 1),
        }
        | data,
    )


COMPLETE = {
    "purpose": "特別区民税・都民税の賦課徴収のため",
    "record_items": "氏名\n住所\n税額",
    "record_scope": "納税義務者",
    "collection_method": "本人から",
    "disclosure_office": "練馬区 区政情報課（東京都練馬区豊玉北6-12-1）",
    "file_kind": PersonalInfoFile.FileKind.COMPUTER,
    "subject_count": PersonalInfoFile.SubjectCount.LARGE,
}


def test_submission_names_every_item_the_act_requires_that_is_missing(staff, business):
    draft = create(staff, business, purpose="賦課徴収のため")
    with pytest.raises(ValidationError) as refused:
        services.record_submit(actor=staff, record=draft)
    assert refused.value.messages == [
        "「記録項目」が未記入です。",
        "「記録範囲」が未記入です。",
        "「記録情報の収集方法」が未記入です。",
        "「開示請求等を受理する組織の名称及び所在地」が未記入です。",
        "「個人情報ファイルの種別」が未記入です。",
        "「本人の数」が未記入です。",
    ]
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_it_runs_submit_return_resubmit_approve_without_a_council_basis(staff, reviewer, business):
    draft = create(staff, business, **COMPLETE)
    services.record_submit(actor=staff, record=draft)
    services.record_return(actor=reviewer, record=draft, comment="記録範囲を具体的に")
    services.record_save(
        actor=staff,
        record=draft,
        data={"record_scope": "特別区民税・都民税の納税義務者"},
        loaded_version=PersonalInfoFile.objects.get().lock_version,
    )
    services.record_submit(actor=staff, record=draft)
    approved = services.record_approve(actor=reviewer, record=draft)

    assert approved.state == State.APPROVED
    assert approved.approval_basis == ""
    assert approved.approved_content["record_scope"] == "特別区民税・都民税の納税義務者"
    assert approved.approved_content["record_items"] == ["氏名", "住所", "税額"]
    assert [t.action for t in approved.transitions.order_by("at", "pk")] == [
        Action.CREATE,
        Action.SUBMIT,
        Action.RETURN,
        Action.SUBMIT,
        Action.APPROVE,
    ]
    assert (
        approved.history.count() == 6
    )  # created, submitted, returned, saved, resubmitted, approved


def test_approval_refuses_a_council_basis(staff, reviewer, business):
    draft = create(staff, business, **COMPLETE)
    services.record_submit(actor=staff, record=draft)
    with pytest.raises(ValidationError, match="審査担当の審査で承認します"):
        services.record_approve(actor=reviewer, record=draft, category=PreApprovalCategoryFactory())
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED


def test_only_its_section_creates_and_only_a_reviewer_approves(staff, reviewer, business):
    outsider = user_with_role(roles.SECTION_STAFF, SectionFactory())
    with pytest.raises(PermissionDenied):
        create(outsider, business, **COMPLETE)
    draft = create(staff, business, **COMPLETE)
    services.record_submit(actor=staff, record=draft)
    with pytest.raises(PermissionDenied):
        services.record_approve(actor=staff, record=draft)
    assert list(PersonalInfoFile.objects.visible_to(outsider)) == []
    assert list(PersonalInfoFile.objects.visible_to(reviewer)) == [draft]


def test_an_amendment_replaces_the_approved_file_when_approved(staff, reviewer, business):
    old = PersonalInfoFileFactory(business=business)
    amendment = services.record_amend(actor=staff, record=old)
    assert (amendment.state, amendment.record_items) == (State.DRAFT, old.record_items)
    services.record_save(
        actor=staff,
        record=amendment,
        data={"record_items": "氏名\n住所\n税額\n電話番号", "effective_from": dt.date(2026, 4, 1)},
        loaded_version=amendment.lock_version,
    )
    services.record_submit(actor=staff, record=amendment)
    services.record_approve(actor=reviewer, record=amendment)

    old.refresh_from_db()
    assert (old.state, old.effective_until) == (State.AMENDED, dt.date(2026, 3, 31))
    assert list(PersonalInfoFile.objects.in_force(dt.date(2026, 4, 1))) == [
        PersonalInfoFile.objects.get(pk=amendment.pk)
    ]


def test_a_correction_changes_an_item_but_offers_no_basis(reviewer, business):
    approved = PersonalInfoFileFactory(business=business)
    services.record_correct(
        actor=reviewer,
        record=approved,
        changes={"collection_method": "本人からの申告"},
        reason="誤記",
    )
    approved.refresh_from_db()
    assert approved.approved_content["collection_method"] == "本人からの申告"
    with pytest.raises(ValidationError, match="訂正では変更できない項目です"):
        services.record_correct(
            actor=reviewer,
            record=approved,
            changes={"approval_category": PreApprovalCategoryFactory()},
            reason="根拠の追加",
        )


def test_a_retired_file_leaves_the_register_after_its_date(reviewer, business):
    approved = PersonalInfoFileFactory(business=business)
    services.record_retire(actor=reviewer, record=approved, retired_on=dt.date(2026, 3, 31))
    assert list(PersonalInfoFile.objects.in_force(dt.date(2026, 3, 31))) == [approved]
    assert list(PersonalInfoFile.objects.in_force(dt.date(2026, 4, 1))) == []
