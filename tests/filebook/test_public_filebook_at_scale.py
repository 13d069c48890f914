"""The public 個人情報ファイル簿 a page at a time: the same queries and about the same
weight at any size of the 帳簿, and cacheable by the ward's proxy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from filebook.models import PersonalInfoFile
from reviews.workflow.services import records_fill_approved_content
from tests.factories import PersonalInfoFileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_size(settings):
    settings.PUBLIC_PAGE_SIZE = 3


def public_list(client, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("filebook_register:list"), params)
    assert response.status_code == 200
    return len(queries), response


def test_it_lists_a_page_in_the_same_queries_at_two_sizes(client):
    PersonalInfoFileFactory.create_batch(4)
    records_fill_approved_content(model=PersonalInfoFile)
    small, small_page = public_list(client)
    PersonalInfoFileFactory.create_batch(40)
    records_fill_approved_content(model=PersonalInfoFile)
    large, large_page = public_list(client)
    assert small == large
    assert len(large_page.context["rows"]) == 3
    assert abs(len(large_page.content) - len(small_page.content)) < 100
    assert large_page.context["page"].count == 44
    assert "1 / 15 ページ" in large_page.content.decode()


def test_every_file_is_on_one_page_and_the_download_holds_them_all(client):
    files = PersonalInfoFileFactory.create_batch(5)
    seen = [
        file.pk
        for number in (1, 2)
        for file, _ in client.get(reverse("filebook_register:list"), {"page": number}).context[
            "rows"
        ]
    ]
    assert sorted(seen) == sorted(f.pk for f in files)
    csv = client.get(reverse("filebook_register:csv")).content.decode("utf-8-sig")
    assert all(f.name in csv for f in files)


def test_a_repeat_with_the_etag_is_not_modified(client):
    PersonalInfoFileFactory()
    response = client.get(reverse("filebook_register:list"))
    assert "public" in response["Cache-Control"]
    repeat = client.get(reverse("filebook_register:list"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert repeat.status_code == 304
