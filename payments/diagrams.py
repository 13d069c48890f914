"""Flow diagrams like the seed's 委託構成図: boxes for the parties, arrows labelled with
the item set (納付書情報, 納付結果情報, 収納金). Drawn on the server by Graphviz as SVG,
so the page and the PDF embed the same drawing.

Public entry points, each returning an SVG document as a string:
`flows_svg`, `channel_svg`, `linkage_svg`, `linkage_items_svg`, `consignment_svg`,
`overview_svg`; `channel_periods` splits a
channel's history into the periods whose diagrams differ (before / after 令和2年1月).
"""

import datetime as dt
import functools
import itertools
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from consignments.models import Consignment
from linkages.models import Linkage
from notation import wareki
from payments.models import Channel, Flow, Party

# The same Japanese font the PDFs use for Gothic text; Graphviz measures the labels
# with it, so the boxes fit the text in both the page and the PDF.
FONT = "IPAexGothic"
DOT_TIMEOUT_SECONDS = 30

_DRAWING_NUMBERS = itertools.count(1)
_PLACEHOLDER_ID = "flowsDRAWINGID"
# Graphviz prefixes every id (and the links to them) with the graph's id.
# Graphviz's own <title> of every node, arrow and group: its ids (flows, p2, p2->p8),
# which a browser shows on hover and a screen reader reads; titled() gives the drawing
# its one Japanese title instead.
_GRAPHVIZ_TITLE = re.compile(r"<title>[^<]*</title>\s*")
_ID_ATTRIBUTE = re.compile(rf'((?:id|href)="#?){_PLACEHOLDER_ID}')

_WARD_FILL = "#dbeafe"
_TOS_FILL = "#fde2e2"
_PAYER_FILL = "#f3f4f6"


