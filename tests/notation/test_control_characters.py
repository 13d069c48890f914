"""Control characters (U+0000–U+001F, U+007F) are invisible, print as nothing and break
partner systems' files: every text field refuses them with a Japanese message, tab and
line ends only where the field takes lines; nothing of a refused save is written."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from config.wiring import project_models
from exchange.models import ImportRecord
from notation.jis import MULTI_LINE, SINGLE_LINE, characters_outside_jis, control_characters
from registry import roles
from registry.models import Organization
from reviews.council.resources import ConsultationResource
from reviews.models import Consultation
from tests.exchange.test_bad_input import run
from tests.factories import SectionFactory, UserFactory, user_with_role

CONTROLS = [chr(n) for n in range(0x20)] + ["\x7f"]


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_a_single_line_field_refuses_every_control_character(char):
    with pytest.raises(ValidationError) as refused:
        SINGLE_LINE(f"収納{char}代行")
    assert f"U+{ord(char):04X}" in refused.value.messages[0]
    assert "制御文字" in refused.value.messages[0]


def test_a_field_that_takes_lines_allows_tab_and_line_ends_only():
    MULTI_LINE("一行目\r\n\t二行目\n")
    with pytest.raises(ValidationError):
        MULTI_LINE("一行目\n\x0b二行目")
    assert control_characters("a\x00b\x00\x1bc\x7f", lines=True) == ["\x00", "\x1b", "\x7f"]


def test_the_jis_warning_no_longer_calls_them_jis():
    assert characters_outside_jis("収納\x07代行\n") == ["\x07"]


def test_every_text_field_of_the_project_has_the_check():
    checked = 0
    for model in project_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.TextField):
                assert MULTI_LINE in field.validators, field
                checked += 1
            elif isinstance(field, models.CharField):
                assert SINGLE_LINE in field.validators, field
                checked += 1
    assert checked > 100


@pytest.fixture
def staff(db):
    return user_with_role(roles.SECTION_STAFF, SectionFactory())


def test_a_staff_form_refuses_them_in_japanese_and_saves_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("registry:organization_new"),
        {"name": "株式会社\x07ベル", "address": "", "note": ""},
    )
    assert response.status_code == 200
    assert "入力できない制御文字（U+0007）" in response.content.decode()
    assert not Organization.objects.filter(name__contains="ベル").exists()


def test_a_note_keeps_its_lines_and_tabs(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("registry:organization_new"),
        {"name": "株式会社改行", "address": "", "note": "一行目\r\n\t二行目"},
    )
    assert response.status_code == 302
    assert Organization.objects.get(name="株式会社改行").note == "一行目\n\t二行目"


@pytest.mark.usefixtures("seed")
def test_an_import_refuses_them_with_the_row_and_saves_nothing():
    superuser = UserFactory(username="root", is_staff=True, is_superuser=True)
    text = "諮問日,諮問番号,件名\r\n令和7年6月1日,９,制御\x1b文字\r\n"
    record = run(
        text.encode("cp932"), superuser, resource_class=ConsultationResource, file_format="csv"
    )
    assert record.state == ImportRecord.State.REFUSED
    assert "U+001B" in " ".join(record.messages)
    assert not Consultation.objects.filter(number=9).exists()
