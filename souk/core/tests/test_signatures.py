"""Timestamped webhook signatures: the right secret, the right body, within five minutes."""

from __future__ import annotations

import pytest
from django.utils import translation

from souk.core import signatures
from souk.core.signatures import SignatureRefused

BODY = b'{"event_id":"e1"}'
NOW = 1_800_000_000


@pytest.fixture(autouse=True)
def _in_english():
    # The refusals are translated when raised: read them in the source language.
    with translation.override("en"):
        yield


def test_a_fresh_signature_with_the_current_secret_is_accepted():
    header = signatures.sign(BODY, secret="current", timestamp=NOW)

    assert signatures.verify(BODY, header, secrets=["current"], now=NOW + 299) == NOW


def test_a_signature_older_or_newer_than_five_minutes_is_refused():
    header = signatures.sign(BODY, secret="current", timestamp=NOW)

    for now in (NOW + 301, NOW - 301):
        with pytest.raises(SignatureRefused) as refusal:
            signatures.verify(BODY, header, secrets=["current"], now=now)
        assert str(refusal.value) == "The signature is more than five minutes old or ahead."


def test_a_tampered_body_or_timestamp_is_refused():
    header = signatures.sign(BODY, secret="current", timestamp=NOW)
    moved = header.replace(f"t={NOW}", f"t={NOW + 60}")

    for body, signed in ((BODY + b" ", header), (BODY, moved)):
        with pytest.raises(SignatureRefused, match="The signature does not match"):
            signatures.verify(body, signed, secrets=["current"], now=NOW)


def test_the_previous_secret_is_accepted_only_while_listed():
    header = signatures.sign(BODY, secret="previous", timestamp=NOW)

    assert signatures.verify(BODY, header, secrets=["current", "previous"], now=NOW) == NOW
    with pytest.raises(SignatureRefused, match="does not match"):
        signatures.verify(BODY, header, secrets=["current"], now=NOW)


def test_any_of_several_v1_values_may_match():
    good = signatures.sign(BODY, secret="current", timestamp=NOW).split("v1=")[1]
    header = f"t={NOW},v1={'0' * 64},v0=legacy,v1={good}"

    assert signatures.verify(BODY, header, secrets=["current"], now=NOW) == NOW


@pytest.mark.parametrize(
    "header",
    [
        "0" * 64,  # the old scheme: a bare digest
        "t=abc,v1=" + "0" * 64,
        f"t={NOW}",
        f"t={NOW},t={NOW},v1=" + "0" * 64,
        f"t={NOW},v1=xyz",
        f"t={NOW},v1=" + "é" * 64,
        "t=\udcff",
        "t=1," + "v1=" + "0" * 2000,
        ",,,",
    ],
)
def test_an_unreadable_header_is_refused_cleanly(header):
    with pytest.raises(SignatureRefused, match="The signature header is not readable"):
        signatures.verify(BODY, header, secrets=["current"], now=NOW)


def test_a_missing_header_or_an_empty_secret_is_refused():
    header = signatures.sign(BODY, secret="", timestamp=NOW)

    with pytest.raises(SignatureRefused, match="The signature header is missing"):
        signatures.verify(BODY, "", secrets=["current"], now=NOW)
    # Signed with an empty secret: an unconfigured receiver never accepts it.
    with pytest.raises(SignatureRefused, match="No secret is configured"):
        signatures.verify(BODY, header, secrets=["", ""], now=NOW)
