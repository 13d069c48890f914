"""The incident clocks on the dashboard and by mail: section staff see and are reminded
of their section's reports and notices, the 事務局 of every incident's (it reports to the
Commission). A clock is red once its day has passed; mail goes once the day before it
is due and once when it is overdue, each once per person (IncidentReminder)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from incidents.deadlines import Clock, clocks
from incidents.models import Incident, IncidentReminder
from notifications.pending import PendingItem
from notifications.services import absolute, section_staff
from registry import roles
from registry.access import has_role, is_clerk, section_id_of

DUE_SOON = dt.timedelta(days=1)


def _open_clocks(incidents) -> list[tuple[Incident, Clock]]:
    return [
        (incident, clock)
        for incident in incidents.open().select_related("section")
        for clock in clocks(incident)
        if not clock.done
    ]


def pending_incident_items(user, today: dt.date) -> list[PendingItem]:
    if is_clerk(user):
        incidents = Incident.objects.all()
    elif has_role(user, roles.SECTION_STAFF) and section_id_of(user) is not None:
        incidents = Incident.objects.filter(section_id=section_id_of(user))
    else:
        return []
    items = [
        PendingItem(
            f"漏えい等事案・{clock.label}{'（期限切れ）' if clock.overdue(today) else ''}",
            f"No.{incident.pk} {incident.title}（{incident.section}）",
            reverse("incidents:detail", args=[incident.pk]),
            f"期限 {clock.due_display()}",
            clock.overdue(today),
        )
        for incident, clock in _open_clocks(Incident.objects.filter(pk__in=incidents))
    ]
    return sorted(items, key=lambda item: not item.overdue)


def _clerks():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.CLERK).distinct()


def incident_reminders_send(*, today: dt.date) -> int:
    """Mail each open clock's section staff and the clerks; returns the new mails."""
    sent = 0
    for incident, clock in _open_clocks(Incident.objects.all()):
        if clock.overdue(today):
            kind, heading = IncidentReminder.Kind.OVERDUE, "期限切れ"
        elif today >= clock.due_on - DUE_SOON:
            kind, heading = IncidentReminder.Kind.DUE, "期限が近づいています"
        else:
            continue
        subject = f"【漏えい等事案・{clock.label}・{heading}】No.{incident.pk} {incident.title}"
        body = (
            f"{incident.section}の漏えい等事案「{incident.title}」の{clock.label}の期限は"
            f"{clock.due_display()}です。済んだら実施日を記録してください。"
        )
        url = absolute(reverse("incidents:detail", args=[incident.pk]))
        recipients = {*section_staff(incident.section_id), *_clerks()}
        for user in recipients:
            try:
                with transaction.atomic():
                    IncidentReminder.objects.create(
                        incident=incident, clock=clock.key, kind=kind, recipient=user
                    )
                    # A failed mail rolls the row back: the next run tries again.
                    if user.email:
                        send_mail(subject, f"{body}\n\n{url}\n", None, [user.email])
            except IntegrityError:
                continue
            sent += 1
    return sent
