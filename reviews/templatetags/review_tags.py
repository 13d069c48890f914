"""Filters the staff and public pages of every record type use. Django looks for tag
libraries only in an installed app's `templatetags`, so this belongs to the app as a
whole, not to one of its three parts."""

import datetime as dt
import functools

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from notation import wareki
from notation.people import person_name

register = template.Library()


@functools.cache
def _reversed(prefix: str, urlconf: str, name: str) -> str:
    return reverse(name, urlconf=urlconf)


@register.simple_tag
def fixed_url(name: str) -> str:
    """{% url name %} for an address without arguments, reversed once per process, script
    prefix and URLconf: the header names a dozen of them on every page."""
    return _reversed(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name)


@register.filter
def wareki_date(value: dt.date | None) -> str:
    """令和2年1月1日: dates on the staff pages read as on the paper forms."""
    return wareki.format_date(value) if value else ""


@register.filter
def wareki_month(value: dt.date | None) -> str:
    return wareki.format_month(value) if value else ""


@register.filter
def person(user) -> str:
    """A user's name in Japanese order (family name first), or the login name."""
    return person_name(user)
