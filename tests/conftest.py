import logging
import os
import threading

import pytest
from django.core.management import call_command
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.database import snapshot_inserts, snapshot_take, tables_with_rows

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Loading the seed took a third of the suite when every test did it. It is now loaded
# once per session and committed; each test's own changes are rolled back as before.
# Tests that do not ask for the seed expect an empty register, so they run before it is
# loaded (pytest_collection_modifyitems below); one that still finds it (an unusual run
# order) has it removed inside its own transaction, which the rollback undoes.
_seed_state: dict = {"loaded": False}
SEED_RESTORED = "the seed, put back by every flush"


def _db_use(item: pytest.Item) -> tuple[bool, bool]:
    """(uses the database, transactional), classified as pytest-django orders tests."""
    from pytest_django.fixtures import validate_django_db

    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    return bool(marker) or "db" in fixtures or transactional, transactional


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # First the tests that need no database (a fresh server's template is built
    # meanwhile: pytest_sessionstart), then the database tests that need an empty
    # register (before the seed is loaded), then the transactional ones (browsers,
    # servers, workers: the long tests, started early so that the two workers end
    # together), then those on the seed.
    def order(item: pytest.Item) -> int:
        uses_db, transactional = _db_use(item)
        if transactional:
            return 2
        if uses_db:
            return 3 if "seed" in getattr(item, "fixturenames", ()) else 1
        return 0

    items.sort(key=order)


_template_builder: list[threading.Thread] = []


def pytest_sessionstart(session: pytest.Session) -> None:
    """In xdist's controller, before the workers start: build the migrated template (on
    a fresh server, about 20 s of migrations) while the workers run the tests that need
    no database; a worker that needs it first waits for it (tests/database.py)."""
    if hasattr(session.config, "workerinput") or session.config.getoption("dist", "no") == "no":
        return
    from tests.database import template_build

    locked = threading.Event()
    name = connections["default"].creation._get_test_db_name()
    builder = threading.Thread(target=template_build, args=(name, locked), daemon=True)
    builder.start()
    locked.wait(timeout=60)
    _template_builder.append(builder)


def pytest_sessionfinish() -> None:
    for builder in _template_builder:
        builder.join()


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_blocker, django_db_modify_db_settings
):
    """pytest-django's, but the test database is a copy of a kept migrated template
    (tests/database.py), not migrated anew by every worker. It is always made afresh:
    a kept database would still hold the session's committed seed."""
    from django.test.utils import setup_databases, teardown_databases

    from tests.database import clone_migrated

    with django_db_blocker.unblock():
        clone_migrated(connections["default"].creation._get_test_db_name())
        # keepdb: take the copy as it is; its migrate finds nothing to apply and only runs
        # the post_migrate handlers (roles, the shared cache's table).
        databases = setup_databases(verbosity=0, interactive=False, keepdb=True)
    yield
    with django_db_blocker.unblock():
        teardown_databases(databases, verbosity=0)


@pytest.fixture(scope="session")
def _seed_committed(django_db_setup, django_db_blocker) -> None:
    with django_db_blocker.unblock():
        migrated = set(tables_with_rows(connections["default"]))
        call_command("loadseed", verbosity=0)
        # Transactional tests end with a flush and start by restoring this snapshot
        # (serialized_rollback), so the seed comes back for them too.
        for alias in connections:
            connection = connections[alias]
            _seed_state["tables"] = snapshot_take(connection)
            # What loadseed wrote (records, their lists and history): no table holds
            # both the migrations' rows and the seed's.
            _seed_state["seeded"] = [t for t in _seed_state["tables"] if t not in migrated]
            # serialized_rollback's snapshot: a marker, since the flush puts the seed back.
            connection._test_serialized_contents = SEED_RESTORED
    _seed_state["loaded"] = True


