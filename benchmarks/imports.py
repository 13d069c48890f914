"""Import 10,000 Form 2 rows from XLSX, against bulk_create of the same records; then
export them again as the task worker does (issue 22: under 10 s, a constant number of
queries per chunk of rows).

    DATABASE_URL=postgres://... SECRET_KEY=x .venv/bin/python benchmarks/imports.py [rows]

Targets (issue 6): the import under 60 s on this machine and within 5x of bulk_create,
both measured here in the same run. The import also writes the audit trail of every new
draft (a 作成 transition and a history snapshot with its lists); the baseline does not. Everything is created inside one transaction that
is rolled back at the end, so the database is left as it was.
"""

import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import openpyxl  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from consignments.models import Condition, Consignment, RecordKind, TransferForm  # noqa: E402
from consignments.resources import ConsignmentResource  # noqa: E402
from exchange.models import ExportRecord, ImportRecord  # noqa: E402
from exchange.runs import importrecord_run  # noqa: E402
from exchange.services import exportrecord_create, importrecord_create  # noqa: E402
from exchange.writing import exportrecord_run  # noqa: E402
from notation import wareki  # noqa: E402
from registry.models import Business, Organization, Section  # noqa: E402
from reviews.models import Consultation, PreApprovalCategory, Transition  # noqa: E402

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
PER_BUSINESS = 100
EXPORT_TARGET_SECONDS = 10


class Rollback(Exception):
    pass


