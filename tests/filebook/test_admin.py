"""Reviewers work on files in the admin like on Form 2 / Form 5: the queue, 承認 (with no
basis to choose), 差し戻す, 訂正 (no basis fields), and the PDF from the command line."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from filebook.models import PersonalInfoFile
from registry import roles
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import PersonalInfoFileFactory, user_with_role
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(client):
    client.force_login(user_with_role(roles.REVIEWER))
    return client


@pytest.fixture
def submitted():
    file = PersonalInfoFileFactory(state=State.DRAFT)
    staff = user_with_role(roles.SECTION_STAFF, file.business.section)
    return services.record_submit(actor=staff, record=file)


def test_the_queue_lists_the_submitted_file(reviewer_client, submitted):
    page = reviewer_client.get(
        reverse("admin:filebook_personalinfofile_changelist"), {"queue": "waiting"}
    ).content.decode()
    assert submitted.name in page


def test_the_change_page_shows_no_basis_row(reviewer_client, submitted):
    url = reverse("admin:filebook_personalinfofile_change", args=[submitted.pk])
    page = reviewer_client.get(url).content.decode()
    assert "承認する" in page and "承認の根拠" not in page


def test_approval_asks_for_no_basis_and_approves(reviewer_client, submitted):
    url = reverse("admin:filebook_personalinfofile_approve", args=[submitted.pk])
    page = reviewer_client.get(url).content.decode()
    assert "承認の根拠" not in page and 'name="category"' not in page
    response = reviewer_client.post(url, {"comment": "確認しました"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.APPROVED
    assert submitted.transitions.latest("at").comment == "確認しました"


def test_a_return_goes_back_to_the_section(reviewer_client, submitted):
    url = reverse("admin:filebook_personalinfofile_return", args=[submitted.pk])
    reviewer_client.post(url, {"comment": "記録範囲を具体的に書いてください。"})
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED


def test_the_correction_form_offers_the_items_but_no_basis(reviewer_client):
    approved = PersonalInfoFileFactory()
    url = reverse("admin:filebook_personalinfofile_correct", args=[approved.pk])
    page = reviewer_client.get(url).content.decode()
    assert 'name="collection_method"' in page
    assert 'name="approval_category"' not in page and 'name="approval_answer"' not in page


def test_printforms_prints_the_filebook(tmp_path):
    file = PersonalInfoFileFactory(name="印刷テストファイル")
    call_command("printforms", "--kind", "filebook", "--out", str(tmp_path))
    pdf = tmp_path / f"filebook_{file.business.number}_{file.pk}.pdf"
    text = squeeze("".join(page_texts(pdf.read_bytes())))
    assert "個人情報ファイル簿" in text and "印刷テストファイル" in text
    assert "本人の数1,000人以上" in text


def test_a_draft_prints_marked_as_such(tmp_path):
    PersonalInfoFileFactory(state=State.DRAFT)
    call_command("printforms", "--kind", "filebook", "--out", str(tmp_path))
    [pdf] = tmp_path.iterdir()
    assert "（下書き・未承認）" in squeeze("".join(page_texts(pdf.read_bytes())))
    assert PersonalInfoFile.objects.get().approved_content is None