def _quote(text: str) -> str:
    """A Graphviz double-quoted string; newlines become centred line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n") + '"'


def _node_attributes(party: Party) -> str:
    attrs = {"label": party.label}
    if party.role == Party.Role.WARD:
        style = f'style="filled,bold", fillcolor="{_WARD_FILL}"'
    elif party.role == Party.Role.PAYER:
        style = f'shape=ellipse, style=filled, fillcolor="{_PAYER_FILL}"'
    elif party.organization and party.organization.is_terms_of_service:
        attrs["label"] = f"{party.label}\n（約款による外部サービス）"
        style = f'style=filled, fillcolor="{_TOS_FILL}"'
    else:
        style = "style=solid"
    return f"label={_quote(attrs['label'])}, {style}"


@dataclass
class _Edge:
    sender: Party
    receiver: Party
    via: Party | None
    label: str
    line: str
    carries_data: bool
    channels: list[str]


def _edges(
    flows: Iterable[Flow], *, with_channels: bool, shown_channels: set[int] | None = None
) -> list[_Edge]:
    """One arrow per sender, receiver, relay, label and line; an arrow several channels
    share is drawn once and, in the overview, lists them."""
    merged: dict[tuple, _Edge] = {}
    for flow in flows:
        key = (flow.sender_id, flow.receiver_id, flow.via_id, flow.arrow_label, flow.line)
        edge = merged.get(key)
        if edge is None:
            edge = merged[key] = _Edge(
                flow.sender,
                flow.receiver,
                flow.via,
                flow.arrow_label,
                flow.get_line_display() if flow.line else "",
                bool(flow.carried_items()),
                [],
            )
        if with_channels:
            for channel in flow.channels.all():
                if shown_channels is not None and channel.pk not in shown_channels:
                    continue
                if channel.name not in edge.channels:
                    edge.channels.append(channel.name)
    return list(merged.values())


def _edge_label(edge: _Edge) -> str:
    lines = [edge.label]
    if edge.line:
        lines.append(f"［{edge.line}］")
    if edge.channels:
        lines.append("（" + "・".join(edge.channels) + "）")
    return "\n".join(lines)


def flows_dot(
    flows: Iterable[Flow],
    *,
    title: str = "",
    with_channels: bool = False,
    shown_channels: set[int] | None = None,
    graph_id: str = "flows",
) -> str:
    """The Graphviz source for a set of flows; with `with_channels`, each arrow lists the
    channels it serves (only those in `shown_channels`, when given). Graphviz prefixes
    every element id in the SVG with `graph_id`."""
    flows = list(flows)
    edges = _edges(flows, with_channels=with_channels, shown_channels=shown_channels)
    parties: dict[int, Party] = {}
    for edge in edges:
        for party in (edge.sender, edge.receiver, edge.via):
            if party is not None:
                parties.setdefault(party.pk, party)
    out = [
        "digraph flows {",
        f"  graph [id={_quote(graph_id)}];",
        f'  graph [fontname="{FONT}", fontsize=12, rankdir=TB, nodesep=0.6, ranksep=0.7,'
        f" labelloc=t, label={_quote(title)}, bgcolor=white];",
        f'  node [fontname="{FONT}", fontsize=12, shape=box, margin="0.2,0.1"];',
        f'  edge [fontname="{FONT}", fontsize=10];',
    ]
    for pk, party in sorted(parties.items()):
        out.append(f"  p{pk} [{_node_attributes(party)}];")
    # The payer starts every story and the ward ends it, as in the seed's drawings.
    payers = [pk for pk, p in parties.items() if p.role == Party.Role.PAYER]
    wards = [pk for pk, p in parties.items() if p.role == Party.Role.WARD]
    if payers:
        out.append("  { rank=min; " + " ".join(f"p{pk};" for pk in payers) + " }")
    if wards and payers:
        out.append("  { rank=max; " + " ".join(f"p{pk};" for pk in wards) + " }")
    for edge in edges:
        if edge.carries_data:
            style = "color=black, penwidth=1.4"
        elif edge.label == "収納金":
            style = 'color="#6b7280", fontcolor="#374151", style=dashed'
        else:
            style = 'color="#6b7280", fontcolor="#374151", style=dotted'
        label = _quote(_edge_label(edge))
        if edge.via is None:
            out.append(f"  p{edge.sender.pk} -> p{edge.receiver.pk} [label={label}, {style}];")
        else:
            # Two arrows through the relay; the label sits on the first one, naming
            # what the relay passes on.
            out.append(f"  p{edge.sender.pk} -> p{edge.via.pk} [label={label}, {style}];")
            out.append(f"  p{edge.via.pk} -> p{edge.receiver.pk} [{style}];")
    out.append("}")
    return "\n".join(out)


def render_svg(dot_source: str) -> str:
    """Run Graphviz `dot` and return the SVG document (without the XML prolog, so the
    result can be put straight into an HTML page).

    The drawing depends only on the DOT text, which holds every label and party of the
    flows as they are on the day drawn: the same text is drawn once per process (a
    changed flow gives other text, so nothing stale is ever shown)."""
    return _render_svg(dot_source)


@functools.lru_cache(maxsize=512)
def _render_svg(dot_source: str) -> str:
    result = subprocess.run(
        ["dot", "-Tsvg"],
        input=dot_source.encode(),
        capture_output=True,
        check=True,
        timeout=DOT_TIMEOUT_SECONDS,
    )
    svg = result.stdout.decode()
    return _GRAPHVIZ_TITLE.sub("", svg[svg.index("<svg") :])


def flows_svg(
    flows: Iterable[Flow],
    *,
    title: str = "",
    with_channels: bool = False,
    shown_channels: set[int] | None = None,
) -> str:
    # Pages and the report PDF put several drawings in one document: each needs ids of
    # its own (WeasyPrint warns of, and browsers mis-link, repeated ids). The drawing is
    # made (and cached) with a placeholder id, numbered afterwards.
    svg = render_svg(
        flows_dot(
            flows,
            title=title,
            with_channels=with_channels,
            shown_channels=shown_channels,
            graph_id=_PLACEHOLDER_ID,
        )
    )
    return _ID_ATTRIBUTE.sub(rf"\g<1>flows{next(_DRAWING_NUMBERS)}", svg)


def titled(svg: str, text: str) -> str:
    """The drawing with `text` as its <title>, the svg element's first child: what a
    screen reader says for it, and the /Alt WeasyPrint gives its /Figure in a tagged PDF
    (Graphviz puts its own title inside a group, where neither looks)."""
    end = svg.index(">", svg.index("<svg")) + 1
    return f"{svg[:end]}<title>{escape(text)}</title>{svg[end:]}"


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None

    @property
    def title(self) -> str:
        start = wareki.format_date(self.start) if self.start else "当初"
        if self.end is None:
            return f"{start}以降" if self.start else "当初から"
        return f"{start}から{wareki.format_date(self.end)}まで"

    @property
    def on(self) -> dt.date:
        """The day whose flows this period's diagram shows."""
        return self.start or self.end or timezone.localdate()


