"""Staff, reviewer and public pages with 50,000 Form 2 records in PostgreSQL.

    DATABASE_URL=postgres://... SECRET_KEY=x .venv/bin/python benchmarks/pages.py \
        [rows [baseline rows [requests per page]]]

Targets (issue 22, "Ward scale"): the staff list, a record page, the dashboard and the
admin changelist each answer in under 100 ms alone (median, Django test client) at
10,000 rows, with a query count that does not grow with the number of rows (the public
register, its search and a later page too; the register is measured as served, its
records read once per change stamp). Each page is measured at a small baseline (500
rows) and at the full size in the same run, side by side with the ratio of the two, so
that a loaded machine slows both alike. The records come through the product's bulk
services (benchmarks/fill/register.py), a quarter of them left waiting in the reviewers'
queue. Everything is created inside one transaction that is rolled back at the end, so
the database is left as it was.
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The test client speaks plain HTTP; production settings would redirect it to HTTPS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# The measured reviewer signs in with force_login, without an authenticator app.
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from benchmarks.fill.register import Actors, fill  # noqa: E402
from consignments.models import Consignment  # noqa: E402
from registry import roles  # noqa: E402
from registry import services as registers  # noqa: E402
from registry.models import Business  # noqa: E402
from reviews.models import PreApprovalCategory  # noqa: E402
from reviews.workflow import services  # noqa: E402

# pages.py [rows [baseline rows [requests per page]]]: the suite runs it small.
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
BASELINE = int(sys.argv[2]) if len(sys.argv) > 2 else 500
RUNS = int(sys.argv[3]) if len(sys.argv) > 3 else 15
TARGET_MS = 100


class Rollback(Exception):
    pass


def measure(client: Client, url: str) -> tuple[float, int]:
    for _ in range(2):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), len(queries)


def with_history(section, staff, reviewer, category) -> int:
    """A record that went back and forth ten times: 20 workflow saves in its history."""
    record = services.record_create(
        actor=staff,
        model=Consignment,
        data={
            "business": Business.objects.filter(section=section).first(),
            "contractor_type": "往復した記録票",
            "content": "・計測用",
            "period_start": dt.date(2019, 4, 1),
            "manager": "計測課長",
            "effective_from": dt.date(2019, 4, 1),
            "categories": [category],
        },
    )
    for round_trip in range(10):
        services.record_submit(actor=staff, record=record)
        services.record_return(actor=reviewer, record=record, comment=f"差戻し{round_trip}")
    return record.pk


def pages(record_pk: int, busy_pk: int) -> list[tuple[str, str, str]]:
    return [
        ("staff list /consignments/", "staff", "/consignments/"),
        ("staff list, last page", "staff", "/consignments/?page=last"),
        ("record page /consignments/<pk>/", "staff", f"/consignments/{record_pk}/"),
        ("record page, 20 saves of history", "staff", f"/consignments/{busy_pk}/"),
        ("dashboard /", "staff", "/"),
        ("dashboard /, reviewer", "reviewer", "/"),
        ("public register /register/", "anonymous", "/register/"),
        ("public register, page 5", "anonymous", "/register/?page=5"),
        (
            "public register, search ﾍﾞﾝﾁ",
            "anonymous",
            "/register/?contractor=%EF%BE%8D%EF%BE%9E%EF%BE%9D%EF%BE%81",
        ),
        ("admin changelist", "reviewer", "/admin/consignments/consignment/"),
        (
            "admin changelist, queue filter",
            "reviewer",
            "/admin/consignments/consignment/?queue=waiting",
        ),
    ]


def run() -> bool:
    setup_test_environment()
    User = get_user_model()
    # Accounts are no records; the section and its staff are registers, and the records
    # come through the product's bulk services (benchmarks/fill/register.py).
    admin = User.objects.create(username="bench-admin", is_superuser=True)
    section = registers.section_create(
        actor=admin, data={"department": "ベンチ部", "name": "計測課", "manager_title": "計測課長"}
    )
    staff = User.objects.create(username="bench-staff")
    staff.groups.add(Group.objects.get(name=roles.SECTION_STAFF))
    registers.staff_member_create(actor=admin, data={"user": staff, "section": section})
    reviewer = User.objects.create(username="bench-reviewer", is_staff=True)
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWER))
    actors = Actors(staff=staff, reviewer=reviewer, admin=admin)
    clients = {"staff": Client(), "reviewer": Client(), "anonymous": Client()}
    clients["staff"].force_login(staff)
    clients["reviewer"].force_login(reviewer)

    results: dict[str, dict[int, tuple[float, int]]] = {}
    busy_pk = None
    for size in (BASELINE, ROWS):
        started = time.perf_counter()
        # A quarter waits in the reviewers' queue, the rest is the register.
        fill(size, actors, waiting_every=4)
        print(f"{size:>6} rows loaded in {time.perf_counter() - started:.1f} s")
        record_pk = Consignment.objects.filter(business__section=section).order_by("pk").first().pk
        if busy_pk is None:
            category = PreApprovalCategory.objects.get(chapter=3, number=17)
            busy_pk = with_history(section, staff, reviewer, category)
        for name, who, url in pages(record_pk, busy_pk):
            results.setdefault(name, {})[size] = measure(clients[who], url)

    ok = True
    print()
    print(
        f"{'page':<36}{'ms':>9}{'q':>4}{'ms':>9}{'q':>4}{'ratio':>7}  "
        f"verdict at {ROWS} rows (target < {TARGET_MS} ms, same queries)"
    )
    print(f"{'':<36}{f'{BASELINE} rows':>13}{f'{ROWS} rows':>13}")
    for name, by_size in results.items():
        (base_ms, base_q), (full_ms, full_q) = by_size[BASELINE], by_size[ROWS]
        ok &= full_ms < TARGET_MS and full_q == base_q
        problems = [
            *(["TOO SLOW"] if full_ms >= TARGET_MS else []),
            *(["QUERIES GROW"] if full_q != base_q else []),
        ]
        verdict = " / ".join(problems) or "ok"
        print(
            f"{name:<36}{base_ms:>9.1f}{base_q:>4}{full_ms:>9.1f}{full_q:>4}"
            f"{full_ms / base_ms:>7.2f}  {verdict}"
        )
    load = " / ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"\nmedian of {RUNS} requests each; load average {load} (1 / 5 / 15 min)")
    met = "met" if ok else "NOT met"
    print(f"target < {TARGET_MS} ms with equal query counts at {ROWS} rows: {met}")
    return ok


def main() -> int:
    ok = False
    try:
        with transaction.atomic():
            ok = run()
            raise Rollback
    except Rollback:
        pass
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
