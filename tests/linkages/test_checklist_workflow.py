"""Section staff fill the protection-measure checklists (○ / ー) on the Form 5 page;
submission refuses an incomplete checklist naming the missing rows; an amendment carries
the answers; the record's history shows who answered what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from linkages.models import Linkage, LinkageMeasure, ProtectionMeasure
from registry import roles
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    LinkageFactory,
    OrganizationFactory,
    ProtectionMeasureFactory,
    SectionFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TAKEN, NOT_NEEDED = LinkageMeasure.Answer.TAKEN, LinkageMeasure.Answer.NOT_NEEDED


@pytest.fixture
def section():
    return SectionFactory(name="収納課", manager_title="収納課長")


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def measures():
    """Two lists of the ward's template, and a retired row nobody is asked about."""
    return [
        ProtectionMeasureFactory(order=1, text="端末の操作者を限定する。"),
        ProtectionMeasureFactory(order=2, text="操作記録を保存する。"),
        ProtectionMeasureFactory(
            kind=ProtectionMeasure.Kind.TECHNICAL, order=1, text="通信を暗号化する。"
        ),
        ProtectionMeasureFactory(order=3, text="廃止した項目", is_active=False),
    ]


def form_data(business, partner, **answers) -> dict:
    return {
        "business": business.pk,
        "purpose": "・納付書情報を送信する。",
        "linked_on": "令和2年1月",
        "partner": partner.pk,
        "line": "lgwan",
        "provided_items_text": "税目",
        "received_items_text": "収納日時",
        "manager": "収納課長",
        "effective_from": "令和2年1月1日",
        **answers,
    }


def test_the_form5_page_lists_every_active_row_with_accessible_choices(staff_client, measures):
    page = staff_client.get(reverse("linkages:new")).content.decode()
    assert "<legend>区が行う情報保護対策【運用上の対策】</legend>" in page
    assert "<legend>区が行う情報保護対策【システム上の対策】</legend>" in page
    assert "<legend>1．端末の操作者を限定する。</legend>" in page
    field = f"measure_{measures[0].pk}"
    assert f'name="{field}" value="taken"' in page
    assert f'<label for="id_{field}_0">○（対策を講じる）</label>' in page
    assert f'<label for="id_{field}_1">ー（必要なし）</label>' in page
    assert "廃止した項目" not in page


def test_staff_answer_the_checklist_and_the_history_shows_it(
    staff_client, staff, section, measures
):
    business, partner = BusinessFactory(section=section), OrganizationFactory()
    first, second, third, _ = measures
    response = staff_client.post(
        reverse("linkages:new"),
        form_data(business, partner, **{f"measure_{first.pk}": TAKEN}),
    )
    assert response.status_code == 302
    linkage = Linkage.objects.get()
    assert {(m.measure, m.answer) for m in linkage.measures.all()} == {(first, TAKEN)}

    url = reverse("linkages:edit", args=[linkage.pk])
    edit_page = staff_client.get(url).content.decode()
    assert f'name="measure_{first.pk}" value="taken" id="id_measure_{first.pk}_0" checked' in (
        edit_page
    )
    response = staff_client.post(
        url,
        form_data(
            business,
            partner,
            loaded_version=1,
            **{
                f"measure_{first.pk}": NOT_NEEDED,
                f"measure_{second.pk}": TAKEN,
                f"measure_{third.pk}": TAKEN,
            },
        ),
    )
    assert response.status_code == 302
    assert {(m.measure, m.answer) for m in linkage.measures.all()} == {
        (first, NOT_NEEDED),
        (second, TAKEN),
        (third, TAKEN),
    }
    changes = {
        (c.label, c.old, c.new)
        for entry in history_entries(Linkage.objects.get(pk=linkage.pk))
        for c in entry.changes
    }
    assert (f"チェックリスト {first}", "○", "ー") in changes
    assert (f"チェックリスト {second}", "（空欄）", "○") in changes
    page = staff_client.get(reverse("linkages:detail", args=[linkage.pk])).content.decode()
    assert f"チェックリスト {second}" in page


def test_submission_refuses_an_incomplete_checklist_naming_the_missing_rows(
    staff_client, staff, section, measures
):
    first, second, third, _ = measures
    linkage = LinkageFactory(
        business=BusinessFactory(section=section), state=State.DRAFT, checklist=False
    )
    LinkageMeasure.objects.create(linkage=linkage, measure=first, answer=TAKEN)

    with pytest.raises(ValidationError) as refused:
        services.record_submit(actor=staff, record=linkage)
    assert refused.value.messages == [
        "保護措置チェックリスト「区が行う情報保護対策【運用上の対策】」の2「操作記録を保存する。」"
        "に○またはーが記入されていません。",
        "保護措置チェックリスト「区が行う情報保護対策【システム上の対策】」が未記入です（1項目）。",
    ]
    linkage.refresh_from_db()
    assert linkage.state == State.DRAFT
    assert not linkage.transitions.filter(action="submit").exists()

    response = staff_client.post(reverse("linkages:submit", args=[linkage.pk]), follow=True)
    page = response.content.decode()
    assert "提出できません: 保護措置チェックリスト" in page
    assert "「操作記録を保存する。」" in page
    assert Linkage.objects.get(pk=linkage.pk).state == State.DRAFT

    for measure in (second, third):
        LinkageMeasure.objects.create(linkage=linkage, measure=measure, answer=NOT_NEEDED)
    services.record_submit(actor=staff, record=linkage)
    assert Linkage.objects.get(pk=linkage.pk).state == State.SUBMITTED


def test_an_amendment_carries_the_checklist_answers(staff, section, measures):
    first, second, third, retired = measures
    linkage = LinkageFactory(business=BusinessFactory(section=section), checklist=False)
    for measure, answer in ((first, TAKEN), (second, NOT_NEEDED), (third, TAKEN), (retired, TAKEN)):
        LinkageMeasure.objects.create(linkage=linkage, measure=measure, answer=answer)

    amendment = services.record_amend(actor=staff, record=linkage)

    assert {(m.measure, m.answer) for m in amendment.measures.all()} == {
        (first, TAKEN),
        (second, NOT_NEEDED),
        (third, TAKEN),
        (retired, TAKEN),
    }
    assert amendment.checklist_problems() == []
    # The copy is submittable as it stands once its date moves on.
    services.record_save(
        actor=staff,
        record=amendment,
        data={"effective_from": dt.date(2026, 4, 1)},
        loaded_version=amendment.lock_version,
    )
    services.record_submit(actor=staff, record=amendment)
    assert Linkage.objects.get(pk=amendment.pk).state == State.SUBMITTED
    assert linkage.measures.count() == 4  # the approved version keeps its own


def test_saving_the_form_keeps_answers_to_retired_rows(staff_client, section, measures):
    first, *_, retired = measures
    business, partner = BusinessFactory(section=section), OrganizationFactory()
    linkage = LinkageFactory(business=business, partner=partner, state=State.DRAFT, checklist=False)
    LinkageMeasure.objects.create(linkage=linkage, measure=retired, answer=TAKEN)

    response = staff_client.post(
        reverse("linkages:edit", args=[linkage.pk]),
        form_data(business, partner, loaded_version=1, **{f"measure_{first.pk}": TAKEN}),
    )

    assert response.status_code == 302
    assert {(m.measure, m.answer) for m in linkage.measures.all()} == {
        (first, TAKEN),
        (retired, TAKEN),
    }
