"""Section staff start a file from a 業務 with the register's proposals, confirm or
change them, save the draft through the services, edit and submit it; the pages are
theirs only, and a save that disagrees with the register is kept with a warning."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from filebook.models import PersonalInfoFile
from registry import roles
from registry.models import Business
from reviews.workflow.states import Action, State
from tests.factories import SectionFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def business():
    return Business.objects.get(number="0404-01")


@pytest.fixture
def staff_client(client, business):
    client.force_login(user_with_role(roles.SECTION_STAFF, business.section))
    return client


def form_data(page_form, **overrides) -> dict:
    """What the browser posts for the form as shown (its initial values), changed."""
    data = {}
    for name, field in page_form.fields.items():
        value = page_form.get_initial_for_field(field, name)
        data[name] = getattr(value, "pk", value) if value is not None else ""
    data["effective_from"] = "令和5年4月1日"
    return data | overrides


def test_anonymous_users_go_to_the_login_page(client):
    response = client.get(reverse("filebook:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_sections_staff_cannot_see_the_seed_drafts(client):
    client.force_login(user_with_role(roles.SECTION_STAFF, SectionFactory()))
    draft = PersonalInfoFile.objects.first()
    assert client.get(reverse("filebook:detail", args=[draft.pk])).status_code == 404
    assert "特別区民税・都民税ファイル" not in client.get(reverse("filebook:list")).content.decode()


def test_a_business_yields_a_form_filled_with_proposals_and_their_sources(staff_client, business):
    response = staff_client.get(reverse("filebook:new"), {"business": business.pk})
    page = response.content.decode()
    form = response.context["form"]
    assert form["name"].value() == "特別区民税・都民税ファイル"
    assert "クレジットカード番号" in form["record_items"].value().splitlines()
    assert form["regular_recipients"].value() == "株式会社エヌ・ティ・ティ・データ"
    assert form["file_kind"].value() == PersonalInfoFile.FileKind.COMPUTER
    assert "登録簿からの提案" in page
    assert "外部委託記録票の授受の形態「電算処理」" in page


def test_another_sections_business_is_not_offered(staff_client):
    other = Business.objects.get(number="9999-01")
    response = staff_client.get(reverse("filebook:new"), {"business": other.pk})
    assert response.context["form"] is None
    assert "選べる業務から選んでください。" in response.content.decode()


def test_saving_the_proposed_draft_creates_it_through_the_services(staff_client, business):
    shown = staff_client.get(reverse("filebook:new"), {"business": business.pk})
    data = form_data(shown.context["form"], collection_method="本人からの申告")
    response = staff_client.post(reverse("filebook:new"), data)
    file = PersonalInfoFile.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == reverse("filebook:detail", args=[file.pk])
    assert (file.state, file.collection_method, file.built_from_register) == (
        State.DRAFT,
        "本人からの申告",
        True,
    )
    assert file.transitions.get().action == Action.CREATE
    assert file.history.get().history_user.username == response.wsgi_request.user.username


def test_a_save_that_drops_a_received_item_is_kept_with_a_warning(staff_client, business):
    shown = staff_client.get(reverse("filebook:new"), {"business": business.pk})
    items = [n for n in shown.context["form"]["record_items"].value().splitlines()]
    items.remove("クレジットカード番号")
    data = form_data(shown.context["form"], record_items="\n".join(items))
    response = staff_client.post(reverse("filebook:new"), data)
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "クレジットカード事業者" in warnings[0] and "「クレジットカード番号」" in warnings[0]
    page = staff_client.get(response["Location"]).content.decode()
    assert "登録簿との不一致" in page


def test_editing_and_submitting_a_draft(staff_client):
    draft = PersonalInfoFile.objects.get(business__number="0404-01")
    shown = staff_client.get(reverse("filebook:edit", args=[draft.pk]))
    data = form_data(
        shown.context["form"],
        collection_method="本人からの申告",
        disclosure_office="練馬区 区政情報課",
        subject_count=PersonalInfoFile.SubjectCount.LARGE,
        loaded_version=draft.lock_version,
        sensitive="False",
        anonymization="False",
    )
    assert staff_client.post(reverse("filebook:edit", args=[draft.pk]), data).status_code == 302
    response = staff_client.post(reverse("filebook:submit", args=[draft.pk]), {"comment": ""})
    draft.refresh_from_db()
    assert response.status_code == 302
    assert (draft.state, draft.disclosure_office) == (State.SUBMITTED, "練馬区 区政情報課")


def test_submitting_an_incomplete_draft_names_the_missing_items(staff_client):
    draft = PersonalInfoFile.objects.get(business__number="0404-01")
    response = staff_client.post(
        reverse("filebook:submit", args=[draft.pk]), {"comment": ""}, follow=True
    )
    page = response.content.decode()
    assert "提出できません: 「記録情報の収集方法」が未記入です。" in page
    assert PersonalInfoFile.objects.get(pk=draft.pk).state == State.DRAFT


def test_the_record_page_shows_every_item_and_marks_a_seed_draft(staff_client):
    draft = PersonalInfoFile.objects.get(business__number="0404-02")
    page = staff_client.get(reverse("filebook:detail", args=[draft.pk])).content.decode()
    assert "登録簿の記録（外部委託記録票・電算結合記録票・データの流れ）から提案" in page
    for label in ("個人情報ファイルの名称", "記録情報の経常的提供先", "本人の数", "業務登録番号"):
        assert f'<th scope="row">{label}</th>' in page
