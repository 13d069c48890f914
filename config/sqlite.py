"""SQLite for `make run` (the embedded default): the development server and the task
worker write to one file. A write transaction takes the file's lock when it begins
(IMMEDIATE) and waits for it, instead of reading first and failing with 「database is
locked」 when it then wants to write while the worker holds the lock; WAL lets pages be
read while the worker writes. tests/config/test_sqlite_locking.py writes from a
worker-like thread at the same time."""

OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    # Seconds a connection waits for the lock: longer than any write the worker makes.
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;",
}


def with_options(database: dict) -> dict:
    """`database` (one DATABASES entry) with the options above when it is SQLite."""
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return database
    return database | {"OPTIONS": OPTIONS | database.get("OPTIONS", {})}
