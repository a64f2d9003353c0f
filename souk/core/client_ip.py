"""The address of the person behind a request, read through our own proxies only.

Behind the TLS proxy that `HTTPS=1` assumes, REMOTE_ADDR is the proxy for every visitor. Each
proxy appends the address it received the request from to X-Forwarded-For, so with N proxies of
ours in front (SOUK_TRUSTED_PROXY_HOPS), the Nth entry from the right is the one our outermost
proxy saw; everything left of it was written by the client and can be forged. The header is
read only when the request really comes from one of our proxies (REMOTE_ADDR within
SOUK_TRUSTED_PROXIES): a client that reaches the server directly writes the whole header.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when the request carries no usable one.

    With SOUK_TRUSTED_PROXY_HOPS = 0, or a peer that is not one of SOUK_TRUSTED_PROXIES,
    REMOTE_ADDR. Else the Nth address from the right of X-Forwarded-For; when the header has
    fewer than N entries or that entry is no address, the request did not come through all our
    proxies, so REMOTE_ADDR is used (never a value the client chose).
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    hops = settings.SOUK_TRUSTED_PROXY_HOPS
    if hops <= 0 or remote is None or not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of our proxies (SOUK_TRUSTED_PROXIES)."""
    peer = ipaddress.ip_address(address)
    if isinstance(peer, ipaddress.IPv6Address) and peer.ipv4_mapped is not None:
        peer = peer.ipv4_mapped
    return any(peer in network for network in _networks(tuple(settings.SOUK_TRUSTED_PROXIES)))


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
