"""What the 事務局 sees of failed logins and does about them: the recent failures, the
(user name, address) pairs django-axes holds locked, and releasing one. Every release is
written to the access log, naming who released whom."""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from accesslog.models import AccessEvent
from accesslog.services import access_record_by
from accounts.throttle import login_failures_forget
from registry.access import is_clerk

RECENT_FAILURES = 100


def lockouts_current(*, now: dt.datetime | None = None) -> list[AccessAttempt]:
    """The pairs with failures on record, those locked first, newest first; each with
    `.locked` set."""
    now = now or timezone.now()
    since = now - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = list(AccessAttempt.objects.order_by("-attempt_time"))
    for attempt in attempts:
        attempt.locked = (
            attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT
            and attempt.attempt_time >= since
        )
    return sorted(attempts, key=lambda a: not a.locked)


def failures_recent() -> list[AccessFailureLog]:
    return list(AccessFailureLog.objects.order_by("-attempt_time")[:RECENT_FAILURES])


def lockout_release(*, actor, attempt_id: int, address: str | None) -> AccessAttempt | None:
    """Release one (user name, address) pair; None when it was released already (two
    clerks pressing 解除 at once release it once and log it once)."""
    if not is_clerk(actor):
        raise PermissionDenied("ログインの制限を解除できるのは事務局です。")
    with transaction.atomic():
        attempt = AccessAttempt.objects.select_for_update().filter(pk=attempt_id).first()
        if attempt is None:
            return None
        attempt.delete()
        login_failures_forget(attempt.username)
        user = get_user_model().objects.filter(username=attempt.username).first()
        query = urlencode({"username": attempt.username, "address": attempt.ip_address or ""})
        access_record_by(
            user=actor,
            action=AccessEvent.Action.UNLOCK,
            model=get_user_model(),
            ids=[user.pk] if user else [],
            path=f"{reverse('accounts:lockouts')}?{query}",
            address=address,
        )
    return attempt
