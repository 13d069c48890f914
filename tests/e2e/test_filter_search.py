"""The record changelist's 業務 filter is a search box in real Chromium: typing part of a
business's name offers it, and choosing it opens the list filtered by it
(registry.admin.AutocompleteFilter, static/js/filter_autocomplete.js)."""

import pytest
from playwright.sync_api import expect

from registry import roles
from tests.factories import BusinessFactory, ConsignmentFactory, user_with_role

PASSWORD = "pass-for-tests"


# With the seed, as the other browser tests: serialized_rollback then restores the seeded
# database after this test's flush, for the browser tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_choosing_a_business_in_the_box_filters_the_list(live_server, browser):
    user = user_with_role(roles.REVIEWER, username="shinsa")
    user.set_password(PASSWORD)
    user.save()
    wanted = BusinessFactory(name="探される業務")
    ConsignmentFactory(business=wanted, contractor_type="残る委託")
    ConsignmentFactory(business=BusinessFactory(name="ほかの業務"), contractor_type="消える委託")

    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="ja-JP")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/consignments/consignment/")
    page.get_by_label("ユーザー名").fill("shinsa")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    # The seed's records are listed too.
    expect(page.locator("#result_list")).to_contain_text("消える委託")

    page.locator("details[data-filter-title='業務'] .select2-selection").click()
    page.locator(".select2-search__field").fill("探される")
    page.locator(".select2-results__option", has_text="探される業務").click()

    expect(page).to_have_url(
        f"{live_server.url}/admin/consignments/consignment/?business__id__exact={wanted.pk}"
    )
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("残る委託")
    expect(page.locator("#result_list")).not_to_contain_text("消える委託")
