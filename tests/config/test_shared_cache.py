"""The shared cache (issue 22): Redis when REDIS_URL is set, else a table in the
database that every migrate creates; its counters are raised atomically and keep their
expiry, and the download limit and the login slow-down count in it."""

import threading

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, connections

from accounts.throttle import login_failure_record
from publication.middleware import download_allowed
from tests.fresh_settings import settings_printed


def _shared_backend(**env) -> str:
    """CACHES["shared"] as config/settings.py reads it from this environment."""
    shared = "settings.CACHES['shared']"
    return settings_printed(
        f"{shared}['BACKEND'], {shared}['LOCATION']", unset=("REDIS_URL",), **env
    )


def test_redis_when_redis_url_is_set_else_the_database():
    assert _shared_backend(REDIS_URL="redis://127.0.0.1:6379/3") == (
        "django.core.cache.backends.redis.RedisCache redis://127.0.0.1:6379/3"
    )
    assert _shared_backend() == "config.cache.DatabaseCache shared_cache"


def test_the_login_slow_down_counts_in_the_shared_cache():
    assert django_settings.LOGIN_SLOWDOWN_CACHE == "shared"


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE shared_cache")
    assert "shared_cache" not in connection.introspection.table_names()
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "shared_cache" in connection.introspection.table_names()


@pytest.mark.django_db
def test_a_count_keeps_its_expiry(settings):
    """Django's own DatabaseCache.incr writes the value back with the default timeout:
    a login failure window of an hour would end after five minutes."""
    settings.LOGIN_SLOWDOWN_WINDOW_MINUTES = 60
    assert [login_failure_record("tanaka") for _ in range(3)] == [1, 2, 3]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires - now() FROM shared_cache WHERE cache_key LIKE %s",
            ["%login-failures:%"],
        )
        (left,) = cursor.fetchone()
    assert left.total_seconds() > 55 * 60
    with pytest.raises(ValueError):
        caches["shared"].incr("never-added")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_downloads_counted_at_once_are_all_counted(settings):
    """Two processes (here threads, each with its own database connection) counting the
    same address at once: every download counts, none is lost to a race."""
    settings.PUBLIC_DOWNLOADS_PER_MINUTE = 1000
    caches["shared"].clear()
    allowed = []

    def download() -> None:
        try:
            allowed.extend(download_allowed("192.0.2.50", now=60.0) for _ in range(25))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=download) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert len(allowed) == 100
        assert caches["shared"].get("public-downloads:192.0.2.50:1") == 100
    finally:
        caches["shared"].clear()


@pytest.mark.django_db
def test_with_redis_away_downloads_and_logins_go_on(settings, client, django_user_model, caplog):
    """Redis stopped (nothing listens on the port): no 500, the download is served and
    the login works; the log says the shared cache is away."""
    settings.CACHES = settings.CACHES | {
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    django_user_model.objects.create_user("sato", password="kuminbu-sato-2026")
    assert client.get("/register/files/filebook.csv").status_code == 200
    wrong = client.post("/accounts/login/", {"username": "sato", "password": "nope"})
    assert wrong.status_code == 200
    right = client.post("/accounts/login/", {"username": "sato", "password": "kuminbu-sato-2026"})
    assert right.status_code == 302
    assert "the shared cache is away" in caplog.text
