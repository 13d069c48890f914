"""The seed holds the drafts of its two 業務's files, as the proposal service builds them
from the seed's records (not from a source document), and loadseed adds them once."""

import pytest
from django.core.management import call_command

from filebook.models import PersonalInfoFile
from filebook.proposals import propose
from registry.models import Business
from reviews.workflow.states import State


@pytest.mark.usefixtures("seed")
@pytest.mark.parametrize("number", ["0404-01", "0404-02"])
def test_the_seed_drafts_are_what_the_proposal_service_builds(number):
    """fixtures/filebook.json must follow the seed: regenerate it from propose() when
    the seed's records change."""
    business = Business.objects.get(number=number)
    draft = PersonalInfoFile.objects.get(business=business)
    assert (draft.state, draft.built_from_register) == (State.DRAFT, True)
    for name, value in propose(business).data.items():
        assert getattr(draft, name) == value, name


@pytest.mark.usefixtures("seed")
def test_the_seed_drafts_list_every_linkage_item_and_the_card_number():
    draft = PersonalInfoFile.objects.get(business__number="0404-01")
    assert draft.record_item_names[:3] == ["税目", "納付書番号", "確認番号"]
    assert "クレジットカード番号" in draft.record_item_names
    assert draft.recipient_names == ["株式会社エヌ・ティ・ティ・データ"]
    assert draft.file_kind == PersonalInfoFile.FileKind.COMPUTER


@pytest.mark.django_db
def test_loadseed_adds_the_drafts_once_and_keeps_a_changed_one():
    call_command("loadseed", verbosity=0)
    PersonalInfoFile.objects.filter(business__number="0404-01").update(
        collection_method="本人からの申告"
    )
    call_command("loadseed", verbosity=0)
    assert PersonalInfoFile.objects.count() == 2
    assert PersonalInfoFile.objects.get(business__number="0404-01").collection_method == (
        "本人からの申告"
    )
