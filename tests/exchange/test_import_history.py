"""取り込み履歴 reads as sentences: counts as 新規・変更・変更なし・誤り, not raw JSON."""

import pytest
from django.urls import reverse

from exchange.models import ImportRecord
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record():
    return ImportRecord.objects.create(
        user=UserFactory(),
        register="相手方",
        resource_path="registry.resources.OrganizationResource",
        file_name="相手方.xlsx",
        file_format="xlsx",
        state=ImportRecord.State.REFUSED,
        counts={"update": 1, "invalid": 2},
        messages=["3行目 「名称」を入力してください。"],
    )


def test_the_counts_read_as_a_sentence(record):
    assert record.counts_text == "新規 0件・変更 1件・変更なし 0件・誤り 2件"
    record.counts = {}
    assert record.counts_text == ""


def test_the_history_shows_counts_and_messages_without_json(admin_client, record):
    for url in (
        reverse("admin:exchange_importrecord_changelist"),
        reverse("admin:exchange_importrecord_change", args=[record.pk]),
    ):
        html = admin_client.get(url).content.decode()
        assert "新規 0件・変更 1件・変更なし 0件・誤り 2件" in html
        assert "&quot;update&quot;" not in html and '"update"' not in html
    assert "<p>3行目 「名称」を入力してください。</p>" in html
