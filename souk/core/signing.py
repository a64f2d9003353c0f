"""Ed25519 signatures of what Souk vouches for: sales attestations (souk/banking/attestation.py)
and certificates of origin (souk/fulfilment/certificates.py).

Each purpose has its own key, a 32-byte seed written as 64 hex digits in a setting read from
the environment (SOUK_ATTESTATION_KEY, SOUK_CERTIFICATE_KEY). `make run` and the tests generate
one into SOUK_VAR_DIR (mode 600) when it is unset; production must set it, and the deployment
check below refuses to start without it (a key generated on one machine would sign papers that
the next machine's published key does not verify).

Verifying needs only the published public key (`SigningKey.public_key_pem`, served by each
purpose's verify page), so a bank or a buyer can check a file without asking Souk. What is
signed is either bytes as they are (an attestation's PDF) or a JSON object in one canonical
form (`canonical`: keys sorted, no spaces, UTF-8), so a certificate re-serialised by any JSON
library verifies the same.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core import checks


@dataclass(frozen=True, slots=True)
class SigningKey:
    """One purpose's key: the setting holding its seed and the variable production sets."""

    setting: str
    environment_variable: str
    check_id: str

    def private_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(getattr(settings, self.setting)))

    def public_key(self) -> Ed25519PublicKey:
        return self.private_key().public_key()

    def public_key_pem(self) -> bytes:
        return self.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def key_id(self) -> str:
        """The first 16 hex digits of the SHA-256 of the raw public key: which key signed."""
        return key_id_of(self.public_key())

    def sign(self, data: bytes) -> bytes:
        return self.private_key().sign(data)

    def verify(self, data: bytes, signature: bytes) -> bool:
        return verify_with(self.public_key(), data, signature)


ATTESTATIONS = SigningKey("ATTESTATION_SIGNING_KEY", "SOUK_ATTESTATION_KEY", "souk.E111")
CERTIFICATES = SigningKey("CERTIFICATE_SIGNING_KEY", "SOUK_CERTIFICATE_KEY", "souk.E112")
KEYS = (ATTESTATIONS, CERTIFICATES)


def canonical(payload: dict[str, Any]) -> bytes:
    """The one byte form of a JSON object that is signed: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def encode_signature(signature: bytes) -> str:
    return base64.b64encode(signature).decode("ascii")


def decode_signature(text: str) -> bytes:
    """The signature's bytes; ValueError when `text` is not base64 of 64 bytes."""
    signature = base64.b64decode(text.strip(), validate=True)
    if len(signature) != 64:
        raise ValueError("An Ed25519 signature is 64 bytes.")
    return signature


def key_id_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """A published public key read from its PEM; ValueError when it is not an Ed25519 key."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        raise ValueError("Not a PEM public key.") from error
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("Not an Ed25519 public key.")
    return key


def verify_with(public_key: Ed25519PublicKey, data: bytes, signature: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def key_problems() -> list[checks.CheckMessage]:
    """Errors for production whose signing keys were generated into var/ or do not parse."""
    problems: list[checks.CheckMessage] = []
    for key in KEYS:
        if not os.environ.get(key.environment_variable):
            problems.append(
                checks.Error(
                    f"{key.environment_variable} is not set: papers would be signed with a key "
                    "generated into var/, which another machine does not share.",
                    hint=f"Set {key.environment_variable} to 64 hex digits (secrets.token_hex(32)) "
                    "and keep it: its public key is published for offline verification.",
                    id=key.check_id,
                )
            )
            continue
        try:
            key.private_key()
        except ValueError:
            problems.append(
                checks.Error(
                    f"{key.environment_variable} is not 64 hex digits (an Ed25519 seed).",
                    id=key.check_id,
                )
            )
    return problems
