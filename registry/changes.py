"""A change stamp for caching what is costly to build from audited records.

Every audited change (a history row, written by every service) raises the stamp, so a
page part cached under the stamp it was built with is never served once anything has
changed: nothing stale, without tracking which change touches which page.

The stamp is the newest ChangeStamp id. A change inserts a row at once, so the writer's
own transaction sees a new stamp, and another once its transaction commits: a reader
that built a part from the old data while the writer was still open cached it under
the older stamp, which the committed row leaves behind. Ids are never reused on
PostgreSQL, so a rolled-back change leaves no stamp that could come back.
"""

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.db.models.signals import post_save
from redis.exceptions import RedisError
from simple_history.signals import post_create_historical_record

from registry.models import ChangeStamp

logger = logging.getLogger(__name__)
# A cached part is also dropped after this long, should a process die between a commit
# and its stamp.
TIMEOUT_SECONDS = 600


@functools.cache
def _newest_query() -> tuple[str, tuple]:
    # Built by the ORM once per process: every cached page part asks for the stamp, and
    # compiling the query cost more than running it.
    return ChangeStamp.objects.order_by("-id").values("id")[:1].query.sql_with_params()


def change_stamp() -> int:
    sql, params = _newest_query()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        newest = cursor.fetchone()
    return newest[0] if newest else 0


def _stamp() -> None:
    ChangeStamp.objects.create()


def request_stamp(request) -> int:
    """The stamp as read once for `request`: every part of one page is kept under it."""
    if not hasattr(request, "_change_stamp"):
        request._change_stamp = change_stamp()
    return request._change_stamp


def change_stamp_bump() -> None:
    """Called for every audited write (bulk writes that skip the history signal call it
    themselves)."""
    _stamp()
    # One stamp after the commit stands for every change of the transaction (a rollback
    # discards the pending callback with the rest).
    if connection.in_atomic_block and not any(
        func is _stamp for _, func, _ in connection.run_on_commit
    ):
        transaction.on_commit(_stamp)


def change_stamps_prune() -> int:
    """Drop every stamp row but the newest; return how many went."""
    newest = change_stamp()
    return ChangeStamp.objects.filter(id__lt=newest).delete()[0]


def cached(
    name: str, *parts: object, build: Callable[[], object], stamp: int | None = None
) -> object:
    """build(), kept under the current stamp (or `stamp`, when the caller has read it)
    and `parts` (what else it depends on: the record, the day)."""
    return cache.get_or_set(_key(name, parts, stamp), build, TIMEOUT_SECONDS)


def cached_for_everyone(
    name: str, *parts: object, build: Callable[[], object], stamp: int | None = None
) -> object:
    """cached(), for a part that is the same for everyone (the public register): kept in
    the cache every process shares as well, so it is built once for all of them rather
    than once in each; each process still keeps a copy in its own memory."""
    key = _key(name, parts, stamp)

    def build_once() -> object:
        try:
            return caches["shared"].get_or_set(key, build, TIMEOUT_SECONDS)
        except RedisError:
            # Redis away: each process builds its own, as it would without it.
            logger.warning(
                "a shared page part was not kept: the shared cache is away", exc_info=True
            )
            return build()

    return cache.get_or_set(key, build_once, TIMEOUT_SECONDS)


def _key(name: str, parts: tuple, stamp: int | None) -> str:
    # Parts may be anything a visitor typed: hashed, the key stays short and plain.
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return f"stamped:{name}:{change_stamp() if stamp is None else stamp}:{digest}"


@dataclass(frozen=True)
class PageParts:
    """Parts of one page kept with `cached_for_everyone`, under one read of the stamp for
    all of them (request_stamp): `key` is everything else they depend on (the
    {% stamped %} template tag takes it), so a part built by one process serves every
    process with the same key, on every machine."""

    key: tuple
    stamp: int

    def get(self, name: str, build: Callable[[], object]) -> object:
        return cached_for_everyone(name, *self.key, build=build, stamp=self.stamp)


def _on_history(**kwargs) -> None:
    change_stamp_bump()


def _on_user_saved(update_fields=None, **kwargs) -> None:
    # People's names appear in histories; a login only touches last_login.
    if update_fields is None or set(update_fields) != {"last_login"}:
        change_stamp_bump()


def connect() -> None:
    """Called once, by config.wiring (the one place every extension point is filled)."""
    post_create_historical_record.connect(_on_history, dispatch_uid="registry.changes.history")
    post_save.connect(_on_user_saved, sender=get_user_model(), dispatch_uid="registry.changes.user")
