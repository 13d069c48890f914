"""The test database: its URL for the processes tests start, and how it is made.

Migrating a new database costs about 18 s of CPU, and every xdist worker needs its own.
The migrated, still empty database is therefore kept on the server as a template named
after a digest of every migration file and the Django version; each worker's test
database is a copy of it (CREATE DATABASE … TEMPLATE, a file copy). A run whose migrations
match the last run's migrates nothing; a changed migration gives a new digest and so a new
template, and older ones are dropped when it is made."""

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import django
import psycopg
from django.apps import apps
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url(name: str | None = None) -> str:
    """The URL of the test database, or of another database `name` on the same server."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"


def migrations_digest() -> str:
    """What decides the migrated schema and rows: every app's migration files (the
    project's and the installed libraries') and Django's version."""
    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted(Path(config.path).glob("migrations/*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_name(test_name: str | None = None) -> str:
    """The kept migrated template the test databases (and the suite's benchmark runs)
    are copied from."""
    test_name = test_name or connection.settings_dict["NAME"]
    return f"{test_name.split('_gw')[0]}_template_{migrations_digest()}"


def template_build(test_name: str, locked: threading.Event | None = None) -> None:
    """Build the migrated template unless a run has already (under the lock the copies
    take, so that a worker waits for it); `locked` is set once the lock is held. The
    suite's controller calls it as the run starts (tests/conftest.py)."""
    with _template_locked(test_name) as (admin, template):
        if locked:
            locked.set()
        _build_if_missing(admin, template)


def clone_migrated(test_name: str) -> None:
    """Make `test_name` afresh as a copy of the migrated template, building the template
    first when no run has yet (two workers: the first builds, the other waits)."""
    # Held until the copy is made: a template must have no other session while copied.
    with _template_locked(test_name) as (admin, template):
        _build_if_missing(admin, template)
        admin.execute(f'DROP DATABASE IF EXISTS "{test_name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{test_name}" TEMPLATE "{template}"')
        # A commit need not wait for the disk in a database thrown away after the run
        # (the suite and the servers it starts commit thousands of times).
        admin.execute(f'ALTER DATABASE "{test_name}" SET synchronous_commit = off')


def _prefix(template: str) -> str:
    """What every template of this test database's name starts with."""
    return template.rsplit("_", 1)[0] + "_"  # the digest (hex) holds no "_"


@contextmanager
def _template_locked(test_name: str) -> Iterator[tuple[psycopg.Connection, str]]:
    """A connection to the server holding the lock on `test_name`'s templates, and the
    name of the current one."""
    template = template_name(test_name)
    with psycopg.connect(database_url("postgres"), autocommit=True) as admin:
        admin.execute("SELECT pg_advisory_lock(hashtext(%s))", [_prefix(template)])
        try:
            yield admin, template
        finally:
            admin.execute("SELECT pg_advisory_unlock(hashtext(%s))", [_prefix(template)])


def _build_if_missing(admin: psycopg.Connection, template: str) -> None:
    found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
    if found.fetchone() is None:
        _build(admin, template)


def _build(admin: psycopg.Connection, template: str) -> None:
    # Built under another name and renamed when migrate succeeded, so an interrupted
    # build is never taken for a template.
    building = f"{template}_building"
    admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{building}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=os.environ | {"DATABASE_URL": database_url(building)},
        check=True,
    )
    stale = admin.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s",
        [_prefix(template).replace("_", r"\_") + "%"],
    ).fetchall()
    for (name,) in stale:
        if name != building:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')


# The seed as committed once per session, kept in a schema of its own, which Django's
# flush does not see (it empties only the tables of the search path's models).
SNAPSHOT_SCHEMA = "seed_snapshot"


def tables_with_rows(connection) -> list[str]:
    """The project's tables that hold at least one row."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        found = []
        for table in sorted(tables):
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                found.append(table)
    return found


def snapshot_take(connection) -> list[str]:
    """Copy every table that holds rows into SNAPSHOT_SCHEMA; the tables copied."""
    copied = tables_with_rows(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in copied:
            cursor.execute(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table}" AS TABLE "{table}"')
    return copied


def snapshot_inserts(tables: list[str]) -> list[str]:
    """The statements that put the snapshot's rows back into its (emptied) tables: one
    INSERT … SELECT per table (Django's deserialization writes them row by row through
    the ORM, seconds per test)."""
    return [f'INSERT INTO "{table}" TABLE {SNAPSHOT_SCHEMA}."{table}"' for table in tables]
