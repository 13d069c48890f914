"""Uploads waiting for the user's confirmation (the import preview's 「取り込む」).

They are kept in the project's own media storage, never in a shared temporary directory,
under a random name that is remembered in the uploader's session: the confirm step
reads only a name this user was given, so a crafted name cannot import a file that was
never uploaded through the app. Files go when the import is confirmed or refused;
`manage.py housekeeping` removes the abandoned ones."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.utils import timezone
from import_export.tmp_storages import MediaStorage

FOLDER = "pending-imports"
SESSION_KEY = "pending_imports"
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


def pending_remember(*, session, name: str) -> None:
    names = session.get(SESSION_KEY, [])
    session[SESSION_KEY] = [*names, name][-20:]


def pending_is_issued(*, session, name: str) -> bool:
    return bool(_NAME.match(name or "")) and name in session.get(SESSION_KEY, [])


def pending_forget(*, session, name: str) -> None:
    session[SESSION_KEY] = [n for n in session.get(SESSION_KEY, []) if n != name]


def pending_remove(*, name: str) -> None:
    PendingUploadStorage(name=name).remove()


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
