"""Telling people what waits for them, by e-mail (Django's mail: the console by default,
SMTP from EMAIL_URL): reviewers of a submission, section staff of a return or an
approval, a 附帯意見's section before it falls due (NOTIFY_DUE_DAYS) and once it is
overdue. Each notice is recorded once per recipient and event (Notice), so a retried
task or the next periodic run sends nothing twice; a user without an e-mail address
still finds the notice on the dashboard."""

import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from disclosure.models import DisclosureRequest
from notation import wareki
from notation.people import person_name
from notifications.models import Notice
from registry import roles
from reviews.council.models import Obligation
from reviews.workflow.models import Transition
from reviews.workflow.states import Action, State


def reviewers(*, exclude=None):
    users = get_user_model().objects.filter(is_active=True, groups__name=roles.REVIEWER)
    return users.exclude(pk=getattr(exclude, "pk", None)).distinct()


def section_staff(section_id: int, *, exclude=None):
    users = get_user_model().objects.filter(
        is_active=True, groups__name=roles.SECTION_STAFF, staff_member__section_id=section_id
    )
    return users.exclude(pk=getattr(exclude, "pk", None)).distinct()


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def record_label(record) -> str:
    return f"{record._meta.verbose_name} No.{record.pk}（{record}）"


def record_staff_url(record) -> str:
    return absolute(reverse(f"{record._meta.app_label}:detail", args=[record.pk]))


def record_review_url(record) -> str:
    opts = record._meta
    return absolute(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]))


def _notify(
    *,
    kind: str,
    recipients: Iterable,
    subject: str,
    body: str,
    url: str,
    transition: Transition | None = None,
    obligation: Obligation | None = None,
    disclosure_request: DisclosureRequest | None = None,
    days_before: int | None = None,
) -> int:
    """Record and mail one notice per recipient not yet told; returns how many were new.
    A mail that fails rolls its notice back, so the next run tries again."""
    sent = 0
    for user in recipients:
        with transaction.atomic():
            _, created = Notice.objects.get_or_create(
                kind=kind,
                recipient=user,
                transition=transition,
                obligation=obligation,
                disclosure_request=disclosure_request,
                days_before=days_before,
                defaults={"subject": subject[:200], "url": url[:500]},
            )
            if not created:
                continue
            if user.email:
                send_mail(subject, f"{body}\n\n{url}\n", None, [user.email])
        sent += 1
    return sent


def notices_for_transition(*, transition: Transition) -> int:
    """The notices a review step calls for: 提出 to reviewers, 差戻し and 承認 to the
    record's section staff. Other steps tell nobody."""
    record = transition.record
    if record is None:
        return 0
    label = record_label(record)
    who = person_name(transition.actor)
    comment = f"\nコメント: {transition.comment}" if transition.comment else ""
    if transition.action == Action.SUBMIT:
        again = "再提出" if transition.from_state == State.RETURNED else "提出"
        return _notify(
            kind=Notice.Kind.SUBMITTED,
            recipients=reviewers(exclude=transition.actor),
            subject=f"【審査依頼】{label}",
            body=f"{who}さんが{label}を{again}しました。審査をお願いします。{comment}",
            url=record_review_url(record),
            transition=transition,
        )
    section_id = record.business.section_id
    if transition.action == Action.RETURN:
        return _notify(
            kind=Notice.Kind.RETURNED,
            recipients=section_staff(section_id, exclude=transition.actor),
            subject=f"【差戻し】{label}",
            body=f"{label}が差し戻されました（{who}）。内容を直して再提出してください。{comment}",
            url=record_staff_url(record),
            transition=transition,
        )
    if transition.action == Action.APPROVE:
        return _notify(
            kind=Notice.Kind.APPROVED,
            recipients=section_staff(section_id, exclude=transition.actor),
            subject=f"【承認】{label}",
            body=f"{label}が承認されました（{who}）。{comment}",
            url=record_staff_url(record),
            transition=transition,
        )
    return 0


# Apps above notifications send their own reminders in the same periodic run
# (incidents: overdue reports and notices), filled by config.wiring:
# reminder(today=...) -> number of new mails.
Reminder = Callable[..., int]
_reminders: list[Reminder] = []


def register_reminder(reminder: Reminder) -> None:
    if reminder not in _reminders:
        _reminders.append(reminder)


def reminders_send(*, today: dt.date | None = None) -> int:
    """Remind each open 附帯意見's section once before it falls due (within
    NOTIFY_DUE_DAYS) and once when it is overdue, and run the reminders other apps
    registered. Returns the number of new notices."""
    today = today or timezone.localdate()
    sent = sum(reminder(today=today) for reminder in _reminders)
    soon = today + dt.timedelta(days=settings.NOTIFY_DUE_DAYS)
    open_ones = Obligation.objects.filter(
        status=Obligation.Status.OPEN, due_on__isnull=False
    ).select_related("answer__consultation", "owner")
    for obligation in open_ones.filter(due_on__lte=soon):
        due = wareki.format_date(obligation.due_on)
        overdue = obligation.due_on < today
        kind = Notice.Kind.OBLIGATION_OVERDUE if overdue else Notice.Kind.OBLIGATION_DUE
        heading = "期限切れ" if overdue else "期限が近づいています"
        sent += _notify(
            kind=kind,
            recipients=section_staff(obligation.owner_id),
            subject=f"【附帯意見・{heading}】{obligation.answer}（期限 {due}）",
            body=(
                f"{obligation.owner}が担当する附帯意見の期限は{due}です"
                f"{'が、まだ対応済みになっていません' if overdue else ''}。\n"
                f"附帯意見: {obligation.text}\n対応したら事務局に知らせてください。"
            ),
            url=absolute(reverse("dashboard")),
            obligation=obligation,
        )
    return sent + disclosure_reminders_send(today=today)


def clerks():
    return get_user_model().objects.filter(is_active=True, groups__name=roles.CLERK).distinct()


def disclosure_reminders_send(*, today: dt.date) -> int:
    """Remind the sections yet to decide and the 事務局 DISCLOSURE_REMINDER_DAYS before a
    request's deadline (7 and 2 days by default), once each. The mail names the request
    by its number only: the requester's data stays in the system."""
    sent = 0
    requests = DisclosureRequest.objects.open().prefetch_related("corrections", "asked__decisions")
    for request in requests:
        left = request.days_left(today)
        if left not in settings.DISCLOSURE_REMINDER_DAYS or request.all_decided:
            continue
        waiting = [a for a in request.asked.all() if not a.decisions.all()]
        users = {user for a in waiting for user in section_staff(a.section_id)} | set(clerks())
        due = wareki.format_date(request.deadline)
        sent += _notify(
            kind=Notice.Kind.DISCLOSURE_DUE,
            recipients=sorted(users, key=lambda user: user.pk),
            subject=f"【開示請求等・期限まで{left}日】{request}（期限 {due}）",
            body=(
                f"{request}の決定期限は{due}です（残り{left}日）。"
                "まだ決定していない所管課があります。"
            ),
            url=absolute(reverse("disclosure:detail", args=[request.pk])),
            disclosure_request=request,
            days_before=left,
        )
    return sent
