"""Where django-import-export would keep an upload between its preview and its confirm
step. The admin's import hands every upload to the task worker instead (the file is kept
on its ImportRecord), so the library's own flow writes nothing here; the storage stays
configured so that, should it ever be reached, it writes only into our folder under a
name it made itself, and `manage.py housekeeping` removes anything left from before."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

FOLDER = "pending-imports"
_NAME = re.compile(r"^[0-9a-f]{32}$")


class PendingUploadStorage(MediaStorage):
    """django-import-export's media storage, in our folder, refusing any name it did not
    make itself (a uuid4 hex), so the name cannot point elsewhere."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs, MEDIA_FOLDER=FOLDER)

    def get_full_path(self) -> str:
        if not _NAME.match(self.name or ""):
            raise SuspiciousOperation("取り込み待ちのファイル名が正しくありません。")
        return super().get_full_path()


def pending_prune(*, older_than: dt.timedelta | None = None) -> int:
    """Remove pending uploads nobody confirmed within IMPORT_PENDING_HOURS."""
    age = older_than or dt.timedelta(hours=settings.IMPORT_PENDING_HOURS)
    cutoff = timezone.now() - age
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in files:
        path = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
