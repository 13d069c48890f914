"""Which records cite a section, business or organisation, found without this app
knowing those records' apps (they depend on registry, never the other way round).

The citing models (every reviewed record type) are registered by config.wiring, the
one place every extension point is filled; a register's admin page then lists the
records that name a row, directly or through one hop (a section is cited through its
businesses)."""

from dataclasses import dataclass

from django.db import models
from django.urls import NoReverseMatch, reverse

_citing_models: list[type[models.Model]] = []

#: A register's change page lists at most this many citing records.
SHOWN = 200


@dataclass
class Citation:
    record: models.Model
    kind: str
    state: str
    url: str

    def __str__(self) -> str:
        return f"{self.kind} {self.record}"


def register(model: type[models.Model]) -> None:
    if model not in _citing_models:
        _citing_models.append(model)


def _lookups(model: type[models.Model], target: type[models.Model]) -> list[str]:
    """Query paths from model to target: a relation to it, or a relation to a model
    that has one (Consignment.business → Business.section)."""
    paths = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        related = field.related_model if field.is_relation else None
        if related is None:
            continue
        if related is target:
            paths.append(field.name)
            continue
        for hop in related._meta.concrete_fields:
            if hop.is_relation and hop.many_to_one and hop.related_model is target:
                paths.append(f"{field.name}__{hop.name}")
    return paths


def _admin_url(record: models.Model) -> str:
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


def citing_records(obj: models.Model) -> list[Citation]:
    """The registered records that name obj, each with its state and admin link."""
    found = []
    for model in _citing_models:
        paths = _lookups(model, type(obj))
        if not paths:
            continue
        condition = models.Q()
        for path in paths:
            condition |= models.Q(**{path: obj})
        for record in model._default_manager.filter(condition).distinct().order_by("pk")[:SHOWN]:
            state = record.get_state_display() if hasattr(record, "get_state_display") else ""
            found.append(Citation(record, str(model._meta.verbose_name), state, _admin_url(record)))
    return found
