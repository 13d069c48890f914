"""fixed_url: the header's addresses, reversed once per process but still following
the script prefix the site is served under."""

from django.template import Context, Template
from django.urls import get_script_prefix, reverse, set_script_prefix

TEMPLATE = Template("{% load review_tags %}{% fixed_url 'consignments:list' %}")


def test_it_answers_as_url_does_under_each_script_prefix():
    before = get_script_prefix()
    try:
        assert TEMPLATE.render(Context()) == reverse("consignments:list")
        set_script_prefix("/ward/")
        assert TEMPLATE.render(Context()) == "/ward/consignments/"
        assert TEMPLATE.render(Context()) == reverse("consignments:list")
    finally:
        set_script_prefix(before)
