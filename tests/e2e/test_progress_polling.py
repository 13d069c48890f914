"""The pages of a job at work (a print job, a staff import) in real Chromium: they fetch
their progress in place, without reloading under the reader (no meta refresh, WCAG
2.2.1), and reload once when the job has finished."""

import pytest
from playwright.sync_api import Page, expect

from consignments.views import PAGES
from exchange.models import ImportRecord
from printing.models import PrintJob
from registry import roles
from registry.models import Section
from tests.factories import user_with_role

PASSWORD = "pass-for-tests"


@pytest.fixture
def staff():
    return user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課"))


def open_as(browser, live_server, user, url: str) -> Page:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    # The page's timers run on a clock the test moves on (poll()), not on the wall's.
    page.clock.install()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill(user.username)
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.goto(f"{live_server.url}{url}")
    assert page.locator("meta[http-equiv]").count() == 0
    expect(page.get_by_role("link", name="最新の状態を表示")).to_be_visible()
    page.evaluate("window.notReloaded = true")
    return page


def poll(page: Page) -> None:
    """Let the page's next fetch of its progress fall due."""
    seconds = page.locator("[data-poll-seconds]").get_attribute("data-poll-seconds")
    page.clock.run_for(int(seconds) * 1000)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")  # as every browser test: the seed stays for the tests after
def test_the_print_job_page_updates_its_progress_and_reloads_when_done(
    live_server, browser, settings, staff
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    job = PrintJob.objects.create(
        kind="form2", requested_by=staff, status=PrintJob.Status.RUNNING, total=4
    )
    page = open_as(browser, live_server, staff, f"/printing/jobs/{job.pk}/")

    PrintJob.objects.filter(pk=job.pk).update(done=3)
    poll(page)
    expect(page.locator("#job-state")).to_contain_text("3 / 4 件", timeout=10000)
    assert page.evaluate("window.notReloaded") is True  # updated in place

    PrintJob.objects.filter(pk=job.pk).update(status=PrintJob.Status.FAILED, error="紙切れ")
    poll(page)
    expect(page.get_by_role("button", name="もう一度作成する")).to_be_visible(timeout=10000)
    assert page.evaluate("window.notReloaded === undefined")  # the page was reloaded


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_the_staff_import_page_updates_its_progress_and_reloads_when_checked(
    live_server, browser, settings, staff
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    record = ImportRecord.objects.create(
        user=staff,
        register="委託",
        resource_path=PAGES.resource_path,
        file_name="委託.xlsx",
        file_format="xlsx",
        state=ImportRecord.State.PREVIEWING,
        total_rows=10,
    )
    page = open_as(browser, live_server, staff, f"/consignments/import/{record.pk}/")

    ImportRecord.objects.filter(pk=record.pk).update(processed_rows=7)
    poll(page)
    expect(page.locator("#import-progress")).to_contain_text("7 / 10 行", timeout=10000)
    assert page.evaluate("window.notReloaded") is True

    ImportRecord.objects.filter(pk=record.pk).update(state=ImportRecord.State.PREVIEWED)
    poll(page)
    expect(page.get_by_role("button", name="取り込みを実行")).to_be_visible(timeout=10000)
    assert page.evaluate("window.notReloaded === undefined")
