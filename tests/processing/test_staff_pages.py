"""Section staff fill the 電算処理 record in the browser: the numbered list and the dated
milestones one per line, the checklist ○ / ー row by row; submission waits for a complete
checklist; the pages follow the section's access like Form 2 / Form 5."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from processing.models import Processing, ProcessingMeasure
from registry import roles
from reviews.workflow import services
from reviews.workflow.history import history_entries
from reviews.workflow.states import State
from tests.factories import BusinessFactory, ProcessingFactory, SectionFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def section():
    return SectionFactory(department="総務部", name="税務課", manager_title="税務課長")


@pytest.fixture
def staff(section):
    return user_with_role(roles.SECTION_STAFF, section)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def form_data(business, **overrides) -> dict:
    return {
        "business": business.pk,
        "subject": "軽自動車税納付確認システムの導入に伴う税務システムの改修について",
        "data_subjects": "軽自動車税（種別割）の納税義務者",
        "recorded_items": "資料９－２のとおり",
        "computer": "税務システム",
        "reason": "小型二輪車を追加して作成する機能が必要になるため。",
        "changes_intro": "既存の税務システムに以下の機能を追加する。",
        "changes_text": "納付情報連携データの作成\n\n異動情報の抽出",
        "milestones_text": "令和6年7月（予定） 開発\n令和６年１０月（予定）　テスト\n2025-04 運用開始",
        "effective_from": "令和7年4月1日",
    } | overrides


def all_answers(answer: str = "taken") -> dict:
    return {f"measure_{m.pk}": answer for m in ProcessingMeasure.objects.filter(is_active=True)}


def test_it_saves_a_draft_with_its_lists_and_answers(staff_client, section):
    business = BusinessFactory(section=section)
    first = ProcessingMeasure.objects.order_by("side", "kind", "order").first()
    data = form_data(business) | {f"measure_{first.pk}": "not_needed"}
    response = staff_client.post(reverse("processing:new"), data)
    assert response.status_code == 302
    record = Processing.objects.get()
    assert record.state == State.DRAFT
    assert [(c.position, c.text) for c in record.changes.all()] == [
        (1, "納付情報連携データの作成"),
        (2, "異動情報の抽出"),
    ]
    assert [(m.on.isoformat(), m.planned, m.label) for m in record.milestones.all()] == [
        ("2024-07-01", True, "開発"),
        ("2024-10-01", True, "テスト"),
        ("2025-04-01", False, "運用開始"),
    ]
    assert [(a.measure_id, a.get_answer_display()) for a in record.measures.all()] == [
        (first.pk, "ー")
    ]
    assert record.transitions.get().actor.username == response.wsgi_request.user.username
    page = staff_client.get(response["Location"]).content.decode()
    assert "令和６年７月（予定）　開発" in page
    assert "１　納付情報連携データの作成" in page
    assert "別紙チェックリストのとおり" in page


def test_it_refuses_a_milestone_it_cannot_read_and_saves_nothing(staff_client, section):
    business = BusinessFactory(section=section)
    data = form_data(business, milestones_text="令和6年7月\n来年の春 開発")
    response = staff_client.post(reverse("processing:new"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["milestones_text"]
    assert errors[0].startswith("「令和6年7月」: 時期と内容を空白で区切って入力してください")
    assert errors[1].startswith("「来年の春 開発」:")
    assert not Processing.objects.exists()


def test_submission_waits_for_every_checklist_row(staff_client, section):
    record = ProcessingFactory(business__section=section, checklist=False)
    url = reverse("processing:submit", args=[record.pk])
    response = staff_client.post(url, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert (
        "提出できません: チェックリスト「開発等を委託する場合における区が行う情報保護対策"
        "【運用上の対策】」が未記入です（11項目）。" in messages
    )
    record.refresh_from_db()
    assert record.state == State.DRAFT

    edit = staff_client.get(reverse("processing:edit", args=[record.pk]))
    data = (
        form_data(record.business)
        | all_answers()
        | {"loaded_version": edit.context["version_form"].initial["loaded_version"]}
    )
    assert staff_client.post(reverse("processing:edit", args=[record.pk]), data).status_code == 302
    staff_client.post(url)
    record.refresh_from_db()
    assert record.state == State.SUBMITTED
    changes = [c for entry in history_entries(record) for c in entry.changes]
    assert any(c.label.startswith("チェックリスト ") and c.new == "○" for c in changes)


def test_the_pages_follow_the_section(client, section):
    record = ProcessingFactory(business__section=section)
    detail = reverse("processing:detail", args=[record.pk])
    assert client.get(detail).status_code == 302
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    assert client.get(detail).status_code == 404
    assert client.get(reverse("processing:annex_pdf", args=[record.pk])).status_code == 404
    client.force_login(user_with_role(roles.SECTION_STAFF, section))
    assert client.get(detail).status_code == 200
    pdf = client.get(reverse("processing:annex_pdf", args=[record.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_user_text_is_escaped(staff_client, section):
    record = ProcessingFactory(business__section=section, subject="<script>alert(1)</script>")
    page = staff_client.get(reverse("processing:detail", args=[record.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_submission_needs_the_numbered_list_and_a_milestone(staff, section):
    record = ProcessingFactory(business__section=section, lists=False)
    with pytest.raises(ValidationError) as refused:
        services.record_submit(actor=staff, record=record)
    assert refused.value.messages == [
        "新規開発・追加・変更の内容を1項目以上入力してください。",
        "新規開発・追加・変更の時期を1つ以上入力してください。",
    ]
