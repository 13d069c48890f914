"""Every kind of tagged PDF the product serves passes the `pdfua` validator (the
machine-checkable subset of PDF/UA-1, built on pikepdf): one file of each kind, and the
public list of incidents, rendered once for the module, with no finding and no rule left
unchecked."""

import datetime as dt
from pathlib import Path

import pikepdf
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pdfua import validate
from pdfua.document import as_integer
from pdfua.rules import structure

from printing import kinds
from printing.render import render_each
from reviews.workflow.states import State
from tests.factories import (
    AskedSectionFactory,
    ConsignmentFactory,
    DecisionFactory,
    DisclosureRequestFactory,
    IncidentFactory,
)
from tests.pdf_text import marked_outside_the_tree, undeclared_xmp_schemas

pytestmark = pytest.mark.usefixtures("seed")

# Findings the validator gets wrong for these files, by rule id, each with the reason.
# Empty: every finding it made was a fault of the files, and was fixed.
FALSE_POSITIVES: dict[str, str] = {}

# An incident report changes until the incident is closed: never final, never tagged.
UNTAGGED_KINDS = {"incident"}


def _retired_consignment():
    """A version whose validity ended: the red mark in the page margin."""
    return ConsignmentFactory(
        state=State.RETIRED,
        effective_from=dt.date(2019, 4, 1),
        effective_until=dt.date(2024, 3, 31),
    )


def _partial_decision():
    """A partial disclosure: the notice with every section it can have."""
    return DecisionFactory(
        asked=AskedSectionFactory(request=DisclosureRequestFactory()),
        outcome="partial",
        categories=["2"],
        reasons="同居人の氏名",
    )


def _extended_request():
    return DisclosureRequestFactory(
        extension_days=30,
        extension_reason="請求に係る保有個人情報の検索に時間を要するため",
        extension_notified_on=dt.date(2026, 6, 25),
    )


# The record each kind is printed for: the seed's first, or one made here where the seed
# has none or misses what a sheet can show.
RECORDS = {
    "agenda": None,
    "answer": None,
    "disclosure_decision": _partial_decision,
    "disclosure_extension": _extended_request,
    "filebook": None,
    "form2": None,
    "form2_retired": _retired_consignment,
    "form5": None,
    "processing": None,
    "report": None,
}


def _public_incidents() -> bytes:
    """The public register's list of published incidents, as it serves it."""
    IncidentFactory(
        discovered_on=dt.date(2025, 5, 1),
        sensitive=True,
        public_summary="区民1名宛の通知を別の区民に誤送付した。",
        released_on=dt.date(2025, 5, 10),
    )
    return Client().get(reverse("incidents_public:pdf")).content


# Tagged files served outside the printable kinds, by the view that serves them.
PAGES = {"incidents_public": _public_incidents}


def _kind(name: str) -> kinds.PrintableKind:
    return kinds.get(name.removesuffix("_retired"))


def _tagged(kind: kinds.PrintableKind, record) -> bytes:
    """The file a final version of `record` is kept and served as: what
    PrintableKind.pdfs renders for one, without the store."""
    return render_each(
        kind.template_name, list(kind.forms([record])), titles=[kind.title(record)], tagged=[True]
    )[0].content


def _as_integer(value: object) -> int | None:
    """pdfua 0.1.3 asks every /K whether it is an integer with getattr(value,
    "is_integer", False), which a pikepdf.Array answers with ValueError (pikepdf >= 10,
    not AttributeError): its empty-heading rule (UA-14-001) then ends on the first
    heading with an array of kids and is reported as skipped. An array is no integer."""
    return None if isinstance(value, pikepdf.Array) else as_integer(value)


@pytest.fixture(scope="module")
def tagged_files(_seed_committed, django_db_blocker, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tagged")
    files = {}
    # The records made here are rolled back before any test runs.
    with django_db_blocker.unblock(), transaction.atomic():
        for name, make in RECORDS.items():
            kind = _kind(name)
            record = make() if make else kind.records().first()
            record = kind.records(ids=[record.pk]).get()
            files[name] = folder / f"{name}.pdf"
            files[name].write_bytes(_tagged(kind, record))
        for name, serve in PAGES.items():
            files[name] = folder / f"{name}.pdf"
            files[name].write_bytes(serve())
        transaction.set_rollback(True)
    return files


@pytest.fixture(scope="module")
def reports(tagged_files):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(structure, "as_integer", _as_integer)
        return {name: validate(str(path)) for name, path in tagged_files.items()}


def test_every_tagged_kind_is_checked():
    assert {_kind(name).name for name in RECORDS} == set(kinds.names()) - UNTAGGED_KINDS


@pytest.mark.parametrize("name", [*RECORDS, *PAGES])
def test_every_mark_is_in_the_tree_or_an_artifact_and_every_xmp_schema_declared(tagged_files, name):
    """What the validator leaves out: it checks that text is marked, not that the marks
    are in the structure tree; and PDF/A's rule on XMP schemas."""
    pdf = pikepdf.open(tagged_files[name])
    assert marked_outside_the_tree(pdf) == []
    assert undeclared_xmp_schemas(pdf) == set()


@pytest.mark.parametrize("name", [*RECORDS, *PAGES])
def test_the_validator_finds_nothing(reports, name):
    report = reports[name]
    assert not report.skipped, [(o.rule_id, o.skipped_reason) for o in report.skipped]
    findings = [
        (f.rule_id, f.severity.name, f.location.describe(), f.message)
        for f in report.findings
        if f.rule_id not in FALSE_POSITIVES
    ]
    assert findings == []
