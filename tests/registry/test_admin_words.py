"""Words a clerk reads in the admin, not codes: a read-only yes/no is 該当 / 非該当 (not
an icon whose text is alt="False"), an agenda item's 付議の種類 are their labels and the
person who recorded its decision is named, not shown by login name."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from filebook.models import PersonalInfoFile
from registry import roles
from reviews.committee.models import AgendaItem
from tests.factories import AgendaItemFactory, PersonalInfoFileFactory, user_with_role

pytestmark = pytest.mark.django_db


def readonly(page: str, label: str) -> str:
    """The read-only value shown beside `label`."""
    match = re.search(rf"<label>{label}:</label>\s*<div class=\"readonly\">(.*?)</div>", page, re.S)
    assert match, label
    return match.group(1).strip()


def test_a_read_only_yes_no_reads_as_words(client):
    file = PersonalInfoFileFactory(sensitive=True, anonymization=False)
    client.force_login(user_with_role(roles.REVIEWER))
    page = client.get(reverse("admin:filebook_personalinfofile_change", args=[file.pk]))
    page = page.content.decode()
    assert readonly(page, PersonalInfoFile._meta.get_field("sensitive").verbose_name) == "該当"
    assert (
        readonly(page, PersonalInfoFile._meta.get_field("anonymization").verbose_name) == "非該当"
    )
    assert 'alt="False"' not in page and 'alt="True"' not in page


def test_an_agenda_items_kinds_and_decider_read_as_people_write_them(client):
    reviewer = user_with_role(
        roles.REVIEWER, username="shinsa", last_name="審査", first_name="花子"
    )
    item = AgendaItemFactory(
        kinds=["processing", "linkage"],
        decision=AgendaItem.Decision.APPROVED,
        decided_on=dt.date(2024, 6, 20),
        decided_by=reviewer,
    )
    client.force_login(reviewer)
    page = client.get(reverse("admin:reviews_agendaitem_change", args=[item.pk])).content.decode()
    assert readonly(page, "付議の種類") == item.kinds_display()
    assert "processing" not in readonly(page, "付議の種類")
    assert readonly(page, "決定を記録した人") == "審査 花子"
