"""Content-Security-Policy: scripts and styles come only from our static files; no page
carries an inline script, an inline event handler, a style element or a style attribute
that the policy would block."""

import re

import pytest
from django.urls import reverse

from consignments.models import Consignment
from exchange.models import ImportRecord
from filebook.models import PersonalInfoFile
from linkages.models import Linkage
from payments.models import Channel
from registry import roles
from registry.models import Section
from reviews.models import PreApprovalReport
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def _assert_clean(response, url: str) -> None:
    assert response.status_code == 200, url
    policy = response["Content-Security-Policy"]
    script_src = re.search(r"script-src ([^;]*)", policy).group(1)
    assert "'self'" in script_src and "unsafe-inline" not in script_src, policy
    style_src = re.search(r"style-src ([^;]*)", policy).group(1)
    assert style_src.strip() == "'self'", policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
    assert not INLINE_HANDLER.search(html), (url, INLINE_HANDLER.search(html).group(0))
    match = INLINE_STYLE.search(html)
    assert not match, (url, html[max(match.start() - 80, 0) : match.end() + 80])


def test_staff_and_public_pages_carry_no_inline_script(client):
    consignment = Consignment.objects.first()
    linkage = Linkage.objects.first()
    for url in ["/register/", reverse("filebook_register:list"), reverse("login")]:
        _assert_clean(client.get(url), url)
    client.force_login(user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課")))
    for url in [
        "/",
        reverse("consignments:list"),
        reverse("consignments:detail", args=[consignment.pk]),
        reverse("consignments:new"),
        reverse("linkages:detail", args=[linkage.pk]),
        reverse("linkages:new"),
        reverse("council:report_list"),
        reverse("council:report_new"),
        reverse("council:report_detail", args=[PreApprovalReport.objects.first().pk]),
        reverse("filebook:list"),
        reverse("filebook:new"),
        reverse("filebook:detail", args=[PersonalInfoFile.objects.first().pk]),
        reverse("accounts:setup"),
    ]:
        _assert_clean(client.get(url), url)


def test_admin_pages_carry_no_inline_script(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    record = ImportRecord.objects.create(
        user=superuser,
        register="相手方",
        resource_path="registry.resources.OrganizationResource",
        file_name="相手方.xlsx",
        file_format="xlsx",
        state=ImportRecord.State.RUNNING,
        total_rows=10,
    )
    client.force_login(superuser)
    consignment = Consignment.objects.first()
    for url in [
        reverse("admin:index"),
        reverse("admin:consignments_consignment_changelist"),
        reverse("admin:consignments_consignment_change", args=[consignment.pk]),
        reverse("admin:consignments_consignment_import"),
        reverse("admin:exchange_importrecord_progress", args=[record.pk]),
        reverse("admin:consignments_consignment_history", args=[consignment.pk]),
        reverse("admin:reviews_consultation_changelist"),
        reverse("admin:accesslog_accessevent_changelist"),
        reverse("admin:registry_organization_changelist"),
        reverse("payments:channel_list"),
        reverse("payments:channel_detail", args=[Channel.objects.first().pk]),
    ]:
        _assert_clean(client.get(url), url)
