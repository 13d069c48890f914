"""外部委託記録票 (第2号様式): the ten seed records print as the seed's paper forms."""

import pytest

from consignments.models import Consignment
from consignments.pdf import FORM2
from tests.factories import ConsignmentFactory
from tests.pdf_text import font_names, page_texts, squeeze
from tests.seed_forms import seed_form

pytestmark = pytest.mark.usefixtures("seed")

# The seed is a scan of paper forms typed over the years; these are the places where it
# differs from what the official form prints, each replaced explicitly in the expected
# text (after whitespace is removed):
SEED_NORMALISATIONS = [
    # The heading is printed one way; the seed has both half- and full-width brackets.
    ("第2号様式(第6条関係)", "第2号様式（第6条関係）"),
    # Dates print in the correct era: 2020-01-01 is 令和２年, not 平成３２年 as on paper.
    ("平成３２年１月１日以降継続", "令和２年１月１日以降継続"),
    # Dates print with full-width digits throughout (the paper mixes them).
    ("平成31年４月１日以降継続", "平成３１年４月１日以降継続"),
]
# The two 収納代行事業者 forms use an older copy of the form: a typo in a label (勤務成債)
# and no その他 row under 記録の種別. We print the official labels and every row.
OLD_FORM_COPY = [
    ("勤務成債", "勤務成績"),
    (
        "思想信条(支持政党、宗教、主義・主張など)委託",
        "思想信条(支持政党、宗教、主義・主張など)□その他()委託",
    ),
]
OLD_FORM_COPY_PKS = {1, 6}


def expected_text(pk: int) -> str:
    text = squeeze(seed_form(f"form2_{pk}"))
    replacements = SEED_NORMALISATIONS + (OLD_FORM_COPY if pk in OLD_FORM_COPY_PKS else [])
    for old, new in replacements:
        text = text.replace(squeeze(old), squeeze(new))
    return text


def marks(text: str) -> str:
    return "".join(char for char in text if char in "■□")


@pytest.mark.parametrize("pk", range(1, 11))
def test_it_prints_each_seed_record_as_the_seed_form(pk):
    consignment = Consignment.objects.with_form_data().get(pk=pk)
    pdf = FORM2.render([consignment])
    texts = page_texts(pdf.content)
    assert len(texts) == 1, "a seed form fits on one A4 page"
    printed = squeeze(texts[0])
    expected = expected_text(pk)
    assert marks(printed) == marks(expected), "every box ticked as in the seed"
    assert printed == expected
    assert pdf.missing_glyphs == []


def test_it_prints_the_number_and_dates_in_official_notation():
    consignment = Consignment.objects.with_form_data().get(pk=9)  # 0404-02, from 2020-01-01
    text = page_texts(FORM2.render([consignment]).content)[0]
    assert "０４０４―０２" in text
    assert "■ 令和２年１月１日以降継続" in text
    assert "□ 　　年　　月　　日 諮問第　　号" in text
    assert "■ 事前一括承認基準(３‐１６)" in text


def test_it_embeds_the_mincho_font():
    pdf = FORM2.render([Consignment.objects.with_form_data().get(pk=1)])
    assert any(
        name.startswith("embedded:") and "IPAexMincho" in name for name in font_names(pdf.content)
    )


def test_it_prints_a_fixed_period_and_the_blank_placeholders():
    import datetime as dt

    consignment = ConsignmentFactory(
        period_kind=Consignment.PeriodKind.FIXED,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2025, 3, 31),
        conditions_other="年次報告",
    )
    text = squeeze(
        page_texts(
            FORM2.render(Consignment.objects.with_form_data().filter(pk=consignment.pk)).content
        )[0]
    )
    assert "■令和６年４月１日から令和７年３月３１日まで□年月日以降継続" in text
    # No council reference at all: both placeholders print, unticked.
    assert "審議会事項□年月日諮問第号□事前一括承認基準(‐)" in text
    assert "□その他()委託の条件" in text  # 記録の種別: その他 empty
    assert "■その他(年次報告)" in text
    assert marks(text).count("■") == 2


def test_it_prints_markup_in_a_record_as_text_and_fetches_nothing(monkeypatch):
    from printing import render

    fetched: list[str] = []
    original = render.StaticOnlyURLFetcher.fetch

    def recording_fetch(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(render.StaticOnlyURLFetcher, "fetch", recording_fetch)
    markup = '<img src="file:///etc/passwd">'
    consignment = ConsignmentFactory(content=f"委託内容{markup}", contractor_type="<b>業種</b>")
    pdf = FORM2.render(Consignment.objects.with_form_data().filter(pk=consignment.pk))
    text = page_texts(pdf.content)[0]
    assert markup in text
    assert "<b>業種</b>" in text
    assert fetched == []
    assert "root:" not in text


def test_it_renders_a_batch_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        pdf = FORM2.render(Consignment.objects.with_form_data())
    assert pdf.pages == 10
