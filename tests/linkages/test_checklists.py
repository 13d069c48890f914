"""What a linkage's protection-measure checklists lack (Linkage.checklist_problems). The
submission step refuses a linkage while anything is missing: see
test_checklist_workflow.py, which also covers the staff page, amendments and history."""

import pytest

from linkages.models import Linkage, LinkageMeasure, ProtectionMeasure
from tests.factories import LinkageFactory, LinkageMeasureFactory, ProtectionMeasureFactory


@pytest.mark.usefixtures("seed")
def test_it_finds_the_shinjuku_checklists_complete():
    for linkage in Linkage.objects.filter(business__section__department="新宿区 総務部"):
        assert linkage.checklist_problems() == []
        assert linkage.measures.count() == 32


@pytest.mark.usefixtures("seed")
def test_the_seed_holds_the_four_lists_in_the_form_order():
    lists = [(m.list_name, m.order) for m in ProtectionMeasure.objects.all()]
    assert [name for name, order in lists if order == 1] == [
        "区が行う情報保護対策【運用上の対策】",
        "区が行う情報保護対策【システム上の対策】",
        "結合先に行わせる情報保護対策【運用上の対策】",
        "結合先に行わせる情報保護対策【システム上の対策】",
    ]
    assert len(lists) == 32


@pytest.mark.usefixtures("seed")
def test_it_names_each_empty_list_of_a_linkage_without_answers():
    linkage = Linkage.objects.get(business__number="0404-01")
    assert linkage.checklist_problems() == [
        "保護措置チェックリスト「区が行う情報保護対策【運用上の対策】」が未記入です（5項目）。",
        "保護措置チェックリスト「区が行う情報保護対策【システム上の対策】」が未記入です（11項目）。",
        "保護措置チェックリスト「結合先に行わせる情報保護対策【運用上の対策】」が未記入です（5項目）。",
        "保護措置チェックリスト「結合先に行わせる情報保護対策【システム上の対策】」が未記入です（11項目）。",
    ]


@pytest.mark.usefixtures("seed")
def test_it_names_the_one_unanswered_row():
    linkage = Linkage.objects.get(partner__name="地方税共同機構")
    linkage.measures.get(
        measure__side=ProtectionMeasure.Side.PARTNER,
        measure__kind=ProtectionMeasure.Kind.TECHNICAL,
        measure__order=3,
    ).delete()
    assert linkage.checklist_problems() == [
        "保護措置チェックリスト「結合先に行わせる情報保護対策【システム上の対策】」の3"
        "「通信内容は暗号化させ、通信途上の個人情報の盗用、改ざん、成り…」"
        "に○またはーが記入されていません。"
    ]


def test_not_needed_counts_as_an_answer_and_retired_rows_are_not_asked(db):
    linkage = LinkageFactory(checklist=False)
    taken = ProtectionMeasureFactory()
    not_needed = ProtectionMeasureFactory(kind=ProtectionMeasure.Kind.TECHNICAL)
    ProtectionMeasureFactory(is_active=False)
    LinkageMeasureFactory(linkage=linkage, measure=taken)
    assert len(linkage.checklist_problems()) == 1
    LinkageMeasureFactory(
        linkage=linkage, measure=not_needed, answer=LinkageMeasure.Answer.NOT_NEEDED
    )
    assert linkage.checklist_problems() == []
