"""The channel page in real Chromium: the diagram draws, with its Japanese labels laid out."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from payments.models import Channel
from registry.roles import REVIEWER
from tests.factories import UserFactory


@pytest.fixture
def reviewer():
    user = UserFactory(username="shinsa-browser", is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))
    return user


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_a_reviewer_sees_the_pay_easy_diagram_drawn(live_server, browser, reviewer, settings):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    channel = Channel.objects.get(name="ペイジー")
    page = browser.new_page()
    page.goto(f"{live_server.url}/payments/channels/{channel.pk}/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", "pass-for-tests")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_selector(".flow-diagram svg")
    assert page.title().startswith("ペイジーによる納付")
    labels = page.locator(".flow-diagram svg text")
    shown = set(labels.all_text_contents())
    assert {
        "納付者",
        "練馬区",
        "日本MPN運営機構",
        "納付書情報",
        "納付結果情報",
        "照会",
    } <= shown
    box = page.locator(".flow-diagram svg text", has_text="練馬区").bounding_box()
    assert box is not None and box["width"] > 20 and box["height"] > 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("seed")
def test_the_overview_labels_are_legible_at_1366_px_and_it_shrinks_on_request(
    live_server, browser, reviewer, settings
):
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="ja-JP")
    page.goto(f"{live_server.url}/payments/channels/")
    page.fill("#id_username", reviewer.username)
    page.fill("#id_password", "pass-for-tests")
    page.get_by_role("button", name="ログイン").click()
    diagram = page.locator(".flow-diagram").first
    heights = diagram.locator("svg text").evaluate_all(
        "texts => texts.map(t => t.getBoundingClientRect().height).filter(h => h > 0)"
    )
    assert heights and min(heights) >= 12
    # The page keeps the window's width; the diagram scrolls in its own region.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    button = page.locator(".diagram-tools button").first
    expect(button).to_have_text("画面の幅に縮めて表示")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_text("元の大きさで表示")
    box = diagram.locator("svg").bounding_box()
    assert box is not None and box["width"] <= diagram.bounding_box()["width"]
