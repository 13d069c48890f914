"""Nothing written through a service is deleted from the admin: a delete would bypass
the service's rights check, lock and history, and erase what other records cite."""

import pytest
from django.contrib import admin
from django.urls import reverse

from registry.admin import AuditedAdmin
from reviews.workflow.admin import ReviewedRecordAdmin
from reviews.workflow.models import ReviewedRecord
from reviews.workflow.states import State

pytestmark = pytest.mark.usefixtures("seed")

SERVICE_ADMINS = [
    model
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, AuditedAdmin | ReviewedRecordAdmin)
]


def test_the_registers_written_through_services_are_listed():
    names = {model._meta.label for model in SERVICE_ADMINS}
    assert {"registry.Organization", "reviews.Consultation", "payments.Flow"} <= names
    assert {"consignments.Consignment", "linkages.Linkage"} <= names


@pytest.mark.parametrize("model", SERVICE_ADMINS, ids=lambda m: m._meta.label)
def test_a_superuser_cannot_delete_from_the_admin(admin_client, model):
    meta = model._meta
    changelist = admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert changelist.status_code == 200
    assert 'value="delete_selected"' not in changelist.content.decode()
    rows = list(model._default_manager.order_by("pk")[:3])
    if issubclass(model, ReviewedRecord) and rows:
        # Drafts too (the seed's records are approved).
        model._default_manager.filter(pk=rows[0].pk).update(state=State.DRAFT)
    for row in rows:
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[row.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=row.pk).exists()
