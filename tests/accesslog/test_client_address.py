"""One client address for the access log, the download limit and the login throttle: read
from X-Forwarded-For from the right, past the trusted proxies only, so that what a client
writes into the header is never taken for its address; ports, brackets and garbage never
reach the ``inet`` column."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
from django.urls import reverse

from accesslog.addresses import client_address
from accesslog.models import AccessEvent
from consignments.models import Consignment
from registry import roles
from registry.models import Section
from tests.factories import user_with_role

PROXY = "10.0.0.2"


def _address(forwarded: str | None = None, peer: str = PROXY) -> str | None:
    meta = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **meta))


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXIES = 1


def test_without_trusted_proxies_the_header_is_ignored():
    assert _address("198.51.100.7", peer="203.0.113.9") == "203.0.113.9"


def test_behind_one_proxy_the_entry_it_appended_is_the_client(one_proxy):
    assert _address("198.51.100.7") == "198.51.100.7"
    assert _address(None) == PROXY  # the proxy itself (its health check)


def test_a_forged_entry_left_of_the_proxy_s_own_is_ignored(one_proxy):
    # The client wrote 10.6.6.6; the proxy appended the address it really saw.
    assert _address("10.6.6.6, 198.51.100.7") == "198.51.100.7"
    assert _address("10.6.6.6,1.2.3.4 , 198.51.100.7") == "198.51.100.7"


def test_a_chain_of_two_proxies_by_count(settings):
    settings.TRUSTED_PROXIES = 2
    # client → outer proxy (192.0.2.1) → inner proxy (peer)
    assert _address("10.6.6.6, 198.51.100.7, 192.0.2.1") == "198.51.100.7"
    # A chain shorter than the proxies in front proves nothing beyond the peer.
    assert _address("198.51.100.7") == PROXY


def test_a_chain_of_proxies_by_network(settings):
    settings.TRUSTED_PROXY_NETWORKS = ["10.0.0.0/8", "2001:db8:ffff::/48"]
    assert _address("198.51.100.7, 10.1.2.3") == "198.51.100.7"
    assert _address("10.6.6.6, 198.51.100.7, 2001:db8:ffff::5") == "198.51.100.7"
    # The peer outside the networks is the client itself, whatever it sends.
    assert _address("10.6.6.6", peer="198.51.100.9") == "198.51.100.9"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("198.51.100.7:54321", "198.51.100.7"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("2001:DB8:0::1", "2001:db8::1"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
    ],
)
def test_ports_brackets_and_ipv6_are_read(one_proxy, entry, expected):
    assert _address(entry) == expected


@pytest.mark.parametrize(
    "garbage", ["unknown", "", "  ", "999.1.1.1", "fe80::1%eth0", "<script>", "1.2.3.4:x:y"]
)
def test_garbage_falls_back_to_the_peer(one_proxy, garbage):
    assert _address(garbage) == PROXY


def test_a_peer_that_is_not_an_address_gives_none():
    assert _address(None, peer="") is None


def test_axes_reads_the_same_address(one_proxy):
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="10.6.6.6, 198.51.100.7:1234"
    )
    assert get_client_ip_address(request) == "198.51.100.7"


@pytest.mark.usefixtures("seed")
@pytest.mark.parametrize("entry", ["198.51.100.7:54321", "[2001:db8::1]:443", "unknown"])
def test_an_access_logged_page_keeps_a_valid_address(client, one_proxy, entry):
    staff = user_with_role(roles.SECTION_STAFF, Section.objects.get(name="収納課"), username="s1")
    record = Consignment.objects.filter(business__section__name="収納課").first()
    client.force_login(staff)
    response = client.get(
        reverse("consignments:detail", args=[record.pk]),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=entry,
    )
    assert response.status_code == 200
    assert AccessEvent.objects.get().address == _address(entry)
