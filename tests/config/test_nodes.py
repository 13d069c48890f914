"""Two app machines on one PostgreSQL (issue 22): two gunicorn servers on two ports
against the test database show that a change saved through one is on the other's
cached public pages at once, that a login on one is valid on the other, and that the
public download limit counts the requests to both — with the shared cache in Redis
(REDIS_URL) and in the database when no Redis is configured."""

import time

import pytest
import redis
import requests
from django.core.cache import caches
from django.db import connection
from django.urls import reverse

from config import settings as project_settings
from reviews.council.models import PreApprovalCategory
from tests.app_server import CSRF, free_port, start_gunicorn, stop
from tests.factories import UserFactory

REDIS_URL = "redis://127.0.0.1:6379/15"
PASSWORD = "kuminbu-futatsu-2026"
LIMIT = 4
DOWNLOAD = "/register/files/filebook.csv"


@pytest.fixture(params=[REDIS_URL, ""], ids=["redis", "database"])
def nodes(request):
    """The two servers' addresses, sharing the cache named by the parameter."""
    if request.param:
        redis.Redis.from_url(REDIS_URL).flushdb()
    caches["shared"].clear()
    environment = {
        "REDIS_URL": request.param,
        "PUBLIC_DOWNLOADS_PER_MINUTE": str(LIMIT),
        # As behind the ward's proxy, which names the client (X-Forwarded-For).
        "TRUSTED_PROXIES": "1",
    }
    servers = []
    try:
        for _ in range(2):
            port = free_port()
            servers.append((port, start_gunicorn(port, workers=1, **environment)))
        yield [f"http://127.0.0.1:{port}" for port, _ in servers]
    finally:
        for _, server in servers:
            stop(server)
        caches["shared"].clear()
        if request.param:
            redis.Redis.from_url(REDIS_URL).flushdb()


def _logged_in(base: str, settings) -> requests.Session:
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    UserFactory(username="futatsu", password=PASSWORD, is_staff=True, is_superuser=True)
    session = requests.Session()
    session.cookies.set("csrftoken", CSRF)
    answer = session.post(
        base + reverse("login"),
        data={"csrfmiddlewaretoken": CSRF, "username": "futatsu", "password": PASSWORD},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, answer.text
    # The cookies are marked Secure (behind the ward's TLS proxy); this test speaks
    # plain HTTP, so it sends them itself.
    logged_in = requests.Session()
    logged_in.cookies.set("sessionid", answer.cookies["sessionid"])
    logged_in.cookies.set("csrftoken", CSRF)
    return logged_in


# The servers are other processes: they see only committed rows.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_app_servers_share_pages_logins_and_the_download_limit(nodes, settings):
    one, other = nodes
    # A login on one server is valid on the other (sessions are in the database).
    session = _logged_in(one, settings)
    admin = session.get(other + reverse("admin:index"), allow_redirects=False, timeout=60)
    assert admin.status_code == 200
    assert "futatsu" in admin.text

    # The other server's public page, cached (its ETag answers 304) ...
    criteria = other + reverse("publication:criteria")
    before = requests.get(criteria, timeout=60)
    assert before.status_code == 200 and "二台目の基準" not in before.text
    etag = before.headers["ETag"]
    assert requests.get(criteria, headers={"If-None-Match": etag}, timeout=60).status_code == 304
    # ... shows a change saved through the first at once.
    label = PreApprovalCategory._meta.app_label
    saved = session.post(
        one + reverse(f"admin:{label}_preapprovalcategory_add"),
        data={
            "csrfmiddlewaretoken": CSRF,
            "chapter": "3",
            "number": "99",
            "rule": "二台目の基準",
            "examples-TOTAL_FORMS": "0",
            "examples-INITIAL_FORMS": "0",
        },
        allow_redirects=False,
        timeout=60,
    )
    assert saved.status_code == 302, saved.text
    after = requests.get(criteria, headers={"If-None-Match": etag}, timeout=60)
    assert after.status_code == 200
    assert "二台目の基準" in after.text and after.headers["ETag"] != etag

    # The download limit counts the requests to both servers, once. The count is per
    # minute: when the minute turned while they were sent, a client of another address
    # sends them again, from the start of a minute.
    for client in ("192.0.2.1", "192.0.2.2"):
        minute = time.time() // 60
        statuses = [
            requests.get(
                (one, other)[n % 2] + DOWNLOAD, headers={"X-Forwarded-For": client}, timeout=60
            ).status_code
            for n in range(LIMIT + 2)
        ]
        if time.time() // 60 == minute:
            break
    assert statuses == [200] * LIMIT + [429] * 2

    # Each node holds one database connection per gunicorn worker, kept between requests
    # (CONN_MAX_AGE), as docs/operations.md counts them: here one worker each.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] == 2