def reference_data():
    section = Section.objects.create(department="ベンチ部", name="計測課", manager_title="計測課長")
    businesses = Business.objects.bulk_create(
        Business(number=f"{9000 + n // 100:04d}-{n % 100:02d}", name=f"業務{n}", section=section)
        for n in range(ROWS // PER_BUSINESS + 1)
    )
    organization = Organization.objects.create(name="株式会社ベンチ", address="東京都練馬区1-1")
    consultation = Consultation.objects.create(
        fiscal_year=2018, number=999, consulted_on=dt.date(2019, 1, 29)
    )
    category, _ = PreApprovalCategory.objects.get_or_create(
        chapter=3, number=99, defaults={"rule": "計測用"}
    )
    return businesses, organization, consultation, category


def row_values(n: int, businesses, organization, consultation, category) -> dict:
    start = dt.date(2019, 4, 1) + dt.timedelta(days=n % 365)
    return {
        "business": businesses[n // PER_BUSINESS],
        "contractor_type": f"委託先業種{n % PER_BUSINESS}",
        "content": "・納付結果情報を取りまとめ、区に送信する。",
        "period_start": start,
        "manager": "計測課長",
        "effective_from": start,
        "record_kinds": ["family", "economic"],
        "conditions": ["confidentiality", "purpose_limit", "no_subcontract"],
        "transfer_forms": ["computer"],
        "organization": organization,
        "consultation": consultation,
        "category": category,
    }


def workbook(values: list[dict]) -> bytes:
    resource = ConsignmentResource()
    headers = [field.column_name for field in resource.get_export_fields()]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(headers)
    for v in values:
        ticked = set(v["record_kinds"] + v["conditions"] + v["transfer_forms"])
        cells = {
            "業務登録番号": v["business"].number,
            "委託先業種": v["contractor_type"],
            "委託先": v["organization"].name,
            "委託内容": v["content"],
            "委託期間の種類": "以降継続",
            "委託期間（開始）": wareki.format_date(v["period_start"]),
            "審議会事項（諮問）": str(v["consultation"]),
            "審議会事項（事前一括承認基準）": f"{v['category'].chapter}-{v['category'].number}",
            "個人情報保護管理責任者": v["manager"],
            "効力発生日": wareki.format_date(v["effective_from"]),
        }
        row = []
        for field in resource.get_export_fields():
            code = getattr(field, "code", None)
            if code is not None:
                row.append("■" if code in ticked else "□")
            else:
                row.append(cells.get(field.column_name, ""))
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bulk_create(values: list[dict]) -> None:
    """The baseline: the same records and relations written with bulk_create."""
    records = Consignment.objects.bulk_create(
        Consignment(
            business=v["business"],
            contractor_type=v["contractor_type"],
            content=v["content"],
            period_kind=Consignment.PeriodKind.ONGOING,
            period_start=v["period_start"],
            manager=v["manager"],
            effective_from=v["effective_from"],
        )
        for v in values
    )
    through = Consignment.record_kinds.through
    through.objects.bulk_create(
        through(consignment=r, recordkind_id=code)
        for r, v in zip(records, values, strict=True)
        for code in v["record_kinds"]
    )
    through = Consignment.conditions.through
    through.objects.bulk_create(
        through(consignment=r, condition_id=code)
        for r, v in zip(records, values, strict=True)
        for code in v["conditions"]
    )
    through = Consignment.transfer_forms.through
    through.objects.bulk_create(
        through(consignment=r, transferform_id=code)
        for r, v in zip(records, values, strict=True)
        for code in v["transfer_forms"]
    )
    for relation, key in (
        (Consignment.contractors, "organization"),
        (Consignment.consultations, "consultation"),
        (Consignment.categories, "category"),
    ):
        through = relation.through
        target = relation.rel.model._meta.model_name
        through.objects.bulk_create(
            through(consignment=r, **{target: v[key]}) for r, v in zip(records, values, strict=True)
        )


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main() -> None:
    assert (
        RecordKind.objects.exists() and Condition.objects.exists() and TransferForm.objects.exists()
    )
    user = get_user_model().objects.filter(is_superuser=True).first()
    print(f"database: {connection.vendor} {settings.DATABASES['default'].get('NAME')}")
    try:
        with transaction.atomic():
            if user is None:
                user = get_user_model().objects.create(username="benchmark", is_superuser=True)
            refs = reference_data()
            values = [row_values(n, *refs) for n in range(ROWS)]
            data = workbook(values)
            print(f"rows: {ROWS:,}  workbook: {len(data) / 1024 / 1024:.1f} MB")

            baseline = None
            with transaction.atomic():
                baseline = timed(lambda: bulk_create(values))
                assert (
                    Consignment.objects.filter(business__section=refs[0][0].section).count() == ROWS
                )
                transaction.set_rollback(True)

            record = importrecord_create(
                actor=user,
                resource_class=ConsignmentResource,
                register="外部委託記録票",
                file_name="benchmark.xlsx",
                file_format="xlsx",
                data=data,
                state=ImportRecord.State.QUEUED,
                total_rows=0,
            )
            imported = timed(lambda: importrecord_run(record=record, dry_run=False))
            assert record.state == ImportRecord.State.DONE, record.messages[:5]
            assert record.counts == {"new": ROWS}, record.counts
            sample = Consignment.objects.with_form_data().get(
                business=refs[0][0], contractor_type="委託先業種1"
            )
            assert {k.pk for k in sample.record_kinds.all()} == {"family", "economic"}
            assert [str(c) for c in sample.categories.all()] == ["事前一括承認基準(３‐９９)"]
            # The audit trail the import writes for every new draft (issue: import guard).
            created = Consignment.objects.filter(business__section=refs[0][0].section)
            assert set(created.values_list("state", flat=True)) == {"draft"}
            ids = list(created.values_list("pk", flat=True))
            assert Transition.objects.filter(object_id__in=ids, action="create").count() == ROWS
            assert Consignment.history.filter(id__in=ids, history_type="+").count() == ROWS
            snapshot = sample.history.get()
            assert {k.recordkind_id for k in snapshot.record_kinds.all()} == {"family", "economic"}

            export = exportrecord_create(
                actor=user,
                resource_class=ConsignmentResource,
                register="外部委託記録票",
                file_name="benchmark.xlsx",
                file_format="xlsx",
                record_ids=ids,
            )
            with CaptureQueriesContext(connection) as queries:
                cpu_started = time.process_time()
                exported = timed(lambda: exportrecord_run(record=export))
                exported_cpu = time.process_time() - cpu_started
            assert export.state == ExportRecord.State.DONE, export.error
            assert export.total_rows == ROWS, export.total_rows
            export_size = export.file.size
            export.file.delete(save=False)  # the rollback below does not remove files

            print(f"bulk_create (baseline): {baseline:8.2f} s")
            print(f"XLSX import:            {imported:8.2f} s")
            print(
                f"ratio import/bulk:      {imported / baseline:8.2f} x  (target < 5 x, import < 60 s)"
            )
            print(
                f"XLSX export (worker):   {exported:8.2f} s  (target < {EXPORT_TARGET_SECONDS} s;"
                f" {len(queries)} queries, {export_size / 1024 / 1024:.1f} MB)"
            )
            # On a shared machine the wall time follows the load; the CPU time does not.
            print(
                f"XLSX export CPU time:   {exported_cpu:8.2f} s  (this process;"
                f" load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores)"
            )
            raise Rollback
    except Rollback:
        pass
    if exported >= EXPORT_TARGET_SECONDS:
        print("TOO SLOW: the export")
        sys.exit(1)


if __name__ == "__main__":
    main()
