"""The diagrams payments contributes to the reviews app's documents and record pages,
registered by config.wiring (see reviews.figures for why it is a hook)."""

from django.db.models import Model
from django.utils.safestring import mark_safe

from consignments.models import Consignment
from linkages.models import Linkage
from notation import wareki
from payments import diagrams
from payments.models import Channel
from reviews.figures import Figure
from reviews.models import ReportItem


def channel_for_report_item(item: ReportItem) -> Channel | None:
    """The channel the item introduces: the one whose name the item's name contains,
    the longest such name winning (「モバイルレジクレジットによる納付」 is モバイルレジ
    クレジット, not モバイルレジ)."""
    named = [channel for channel in Channel.objects.all() if channel.name in item.name]
    return max(named, key=lambda channel: len(channel.name), default=None)


def report_item_figures(item: ReportItem) -> list[Figure]:
    channel = channel_for_report_item(item)
    if channel is None:
        return []
    title = f"委託構成図（{channel.name}による納付）"
    svg = diagrams.titled(diagrams.channel_svg(channel, on=item.applies_from), title)
    # Graphviz escapes every label it writes, titled() the title; only that is marked safe.
    return [Figure(title=title, svg=mark_safe(svg))]


def record_figures(record: Model) -> list[Figure]:
    """Form 5: the linkage's flows. Form 2: the flows its contractors take part in.
    Nothing when no flow is recorded, so the page shows no empty drawing."""
    if isinstance(record, Linkage):
        on = diagrams.record_day(record)
        flows = diagrams.linkage_flows(record, on)
        if not flows:
            return _items_figures(record, on)
        svg = diagrams.linkage_svg(record, on, flows)
        title = "データの流れ"
    elif isinstance(record, Consignment):
        on = diagrams.record_day(record)
        flows = diagrams.consignment_flows(record, on)
        if not flows:
            return []
        svg = diagrams.consignment_svg(record, flows, on)
        title = "委託構成図"
    else:
        return []
    title = f"{title}（{wareki.format_date(on)}現在）"
    return [Figure(title=title, svg=mark_safe(diagrams.titled(svg, title)))]


NO_FLOW_WARNING = (
    "この記録票の記録項目を運ぶデータの流れが登録されていません。"
    "下の図は記録票の記録項目から描いたものです。データの流れを登録してください。"
)


def _items_figures(linkage: Linkage, on) -> list[Figure]:
    """A linkage no flow carries the items of: a warning, and its items drawn."""
    if not linkage.items.exists():
        return []
    title = f"記録項目（{wareki.format_date(on)}現在）"
    svg = diagrams.titled(diagrams.linkage_items_svg(linkage, on), title)
    return [
        Figure(
            title=title,
            svg=mark_safe(svg),
            warning=NO_FLOW_WARNING,
        )
    ]


def records_figures(records: list[Model], title: str) -> list[Figure]:
    """The flows of every linkage among records (an agenda item's), as one drawing: the
    ward, its partners and the items each line carries, on each linkage's day; a linkage
    none of whose items a flow carries is drawn from its items, with the warning."""
    flows: dict[int, object] = {}
    unflowed: list[Figure] = []
    for record in records:
        if isinstance(record, Linkage):
            on = diagrams.record_day(record)
            own = diagrams.linkage_flows(record, on)
            for flow in own:
                flows.setdefault(flow.pk, flow)
            if not own:
                unflowed += _items_figures(record, on)
    # The page heads the drawing with the title; the drawing repeats none.
    svg = diagrams.titled(diagrams.flows_svg(flows.values()), title)
    drawn = [Figure(title=title, svg=mark_safe(svg))]
    return (drawn if flows else []) + unflowed
