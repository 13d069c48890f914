"""The record changelists write each row's checkbox directly, as the admin would render
it through the form widget's template, which cost a template render per row."""

import pytest
from django.contrib import admin
from django.test.signals import template_rendered
from django.urls import reverse

from consignments.models import Consignment
from registry import roles
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
