"""A draft, a record under review, a returned record and a superseded or retired version
print with their mark on every page; the approved version in force prints clean."""

import datetime as dt

import pytest

from consignments.models import Consignment
from consignments.pdf import FORM2
from linkages.models import Linkage
from linkages.pdf import FORM5
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, LinkageFactory
from tests.pdf_text import page_texts, squeeze

pytestmark = pytest.mark.django_db

MARKS = ("下書き", "審査中", "差戻し", "旧版", "廃止")


@pytest.mark.parametrize(
    ("state", "until", "mark"),
    [
        (State.DRAFT, None, "下書き"),
        (State.SUBMITTED, None, "審査中"),
        (State.RESUBMITTED, None, "審査中"),
        (State.RETURNED, None, "差戻し"),
        (State.AMENDED, dt.date(2024, 3, 31), "旧版（令和6年3月31日まで）"),
        (State.RETIRED, dt.date(2025, 3, 31), "廃止（令和7年3月31日まで）"),
    ],
)
def test_a_record_not_in_force_as_approved_carries_its_mark(state, until, mark):
    record = ConsignmentFactory(state=state, effective_until=until)
    assert record.print_mark() == mark
    pdf = FORM2.render([Consignment.objects.with_form_data().get(pk=record.pk)])
    assert all(mark in squeeze(text) for text in page_texts(pdf.content))


def test_the_approved_version_prints_clean():
    record = LinkageFactory(state=State.APPROVED)
    pdf = FORM5.render([Linkage.objects.with_form_data().get(pk=record.pk)])
    assert not any(mark in squeeze(text) for text in page_texts(pdf.content) for mark in MARKS)


def test_each_form_of_a_batch_carries_its_own_mark():
    draft = LinkageFactory(state=State.DRAFT)
    approved = LinkageFactory(state=State.APPROVED)
    records = Linkage.objects.with_form_data().filter(pk__in=[draft.pk, approved.pk])
    texts = [squeeze(t) for t in page_texts(FORM5.render(records.order_by("pk")).content)]
    assert "下書き" in texts[0]
    assert not any(mark in texts[1] for mark in MARKS)
