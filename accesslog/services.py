"""Writing and pruning the access log. Nothing here writes personal data to the
application log: the rows go to the database only."""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.http import HttpRequest
from django.utils import timezone

from accesslog.addresses import client_address
from accesslog.models import AccessEvent


def access_record(
    *,
    request: HttpRequest,
    action: str,
    model: type[models.Model],
    ids: Iterable[int],
) -> AccessEvent:
    user = request.user if request.user.is_authenticated else None
    return access_record_by(
        user=user,
        action=action,
        model=model,
        ids=ids,
        path=request.get_full_path(),
        address=client_address(request),
    )


def access_record_by(
    *,
    user,
    action: str,
    model: type[models.Model],
    ids: Iterable[int],
    path: str,
    address: str | None = None,
) -> AccessEvent:
    """An access outside a request (`manage.py export`): `path` says what ran."""
    return AccessEvent.objects.create(
        user=user,
        username=user.get_username() if user else "",
        address=address,
        action=action,
        record_type=model._meta.label,
        record_ids=sorted({int(pk) for pk in ids}),
        path=path[:500],
    )


def access_prune(*, now: dt.datetime | None = None) -> int:
    """Remove events older than ACCESS_LOG_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    deleted, _ = AccessEvent.objects.filter(at__lt=cutoff).delete()
    return deleted
