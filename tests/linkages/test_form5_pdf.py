"""電算結合記録票 (第5号様式): the two seed records print as the seed's paper forms."""

import datetime as dt

import pytest

from linkages.models import Linkage
from linkages.pdf import FORM5
from tests.factories import ConsultationFactory, LinkageFactory, LinkageItemFactory
from tests.pdf_text import font_names, page_texts, squeeze
from tests.seed_forms import seed_form

pytestmark = pytest.mark.usefixtures("seed")

# Where the seed's paper differs from what the official form prints (whitespace removed):
SEED_NORMALISATIONS = [
    # One heading style: full-width brackets, as on Form 2.
    ("第5号様式(第11条関係)", "第5号様式（第11条関係）"),
    # 2020-01 is 令和２年１月 (the paper, typed before the era change, says 平成32年), and
    # dates print with full-width digits throughout.
    (
        "平成32年１月(審議会平成31年１月29日諮問第５号)",
        "令和２年１月(審議会平成３１年１月２９日諮問第５号)",
    ),
]


def expected_text(pk: int) -> str:
    text = squeeze(seed_form(f"form5_{pk}"))
    for old, new in SEED_NORMALISATIONS:
        text = text.replace(squeeze(old), squeeze(new))
    return text


@pytest.mark.parametrize("pk", [1, 2])
def test_it_prints_each_seed_record_as_the_seed_form(pk):
    pdf = FORM5.render(Linkage.objects.with_form_data().filter(pk=pk))
    texts = page_texts(pdf.content)
    assert len(texts) == 1
    assert squeeze(texts[0]) == expected_text(pk)
    assert pdf.missing_glyphs == []
    assert any("IPAexMincho" in name for name in font_names(pdf.content))


def test_it_prints_an_amendment_with_its_council_reference():
    linkage = LinkageFactory(
        linked_on=dt.date(2019, 4, 1),
        changed_on=dt.date(2024, 10, 1),
        change_consultation=ConsultationFactory(number=7, consulted_on=dt.date(2024, 8, 20)),
        partner_role="",
    )
    LinkageItemFactory(linkage=linkage, name="氏名", position=1)
    LinkageItemFactory(linkage=linkage, name="住所", position=2)
    text = page_texts(FORM5.render(Linkage.objects.with_form_data().filter(pk=linkage.pk)).content)[
        0
    ]
    assert "平成３１年４月 (審議会　　年　月　日 諮問第　号)" in text
    assert "令和６年１０月 (審議会 令和６年８月２０日 諮問第７号)" in text
    assert "東京都練馬区豊玉北６－１２－１" in text
    assert "〔提供する管理個人情報〕\n氏名、住所" in text
