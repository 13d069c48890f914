"""Background work of the spreadsheet exchange, run by `manage.py worker`."""

from django_tasks import task

from exchange.models import ExportRecord, ImportRecord
from exchange.runs import importrecord_run
from exchange.writing import exportrecord_run


@task()
def run_import(record_id: int, dry_run: bool) -> str:
    """Check or import one uploaded spreadsheet; the outcome is kept on its record."""
    record = ImportRecord.objects.select_related("user").get(pk=record_id)
    importrecord_run(record=record, dry_run=dry_run)
    return record.state


@task()
def run_export(record_id: int) -> str:
    """Write one large export's file; the browser's progress page offers it when done."""
    record = ExportRecord.objects.select_related("user").get(pk=record_id)
    exportrecord_run(record=record)
    return record.state
