"""The client's address comes from our own proxies only (SOUK_TRUSTED_PROXY_HOPS)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from souk.core.client_ip import client_ip


@pytest.mark.parametrize(
    ("hops", "forwarded_for", "expected"),
    [
        (0, "198.51.100.66", "10.0.0.1"),
        (1, "198.51.100.66", "198.51.100.66"),
        # The client wrote the left part; our proxy appended what it saw.
        (1, "192.0.2.1, 198.51.100.66", "198.51.100.66"),
        (2, "192.0.2.1, 198.51.100.66, 10.0.0.9", "198.51.100.66"),
        # Fewer entries than proxies, or no address: not through all our proxies.
        (2, "198.51.100.66", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_is_the_nth_address_from_the_right(settings, hops, forwarded_for, expected):
    settings.SOUK_TRUSTED_PROXY_HOPS = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected
