"""`make run` on SQLite never answers 「database is locked」 while the worker writes: a
write transaction takes the lock when it begins and waits for it (config/sqlite.py). A
worker-like thread holds a write transaction while a request-like one reads, then writes."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper

from config import sqlite

ROOT = Path(__file__).resolve().parents[2]
ALIAS = "sqlite_locking"


def _wrapper(path: Path, options: dict) -> DatabaseWrapper:
    database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": options,
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "USER": "",
        "PASSWORD": "",
        "HOST": "",
        "PORT": "",
        "TEST": {},
    }
    return DatabaseWrapper(database, ALIAS)


def _worker(path: Path, options: dict, holding: threading.Event) -> None:
    connections[ALIAS] = _wrapper(path, options)
    try:
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("INSERT INTO task (note) VALUES ('worker')")
            holding.set()
            time.sleep(0.5)  # a write the worker takes a while over
    finally:
        connections[ALIAS].close()


def _request_while_the_worker_writes(path: Path, options: dict) -> int:
    setup = _wrapper(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE task (id INTEGER PRIMARY KEY, note TEXT)")
    setup.close()
    holding = threading.Event()
    worker = threading.Thread(target=_worker, args=(path, options, holding))
    worker.start()
    holding.wait(5)
    connections[ALIAS] = _wrapper(path, options)
    try:
        # A request that reads, then writes (a 訂正: read the record, save the change).
        with transaction.atomic(using=ALIAS), connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM task")
            cursor.execute("INSERT INTO task (note) VALUES ('request')")
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM task")
            return cursor.fetchone()[0]
    finally:
        connections[ALIAS].close()
        del connections[ALIAS]
        worker.join()


@pytest.fixture
def unblocked(django_db_blocker):
    # A file of its own, beside the PostgreSQL test database the other tests use.
    with django_db_blocker.unblock():
        yield


def test_a_request_waits_for_the_workers_write_and_then_writes(tmp_path, unblocked):
    assert _request_while_the_worker_writes(tmp_path / "db.sqlite3", sqlite.OPTIONS) == 2


def test_without_the_options_the_same_request_fails_as_it_did(tmp_path, unblocked):
    # The test above can fail: a transaction begun deferred, as Django's default,
    # cannot write once the worker has written since it read.
    deferred = {"init_command": "PRAGMA journal_mode=WAL;"}
    with pytest.raises(OperationalError, match="database is locked"):
        _request_while_the_worker_writes(tmp_path / "db.sqlite3", deferred)


def test_make_run_settings_use_the_options(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; "
            "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])",
        ],
        cwd=ROOT,
        env=env | {"DEBUG": "1", "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "'transaction_mode': 'IMMEDIATE'" in result.stdout
    assert "'timeout': 20" in result.stdout
