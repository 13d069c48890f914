import io

import openpyxl
import pytest
import tablib

from tests.factories import UserFactory


def xlsx_bytes(headers: list, rows: list[list]) -> bytes:
    """A workbook as a clerk's Excel would save it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_xlsx(resource_class) -> bytes:
    from exchange.spreadsheets import SpreadsheetXLSX

    return SpreadsheetXLSX().export_data(resource_class().export())


def load_xlsx(data: bytes) -> tablib.Dataset:
    from exchange.spreadsheets import read_xlsx

    return read_xlsx(data)


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def post_to_worker(django_capture_on_commit_callbacks, task_worker):
    """POST as the browser does, then let the task worker do what the request queued:
    every upload is read, checked and imported by the worker, never in the request."""

    def post(client, url: str, data: dict | None = None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {}, **kwargs)
        task_worker()
        return response

    return post
