"""The staff channel pages: anonymous → login, no permission → 403, reviewer → 200."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from payments.models import Channel
from registry.models import Section
from registry.roles import REVIEWER, SECTION_STAFF
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.usefixtures("seed")


@pytest.fixture
def reviewer(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWER))
    client.force_login(user)
    return client


def urls() -> list[str]:
    return [reverse("payments:channel_list")] + [
        reverse("payments:channel_detail", args=[c.pk]) for c in Channel.objects.all()
    ]


def test_anonymous_users_are_sent_to_the_login_page(client):
    for url in urls():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_users_without_the_view_permission_are_refused(client):
    client.force_login(UserFactory(is_staff=True))
    for url in urls():
        assert client.get(url).status_code == 403


def test_the_list_shows_every_channel_and_the_overview_before_and_after_2020(reviewer):
    page = reviewer.get(reverse("payments:channel_list")).content.decode()
    for channel in Channel.objects.all():
        assert f">{channel.name}</a>" in page
    assert "収納方法に関する全体図（令和元年12月31日現在）" in page
    assert page.count('tabindex="0"><svg') == 2
    assert "事前一括承認基準(３‐１６)" in page


def test_the_detail_shows_each_period_with_its_diagram_flows_and_check(reviewer):
    channel = Channel.objects.get(name="モバイルレジクレジット")
    page = reviewer.get(reverse("payments:channel_detail", args=[channel.pk])).content.decode()
    assert "委託構成図（平成31年4月1日から令和元年12月31日まで）" in page
    assert "委託構成図（令和2年1月1日以降）" in page
    assert page.count('tabindex="0"><svg') == 2
    assert "<td>JCB（指定代理納付者）</td>" in page
    assert "税目、納付書番号、支払金額、クレジットカード番号" in page
    assert "規則に反するデータの流れはありません。" in page


def test_an_unknown_channel_is_404(reviewer):
    assert reviewer.get(reverse("payments:channel_detail", args=[9999])).status_code == 404


def test_section_staff_read_the_channels_in_the_staff_layout_from_their_navigation(client):
    client.force_login(user_with_role(SECTION_STAFF, Section.objects.get(name="収納課")))
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert f'<a href="{reverse("payments:channel_list")}">納付チャネル</a>' in dashboard
    for url in urls():
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert response.templates[0].name.startswith("payments/")
        assert "base.html" in {t.name for t in response.templates}
        # Nothing leads into the admin, which section staff may not use.
        assert reverse("admin:index") not in html
        assert 'aria-pressed="false"' in html and 'role="region"' in html


def test_users_without_the_view_permission_see_no_channel_link(client):
    client.force_login(UserFactory())
    assert reverse("payments:channel_list") not in client.get(reverse("dashboard")).content.decode()
