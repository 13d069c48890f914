"""django-import-export's messages reach users in Japanese: its own catalogue leaves
some empty, and locale/ja fills them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from tests.exchange.conftest import xlsx_bytes

pytestmark = pytest.mark.usefixtures("seed")

NO_DATA = "No valid data to import. Ensure your file has the correct headers or data for import."


def test_the_no_data_message_is_japanese():
    with translation.override("ja"):
        assert translation.gettext(NO_DATA) == (
            "取り込めるデータがありません。ファイルの見出し行と、その下のデータを確かめてください。"
        )


def test_a_file_with_headers_only_is_refused_in_japanese(admin_client, post_to_worker):
    headers = ["名称", "住所", "約款による外部サービス", "備考"]
    response = post_to_worker(
        admin_client,
        reverse("admin:registry_organization_import"),
        {"format": "0", "import_file": SimpleUploadedFile("相手方.xlsx", xlsx_bytes(headers, []))},
    )
    # The worker reads the file; the refusal is on the import's progress page.
    page = admin_client.get(response.url).content.decode()
    assert "No valid data" not in page
    assert "取り込めるデータがありません" in page