def channel_periods(channel: Channel, flows: list[Flow]) -> list[Period]:
    """The periods in which the channel's flows stay the same, from the channel's start."""
    starts: set[dt.date] = set()
    for flow in flows:
        if flow.effective_from:
            starts.add(flow.effective_from)
        if flow.effective_until:
            starts.add(flow.effective_until + dt.timedelta(days=1))
    if channel.started_on:
        starts = {d for d in starts if d > channel.started_on} | {channel.started_on}
    boundaries: list[dt.date | None] = sorted(starts)
    if not channel.started_on:
        boundaries.insert(0, None)
    periods = []
    for index, start in enumerate(boundaries):
        nxt = boundaries[index + 1] if index + 1 < len(boundaries) else None
        periods.append(Period(start, nxt - dt.timedelta(days=1) if nxt else None))
    return periods


def channel_flows(channel: Channel) -> list[Flow]:
    return list(Flow.objects.with_parties().filter(channels=channel))


def channel_svg(channel: Channel, on: dt.date | None = None) -> str:
    """The channel's 委託構成図 on a given day (today by default)."""
    on = on or timezone.localdate()
    flows = [f for f in channel_flows(channel) if f.is_in_force_on(on)]
    return flows_svg(flows, title=f"{channel.name}による納付（{wareki.format_date(on)}現在）")


def channel_diagrams(channel: Channel) -> list[tuple[Period, str]]:
    """One diagram per period in which the channel's flows differ, oldest first."""
    flows = channel_flows(channel)
    return [
        (
            period,
            flows_svg(
                [f for f in flows if f.is_in_force_on(period.on)],
                title=f"{channel.name}による納付（{period.title}）",
            ),
        )
        for period in channel_periods(channel, flows)
    ]


def linkage_flows(linkage: Linkage, on: dt.date | None = None) -> list[Flow]:
    """The linkage's own flows: between its section and its partner, for its business,
    carrying one of its own items (個人情報の記録項目, by name), and the lines those run
    on. A flow of the same business and partner that carries none of its items is
    another linkage's data and is not drawn; nor is money."""
    on = on or timezone.localdate()
    names = {item.name for item in linkage.items.all()}
    flows = (
        Flow.objects.with_parties()
        .in_force(on)
        .filter(tax_types__business=linkage.business_id)
        .distinct()
    )
    between = [
        flow
        for flow in flows
        if {flow.sender.organization_id, flow.receiver.organization_id} & {linkage.partner_id}
        and linkage.business.section_id in {flow.sender.section_id, flow.receiver.section_id}
    ]
    carrying = [f for f in between if names & {item.name for item in f.carried_items()}]
    if not carrying:
        return []
    return [f for f in between if f in carrying or (f.line and not f.carried_items())]


