"""A stacked bar per summary row, drawn as inline SVG on the server (no JavaScript)."""

from django import template
from django.utils.html import format_html, format_html_join

from publication.summary import KINDS, Row

register = template.Library()

WIDTH, HEIGHT = 240, 14
COLOURS = {"new": "#2e7d32", "amended": "#1565c0", "retired": "#9e9e9e"}


@register.simple_tag
def bar_chart(row: Row, max_count: int):
    x = 0.0
    bars = []
    for kind, label in KINDS:
        count = row.counts[kind]
        if not count:
            continue
        width = WIDTH * count / max_count
        bars.append((x, width, COLOURS[kind], f"{label} {count}件"))
        x += width
    return format_html(
        '<svg class="bar" width="{}" height="{}" role="img" aria-label="{}">{}</svg>',
        WIDTH,
        HEIGHT,
        "、".join(title for *_, title in bars) or "0件",
        format_html_join(
            "",
            '<rect x="{}" y="0" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
            ((f"{x:.1f}", f"{w:.1f}", HEIGHT, colour, title) for x, w, colour, title in bars),
        ),
    )
