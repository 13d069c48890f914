"""A ward-size register for the benchmarks: approved Form 2 records, and one approved
Form 5 record for every ten, written as a ward would load them, through the product's
bulk services (registry.services.register_save_many for businesses and contractors,
reviews.workflow.services.record_create_many, records_submit_many, records_approve_many):
each record with its lists, 作成・提出・承認 transitions, history and approved content.

    DATABASE_URL=postgres://... SECRET_KEY=x .venv/bin/python benchmarks/fill/register.py \
        --records N [--staff shuno --reviewer shinsa --admin admin]

As a script (benchmarks/load.py runs it against its throw-away database) it adds records
to the staff user's section until it holds N of them; benchmarks/pages.py imports fill().
"""

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from consignments.models import Consignment, RecordKind  # noqa: E402
from linkages.models import Linkage, LinkageMeasure, ProtectionMeasure  # noqa: E402
from registry import services as registers  # noqa: E402
from registry.models import Business, Organization, Section  # noqa: E402
from reviews.models import PreApprovalCategory  # noqa: E402
from reviews.workflow import services  # noqa: E402
from reviews.workflow.services import RecordData  # noqa: E402

PER_BUSINESS = 100
FORM5_EVERY = 10
# Written and approved this many at a time: each batch one transaction per step.
BATCH = 2000
# The benchmark's businesses are numbered from here (the seed's stay below 7000), a
# hundred numbers apart for each section, so two benchmarks' sections never share one.
FIRST_NUMBER = 7000
BUSINESS_NAME = "計測業務"


@dataclass
class Actors:
    staff: object  # section staff of the section that gets the records
    reviewer: object
    admin: object  # may add businesses and contractors


def _section(actors: Actors) -> Section:
    return actors.staff.staff_member.section


def _bench_records(model, section: Section):
    return model.objects.filter(business__section=section, business__name__startswith=BUSINESS_NAME)


def _businesses(actors: Actors, section: Section, count: int) -> list[Business]:
    """The section's benchmark businesses with their contractors, the missing ones added."""
    first = FIRST_NUMBER + 100 * (section.pk % 20)
    numbers = [f"{first + n // 100:04d}-{n % 100:02d}" for n in range(count)]
    existing = set(Business.objects.filter(number__in=numbers).values_list("number", flat=True))
    registers.register_save_many(
        actor=actors.admin,
        model=Business,
        rows=[
            (None, {"number": number, "name": f"{BUSINESS_NAME}{n}", "section": section})
            for n, number in enumerate(numbers)
            if number not in existing
        ],
    )
    names = [f"株式会社ベンチ{n}" for n in range(count)]
    existing = set(Organization.objects.filter(name__in=names).values_list("name", flat=True))
    registers.register_save_many(
        actor=actors.admin,
        model=Organization,
        rows=[
            (None, {"name": name, "address": f"東京都練馬区豊玉北{n}-1"})
            for n, name in enumerate(names)
            if name not in existing
        ],
    )
    by_number = {b.number: b for b in Business.objects.filter(number__in=numbers)}
    return [by_number[number] for number in numbers]


def _approve(actors: Actors, model, entries: list[RecordData], category, waiting_every) -> None:
    for start in range(0, len(entries), BATCH):
        records = services.record_create_many(
            actor=actors.staff, model=model, entries=entries[start : start + BATCH]
        )
        ids = [record.pk for record in records]
        services.records_submit_many(actor=actors.staff, model=model, record_ids=ids)
        waiting = set(ids[::waiting_every]) if waiting_every else set()
        services.records_approve_many(
            actor=actors.reviewer,
            model=model,
            record_ids=[pk for pk in ids if pk not in waiting],
            category=category,
        )


def fill(total: int, actors: Actors, waiting_every: int = 0) -> int:
    """Add approved records to the staff user's section until it holds `total` Form 2
    records of the benchmark's (and a tenth as many Form 5 records); returns how many
    Form 2 records it added. waiting_every=n leaves every n-th record submitted, waiting
    in the reviewers' queue, instead of approved."""
    section = _section(actors)
    have = _bench_records(Consignment, section).count()
    have_form5 = _bench_records(Linkage, section).count()
    if total <= have:
        return 0
    businesses = _businesses(actors, section, -(-total // PER_BUSINESS))
    contractors = {
        o.name: o for o in Organization.objects.filter(name__startswith="株式会社ベンチ")
    }
    category, _ = PreApprovalCategory.objects.get_or_create(
        chapter=3, number=17, defaults={"rule": "計測用"}
    )
    kinds = list(RecordKind.objects.filter(code__in=["family", "economic"]))

    def contractor(n: int) -> Organization:
        return contractors[f"株式会社ベンチ{n // PER_BUSINESS}"]

    form2 = [
        RecordData(
            {
                "business": businesses[n // PER_BUSINESS],
                "contractor_type": f"委託先業種{n % PER_BUSINESS}",
                "content": "・納付結果情報を取りまとめ、区に送信する。",
                "period_kind": Consignment.PeriodKind.ONGOING,
                "period_start": dt.date(2019, 4, 1) + dt.timedelta(days=n % 365),
                "manager": f"{section.name}長",
                "effective_from": dt.date(2019, 4, 1) + dt.timedelta(days=n % 365),
                "record_kinds": kinds,
                "contractors": [contractor(n)],
                # Cited from the start, as the pre-approval category it is approved on.
                "categories": [category],
            }
        )
        for n in range(have, total)
    ]
    _approve(actors, Consignment, form2, category, waiting_every)
    measures = list(ProtectionMeasure.objects.filter(is_active=True))
    form5 = [
        RecordData(
            {
                "business": businesses[n * FORM5_EVERY // PER_BUSINESS],
                "purpose": "・納付書情報を結合先に送信する。",
                "linked_on": dt.date(2020, 1, 1),
                "partner": contractor(n * FORM5_EVERY),
                "manager": f"{section.name}長",
                "effective_from": dt.date(2020, 1, 1),
            },
            # A complete checklist, as a section submits it.
            {"measures": [{"measure": m, "answer": LinkageMeasure.Answer.TAKEN} for m in measures]},
        )
        for n in range(have_form5, total // FORM5_EVERY)
    ]
    _approve(actors, Linkage, form5, category, waiting_every)
    connection.cursor().execute("ANALYZE")
    return len(form2)


def main() -> None:
    from django.contrib.auth import get_user_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, required=True)
    parser.add_argument("--staff", default="shuno")
    parser.add_argument("--reviewer", default="shinsa")
    parser.add_argument("--admin", default="admin")
    args = parser.parse_args()
    users = get_user_model().objects
    actors = Actors(
        staff=users.get(username=args.staff),
        reviewer=users.get(username=args.reviewer),
        admin=users.get(username=args.admin),
    )
    started = time.perf_counter()
    added = fill(args.records, actors)
    print(f"{added} Form 2 records added in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