@pytest.fixture(autouse=True, scope="session")
def _restored_by_the_flush():
    """serialized_rollback restores its snapshot before each transactional test; the seed
    is there already (committed, or put back by the last flush)."""
    from django.db.backends.base.creation import BaseDatabaseCreation

    deserialize = BaseDatabaseCreation.deserialize_db_from_string

    def deserialize_db_from_string(self, data):
        if data != SEED_RESTORED:
            deserialize(self, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            BaseDatabaseCreation, "deserialize_db_from_string", deserialize_db_from_string
        )
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete():
    """Transactional tests end with a flush. PostgreSQL's TRUNCATE gives every table and
    index a new file and fsyncs each one: over a hundred fsyncs per flush, which took
    seconds per test on a busy disk. The tables hold a few hundred rows, so DELETE (the
    foreign keys are deferred to the commit) empties them at no disk cost. Once the seed
    is committed, the same flush puts it back from the copy kept in the database
    (tests/database.py), so the tests after a transactional one find it as before."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            "SET CONSTRAINTS ALL DEFERRED",
            *(
                f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))}"
                for table in tables
            ),
            *snapshot_inserts([t for t in _seed_state.get("tables", []) if t in tables]),
        ]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once():
    """Django's test client builds the middleware chain anew for every client, and
    WhiteNoise's middleware lists and stats every static file each time it is built
    (35 ms, a third of a short test). The files do not change during a run, so each
    root is listed once; its entries are shared by the later middleware."""
    from whitenoise.base import WhiteNoise

    add_files = WhiteNoise.add_files
    listed: dict[tuple, dict] = {}

    def add_files_once(self, root, prefix=None):
        if self.autorefresh:  # lists nothing up front
            return add_files(self, root, prefix)
        key = (str(root), prefix, self.max_age)
        if key not in listed:
            kept, self.files = self.files, {}
            add_files(self, root, prefix)
            listed[key], self.files = self.files, kept
        self.files.update(listed[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoise, "add_files", add_files_once)
        yield


@pytest.fixture(scope="session")
def url_walk(_seed_committed, django_db_blocker):
    """Every URL pattern opened once (tests/url_walk.py) on the seed, counting the access
    log's entries; the CSP and access-log tests read the same walk (both modules are in
    the xdist group "url-walk", so one worker walks once). What it wrote is rolled back."""
    from django.core.cache import cache
    from django.db import transaction

    from tests.url_walk import walk_everything

    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        walk = walk_everything(count_log=True)
        transaction.set_rollback(True)
    cache.clear()
    return walk


@pytest.fixture
def seed(_seed_committed, db) -> None:
    """The Nerima seed, loaded as `make run` loads it (loadseed) (once per session; the test's own
    changes are rolled back)."""


@pytest.fixture(autouse=True)
def _empty_register(request) -> None:
    uses_db, transactional = _db_use(request.node)
    if transactional:
        # Its flush puts back the committed seed (_flush_by_delete), which must be there
        # to copy: the flush also empties the vocabularies the migrations wrote.
        request.getfixturevalue("_seed_committed")
        return
    if not _seed_state["loaded"] or "seed" in request.fixturenames or not uses_db:
        return
    request.getfixturevalue("db")
    tables = ", ".join(f'"{table}"' for table in _seed_state["seeded"])
    with connections["default"].cursor() as cursor:
        # Transactional in PostgreSQL: the test's rollback brings the seed back.
        cursor.execute(f"TRUNCATE {tables} CASCADE")


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for every browser test; each test opens its own pages (contexts)."""
    # Playwright's sync API runs an event loop in this thread for as long as the browser
    # lives; the ORM calls tests make between browser steps are ordinary synchronous ones.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    snapshots = {
        alias: connections[alias].__dict__.get("_test_serialized_contents") for alias in connections
    }
    with sync_playwright() as playwright:
        # With that loop running, Django gives this thread new connection objects; hand
        # them the snapshot serialized_rollback restores before each transactional test.
        for alias, snapshot in snapshots.items():
            if snapshot is not None:
                connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # Those connections are invisible once the loop stops; close them now, so the
        # test database can be dropped at the end of the session.
        connections.close_all()


@pytest.fixture
def browser(chromium):
    """The shared Chromium; the pages a test opened are closed after it."""
    yield chromium
    for context in chromium.contexts:
        context.close()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def weasyprint_warnings(request):
    """Any warning WeasyPrint logs (bad CSS, a refused fetch, a layout problem) fails the
    test; a test that provokes one on purpose asks for this fixture and clears it."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    if handler.records:
        pytest.fail(
            "WeasyPrint warned: " + "; ".join(r.getMessage() for r in handler.records),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def empty_cache():
    """Cached page parts are keyed on the change stamp, which a flushed or rolled-back
    database can bring back to an earlier value: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Print-job files go to a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The permission matrix logs in hundreds of users; PBKDF2 would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def plain_http():
    """Tests speak plain HTTP to the test client and the live server; production settings
    redirect to HTTPS and mark cookies Secure (tests/config/test_deploy.py checks those).
    Session-wide and first, because the live server reads them when it starts."""
    from django.conf import settings

    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True, scope="session")
def second_factor_optional():
    """Production requires the second factor of reviewers, clerks and superusers (it is
    on whenever DEBUG is off, as in tests); the suite signs them in with force_login, so
    it is off here and tests/accounts turn it on (tests/accounts/test_second_factor.py
    checks the default)."""
    from django.conf import settings

    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def task_worker(monkeypatch):
    """Runs the database backend's worker loop until the queue is empty. The worker
    closes connections between tasks, which would end the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        db_worker.Worker(
            queue_names=["default"],
            excluded_queue_names=[],
            interval=0.01,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
        ).run()

    return run
