"""The admin's add form for a 電算処理 offers every checklist row, unanswered; the record
is not saved yet, so it has no answers to look up (this page used to fail with a 500)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("seed")


def test_it_opens_the_add_form_with_the_checklist(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:processing_processing_add"))
    assert response.status_code == 200
    assert "measures-0-measure" in response.content.decode()
