"""The 個人情報ファイル簿 agrees with the register: a crafted mismatch (a contractor
receives an item the file does not list; a linkage partner missing from the 経常的提供先)
is reported by `manage.py checkflows`, warned about when the file or the Form 2 is saved,
and shown on the file's page."""

from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse

from consignments.models import Consignment
from filebook.checks import check_files, problems_for_file
from filebook.models import PersonalInfoFile
from payments.rules import problems_for_consignment
from registry import roles
from reviews.workflow import services
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("seed")


def run_checkflows() -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("checkflows", stdout=out, stderr=err)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def draft():
    return PersonalInfoFile.objects.get(business__number="0404-01")


def save(draft, **data) -> PersonalInfoFile:
    staff = user_with_role(roles.SECTION_STAFF, draft.business.section)
    return services.record_save(
        actor=staff, record=draft, data=data, loaded_version=draft.lock_version
    )


def test_the_seed_files_agree_with_the_register():
    assert check_files() == []
    assert run_checkflows() == (0, "データの流れに問題はありません。\n")


def test_a_card_number_missing_from_the_items_is_reported(draft):
    items = [name for name in draft.record_item_names if name != "クレジットカード番号"]
    save(draft, record_items="\n".join(items))

    problems = check_files()
    assert len(problems) == 1
    card = Consignment.objects.get(
        business__number="0404-01", contractor_type="クレジットカード事業者"
    )
    assert problems[0].consignment_id == card.pk
    assert "「クレジットカード番号」" in problems[0].message
    code, out = run_checkflows()
    assert code == 1
    assert out.startswith("［個人情報ファイル簿］外部委託記録票「0404-01 クレジットカード事業者」")


def test_a_linkage_partner_missing_from_the_recipients_is_reported(draft):
    save(draft, regular_recipients="")
    [problem] = problems_for_file(PersonalInfoFile.objects.get(pk=draft.pk))
    assert problem.linkage_id is not None
    assert "株式会社エヌ・ティ・ティ・データ" in problem.message
    assert "記録情報の経常的提供先にありません" in problem.message


def test_a_recipient_written_with_its_role_still_counts(draft):
    save(
        draft,
        regular_recipients="株式会社エヌ・ティ・ティ・データ（ＭＰＮ収納機関共同利用センター）",
    )
    assert problems_for_file(PersonalInfoFile.objects.get(pk=draft.pk)) == []


def test_the_form_2s_own_warnings_name_the_file(draft):
    """The admin warns on a Form 2 save with problems_for_consignment: it includes the
    file's rule."""
    save(draft, record_items="氏名")
    card = Consignment.objects.get(
        business__number="0404-01", contractor_type="クレジットカード事業者"
    )
    messages = [p.message for p in problems_for_consignment(card.pk)]
    assert any("個人情報ファイル「特別区民税・都民税ファイル」（No.1）" in m for m in messages)


def test_a_save_in_the_admin_is_kept_with_a_warning(client, draft):
    client.force_login(user_with_role(None, is_superuser=True, is_staff=True))
    data = {
        "business": draft.business_id,
        "name": draft.name,
        "agency_name": draft.agency_name,
        "organization_name": draft.organization_name,
        "purpose": draft.purpose,
        "record_items": "氏名",
        "record_scope": draft.record_scope,
        "collection_method": "本人から",
        "sensitive": "",
        "regular_recipients": draft.regular_recipients,
        "disclosure_office": "",
        "special_procedures": "",
        "file_kind": draft.file_kind,
        "subject_count": "",
        "effective_from": "令和5年4月1日",
        "effective_until": "",
        "_loaded_version": draft.lock_version,
    }
    response = client.post(reverse("admin:filebook_personalinfofile_change", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.record_items, draft.collection_method) == ("氏名", "本人から")
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any(w.startswith("［個人情報ファイル簿］") for w in warnings), warnings
