"""The idle-session warning in real Chromium: it counts from the session's last renewal
and 「ログインを続ける」 renews the session on the server."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from registry import roles
from tests.factories import user_with_role

PASSWORD = "pass-for-tests"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")  # as every browser test: the seed stays for the tests after
def test_the_warning_appears_before_the_end_and_continuing_renews(live_server, browser, settings):
    # A session of 181 s with the warning 180 s before its end: it warns a second in.
    settings.SESSION_COOKIE_AGE = 181
    user_with_role(roles.REVIEWER, username="shinsa")
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("ユーザー名").fill("shinsa")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    warning = page.get_by_role("alertdialog")
    expect(warning).to_be_visible(timeout=5000)
    expect(warning).to_contain_text("あと約")
    expires = Session.objects.get().expire_date
    with page.expect_response("**/accounts/keepalive/") as response:
        warning.get_by_role("button", name="ログインを続ける").click()
    assert response.value.status == 204
    assert Session.objects.get().expire_date > expires