def linkage_items_svg(linkage: Linkage, on: dt.date) -> str:
    """The linkage drawn from its own items when no flow carries them: the section and
    the partner, an arrow each way listing what is provided and what is received."""
    items = list(linkage.items.all())
    provided = [i.name for i in items if i.direction == i.Direction.PROVIDED]
    received = [i.name for i in items if i.direction == i.Direction.RECEIVED]
    title = (
        f"電算結合 {linkage.business.number} {linkage.partner.name}"
        f"（{wareki.format_date(on)}現在・記録項目から）"
    )
    out = [
        "digraph items {",
        f"  graph [id={_quote(_PLACEHOLDER_ID)}];",
        f'  graph [fontname="{FONT}", fontsize=12, rankdir=LR, labelloc=t,'
        f" label={_quote(title)}, bgcolor=white];",
        f'  node [fontname="{FONT}", fontsize=12, shape=box, margin="0.2,0.1"];',
        f'  edge [fontname="{FONT}", fontsize=10];',
        f"  ward [label={_quote(str(linkage.business.section))}, style=filled,"
        f' fillcolor="{_WARD_FILL}"];',
        f"  partner [label={_quote(linkage.partner.name)}];",
    ]
    if provided:
        out.append(f"  ward -> partner [label={_quote(chr(10).join(provided))}];")
    if received:
        out.append(f"  partner -> ward [label={_quote(chr(10).join(received))}];")
    out.append("}")
    svg = render_svg("\n".join(out))
    return _ID_ATTRIBUTE.sub(rf"\g<1>flows{next(_DRAWING_NUMBERS)}", svg)


def record_day(record: Linkage | Consignment) -> dt.date:
    """The day a record's diagram shows: today, or its first day if it is not yet in
    force, or its last day if it has been abolished."""
    today = timezone.localdate()
    on = max(today, record.effective_from) if record.effective_from else today
    if record.effective_until and on > record.effective_until:
        on = record.effective_until
    return on


def linkage_svg(
    linkage: Linkage, on: dt.date | None = None, flows: list[Flow] | None = None
) -> str:
    """The linkage as a diagram: what the ward sends its partner and receives back
    (`flows` when the caller has already read `linkage_flows(linkage, on)`)."""
    on = on or record_day(linkage)
    return flows_svg(
        linkage_flows(linkage, on) if flows is None else flows,
        title=f"電算結合 {linkage.business.number} {linkage.partner.name}"
        f"（{wareki.format_date(on)}現在）",
    )


def consignment_flows(consignment: Consignment, on: dt.date | None = None) -> list[Flow]:
    """The flows of the record's business in which one of its contractors (委託先) takes
    part, as sender, receiver or relay: what the Form 2 record entrusts to them."""
    on = on or record_day(consignment)
    contractors = {organization.pk for organization in consignment.contractors.all()}
    if not contractors:
        return []
    flows = (
        Flow.objects.with_parties()
        .in_force(on)
        .filter(tax_types__business=consignment.business_id)
        .filter(
            Q(sender__organization__in=contractors)
            | Q(receiver__organization__in=contractors)
            | Q(via__organization__in=contractors)
        )
        .distinct()
    )
    return list(flows)


def consignment_svg(consignment: Consignment, flows: list[Flow], on: dt.date | None = None) -> str:
    """The record's contractors in their flows (from `consignment_flows`) as a diagram."""
    on = on or record_day(consignment)
    names = "・".join(organization.name for organization in consignment.contractors.all())
    return flows_svg(
        flows,
        title=f"委託構成図 {consignment.business.number} {names}（{wareki.format_date(on)}現在）",
    )


def overview_svg(channels: Iterable[Channel] | None = None, on: dt.date | None = None) -> str:
    """The 全体図 of several channels (all by default) on one day, each shared arrow
    listing the channels it serves; a report on new channels embeds this."""
    on = on or timezone.localdate()
    flows = Flow.objects.with_parties().in_force(on).filter(channels__isnull=False)
    shown = None
    if channels is not None:
        shown = {channel.pk for channel in channels}
        flows = flows.filter(channels__in=shown)
    return flows_svg(
        flows.distinct(),
        title=f"収納方法に関する全体図（{wareki.format_date(on)}現在）",
        with_channels=True,
        shown_channels=shown,
    )
