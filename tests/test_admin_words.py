"""Every admin page a superuser or a clerk (事務局) reaches names its things in Japanese:
app and model names, column headers, filter titles and choices, form labels. Record
content is not checked here (a contractor may be called LINE Pay)."""

import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.filters import ListFilter, RelatedFieldListFilter
from django.contrib.admin.templatetags.admin_list import result_headers
from django.urls import reverse
from django.utils.html import strip_tags

from registry.roles import CLERK
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")

# Words a clerk reads as they are: the names of file formats, identifiers and networks
# (回線種別 LGWAN, ISDN, IP-VPN; the MPN of Pay-easy), HTTP's own names for what the login
# log records, and the login library's name in its app's title (ログインの制限（django-axes）).
ALLOWED = {
    *("PDF", "Excel", "CSV", "ID", "URL", "No"),
    *("LGWAN", "ISDN", "IP-VPN", "MPN"),
    *("IP", "HTTP", "User-Agent", "Accept"),
    "django-axes",
}
WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]")


def english(text) -> list[str]:
    return [word for word in WORD.findall(strip_tags(str(text))) if word not in ALLOWED]


def labels(response) -> list[str]:
    """The page's own words: its headers, filters and form labels."""
    found = []
    context = response.context
    if "cl" in context:
        cl = context["cl"]
        found += [header["text"] for header in result_headers(cl)]
        for spec in cl.filter_specs:
            found.append(spec.title)
            if isinstance(spec, ListFilter) and not isinstance(spec, RelatedFieldListFilter):
                # Related filters list records (their content); the others list choices.
                found += [choice["display"] for choice in spec.choices(cl)]
    if "adminform" in context:
        for fieldset in context["adminform"]:
            found.append(fieldset.name or "")
            for line in fieldset:
                for field in line:
                    label = field.field["label"] if field.is_readonly else field.field.label
                    found.append(label)
    return found


@pytest.fixture(params=["superuser", "clerk"])
def reader(request, client):
    if request.param == "superuser":
        user = UserFactory(username="root", is_staff=True, is_superuser=True)
    else:
        user = user_with_role(CLERK)
    client.force_login(user)
    return client


def test_no_english_names_in_the_admin(reader):
    request = reader.get(reverse("admin:index")).wsgi_request
    found: dict[str, set[str]] = {}
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_module_permission(request) or not (
            model_admin.has_view_permission(request)
        ):
            continue
        opts = model._meta
        names = [opts.verbose_name, opts.verbose_name_plural]
        names.append(apps.get_app_config(opts.app_label).verbose_name)
        pages = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        if model_admin.has_add_permission(request):
            pages.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model_admin.get_queryset(request).first()
        if first is not None:
            pages.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
        for url in pages:
            response = reader.get(url)
            assert response.status_code == 200, url
            names += labels(response)
        for name in names:
            if words := english(name):
                found.setdefault(opts.label, set()).update(words)
    assert found == {}, found
