"""The public register at a ward's size: a page of PUBLIC_PAGE_SIZE records whatever the
register holds, searched in the database (folded columns the write services keep), in
the same number of queries at any size, and cacheable by the ward's proxy."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from publication.register import RegisterQuery
from registry.changes import change_stamp_bump
from registry.models import Section
from reviews.workflow.services import records_fill_approved_content
from tests.factories import (
    AnswerFactory,
    BusinessFactory,
    ConsignmentFactory,
    LinkageFactory,
    OrganizationFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PAGE_SIZE = 4
RECORD_LINK = re.compile(r'href="/register/(?:consignments|linkages)/(\d+)/"')


@pytest.fixture(autouse=True)
def page_size(settings):
    settings.PUBLIC_PAGE_SIZE = PAGE_SIZE


def add_pairs(count: int, contractor: str = "") -> None:
    """`count` businesses, each with a Form 2 and a Form 5 record approved, their
    approved contents taken by the write service. All in one section: the search form
    lists the ward's sections, which grow with its organisation, not its register."""
    organization = OrganizationFactory(**({"name": contractor} if contractor else {}))
    section = Section.objects.order_by("pk").first() or SectionFactory()
    for _ in range(count):
        business = BusinessFactory(section=section)
        ConsignmentFactory(business=business).contractors.set([organization])
        LinkageFactory(business=business)
    records_fill_approved_content(model=Consignment)
    records_fill_approved_content(model=Linkage)


def register_queries(client, **params) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("publication:register"), params)
    assert response.status_code == 200
    return len(queries), response.content


def listed(response) -> list[int]:
    """The records a page lists, by the link to each one's page (its body is cached as
    HTML, so the page shows what it lists, not its context)."""
    return [int(pk) for pk in RECORD_LINK.findall(response.content.decode())]


def contractor_names(response) -> set[str]:
    return {
        name
        for cell in re.findall(r'<td data-label="委託先">(.*?)</td>', response.content.decode())
        for name in cell.split("、")
    }


def answers_listed(response) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r"/register/answers/(\d+)/answer\.pdf", response.content.decode())
    ]


def test_it_shows_one_page_in_the_same_queries_at_two_sizes(client):
    AnswerFactory.create_batch(2, consultation__section=SectionFactory())
    add_pairs(3)
    small, small_page = register_queries(client)
    add_pairs(60)
    large, large_page = register_queries(client)
    assert small == large
    # Each page is measured as the first one built after a change (the sections and the
    # count are kept per change stamp for every page).
    change_stamp_bump()
    searched_small = register_queries(client, contractor="テスト", page="2")[0]
    add_pairs(20)
    assert register_queries(client, contractor="テスト", page="2")[0] == searched_small
    # The page does not grow with the register: a page of records is a page of records.
    assert large_page.count(b'data-label="\xe5\x8a\xb9\xe5\x8a\x9b"') == PAGE_SIZE  # 効力
    assert len(large_page) < 200_000
    assert abs(len(large_page) - len(small_page)) < 200  # the counts in the page links


def test_it_pages_through_every_record_once(client):
    add_pairs(5)  # 10 records, 3 pages of 4
    seen = []
    for number in (1, 2, 3):
        response = client.get(reverse("publication:register"), {"page": number})
        seen += listed(response)
        assert f"{number} / 3 ページ（10件）" in response.content.decode()
    in_force = [*Consignment.objects.in_force(), *Linkage.objects.in_force()]
    assert sorted(seen) == sorted(r.pk for r in in_force) and len(seen) == 10
    # A page past the end shows the last one, a word the first.
    assert listed(client.get(reverse("publication:register"), {"page": 99})) == listed(response)
    first = client.get(reverse("publication:register"), {"page": "次"})
    assert first.status_code == 200 and "1 / 3 ページ（10件）" in first.content.decode()


def test_the_page_links_keep_the_search(client):
    add_pairs(6, contractor="エヌ・ティ・ティ・データ")
    page = client.get(reverse("publication:register"), {"contractor": "ｴﾇ･ﾃｨ"}).content.decode()
    assert "1 / 2 ページ（6件）" in page
    assert 'href="?contractor=%EF%BD%B4' in page and "&amp;page=2" in page


def test_search_matches_any_width_case_and_kana_in_the_database(client):
    add_pairs(2, contractor="ＮＴＴデータ・エヌ")
    add_pairs(3, contractor="株式会社ほかの会社")
    for typed in ["nttﾃﾞｰﾀ", "ＮＴＴ", "えぬ", "ｴﾇ"]:
        response = client.get(reverse("publication:register"), {"contractor": typed})
        assert contractor_names(response) == {"ＮＴＴデータ・エヌ"}, typed
        assert "記録票を表示しています（2件）" in response.content.decode()
    business = Consignment.objects.in_force().first().business
    by_number = client.get(reverse("publication:register"), {"business": business.number})
    # Its Form 2 and its Form 5.
    assert "記録票を表示しています（2件）" in by_number.content.decode()


@pytest.mark.parametrize("model", [Consignment, Linkage])
@pytest.mark.parametrize("column", ["register_business", "register_parties"])
def test_the_search_reads_a_trigram_index_not_every_row(model, column):
    """A search for part of a name (LIKE '%…%') can use the index on PostgreSQL; with the
    few rows here the planner would rather scan, so scanning is ruled out first."""
    query = RegisterQuery(
        **{"business" if column == "register_business" else "contractor": "データ"}
    )
    sql, params = query.filter(model.objects.all()).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"{model._meta.db_table}_{column}_trgm" in plan, plan


def test_answers_are_paged_too(client):
    section = BusinessFactory().section
    AnswerFactory.create_batch(PAGE_SIZE + 1, consultation__section=section)
    first = client.get(reverse("publication:register"))
    second = client.get(reverse("publication:register"), {"answer_page": 2})
    assert len(answers_listed(first)) == PAGE_SIZE
    assert len(answers_listed(second)) == 1
    assert answers_listed(second)[0] not in answers_listed(first)
    assert "answer_page=2" in first.content.decode()


def test_anonymous_pages_carry_an_etag_and_a_repeat_is_not_modified(client, settings):
    settings.PUBLIC_CACHE_SECONDS = 120
    add_pairs(1)
    url = reverse("publication:register")
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=120" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    etag = response["ETag"]
    repeat = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert repeat.status_code == 304 and repeat.content == b""
    assert repeat["ETag"] == etag
    record = Consignment.objects.in_force().first()
    assert (
        client.get(
            reverse("publication:consignment", args=[record.pk]), HTTP_IF_NONE_MATCH=etag
        ).status_code
        == 304
    )
    # Any audited change makes every public page new.
    change_stamp_bump()
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_signed_in_users_page_is_never_public(client):
    client.force_login(UserFactory())
    response = client.get(reverse("publication:register"))
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("ETag")


def test_a_missing_record_is_not_cached(client):
    response = client.get(reverse("publication:consignment", args=[999_999]))
    assert response.status_code == 404 and not response.has_header("ETag")


def test_a_repeat_serves_the_body_kept_as_html_until_a_change(client):
    add_pairs(2)
    url = reverse("publication:register")

    def body_rendered() -> bool:
        response = client.get(url)
        assert listed(response)
        return "publication/_register.html" in [t.name for t in response.templates]

    assert body_rendered()
    assert not body_rendered()  # only the layout around the kept body
    change_stamp_bump()
    assert body_rendered()
