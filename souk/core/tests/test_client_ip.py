"""The client's address comes from our own proxies only (SOUK_TRUSTED_PROXY_HOPS), and only
when the request really comes from one of them (SOUK_TRUSTED_PROXIES)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from souk.core.client_ip import client_ip
from souk.core.config import env_networks


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
    settings.SOUK_TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == expected


@pytest.mark.parametrize(
    ("remote_addr", "expected"),
    [
        # The default: the proxy on the same machine (make run binds to 127.0.0.1).
        ("127.0.0.1", "198.51.100.66"),
        ("::1", "198.51.100.66"),
        ("::ffff:127.0.0.1", "198.51.100.66"),
        # A client reaching the server directly wrote the header itself.
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8::9", "2001:db8::9"),
    ],
)
def test_forwarded_for_is_read_only_from_a_trusted_proxy(settings, remote_addr, expected):
    # given: one proxy in front, and the default trusted proxies (loopback)
    settings.SOUK_TRUSTED_PROXY_HOPS = 1
    settings.SOUK_TRUSTED_PROXIES = env_networks("NO_SUCH_VARIABLE", default=["127.0.0.0/8", "::1"])

    # when
    request = RequestFactory().get(
        "/", REMOTE_ADDR=remote_addr, HTTP_X_FORWARDED_FOR="198.51.100.66"
    )

    # then
    assert client_ip(request) == expected


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("SOUK_TRUSTED_PROXIES", " 10.0.0.5, 10.1.0.0/16 ,fd00::/8")
    assert env_networks("SOUK_TRUSTED_PROXIES", default=[]) == [
        "10.0.0.5/32",
        "10.1.0.0/16",
        "fd00::/8",
    ]

    monkeypatch.setenv("SOUK_TRUSTED_PROXIES", "10.0.0.5, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match=r"proxy\.internal"):
        env_networks("SOUK_TRUSTED_PROXIES", default=[])
