"""In Chromium: a clerk selects records in the admin, prints them, watches the job's
progress page and opens the PDF once the background worker has made it."""

import subprocess

import pytest
from django.db import connections
from django.urls import reverse

from printing.models import PrintJob
from registry.models import Section
from tests.factories import UserFactory
from tests.printing.test_print_jobs import worker_command

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def worker():
    command, environment = worker_command("--interval", "0.2", "-v", "0")
    process = subprocess.Popen(command, env=environment)
    yield process
    process.terminate()
    process.wait(timeout=30)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_prints_a_large_selection_and_offers_the_file(live_server, browser, settings, worker):
    settings.PRINT_BACKGROUND_THRESHOLD = 1
    UserFactory(username="clerk", is_staff=True, is_superuser=True)
    page = browser.new_page()
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pass-for-tests")
    page.click("input[type=submit]")
    # The two Nerima Form 5 records of the seed (区民部 収納課).
    nerima = Section.objects.get(department="区民部", name="収納課")
    page.goto(
        live_server.url
        + reverse("admin:linkages_linkage_changelist")
        + f"?business__section__id__exact={nerima.pk}"
    )
    page.check("#action-toggle")
    page.select_option("select[name=action]", "print_form5")
    page.click("button[name=index]")
    page.wait_for_url("**/printing/jobs/**")
    assert "2件の印刷を受け付けました" in page.content()
    # The page reloads itself until the worker has written the file.
    link = page.wait_for_selector("#job-file", timeout=60_000)
    assert "2ページ" in link.inner_text()
    assert page.inner_text("#job-status") == "完了"
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    job = PrintJob.objects.get()
    assert (job.status, job.pages, job.requested_by.username) == ("done", 2, "clerk")
    # The ORM calls here ran beside Playwright's event loop, in a context the database
    # teardown does not see; close that connection so the test database can be dropped.
    connections.close_all()
