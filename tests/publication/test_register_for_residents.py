"""The public register as a resident uses it: a page per record (not only the PDF), an
explanation of 事前一括承認基準 and each category, and search by section, business and
contractor."""

import re

import pytest
from django.urls import reverse

from consignments.models import Consignment
from linkages.models import Linkage
from publication.register import RegisterQuery
from reviews.models import PreApprovalCategory
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory

pytestmark = pytest.mark.usefixtures("seed")


def test_each_published_record_has_its_own_page_linked_from_the_register(client):
    record = Consignment.objects.in_force().get(
        business__number="0404-01", contractor_type="収納代行事業者"
    )
    url = reverse("publication:consignment", args=[record.pk])
    assert f'href="{url}"' in client.get(reverse("publication:register")).content.decode()
    page = client.get(url).content.decode()
    assert "外部委託記録票（第2号様式）" in page and "株式会社エヌ・ティ・ティ・データ" in page
    assert "納付者から支払われた納付結果情報を取りまとめ" in page
    assert '■<span class="visually-hidden">（該当）</span> 再委託の禁止' in page
    assert reverse("publication:form2_pdf", args=[record.pk]) in page


def test_a_published_linkage_has_its_page_and_a_submitted_one_has_none(client):
    published = Linkage.objects.in_force().first()
    page = client.get(reverse("publication:linkage", args=[published.pk])).content.decode()
    assert "電算結合記録票（第5号様式）" in page and "〔提供する管理個人情報〕" in page
    submitted = Linkage.objects.filter(state=State.SUBMITTED).first()
    assert client.get(reverse("publication:linkage", args=[submitted.pk])).status_code == 404


def test_drafts_have_no_public_page(client):
    draft = ConsignmentFactory(state=State.DRAFT)
    response = client.get(reverse("publication:consignment", args=[draft.pk]))
    assert response.status_code == 404
    assert "ページが見つかりません" in response.content.decode()


def test_the_criteria_page_explains_each_category_with_its_examples(client):
    page = client.get(reverse("publication:criteria")).content.decode()
    assert "事前一括承認基準とは" in page and "審議会に諮問します" in page
    for category in PreApprovalCategory.objects.prefetch_related("examples"):
        assert str(category) in page and category.rule in page
        for example in category.examples.all():
            assert example.text in page
    assert (
        reverse("publication:criteria")
        in client.get(reverse("publication:register")).content.decode()
    )


def contractor_types(client, **query) -> list[str]:
    page = client.get(reverse("publication:register"), query).content.decode()
    return sorted(re.findall(r'<td data-label="委託先業種">(.*?)</td>', page))


def test_residents_search_by_business_contractor_and_section(client):
    everything = contractor_types(client)
    by_business = contractor_types(client, business="０４０４－０２")  # full-width, as typed
    assert by_business and len(by_business) < len(everything)
    assert contractor_types(client, business="軽自動車税") == by_business
    assert contractor_types(client, contractor="ＬＩＮＥ") == ["電子マネー事業者"] * len(
        contractor_types(client, contractor="LINE")
    )
    assert contractor_types(client, section="区民部 収納課") == everything
    assert contractor_types(client, section="存在しない課") == []
    page = client.get(reverse("publication:register"), {"contractor": "該当なし株式会社"})
    assert "検索の条件に合う記録票はありません" in page.content.decode()


def test_an_empty_query_matches_everything_and_is_false():
    assert not RegisterQuery()
    assert RegisterQuery(contractor="x")
