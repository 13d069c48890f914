"""Every concrete reviewed record provides the record-type contract
(reviews.workflow.contract), so the services, pages and PDFs never rely on duck typing."""

import inspect

import pytest
from django.apps import apps
from django.db import models

from registry.models import Business, Section
from reviews.workflow.contract import (
    CommitteeRecord,
    PrintableRecord,
    PublicRecord,
    RecordType,
    WorkflowRecord,
)
from reviews.workflow.models import ReviewedRecord

PARTS = (WorkflowRecord, PrintableRecord, PublicRecord, CommitteeRecord)

REQUIRED_METHODS = (
    "cited_consultation_ids",
    "submit_problems",
    "form_values",
    "printed_content",
    "cite_basis",
    "basis_problems",
)


def _reviewed_models() -> list[type[ReviewedRecord]]:
    return [m for m in apps.get_models() if issubclass(m, ReviewedRecord)]


def _members(protocol: type) -> dict[str, object]:
    """A protocol's own members: data (None), properties and methods, by name."""
    members: dict[str, object] = dict.fromkeys(inspect.get_annotations(protocol))
    for name, value in vars(protocol).items():
        if not name.startswith("_") and (inspect.isfunction(value) or isinstance(value, property)):
            members[name] = value
    return members


def _shape(function, *, options: bool) -> list[tuple[str, object, bool]]:
    """The parameters by name, kind and whether they are required. Where the contract
    takes `**options`, a type may name its options instead (keyword, with defaults)."""
    parameters = list(inspect.signature(function).parameters.values())
    if options:
        parameters = [
            p
            for p in parameters
            if p.kind is not p.VAR_KEYWORD and (p.default is p.empty or p.kind is p.POSITIONAL_ONLY)
        ]
    return [(p.name, p.kind, p.default is p.empty) for p in parameters]


def contract_problems(cls: type) -> list[str]:
    """Where cls does not provide a member of the contract, or with another signature."""
    problems = []
    for protocol in PARTS:
        for name, member in _members(protocol).items():
            if not hasattr(cls, name):
                problems.append(f"{protocol.__name__}.{name} is missing")
            elif isinstance(member, property):
                if not isinstance(inspect.getattr_static(cls, name), property):
                    problems.append(f"{protocol.__name__}.{name} is not a property")
            elif member is not None:
                options = any(
                    p.kind is p.VAR_KEYWORD for p in inspect.signature(member).parameters.values()
                )
                if _shape(member, options=options) != _shape(getattr(cls, name), options=options):
                    problems.append(f"{protocol.__name__}.{name} has another signature")
    return problems


def test_it_finds_every_record_type():
    labels = {m._meta.label for m in _reviewed_models()}
    assert {
        "consignments.Consignment",
        "linkages.Linkage",
        "processing.Processing",
        "filebook.PersonalInfoFile",
    } <= labels


def test_the_record_type_is_its_parts():
    assert set(_members(RecordType)) == set()
    assert set(RecordType.__mro__) >= set(PARTS)


@pytest.mark.parametrize("model", _reviewed_models(), ids=lambda m: m._meta.label)
def test_it_satisfies_the_contract(model):
    assert contract_problems(model) == []
    section = Section(department="区民部", name="税務課")
    record = model(business=Business(number="0101-01", name="住民税", section=section))
    for protocol in (*PARTS, RecordType):
        assert isinstance(record, protocol), protocol.__name__


def test_the_check_sees_a_missing_method_and_a_renamed_parameter():
    class Renamed(ReviewedRecord):
        class Meta:
            abstract = True

        def cite_basis(self, *, category, answer) -> None:
            """The consultation renamed: callers passing consultation= would fail."""

    assert contract_problems(Renamed) == [
        "WorkflowRecord.business is missing",  # each type declares its own
        "WorkflowRecord.cite_basis has another signature",
    ]
    assert "PrintableRecord.print_mark is missing" in contract_problems(object)


@pytest.mark.parametrize("model", _reviewed_models(), ids=lambda m: m._meta.label)
def test_it_implements_the_interface(model):
    for name in REQUIRED_METHODS:
        assert getattr(model, name) is not getattr(ReviewedRecord, name), name
    assert model.correctable_fields, "a correction must be able to change something"
    for name in model.correctable_fields:
        assert model._meta.get_field(name).editable, name
    business = model._meta.get_field("business")
    assert isinstance(business, models.ForeignKey)
    assert business.related_model._meta.label == "registry.Business"
    for name in model.child_lists:
        relation = model._meta.get_field(name)
        assert (
            relation.one_to_many
            and relation.related_model._meta.get_field(relation.field.name).remote_field.model
            is model
        )


@pytest.mark.parametrize(
    "model", [m for m in _reviewed_models() if m.agenda_kind], ids=lambda m: m._meta.label
)
def test_a_record_the_committee_sees_prints_its_annex(model):
    from django.template.loader import get_template

    from reviews.committee.models import AgendaItem

    assert model.agenda_kind in AgendaItem.Kind.values
    assert model.agenda_annex is not ReviewedRecord.agenda_annex
    assert model.agenda_checklists is not ReviewedRecord.agenda_checklists
    get_template(model.agenda_annex_template)


def test_the_committee_sees_processing_and_linkages():
    kinds = {m._meta.label: m.agenda_kind for m in _reviewed_models() if m.agenda_kind}
    assert kinds == {"processing.Processing": "processing", "linkages.Linkage": "linkage"}
