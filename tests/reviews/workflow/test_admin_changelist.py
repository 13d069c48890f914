"""The record changelists write each row's checkbox and links directly: the admin would
render the checkbox through the form widget's template, and reverse each link and (on a
filtered list) resolve it again, all once per row."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_urls
from django.test.signals import template_rendered
from django.urls import reverse

from consignments.models import Consignment
from registry import roles
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_the_row_checkbox_is_the_admins_own():
    record = ConsignmentFactory(contractor_type="<b>収納代行</b>")
    model_admin = admin.site.get_model_admin(Consignment)
    assert model_admin.action_checkbox(record) == admin.ModelAdmin.action_checkbox(
        model_admin, record
    )


def test_no_template_is_rendered_per_row(client):
    client.force_login(user_with_role(roles.REVIEWER))
    for _ in range(5):
        ConsignmentFactory()
    rendered = []

    def remember(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(remember)
    try:
        response = client.get(reverse("admin:consignments_consignment_changelist"))
    finally:
        template_rendered.disconnect(remember)
    assert response.status_code == 200
    assert response.content.decode().count('class="action-select"') == 5
    assert "django/forms/widgets/checkbox.html" not in rendered


@pytest.mark.parametrize("rows", [2, 6])
def test_a_filtered_list_resolves_no_link_per_row(client, monkeypatch, rows):
    client.force_login(user_with_role(roles.REVIEWER))
    for _ in range(rows):
        ConsignmentFactory(state=State.DRAFT)
    resolved = []
    resolve = admin_urls.resolve
    monkeypatch.setattr(admin_urls, "resolve", lambda url: resolved.append(url) or resolve(url))

    page = client.get(
        reverse("admin:consignments_consignment_changelist"), {"state__exact": "draft"}
    ).content.decode()
    # Both links of each row still lead back to the filtered list after a change.
    assert page.count("/change/?_changelist_filters=state__exact%3Ddraft") == 2 * rows
    assert not [url for url in resolved if url.endswith("/change/")]
