"""The admin shows the diagrams and the rule problems on the channel, flow and linkage
pages, and warns (without refusing the save) when a saved record breaks a rule."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.admin import ConsignmentAdmin
from consignments.models import Consignment
from linkages.admin import LinkageAdmin
from linkages.models import Linkage, LinkageMeasure, ProtectionMeasure
from payments.models import Channel, DataItem, Flow, ItemSet, Party, TaxType
from reviews.workflow.states import State
from tests.factories import FlowFactory, UserFactory

pytestmark = pytest.mark.usefixtures("seed")

MODELS = [TaxType, Channel, Party, DataItem, ItemSet, Flow, ProtectionMeasure]


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def admin_url(obj_or_model, action: str = "change") -> str:
    meta = obj_or_model._meta
    args = [obj_or_model.pk] if action == "change" else []
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_form_renders(admin_client, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert model._meta.verbose_name in response.content.decode()
    response = admin_client.get(admin_url(model.objects.first()))
    assert response.status_code == 200


def test_the_flow_changelist_queries_do_not_grow_with_the_rows(admin_client):
    with CaptureQueriesContext(connection) as before:
        admin_client.get(admin_url(Flow, "changelist"))
    for _ in range(5):
        FlowFactory(tax_types=list(TaxType.objects.all()[:1]))
    with CaptureQueriesContext(connection) as after:
        admin_client.get(admin_url(Flow, "changelist"))
    assert len(after) <= len(before) + 1


def test_the_channel_page_shows_its_diagrams_and_no_problem(admin_client):
    channel = Channel.objects.get(name="電子マネー")
    page = admin_client.get(admin_url(channel)).content.decode()
    assert "<h4>平成31年4月1日から令和元年12月31日まで</h4>" in page
    assert page.count('<div class="flow-diagram"><svg') == 2
    assert "問題はありません。" in page


def test_the_record_admins_are_their_own_apps():
    """payments adds its panel and warnings through the record admin's hooks
    (config.wiring); it never replaces the class the record's app registers."""
    assert type(admin.site._registry[Consignment]) is ConsignmentAdmin
    assert type(admin.site._registry[Linkage]) is LinkageAdmin


def test_the_linkage_page_shows_its_diagram_problems_and_checklist(admin_client):
    linkage = Linkage.objects.get(partner__name="地方税共同機構")
    page = admin_client.get(admin_url(linkage)).content.decode()
    assert "データの流れ</h2>" in page
    assert '<div class="flow-diagram"><svg' in page
    assert "規則に反する点" in page
    assert "軽自動車税（種別割）の納付確認業務に係る項目" in page
    assert "すべての項目に記入済みです。" in page
    nerima = Linkage.objects.get(business__number="0404-01")
    # Approved records are read-only (issue 8); a draft shows the editable checklist.
    Linkage.objects.filter(pk=nerima.pk).update(state=State.DRAFT)
    page = admin_client.get(admin_url(nerima)).content.decode()
    assert "が未記入です（5項目）。" in page
    # One blank row per unanswered checklist item, so the whole list can be filled in.
    assert page.count('name="measures-') > 32
    assert 'name="measures-TOTAL_FORMS" value="32"' in page


def warnings_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def post_flow(admin_client, flow: Flow, **changes):
    data = {
        "sender": flow.sender_id,
        "receiver": flow.receiver_id,
        "via": flow.via_id or "",
        "item_set": flow.item_set_id or "",
        "items": [i.pk for i in flow.items.all()],
        "label": flow.label,
        "channels": [c.pk for c in flow.channels.all()],
        "tax_types": [t.pk for t in flow.tax_types.all()],
        "line": flow.line,
        "effective_from": "",
        "effective_until": "",
        "order": flow.order,
    } | changes
    return admin_client.post(admin_url(flow), data)


def test_saving_a_flow_that_breaks_the_line_guideline_warns_but_saves(admin_client):
    flow = Flow.objects.get(sender__name="LINE Pay", item_set__isnull=False)
    ward = Party.objects.get(name="練馬区")
    line_pay = Party.objects.get(name="LINE Pay")
    response = post_flow(
        admin_client,
        flow,
        sender=ward.pk,
        receiver=line_pay.pk,
        item_set=ItemSet.objects.get(name="納付書情報").pk,
    )
    assert response.status_code == 302
    flow.refresh_from_db()
    assert (flow.sender, flow.receiver) == (ward, line_pay)
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    line_warnings = [w for w in warnings if w.startswith("［LINEガイドライン］")]
    assert len(line_warnings) == 11
    assert any("「納税義務者氏名」" in w for w in line_warnings)


