"""付議事項 as printed: Shinjuku's 資料９ from the seed prints page by page as the seed's
own text (tests/seed_forms/agenda_shinjuku.txt, a copy of seed 001), and an amended
record's 別紙 marks what changed since the version the committee last saw."""

import datetime as dt

import pytest
from django.core.management import call_command

from printing.render import render_html
from processing.models import Processing
from registry import roles
from reviews.committee.models import AgendaItem
from reviews.committee.pdf import AGENDA, agenda_context
from reviews.workflow import services as workflow
from reviews.workflow.states import State
from tests.factories import (
    AgendaItemFactory,
    LinkageFactory,
    LinkageItemFactory,
    ProcessingFactory,
    agenda_record,
    user_with_role,
)
from tests.pdf_text import font_names, page_texts, squeeze
from tests.seed_forms import seed_form

SEED = seed_form("agenda_shinjuku")
# Where the packet's text differs from the seed's, as (printed, paper), whitespace removed:
NORMALISATIONS = [
    # The seed registers Shinjuku's section under the department 「新宿区 総務部」, to
    # tell it apart from Nerima's sections; the paper names the department alone.
    ("（担当部課：新宿区 総務部税務課）", "（担当部課：総務部税務課）"),
    # Dates print with full-width digits throughout; the paper mixes widths.
    ("令和７年４月運用開始", "令和7年４月運用開始"),
]
# The seed's data item lists carry their page number (1) after the heading; the packet
# prints none.
LIST_PAGE_NUMBER = "1"
CHECKLIST_HEADINGS = [
    "３　電算処理にかかる個人情報保護対策チェックリスト",
    "４　外部結合にかかる個人情報保護対策チェックリスト",
    *(
        f"開発等を委託する場合における{side}情報保護対策【{kind}】"
        for side in ("区が行う", "委託先に行わせる")
        for kind in ("運用上の対策", "システム上の対策")
    ),
    *(
        f"{side}情報保護対策【{kind}】"
        for side in ("区が行う", "結合先に行わせる")
        for kind in ("運用上の対策", "システム上の対策")
    ),
]


FLOW_TITLE = "軽自動車税納付確認システムに係る個人情報の流れ"


def seed_pages() -> dict[str, str]:
    """The seed's pages in the packet's order."""
    linkages = SEED.split("別紙（電子計算機")
    checklists = SEED.split("・対策が可能であ")[1:]
    return {
        "cover": SEED.split(" 事業の概要")[0],
        "overview": "事業の概要" + SEED.split(" 事業の概要")[1].split(" 別紙（電算処理）")[0],
        "processing": "別紙（電算処理）" + SEED.split("別紙（電算処理）")[1].split(" 別紙（")[0],
        "jnks": "別紙（電子計算機" + linkages[1],
        "airis": "別紙（電子計算機" + linkages[2].split(FLOW_TITLE)[0],
        "flow": FLOW_TITLE + linkages[2].split(FLOW_TITLE)[1].split("（資料９－２）")[0],
        "list_2": "（資料９－２）" + SEED.split("（資料９－２）")[1].split("（資料９－３）")[0],
        "list_3": "（資料９－３）" + SEED.split("（資料９－３）")[1].split("・対策が可能")[0],
        **{f"checklist_{n}": "・対策が可能であ" + page for n, page in enumerate(checklists, 1)},
    }


def normalised(name: str, text: str) -> str:
    text = squeeze(text)
    for printed, paper in NORMALISATIONS:
        text = text.replace(squeeze(printed), squeeze(paper))
    if name.startswith("list_"):
        head, _, rest = text.partition("）")
        text = f"{head}）{LIST_PAGE_NUMBER}{rest}"
    return text


def without_checklist_headings(text: str) -> str:
    """A checklist page's rows alone: the paper's text has its title and list labels
    after the rows, the PDF before them; they are checked on their own."""
    text = squeeze(text)
    for heading in CHECKLIST_HEADINGS:
        text = text.replace(squeeze(heading), "")
    return text


@pytest.mark.usefixtures("seed")
def test_the_seed_item_prints_as_the_seeds_pages_in_order():
    pdf = AGENDA.render(AGENDA.records(ids=[1]))
    printed = page_texts(pdf.content)
    expected = seed_pages()
    assert len(printed) == len(expected) == 12
    for (name, paper), page in zip(expected.items(), printed, strict=True):
        if name == "flow":
            # The paper's drawing is the ward's own; the packet draws the linkages' flows
            # (payments): the same page number, title and parties.
            assert squeeze(page).startswith(f"（資料９－１）{FLOW_TITLE}")
            assert "（資料９－1）" in squeeze(paper) and FLOW_TITLE in paper
            for party in ("新宿区", "地方税共同機構", "自動車検査登録情報協会"):
                assert party in squeeze(page) and party in squeeze(paper), party
        elif name.startswith("checklist_"):
            assert without_checklist_headings(page) == without_checklist_headings(paper), name
        else:
            assert normalised(name, page) == squeeze(paper), name
    assert pdf.missing_glyphs == []
    # The two linkages answer their checklist alike: one set of pages, as on paper.
    assert "４外部結合にかかる個人情報保護対策チェックリスト" in squeeze(printed[10])
    assert "結合先に行わせる情報保護対策【システム上の対策】" in squeeze(printed[11])


