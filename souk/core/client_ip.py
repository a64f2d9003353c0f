"""The address of the person behind a request, read through our own proxies only.

Behind the TLS proxy that `HTTPS=1` assumes, REMOTE_ADDR is the proxy for every visitor. Each
proxy appends the address it received the request from to X-Forwarded-For, so with N proxies of
ours in front (SOUK_TRUSTED_PROXY_HOPS), the Nth entry from the right is the one our outermost
proxy saw; everything left of it was written by the client and can be forged.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, or None when the request carries no usable one.

    With SOUK_TRUSTED_PROXY_HOPS = 0, REMOTE_ADDR. With N > 0, the Nth address from the right
    of X-Forwarded-For; when the header has fewer than N entries or that entry is no address,
    the request did not come through all our proxies, so REMOTE_ADDR is used (never a value
    the client chose).
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    hops = settings.SOUK_TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None
