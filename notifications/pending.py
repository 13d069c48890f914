"""What waits for one user, for the dashboard: reviewers see the records waiting for
review, section staff their section's returned records and the 附帯意見 it has to meet
(overdue first), clerks every overdue 附帯意見. Read from the records themselves, so the
list is right whether or not a mail went out."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notation import wareki
from registry import roles
from registry.access import has_role, is_clerk, section_id_of
from reviews.council.models import Obligation
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.states import State

SHOWN = 20


@dataclass(frozen=True)
class PendingItem:
    kind: str
    label: str
    url: str
    note: str = ""
    overdue: bool = False


# Apps above notifications add what waits in them (incidents: overdue reports), filled
# by config.wiring: provider(user, today) -> items.
PendingProvider = Callable[..., list[PendingItem]]
_providers: list[PendingProvider] = []


def register_pending(provider: PendingProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def _record_models() -> list[type[ReviewedRecord]]:
    return [m for m in apps.get_models() if issubclass(m, ReviewedRecord)]


def _review_queue() -> list[PendingItem]:
    items = []
    for model in _record_models():
        opts = model._meta
        for record in model.objects.under_review().select_related(*model.name_related)[:SHOWN]:
            items.append(
                PendingItem(
                    "審査待ち",
                    f"{opts.verbose_name} No.{record.pk}（{record}）",
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]),
                )
            )
    return items


def _returned(section_id: int) -> list[PendingItem]:
    items = []
    for model in _record_models():
        opts = model._meta
        records = model.objects.filter(state=State.RETURNED, business__section_id=section_id)
        for record in records.select_related(*model.name_related)[:SHOWN]:
            items.append(
                PendingItem(
                    "差し戻された記録票",
                    f"{opts.verbose_name} No.{record.pk}（{record}）",
                    reverse(f"{opts.app_label}:detail", args=[record.pk]),
                    "内容を直して再提出してください。",
                )
            )
    return items


def _obligations(obligations, today: dt.date, *, with_owner: bool) -> list[PendingItem]:
    items = []
    for obligation in obligations.select_related("answer__consultation", "owner")[:SHOWN]:
        overdue = obligation.due_on < today
        owner = f"{obligation.owner} " if with_owner else ""
        items.append(
            PendingItem(
                "附帯意見（期限切れ）" if overdue else "附帯意見",
                f"{owner}{obligation.answer}: {obligation.text[:60]}",
                "",
                f"期限 {wareki.format_date(obligation.due_on)}",
                overdue,
            )
        )
    return items


def pending_items(user, *, today: dt.date | None = None) -> list[PendingItem]:
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=settings.NOTIFY_DUE_DAYS)
    open_obligations = Obligation.objects.filter(
        status=Obligation.Status.OPEN, due_on__isnull=False
    ).order_by("due_on", "pk")
    items: list[PendingItem] = []
    if user.is_superuser or has_role(user, roles.REVIEWER):
        items += _review_queue()
    section_id = section_id_of(user)
    if section_id is not None and has_role(user, roles.SECTION_STAFF):
        items += _returned(section_id)
        items += _obligations(
            open_obligations.filter(owner_id=section_id, due_on__lte=soon), today, with_owner=False
        )
    if is_clerk(user):
        items += _obligations(open_obligations.filter(due_on__lt=today), today, with_owner=True)
    for provider in _providers:
        items += provider(user, today)
    return items