@pytest.mark.usefixtures("seed")
def test_printforms_prints_the_seed_item(tmp_path):
    call_command("printforms", kind="agenda", out=tmp_path)
    [path] = tmp_path.iterdir()
    assert path.name == "agenda_1_9_1.pdf"
    assert "資料９" in page_texts(path.read_bytes())[0]


@pytest.mark.django_db
def test_an_amended_record_marks_what_changed_since_the_version_the_committee_saw():
    old = ProcessingFactory(state=State.APPROVED, effective_from=dt.date(2022, 4, 1))
    staff = user_with_role(roles.SECTION_STAFF, old.business.section)
    amendment = workflow.record_amend(actor=staff, record=old)
    amendment = workflow.record_save(
        actor=staff,
        record=amendment,
        data={
            "subject": "税務システムの改修について（小型二輪の追加）",
            "effective_from": dt.date(2025, 4, 1),
        },
        children={
            "changes": [
                {"position": 1, "text": "連携データの作成"},
                {"position": 2, "text": "異動情報の抽出"},
            ]
        },
        loaded_version=amendment.lock_version,
    )
    item = AgendaItemFactory(section=old.business.section)
    agenda_record(item, amendment, amended_since="令和３年度第６回情報公開・個人情報保護審議会")
    [annex] = agenda_context(item)["annexes"]
    assert annex["changed"] == {"subject", "changes"}
    html = render_html(AGENDA.template_name, [agenda_context(item)])
    assert '<td class="amended">税務システムの改修について（小型二輪の追加）</td>' in html
    assert (
        "※太字ゴシック（下線）が、令和３年度第６回情報公開・個人情報保護審議会からの変更箇所"
        in html
    )
    # The numbered list changed; the reason did not.
    assert '<td class="amended"><span class="line">既存の税務システムに' in html
    assert f'<td class="pre ">{old.reason}</td>' in html
    pdf = AGENDA.render(AgendaItem.objects.filter(pk=item.pk))
    assert any("IPAexGothic" in name for name in font_names(pdf.content))


@pytest.mark.django_db
def test_a_record_put_forward_for_the_first_time_has_no_marks():
    record = ProcessingFactory(state=State.SUBMITTED)
    item = AgendaItemFactory(section=record.business.section, flow_number="９－１")
    agenda_record(item, record, amended_since="令和３年度第６回情報公開・個人情報保護審議会")
    context = agenda_context(item)
    assert context["annexes"][0]["changed"] == set()
    # No linkage, no flow to draw: no empty 資料９－１ page.
    assert context["figures"] == []
    assert "（資料９－１）" not in render_html(AGENDA.template_name, [context])
    pdf = AGENDA.render(AgendaItem.objects.filter(pk=item.pk))
    assert not any("IPAexGothic" in name for name in font_names(pdf.content))
    assert Processing.objects.count() == 1


@pytest.mark.django_db
def test_an_amended_linkage_marks_its_changed_form_and_items():
    old = LinkageFactory(connection="LGWAN回線で結合する。", period="令和3年4月1日")
    LinkageItemFactory(linkage=old, name="車台番号", position=1)
    staff = user_with_role(roles.SECTION_STAFF, old.business.section)
    amendment = workflow.record_amend(actor=staff, record=old)
    workflow.record_save(
        actor=staff,
        record=amendment,
        data={
            "connection": "LGWAN回線で結合し、データの送信を行う。",
            "effective_from": dt.date(2025, 4, 1),
        },
        children={
            "items": [
                {"direction": "provided", "position": 1, "name": "車台番号"},
                {"direction": "provided", "position": 2, "name": "車種コード"},
            ]
        },
        loaded_version=amendment.lock_version,
    )
    item = AgendaItemFactory(section=old.business.section)
    agenda_record(item, amendment, amended_since="令和３年度第６回情報公開・個人情報保護審議会")
    [annex] = agenda_context(item)["annexes"]
    assert annex["changed"] == {"connection", "items"}
    html = render_html(AGENDA.template_name, [agenda_context(item)])
    assert '<td class="pre amended">LGWAN回線で結合し、データの送信を行う。</td>' in html
    assert '<td class="pre ">令和3年4月1日</td>' in html
