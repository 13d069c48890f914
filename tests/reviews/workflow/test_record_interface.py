"""Every concrete reviewed record provides what ReviewedRecord declares, so the services,
pages and PDFs never rely on duck typing."""

import pytest
from django.apps import apps
from django.db import models

from reviews.workflow.models import ReviewedRecord

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


def test_it_finds_form_2_form_5_and_processing():
    labels = {m._meta.label for m in _reviewed_models()}
    assert {"consignments.Consignment", "linkages.Linkage", "processing.Processing"} <= labels


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
