"""Personal data at rest: field encryption and blind indexes (docs/security.md).

National ID numbers (CIN) and bank account numbers (RIB) are stored as Fernet tokens
(AES-128-CBC with an HMAC-SHA256, from the `cryptography` library: no cryptography of ours).
The keys come from SOUK_FIELD_KEYS, comma-separated: the first encrypts, every one decrypts, so
a key is rotated by putting a new one first and running `manage.py rotate_field_keys`, then
dropping the old one. An encrypted column cannot be searched by value, so a column that is
looked up (the CIN of a claim) has a blind index beside it: an HMAC-SHA256 of the normalised
value under SOUK_BLIND_INDEX_KEY, one key per purpose derived from it.

Without the variables (`make run`, tests), keys are generated once into var/ (mode 0600), like
SECRET_KEY; production must set both (see `key_problems`).
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def generate_field_key() -> str:
    """A new random key for SOUK_FIELD_KEYS (url-safe base64 of 32 bytes)."""
    return Fernet.generate_key().decode("ascii")


@functools.lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SOUK_FIELD_KEYS holds no key.")
    try:
        return MultiFernet([Fernet(key.encode("ascii")) for key in keys])
    except (ValueError, UnicodeEncodeError) as error:
        # The message names the variable, never the key.
        raise ImproperlyConfigured(
            "SOUK_FIELD_KEYS must hold Fernet keys (32 bytes in url-safe base64), separated "
            "by commas; `python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'` makes one."
        ) from error


def _current() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    """The Fernet token of `plaintext` under the first key (a fresh token on every call)."""
    return _current().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    """The text of a token made under any of the keys; ImproperlyConfigured when none fits."""
    try:
        return _current().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as error:
        raise ImproperlyConfigured(
            "A stored value could not be decrypted with any key of SOUK_FIELD_KEYS: a key was "
            "dropped before `manage.py rotate_field_keys` re-encrypted its values."
        ) from error


def rotate(token: str) -> str:
    """The same text, encrypted again under the first key."""
    try:
        return _current().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A stored value could not be decrypted with any key of SOUK_FIELD_KEYS."
        ) from error


@functools.lru_cache(maxsize=16)
def _derive(master: str, purpose: str) -> bytes:
    return hmac.new(master.encode("utf-8"), purpose.encode("utf-8"), hashlib.sha256).digest()


def derived_key(purpose: str) -> bytes:
    """32 bytes for one purpose (`registry.cin`), derived from SOUK_BLIND_INDEX_KEY: a value
    indexed for two purposes gives two unrelated digests."""
    master = settings.BLIND_INDEX_KEY
    if not master:
        raise ImproperlyConfigured("SOUK_BLIND_INDEX_KEY is empty.")
    return _derive(master, purpose)


def blind_index(value: str, *, purpose: str) -> str:
    """64 hex digits identifying `value` (already normalised) without revealing it; "" for ""
    so that an empty column stays recognisably empty."""
    if not value:
        return ""
    return hmac.new(derived_key(purpose), value.encode("utf-8"), hashlib.sha256).hexdigest()


def key_problems() -> list[checks.CheckMessage]:
    """Errors for a production configuration whose field keys are missing or unusable.

    For the deployment check (souk.core.checks, when the sandbox is off): keys generated into
    var/ are fine for `make run` and tests, never for real personal data, and a key that does
    not parse would stop the first page that reads a CIN or a RIB.
    """
    problems: list[checks.CheckMessage] = []
    if not settings.FIELD_ENCRYPTION_KEYS_FROM_ENVIRONMENT:
        problems.append(
            checks.Error(
                "SOUK_FIELD_KEYS is not set: CIN and RIB would be encrypted with a key "
                "generated into var/.",
                hint="Set SOUK_FIELD_KEYS to one or more Fernet keys, comma-separated.",
                id="souk.E101",
            )
        )
    if not settings.BLIND_INDEX_KEY_FROM_ENVIRONMENT:
        problems.append(
            checks.Error(
                "SOUK_BLIND_INDEX_KEY is not set: CIN lookups would use a key generated into var/.",
                hint="Set SOUK_BLIND_INDEX_KEY to at least 32 random characters.",
                id="souk.E102",
            )
        )
    elif len(settings.BLIND_INDEX_KEY) < 32:
        problems.append(
            checks.Error(
                "SOUK_BLIND_INDEX_KEY is shorter than 32 characters.",
                id="souk.E103",
            )
        )
    try:
        _current()
    except ImproperlyConfigured as error:
        problems.append(checks.Error(str(error), id="souk.E104"))
    return problems
