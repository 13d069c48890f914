"""The client's address, derived in one place for the access log, the public download
limit and the login throttle (django-axes' AXES_CLIENT_IP_CALLABLE).

A reverse proxy appends the address it received the request from to X-Forwarded-For;
whatever stands left of the entries our own proxies wrote was written by the client and
proves nothing. So the chain (X-Forwarded-For, then the peer) is read from the right,
skipping the proxies we trust (TRUSTED_PROXIES: how many; TRUSTED_PROXY_NETWORKS: their
networks), and the first address that is not one of them is the client. An entry that
is not an address (``unknown``, garbage) or a chain that runs out falls back to the peer.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_parse(text: str) -> Address | None:
    """An address as proxies write it — ``198.51.100.7``, ``198.51.100.7:54321``,
    ``2001:db8::1``, ``[2001:db8::1]:443`` — or None when it is not one (the access log's
    column is ``inet``: anything else would fail the page)."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    # A zone (fe80::1%eth0) names an interface of the proxy, not a client.
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(cidrs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr, strict=False) for cidr in cidrs)


def _trusted(address: Address, hop: int) -> bool:
    if hop < settings.TRUSTED_PROXIES:
        return True
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXY_NETWORKS)))


def client_address(request: HttpRequest) -> str | None:
    """The client's address as text (None without a peer address, e.g. a Unix socket)."""
    peer = address_parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    forwarded = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    chain = [*forwarded, str(peer)]
    for hop, entry in enumerate(reversed(chain)):
        address = address_parse(entry)
        if address is None:
            return str(peer)
        if not _trusted(address, hop):
            return str(address)
    # Every hop is a trusted proxy: the request came from one of them, or a client wrote
    # fewer entries than there are proxies; either way nothing left of the peer is proven.
    return str(peer)
