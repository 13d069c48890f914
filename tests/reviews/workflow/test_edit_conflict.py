"""Two people editing the same draft: the second save is refused, says so in Japanese,
shows what the other person changed, and nothing is lost or half-saved."""

import pytest
from django.test import Client
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from registry import roles
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def edit_data(response) -> dict:
    """The edit form as the browser would post it back."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            formatted = field.widget.format_value(value)
            data[name] = "" if formatted is None else formatted
    data["loaded_version"] = response.context["version_form"]["loaded_version"].value()
    return data


@pytest.fixture
def editors(section):
    first, second = Client(), Client()
    first.force_login(
        user_with_role(roles.SECTION_STAFF, section, last_name="収納", first_name="花子")
    )
    second.force_login(
        user_with_role(roles.SECTION_STAFF, section, last_name="税務", first_name="太郎")
    )
    return first, second


def test_it_refuses_the_second_save_and_shows_the_first_change(section, editors):
    first, second = editors
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    url = reverse("consignments:edit", args=[record.pk])
    first_data, second_data = edit_data(first.get(url)), edit_data(second.get(url))

    response = first.post(url, first_data | {"contractor_type": "収納代行事業者（甲）"})
    assert response.status_code == 302
    response = second.post(url, second_data | {"manager": "税務課長"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "保存できませんでした" in page
    assert "収納 花子" in page
    # The other person's change, old and new, and the user's own input kept in the form.
    assert "収納代行事業者（甲）" in page
    assert response.context["conflict"]["changes"][0].label == "委託先業種"
    assert response.context["conflict"]["changes"][0].old == "収納代行事業者"
    assert 'value="税務課長"' in page
    record.refresh_from_db()
    assert record.contractor_type == "収納代行事業者（甲）"
    assert record.manager == "収納課長"
    assert record.lock_version == 2

    # Reloading gives the current version, and the save then goes through.
    retry = edit_data(second.get(url))
    assert retry["loaded_version"] == 2
    assert second.post(url, retry | {"manager": "税務課長"}).status_code == 302
    record.refresh_from_db()
    assert (record.contractor_type, record.manager) == ("収納代行事業者（甲）", "税務課長")


def test_it_refuses_a_stale_form5_save_without_touching_its_items(section, editors):
    first, second = editors
    record = LinkageFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    url = reverse("linkages:edit", args=[record.pk])
    first_data, second_data = edit_data(first.get(url)), edit_data(second.get(url))
    assert (
        first.post(url, first_data | {"provided_items_text": "納付書番号\n確認番号"}).status_code
        == 302
    )
    response = second.post(url, second_data | {"provided_items_text": "氏名"})
    assert response.status_code == 409
    record = Linkage.objects.get(pk=record.pk)
    assert [i.name for i in record.provided_items] == ["納付書番号", "確認番号"]


def test_it_refuses_a_stale_save_in_the_admin(client, section):
    record = ConsignmentFactory(business=BusinessFactory(section=section), state=State.DRAFT)
    client.force_login(user_with_role(None, is_superuser=True, is_staff=True))
    url = reverse("admin:consignments_consignment_change", args=[record.pk])
    page = client.get(url)
    assert 'name="_loaded_version" value="1"' in page.content.decode()
    Consignment.objects.filter(pk=record.pk).update(lock_version=2, manager="他の人の変更")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        business=record.business_id,
        period_start="平成31年4月1日",
        effective_from="平成31年4月1日",
        manager="管理者の変更",
        _loaded_version="1",
    )
    response = client.post(url, data)
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.manager == "他の人の変更"
