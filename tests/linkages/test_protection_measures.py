"""The checklist's wording is the 事務局's: changed through its service, kept in the
history with the author, never deleted (a retired row keeps its answers)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from linkages.models import ProtectionMeasure
from registry import roles, services
from tests.factories import user_with_role

pytestmark = pytest.mark.usefixtures("seed")


def test_a_clerk_rewords_a_measure_in_the_admin_with_history(client):
    clerk = user_with_role(roles.CLERK, is_staff=True)
    measure = ProtectionMeasure.objects.order_by("pk").first()
    client.force_login(clerk)
    response = client.post(
        reverse("admin:linkages_protectionmeasure_change", args=[measure.pk]),
        {
            "side": measure.side,
            "kind": measure.kind,
            "order": measure.order,
            "text": "アクセスログを取得し、定期的に点検する。",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.text == "アクセスログを取得し、定期的に点検する。"
    assert measure.history.latest().history_user == clerk


def test_reviewers_read_the_checklist_but_cannot_change_it():
    reviewer = user_with_role(roles.REVIEWER, is_staff=True)
    measure = ProtectionMeasure.objects.order_by("pk").first()
    with pytest.raises(PermissionDenied, match="権限がありません"):
        services.checklist_measure_update(actor=reviewer, measure=measure, data={"text": "x"})
    assert ProtectionMeasure.objects.get(pk=measure.pk).text == measure.text


def test_a_clerk_adds_a_processing_checklist_row_with_history():
    from processing.models import ProcessingMeasure

    clerk = user_with_role(roles.CLERK, is_staff=True)
    last = ProcessingMeasure.objects.order_by("side", "kind", "order").last()
    measure = services.checklist_measure_create(
        actor=clerk,
        model=ProcessingMeasure,
        data={"side": last.side, "kind": last.kind, "order": last.order + 1, "text": "追加の対策"},
    )
    assert measure.history.get().history_user == clerk
