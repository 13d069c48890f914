"""Template filters for the official forms."""

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def spread(label: str) -> SafeString:
    """A label spread across its cell (均等割り): "預託する管理個人|情報の記録の種別".

    WeasyPrint justifies a line by widening its spaces only, so the characters are
    separated by spaces (the stylesheet makes them narrow); "|" starts a new line,
    as the paper form breaks its long labels.
    """
    lines = [" ".join(conditional_escape(char) for char in line) for line in label.split("|")]
    return format_html_join(mark_safe("<br>"), "{}", ((SafeString(line),) for line in lines))
