"""`manage.py loadseed` (run by every `make run`) fills an empty register and adds what is
missing, but never overwrites a row: running it again once an approved seed record has
been amended keeps the amendment (loaddata put the old version back in force)."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from consignments.models import Consignment
from linkages.models import LinkageMeasure, ProtectionMeasure
from registry import roles
from registry.models import Organization
from reviews.models import PreApprovalCategory
from reviews.workflow import services
from reviews.workflow.states import State
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "consignments": Consignment.objects.count(),
        "organizations": Organization.objects.count(),
        "measures": ProtectionMeasure.objects.count(),
        "answers": LinkageMeasure.objects.count(),
    }


def test_a_second_run_keeps_an_approved_amendment():
    call_command("loadseed", verbosity=0)
    loaded = counts()
    assert loaded["consignments"] == 10 and loaded["measures"] == 32
    old = Consignment.objects.get(business__number="0404-01", contractor_type="収納代行事業者")
    staff = user_with_role(roles.SECTION_STAFF, old.business.section)
    amendment = services.record_amend(actor=staff, record=old)
    amendment = services.record_save(
        actor=staff,
        record=amendment,
        data={"content": "・改訂後の委託内容", "effective_from": dt.date(2025, 4, 1)},
        loaded_version=amendment.lock_version,
    )
    services.record_submit(actor=staff, record=amendment)
    services.record_approve(
        actor=user_with_role(roles.REVIEWER),
        record=amendment,
        category=PreApprovalCategory.objects.get(number=17),
    )
    Organization.objects.filter(pk=1).update(note="職員が書いた備考")

    call_command("loadseed", verbosity=0)

    old.refresh_from_db()
    assert (old.state, old.effective_until) == (State.AMENDED, dt.date(2025, 3, 31))
    amendment.refresh_from_db()
    assert (amendment.state, amendment.content) == (State.APPROVED, "・改訂後の委託内容")
    in_force = Consignment.objects.in_force(dt.date(2025, 4, 1)).filter(
        business__number="0404-01", contractor_type="収納代行事業者"
    )
    assert list(in_force) == [amendment]
    assert Organization.objects.get(pk=1).note == "職員が書いた備考"
    assert counts() == loaded | {"consignments": 11}


def test_it_adds_what_is_missing_and_new_rows_get_fresh_keys():
    call_command("loadseed", verbosity=0)
    measure = ProtectionMeasure.objects.order_by("pk").last()
    pk, text = measure.pk, measure.text
    LinkageMeasure.objects.filter(measure=measure).delete()
    measure.delete()

    call_command("loadseed", verbosity=0)

    assert ProtectionMeasure.objects.filter(pk=pk, text=text).exists()
    assert counts()["answers"] == 64
    # Keys were written explicitly: the sequence moved past them.
    created = Organization.objects.create(name="新しい相手方")
    assert created.pk > max(
        Organization.objects.exclude(pk=created.pk).values_list("pk", flat=True)
    )


def test_make_run_loads_the_seed_with_loadseed():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "manage.py loadseed" in run
    assert not re.search(r"manage\.py loaddata", run)
