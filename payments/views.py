"""Staff pages showing each payment channel with its diagrams and rule problems."""

import datetime as dt

from django.contrib import admin
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe

from notation import wareki
from payments import diagrams, rules
from payments.models import Channel, Flow


def _overview_dates() -> list[dt.date]:
    """Today, and the day before the latest change of any flow: the seed's 全体図 shows
    the design before and after 令和2年1月 side by side."""
    today = timezone.localdate()
    starts = [
        d
        for d in Flow.objects.filter(channels__isnull=False).values_list(
            "effective_from", flat=True
        )
        if d and d <= today
    ]
    if not starts:
        return [today]
    return [max(starts) - dt.timedelta(days=1), today]


@login_required
@permission_required("payments.view_channel", raise_exception=True)
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = Channel.objects.select_related("category")
    overviews = [
        (f"{wareki.format_date(on)}現在", mark_safe(diagrams.overview_svg(on=on)))
        for on in _overview_dates()
    ]
    return render(
        request,
        "payments/channel_list.html",
        admin.site.each_context(request)
        | {"title": "納付チャネルとデータの流れ", "channels": channels, "overviews": overviews},
    )


@login_required
@permission_required("payments.view_channel", raise_exception=True)
def channel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    channel = get_object_or_404(Channel.objects.select_related("category"), pk=pk)
    flows = diagrams.channel_flows(channel)
    periods = [
        {
            "period": period,
            "svg": mark_safe(svg),  # Graphviz escapes every label it writes.
            "flows": [f for f in flows if f.is_in_force_on(period.on)],
        }
        for period, svg in diagrams.channel_diagrams(channel)
    ]
    problems = rules.problems_for_flows({flow.pk for flow in flows})
    return render(
        request,
        "payments/channel_detail.html",
        admin.site.each_context(request)
        | {
            "title": f"{channel.name}による納付",
            "channel": channel,
            "periods": periods,
            "problems": problems,
        },
    )
