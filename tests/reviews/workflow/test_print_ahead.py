"""Print ahead: once a version is approved (one by one, in bulk, or corrected), the task
worker renders and stores its PDF after every interactive task, so that the first print
of it reads a file instead of rendering one."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from consignments.models import Consignment
from consignments.pdf import FORM2
from exchange.tasks import run_export
from printing import kinds
from printing.models import StoredPdf
from printing.tasks import pdfs_store
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import (
    BusinessFactory,
    ConsignmentFactory,
    OrganizationFactory,
    PreApprovalCategoryFactory,
)

pytestmark = pytest.mark.django_db


def submitted(section, staff, count: int) -> list[Consignment]:
    business = BusinessFactory(section=section)
    records = ConsignmentFactory.create_batch(count, business=business, state=State.DRAFT)
    for record in records:
        record.contractors.set([OrganizationFactory()])
    services.records_submit_many(actor=staff, model=Consignment, record_ids=[r.pk for r in records])
    return records


def queued_print_ahead() -> list[list[int]]:
    # Sorted: the tasks' ids are random and their queueing times may be equal.
    return sorted(
        task.args_kwargs["args"][1]
        for task in DBTaskResult.objects.filter(task_path=pdfs_store.module_path)
    )


def load(record) -> Consignment:
    return Consignment.objects.with_form_data().get(pk=record.pk)


def test_an_approved_record_is_printed_ahead_and_its_first_print_reads_the_file(
    section, staff, reviewer, task_worker, django_capture_on_commit_callbacks, monkeypatch
):
    [record] = submitted(section, staff, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_approve(
            actor=reviewer, record=load(record), category=PreApprovalCategoryFactory()
        )
    assert queued_print_ahead() == [[record.pk]]
    assert not StoredPdf.objects.exists()  # nothing rendered in the reviewer's request
    task_worker()
    stored = StoredPdf.objects.get(kind=FORM2.name, record_id=record.pk)
    monkeypatch.setattr(kinds, "render_each", None)  # any render would now fail
    assert FORM2.render([load(record)]).content == bytes(stored.content)


def test_a_bulk_approval_is_printed_ahead_in_chunks(
    section, staff, reviewer, settings, task_worker, django_capture_on_commit_callbacks
):
    settings.PRINT_CHUNK_SIZE = 2
    records = submitted(section, staff, 3)
    ids = sorted(r.pk for r in records)
    with django_capture_on_commit_callbacks(execute=True):
        services.records_approve_many(
            actor=reviewer,
            model=Consignment,
            record_ids=ids,
            category=PreApprovalCategoryFactory(),
        )
    assert queued_print_ahead() == [ids[:2], ids[2:]]
    task_worker()
    assert set(StoredPdf.objects.values_list("record_id", flat=True)) == set(ids)


def test_a_correction_prints_the_corrected_version_ahead(
    reviewer, task_worker, django_capture_on_commit_callbacks
):
    record = ConsignmentFactory()
    FORM2.render([load(record)])
    before = StoredPdf.objects.get().key
    with django_capture_on_commit_callbacks(execute=True):
        services.record_correct(
            actor=reviewer, record=load(record), changes={"manager": "収納担当課長"}, reason="誤記"
        )
    task_worker()
    assert StoredPdf.objects.get().key != before
    assert StoredPdf.objects.get().key == FORM2.stored_keys([load(record)])[record.pk]


class Rollback(Exception):
    pass


def test_a_rolled_back_approval_queues_nothing(
    section, staff, reviewer, django_capture_on_commit_callbacks
):
    [record] = submitted(section, staff, 1)
    category = PreApprovalCategoryFactory()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        services.records_approve_many(
            actor=reviewer, model=Consignment, record_ids=[record.pk], category=category
        )
        raise Rollback
    assert queued_print_ahead() == []


def test_storing_renders_only_final_versions_without_a_file():
    approved = ConsignmentFactory()
    draft = ConsignmentFactory(state=State.DRAFT)
    assert FORM2.store([load(approved), load(draft)]) == 1
    assert FORM2.store([load(approved), load(draft)]) == 0
    assert list(StoredPdf.objects.values_list("record_id", flat=True)) == [approved.pk]


def test_interactive_tasks_run_before_printing_ahead():
    assert pdfs_store.priority < run_export.priority
