"""The admin's add and change of Form 2 / Form 5 records go through record_create and
record_save: rights, state, stale copies and the audit trail as on the staff pages, and
no admin path writes a state (reverting to an old snapshot is refused)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consignments.models import Consignment
from linkages.models import Linkage, LinkageMeasure, ProtectionMeasure
from notation.people import person_name
from registry import roles
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import Action, State
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def change_data(client, url: str) -> dict:
    """The change form as the browser posts it back, inlines included."""
    response = client.get(url)
    data = {}
    forms = [response.context["adminform"].form]
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management[n].html_name: management[n].value() for n in management.fields})
        forms += list(formset.formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                formatted = field.widget.format_value(value)
                data[key] = "" if formatted is None else formatted
    data["_loaded_version"] = response.context["record"].lock_version
    return data


def draft_form2() -> Consignment:
    """An amendment draft of a seed record, started by its section as usual."""
    record = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    staff = user_with_role(roles.SECTION_STAFF, record.business.section)
    return services.record_amend(actor=staff, record=record)


def test_a_superusers_draft_edit_is_one_audited_save(admin_client, superuser):
    record = draft_form2()
    url = reverse("admin:consignments_consignment_change", args=[record.pk])
    data = change_data(admin_client, url) | {
        "manager": "収納課長（代理）",
        "effective_from": "令和7年4月1日",
    }
    snapshots = record.history.count()

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    saved = Consignment.objects.get(pk=record.pk)
    assert (saved.manager, saved.state, saved.lock_version) == (
        "収納課長（代理）",
        State.DRAFT,
        record.lock_version + 1,
    )
    assert saved.history.count() == snapshots + 1
    latest = history_entries(saved)[0]
    assert latest.user == person_name(superuser)
    assert {c.label for c in latest.changes} == {"個人情報保護管理責任者", "効力発生日"}


def test_a_stale_admin_copy_is_refused(admin_client):
    record = draft_form2()
    url = reverse("admin:consignments_consignment_change", args=[record.pk])
    data = change_data(admin_client, url) | {
        "manager": "古い版からの変更",
        "effective_from": "令和7年4月1日",
    }
    Consignment.objects.filter(pk=record.pk).update(lock_version=record.lock_version + 1)

    assert admin_client.post(url, data).status_code == 403
    assert Consignment.objects.get(pk=record.pk).manager == record.manager


def test_an_approved_record_is_not_changed_in_the_admin(admin_client):
    record = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    url = reverse("admin:consignments_consignment_change", args=[record.pk])
    data = change_data(admin_client, url) | {"manager": "書き換え", "_loaded_version": 1}

    admin_client.post(url, data)

    record.refresh_from_db()
    assert (record.manager, record.state) == ("収納課長", State.APPROVED)


def test_an_admin_add_is_a_draft_with_a_creation_transition(admin_client, superuser):
    template = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    data = {
        "business": template.business_id,
        "contractor_type": "管理画面で追加した業種",
        "content": "・内容",
        "period_kind": "ongoing",
        "period_start": "令和7年4月1日",
        "manager": "収納課長",
        "effective_from": "令和7年4月1日",
        "record_kinds": ["family"],
    }

    response = admin_client.post(reverse("admin:consignments_consignment_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Consignment.objects.get(contractor_type="管理画面で追加した業種")
    assert (created.state, created.lock_version) == (State.DRAFT, 1)
    assert [k.pk for k in created.record_kinds.all()] == ["family"]
    [transition] = created.transitions.all()
    assert (transition.action, transition.actor) == (Action.CREATE, superuser)
    assert created.history.count() == 1


def test_a_form5_draft_checklist_is_saved_with_its_history(admin_client, superuser):
    linkage = Linkage.objects.get(business__number="0404-01")
    Linkage.objects.filter(pk=linkage.pk).update(state=State.DRAFT)
    url = reverse("admin:linkages_linkage_change", args=[linkage.pk])
    data = change_data(admin_client, url)
    # The blank rows the inline offers, one per unanswered measure: answer the first.
    first = ProtectionMeasure.objects.filter(is_active=True).first()
    data["measures-0-answer"] = LinkageMeasure.Answer.TAKEN
    assert data["measures-0-measure"] in (str(first.pk), [str(first.pk)])

    response = admin_client.post(url, data)

    assert response.status_code == 302, [
        f.errors for f in response.context["inline_admin_formsets"][1].formset.forms
    ] + [response.context["adminform"].form.errors]
    assert [(m.measure, m.answer) for m in linkage.measures.all()] == [
        (first, LinkageMeasure.Answer.TAKEN)
    ]
    assert LinkageMeasure.history.filter(linkage_id=linkage.pk, history_user=superuser).exists()
    assert Linkage.objects.get(pk=linkage.pk).state == State.DRAFT


def test_reverting_to_an_old_snapshot_is_refused(admin_client):
    record = draft_form2()
    old = record.history.create(
        **{
            f.attname: getattr(record, f.attname)
            for f in Consignment._meta.concrete_fields
            if f.attname != "state"
        },
        state=State.APPROVED,
        history_date=timezone.now(),
        history_type="~",
    )
    url = reverse(
        "admin:consignments_consignment_simple_history",
        args=[record.pk, old.history_id],
    )

    response = admin_client.post(
        url,
        change_data(
            admin_client, reverse("admin:consignments_consignment_change", args=[record.pk])
        ),
    )

    assert response.status_code == 403
    assert Consignment.objects.get(pk=record.pk).state == State.DRAFT
