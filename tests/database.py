"""The test database as a DATABASE_URL, for the processes tests start (the task worker,
gunicorn, pg_dump, benchmark scripts) so they work on the same data."""

from urllib.parse import quote

from django.db import connection


def database_url(name: str | None = None) -> str:
    """The URL of the test database, or of another database `name` on the same server."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"
