"""Every admin page renders for a superuser, in Japanese, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from registry.models import Business, Organization, Section
from reviews.models import (
    Answer,
    CategoryExample,
    Consultation,
    CouncilMeeting,
    Obligation,
    PreApprovalCategory,
    PreApprovalReport,
)
from reviews.workflow.states import State
from tests.factories import (
    AnswerFactory,
    ConsignmentFactory,
    LinkageItemFactory,
    ObligationFactory,
    UserFactory,
)

MODELS = [
    Section, Business, Organization, PreApprovalCategory, CategoryExample, Consultation,
    Answer, Consignment, Linkage, CouncilMeeting, Obligation, PreApprovalReport,
]  # fmt: skip

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture
def one_answer():
    return ObligationFactory().answer


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_and_change_form_renders(admin_client, model, one_answer):
    response = admin_client.get(changelist(model))
    assert response.status_code == 200
    assert model._meta.verbose_name in response.content.decode()
    obj = model.objects.first()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    if model in (Consignment, Linkage):
        # The seed's records are approved: read-only, even for a superuser.
        assert "承認済み" in response.content.decode()
        assert 'name="_save"' not in response.content.decode()
    elif model is PreApprovalReport:
        # Reports are their section's, written on the staff pages.
        assert 'name="_save"' not in response.content.decode()
    else:
        assert 'name="_save"' in response.content.decode()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_queries_do_not_grow_with_the_rows(admin_client, model):
    with CaptureQueriesContext(connection) as before:
        admin_client.get(changelist(model))
    for _ in range(5):
        AnswerFactory()
        ConsignmentFactory()
        LinkageItemFactory()
    with CaptureQueriesContext(connection) as after:
        admin_client.get(changelist(model))
    assert len(after) <= len(before) + 1, [q["sql"] for q in after.captured_queries]


def test_the_form2_changelist_shows_the_seed_in_the_era(admin_client):
    page = admin_client.get(changelist(Consignment)).content.decode()
    assert page.count("収納代行事業者") >= 2
    assert "平成21年1月1日以降継続" in page
    assert "平成18年1月25日 諮問第20号" in page
    assert "事前一括承認基準(３‐１６)" in page


def test_the_form2_change_form_shows_every_checkbox_label(admin_client):
    record = Consignment.objects.get(
        business__number="0404-01", contractor_type="クレジットカード事業者"
    )
    # Approved records are read-only; a draft shows the editable form.
    Consignment.objects.filter(pk=record.pk).update(state=State.DRAFT)
    page = admin_client.get(
        reverse("admin:consignments_consignment_change", args=[record.pk])
    ).content.decode()
    for label in ["戸籍等事項", "思想信条", "再委託の禁止", "磁気ディスク等", "電算処理"]:
        assert label in page
    assert 'value="クレジットカード番号"' in page
    assert 'value="平成31年4月1日"' in page


def test_search_finds_japanese_text(admin_client):
    response = admin_client.get(changelist(Consignment), {"q": "ペイジー"})
    found = {record.contractor_type for record in response.context["cl"].result_list}
    assert response.context["cl"].result_count == 4
    assert found == {
        "日本マルチペイメントネットワーク運営機構",
        "マルチペイメントネットワーク収納機関共同利用センター運営事業者",
    }


def test_the_admin_refuses_a_fixed_period_ending_before_it_starts(admin_client):
    record = Consignment.objects.filter(business__number="0404-01").first()
    Consignment.objects.filter(pk=record.pk).update(state=State.DRAFT)
    url = reverse("admin:consignments_consignment_change", args=[record.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        business=record.business_id,
        period_kind="fixed",
        period_start="令和2年4月1日",
        period_end="令和2年3月31日",
        effective_from="平成21年1月1日",
        record_kinds=[k.pk for k in record.record_kinds.all()],
        conditions=[c.pk for c in record.conditions.all()],
        transfer_forms=[t.pk for t in record.transfer_forms.all()],
        contractors=[o.pk for o in record.contractors.all()],
        categories=[c.pk for c in record.categories.all()],
        consultations=[c.pk for c in record.consultations.all()],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "委託期間の終了日は開始日以降の日付にしてください。" in response.content.decode()
    record.refresh_from_db()
    assert record.period_kind == "ongoing"


def test_a_consultation_added_in_the_admin_gets_the_next_number_of_its_year(admin_client):
    url = reverse("admin:reviews_consultation_add")
    data = {
        "consulted_on": "令和8年11月24日",
        "subject": "新たな電算結合について",
        "answer-TOTAL_FORMS": "0",
        "answer-INITIAL_FORMS": "0",
    }
    assert admin_client.post(url, data).status_code == 302
    admin_client.post(url, data | {"subject": "二件目"})
    created = Consultation.objects.filter(fiscal_year=2026).order_by("number")
    assert [(c.subject, c.number) for c in created] == [
        ("新たな電算結合について", 1),
        ("二件目", 2),
    ]
