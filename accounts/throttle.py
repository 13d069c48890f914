"""The per-account slow-down: guessing one account's password from many addresses.

django-axes locks a (user name, address) pair after AXES_FAILURE_LIMIT failures, so a
wrong password typed at one address never locks the account for anyone else. Guessing
from many addresses is slowed per account instead: after LOGIN_SLOWDOWN_AFTER failures
(from anywhere, within LOGIN_SLOWDOWN_WINDOW_MINUTES) each further attempt must wait a
few seconds after the last failure, doubling up to LOGIN_SLOWDOWN_MAX_SECONDS. Refused
attempts are not counted, and an address the owner has logged in from before is not
slowed at all, so the owner is never shut out, at worst asked to wait a minute.

The counter lives in the cache named LOGIN_SLOWDOWN_CACHE, by default the shared one
(Redis or the database), so every app machine counts the same failures.
"""

import logging
import time

from axes.models import AccessLog
from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _cache():
    return caches[settings.LOGIN_SLOWDOWN_CACHE]


def _keys(username: str) -> tuple[str, str]:
    """The failures counted and the time of the last one. Cache keys must be short and
    printable whatever a user name holds."""
    name = username.encode().hex()[:200]
    return f"login-failures:{name}", f"login-last-failure:{name}"


def login_failure_record(username: str, *, now: float | None = None) -> int:
    """Count a wrong password for this user name; returns the failures so far. The
    count is raised atomically (add + incr), so failures on several machines at once
    are all counted."""
    now = time.time() if now is None else now
    counted, last = _keys(username)
    window = settings.LOGIN_SLOWDOWN_WINDOW_MINUTES * 60
    try:
        _cache().add(counted, 0, timeout=window)
        failures = _cache().incr(counted)
        _cache().set(last, now, timeout=window)
    except RedisError:
        # Redis away: logins go on (django-axes still locks each user name and address
        # in the database); the log says so.
        logger.warning("login failure not counted: the shared cache is away", exc_info=True)
        return 0
    return failures


def login_wait_seconds(username: str, address: str | None, *, now: float | None = None) -> int:
    """Seconds this attempt must still wait (0: go ahead)."""
    counted, last_key = _keys(username)
    try:
        found = _cache().get_many([counted, last_key])
    except RedisError:
        logger.warning("login slow-down not read: the shared cache is away", exc_info=True)
        return 0
    failures, last = found.get(counted, 0), found.get(last_key, 0.0)
    excess = failures - settings.LOGIN_SLOWDOWN_AFTER
    if excess < 0:
        return 0
    wait = min(2**excess, settings.LOGIN_SLOWDOWN_MAX_SECONDS)
    left = int(wait - ((time.time() if now is None else now) - last)) + 1
    if left <= 0 or _known_address(username, address):
        return 0
    return min(left, settings.LOGIN_SLOWDOWN_MAX_SECONDS)


def login_failures_forget(username: str) -> None:
    _cache().delete_many(_keys(username))


def _known_address(username: str, address: str | None) -> bool:
    """The owner logged in from here before (django-axes keeps every successful login)."""
    return (
        bool(address) and AccessLog.objects.filter(username=username, ip_address=address).exists()
    )
