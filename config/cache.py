"""The database fallback of the shared cache (settings CACHES["shared"] without REDIS_URL).

Django's DatabaseCache counts by reading a value and writing it back, so two machines
counting at once could both write the same number. Here the counter's row is locked
while it is raised (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions lock the file), and its expiry is kept (Django's resets it to the default
timeout), as Redis' INCR does.
"""

import base64
import pickle  # nosec B403 - the cache's own values, written by DatabaseCache itself

from django.core.cache.backends import db
from django.core.management import call_command
from django.db import connections, router, transaction


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        name = self.make_and_validate_key(key, version=version)
        using = router.db_for_write(self.cache_model_class)
        connection = connections[using]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}", [name])
            value = self.get(key, self._missing_key, version=version)
            if value is self._missing_key:
                raise ValueError(f"Key '{key}' not found")
            value += delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [stored, name])
        return value


def cache_tables_create(sender, using, **kwargs) -> None:
    """Every `migrate` creates the database cache's table when it is missing, so no
    deployment needs a step of its own (createcachetable does nothing when it exists)."""
    call_command("createcachetable", database=using, verbosity=0)