def test_the_flow_form_refuses_a_flow_to_its_own_sender(admin_client):
    flow = Flow.objects.get(sender__name="練馬区", item_set__name="納付書情報")
    response = post_flow(admin_client, flow, receiver=flow.sender_id)
    assert response.status_code == 200
    assert "送り手と受け手は別の当事者にしてください。" in response.content.decode()
    flow.refresh_from_db()
    assert flow.receiver.name == "NTTデータ"


def test_saving_a_linkage_with_an_incomplete_checklist_warns(admin_client):
    linkage = Linkage.objects.get(partner__name="地方税共同機構")
    # Only drafts are edited in place (issue 8).
    Linkage.objects.filter(pk=linkage.pk).update(state=State.DRAFT)
    answer = linkage.measures.order_by("pk").first()
    page = admin_client.get(admin_url(linkage))
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(business=linkage.business_id, partner=linkage.partner_id)
    data.update(linked_on="令和7年4月", effective_from="令和7年4月1日")
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for key, value in management.initial.items():
            data[f"{formset.formset.prefix}-{key}"] = value
        for index, inline_form in enumerate(formset.formset.forms):
            prefix = f"{formset.formset.prefix}-{index}"
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if value is not None:
                    data[f"{prefix}-{name}"] = value
            if inline_form.instance.pk == answer.pk:
                data[f"{prefix}-DELETE"] = "on"
    response = admin_client.post(admin_url(linkage), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not LinkageMeasure.objects.filter(pk=answer.pk).exists()
    warnings = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("に○またはーが記入されていません。" in w for w in warnings), warnings


def test_the_flow_form_refuses_a_flow_that_carries_nothing(admin_client):
    flow = Flow.objects.get(sender__name="練馬区", item_set__name="納付書情報")
    response = post_flow(admin_client, flow, item_set="", label="")
    assert response.status_code == 200
    assert "項目セットか個別の項目を選ぶか、表示名（収納金など）を入力してください。" in (
        response.content.decode()
    )
    flow.refresh_from_db()
    assert flow.item_set.name == "納付書情報"


def test_the_flow_form_accepts_single_items_without_a_set_or_label(admin_client):
    flow = Flow.objects.get(sender__name="練馬区", item_set__name="納付書情報")
    name = DataItem.objects.get(name="納税義務者氏名")
    response = post_flow(admin_client, flow, item_set="", items=[name.pk])
    assert response.status_code == 302
    flow.refresh_from_db()
    assert flow.carried_items() == [name]
    assert flow.arrow_label == "納税義務者氏名"


def test_unticking_a_record_kind_a_contractor_needs_warns_on_save(admin_client):
    record = Consignment.objects.get(
        business__number="0404-01", contractor_type="クレジットカード事業者"
    )
    # Only drafts are edited in place (issue 8).
    Consignment.objects.filter(pk=record.pk).update(state=State.DRAFT)
    url = admin_url(record)
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        business=record.business_id,
        period_start="平成31年4月1日",
        effective_from="平成31年4月1日",
        record_kinds=[k.pk for k in record.record_kinds.all()],
        record_kinds_other="",
        conditions=[c.pk for c in record.conditions.all()],
        transfer_forms=[t.pk for t in record.transfer_forms.all()],
        contractors=[o.pk for o in record.contractors.all()],
        categories=[c.pk for c in record.categories.all()],
        consultations=[c.pk for c in record.consultations.all()],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.record_kinds_other == ""
    warnings = warnings_of(response)
    assert len(warnings) == 2
    assert all("「その他（クレジットカード番号）」" in w for w in warnings)


def test_changing_a_shared_item_warns_of_every_flow_it_breaks(admin_client):
    item = DataItem.objects.get(name="クレジットカード番号")
    response = admin_client.post(
        admin_url(item),
        {"name": item.name, "record_kind": "health", "record_kind_other": ""},
    )
    assert response.status_code == 302
    warnings = warnings_of(response)
    assert len(warnings) == 4  # JCB and UCカード, for both businesses
    assert all("心身健康" in w for w in warnings)
