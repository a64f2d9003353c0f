"""Settings for Souk, read from environment variables only.

Every setting has a safe default for the embedded profile (`make run`, tests): SQLite in WAL
mode under `var/`, local-memory cache, database-backed sessions and tasks, local files under
`var/`. The at-scale profile changes only environment variables (DATABASE_URL, CACHE_URL...).
See docs/architecture.md for the list.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from souk.core.config import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_carrier_secrets,
    env_list,
    env_networks,
    load_or_create_secret_key,
    private_directory,
    site_url_default,
)
from souk.core.crypto import generate_field_key
from souk.sandbox import keys as sandbox_keys

# Lets classes such as ModelAdmin[User] be subscripted at run time, as the type stubs expect.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Keys, the SQLite database and private files live here: readable by Souk's account only.
VAR_DIR = private_directory(Path(os.environ.get("SOUK_VAR_DIR", BASE_DIR / "var")))

SECRET_KEY = os.environ.get("SECRET_KEY") or load_or_create_secret_key(VAR_DIR / "secret_key")

# Personal data at rest (souk/core/crypto.py): Fernet keys for CIN and RIB, the first encrypts
# and all decrypt; and the key of the blind indexes that let a CIN be looked up. Generated into
# var/ for `make run` and tests; production sets both (the deployment check says so).
FIELD_ENCRYPTION_KEYS = env_list("SOUK_FIELD_KEYS", default=[]) or [
    load_or_create_secret_key(VAR_DIR / "field_key", make=generate_field_key)
]
FIELD_ENCRYPTION_KEYS_FROM_ENVIRONMENT = bool(env_list("SOUK_FIELD_KEYS", default=[]))
BLIND_INDEX_KEY = os.environ.get("SOUK_BLIND_INDEX_KEY") or load_or_create_secret_key(
    VAR_DIR / "blind_index_key"
)
BLIND_INDEX_KEY_FROM_ENVIRONMENT = bool(os.environ.get("SOUK_BLIND_INDEX_KEY"))
# The Ed25519 seed (64 hex digits) signing sales attestations (souk/banking/attestation.py);
# its public key is published at /<lang>/banking/verify/key.pem. Production sets it.
ATTESTATION_SIGNING_KEY = os.environ.get("SOUK_ATTESTATION_KEY") or load_or_create_secret_key(
    VAR_DIR / "attestation_key", make=lambda: secrets.token_hex(32)
)
# The Ed25519 seed signing certificates of origin (souk/fulfilment/certificates.py); its public
# key is published at /<lang>/certificates/key.pem. Production sets both (souk/core/signing.py).
CERTIFICATE_SIGNING_KEY = os.environ.get("SOUK_CERTIFICATE_KEY") or load_or_create_secret_key(
    VAR_DIR / "certificate_key", make=lambda: secrets.token_hex(32)
)
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Its sitemap.xml templates and views (souk/web/sitemaps.py); no sites framework: the
    # request gives the domain.
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "souk.core",
    "souk.accounts",
    "souk.registry",
    "souk.shops",
    "souk.catalog",
    "souk.search",
    "souk.notifications",
    "souk.orders",
    "souk.shipping",
    "souk.favourites",
    "souk.payments",
    "souk.fulfilment",
    "souk.banking",
    "souk.support",
    "souk.reviews",
    "souk.sandbox",
    "souk.ledger",
    "souk.onboarding",
    "souk.web",
    "souk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "souk.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A kept page (the product page) for a visitor without a session, before sessions are read
    # (souk/core/pagecache.py).
    "souk.core.pagecache.KeptPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, with the user row read in the session's statement (accounts/session_store.py).
    "souk.accounts.middleware.AuthenticationMiddleware",
    "souk.accounts.middleware.SessionLimitsMiddleware",
    # Gives a browser its device cookie on every log-in (souk/accounts/devices.py).
    "souk.accounts.middleware.DeviceCookieMiddleware",
    "souk.core.middleware.CurrencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Fills each page's Save buttons for its visitor (souk/favourites/live.py).
    "souk.favourites.live.FavouriteButtonsMiddleware",
    # Staff, and anyone who turned the second factor on, pass it before any page (docs/security.md).
    "souk.accounts.two_factor.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # An advisor acting for an artisan, with their consent (docs/support.md, assisted mode).
    "souk.support.middleware.ActingForMiddleware",
    "souk.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "souk.urls"
WSGI_APPLICATION = "souk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "souk.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in WAL mode under var/ unless DATABASE_URL names another one.
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'souk.sqlite3'}",
        # Each web worker keeps its connection a minute rather than opening one per request.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": cache_from_url(os.environ.get("CACHE_URL", "locmem://"))}
SESSION_ENGINE = "souk.accounts.session_store"

TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A worker holds a lease on the task it runs, renewed every third of this many seconds; a task
# whose lease ran out (its worker died) is queued again, at most SOUK_TASK_MAX_ATTEMPTS runs in
# all, then failed with an operator alert (docs/reliability.md).
SOUK_TASK_LEASE_SECONDS = int(os.environ.get("SOUK_TASK_LEASE_SECONDS", "60"))
SOUK_TASK_MAX_ATTEMPTS = int(os.environ.get("SOUK_TASK_MAX_ATTEMPTS", "3"))

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["souk.accounts.backends.EmailOrPhoneBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "web:home"

# Accounts security (docs/security.md). Client addresses: how many proxies of ours stand in
# front of the server; the client is the Nth address from the right of X-Forwarded-For (0 =
# the connecting address). Defaults to 1 with HTTPS=1 (one TLS proxy), else 0.
SOUK_TRUSTED_PROXY_HOPS = int(
    os.environ.get("SOUK_TRUSTED_PROXY_HOPS", "1" if env_bool("HTTPS", default=False) else "0")
)
# X-Forwarded-For is read only from these peers (addresses or CIDR networks): `make run` binds
# the server to 127.0.0.1 behind the proxy. A client reaching the server from elsewhere is its
# own REMOTE_ADDR, whatever header it sends.
SOUK_TRUSTED_PROXIES = env_networks("SOUK_TRUSTED_PROXIES", default=["127.0.0.0/8", "::1"])
# Password reset links last an hour.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", "3600"))
# Everyone keeps a session 14 days; staff sessions end after 30 idle minutes or 12 hours.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(14 * 24 * 3600)))
SOUK_STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("SOUK_STAFF_SESSION_IDLE_SECONDS", "1800"))
SOUK_STAFF_SESSION_MAX_SECONDS = int(os.environ.get("SOUK_STAFF_SESSION_MAX_SECONDS", "43200"))
# Refunds a person gives alone: at most this much on one order, all refunds together (minor
# units of the order's currency), and at most SOUK_REFUND_APPROVAL_DAILY_ABOVE in 24 hours over
# every order; past either, a second person approves (docs/accounts.md).
SOUK_REFUND_APPROVAL_ABOVE = int(os.environ.get("SOUK_REFUND_APPROVAL_ABOVE", "100000"))
SOUK_REFUND_APPROVAL_DAILY_ABOVE = int(os.environ.get("SOUK_REFUND_APPROVAL_DAILY_ABOVE", "500000"))

# Languages: the URL prefix (/ar/, /fr/, /en/, /es/) chooses; "/" redirects by the browser's
# Accept-Language, falling back to French (see docs/decisions.md).
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("ar", "العربية"),
    ("fr", "Français"),
    ("en", "English"),
    ("es", "Español"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Arabic dates in day-month order with the 24-hour clock (souk/formats/ar/formats.py).
FORMAT_MODULE_PATH = ["souk.formats"]
USE_I18N = True
TIME_ZONE = "Africa/Casablanca"
USE_TZ = True

# Currencies a visitor may choose to see prices in; prices are set in MAD.
SOUK_CURRENCIES = ["MAD", "EUR", "USD"]
SOUK_DEFAULT_CURRENCY = "MAD"
SOUK_PHONE_DEFAULT_REGION = "MA"

# Orders (docs/orders.md). Stock is held this long while the buyer pays.
SOUK_RESERVATION_MINUTES = int(os.environ.get("SOUK_RESERVATION_MINUTES", "15"))
# How long facet counts stay in use after a change of the catalog (docs/search.md).
SOUK_FACET_COUNTS_MAX_AGE = int(os.environ.get("SOUK_FACET_COUNTS_MAX_AGE", "60"))
# The time every search's queries may take in all (milliseconds); past it the database stops
# them and the page shows the newest matches (souk/search/backends/budget.py).
SOUK_SEARCH_TIMEOUT_MS = int(os.environ.get("SOUK_SEARCH_TIMEOUT_MS", "300"))
# A search with words ranks and counts at most this many matches, the newest listings.
SOUK_SEARCH_CANDIDATES = int(os.environ.get("SOUK_SEARCH_CANDIDATES", "1000"))
# Cash on delivery: Morocco only, up to this many centimes (5,000 MAD).
SOUK_COD_MAX_AMOUNT = int(os.environ.get("SOUK_COD_MAX_AMOUNT", "500000"))
# The artisan accepts or declines a paid order within this many hours, else it is declined.
SOUK_ACCEPT_WITHIN_HOURS = int(os.environ.get("SOUK_ACCEPT_WITHIN_HOURS", "72"))
# A delivered parcel nobody contests is completed after this many days.
SOUK_AUTO_COMPLETE_DAYS = int(os.environ.get("SOUK_AUTO_COMPLETE_DAYS", "7"))
# "I received it" before the carrier says the parcel is out for delivery or delivered: only
# this many days past the latest estimated delivery date (docs/orders.md).
SOUK_RECEIPT_AFTER_ESTIMATE_DAYS = int(os.environ.get("SOUK_RECEIPT_AFTER_ESTIMATE_DAYS", "5"))
# The buyer may ask for a return within this many days of receiving the parcel.
SOUK_RETURN_WINDOW_DAYS = int(os.environ.get("SOUK_RETURN_WINDOW_DAYS", "14"))
# Days a buyer may change a review after writing it (docs/reviews.md).
SOUK_REVIEW_EDIT_DAYS = int(os.environ.get("SOUK_REVIEW_EDIT_DAYS", "30"))

# Shipping (docs/shipping.md). Above this declared value (centimes; 300 SDR, about 3,800 MAD in
# 2026) a CN23 customs declaration replaces the CN22.
SOUK_CN22_LIMIT_AMOUNT = int(os.environ.get("SOUK_CN22_LIMIT_AMOUNT", "380000"))

# Payouts (docs/payouts.md). A shop is paid when what it is owed reaches this many centimes.
SOUK_PAYOUT_MINIMUM = int(os.environ.get("SOUK_PAYOUT_MINIMUM", "10000"))
# The marketplace's own account, the debtor of the bank transfer file. The default IBAN is a
# valid sandbox number (check digits and RIB key right), not a real account.
SOUK_PAYOUT_DEBTOR_NAME = os.environ.get("SOUK_PAYOUT_DEBTOR_NAME", "Souk SA")
SOUK_PAYOUT_DEBTOR_IBAN = os.environ.get("SOUK_PAYOUT_DEBTOR_IBAN", "MA64011780000000012345678933")
SOUK_PAYOUT_DEBTOR_BIC = os.environ.get("SOUK_PAYOUT_DEBTOR_BIC", "BCMAMAMC")
# Dotted path to the wallet payout adapter (protocol: souk/ledger/payouts/wallet.py).
SOUK_PAYOUT_WALLET_GATEWAY = os.environ.get(
    "SOUK_PAYOUT_WALLET_GATEWAY", "souk.sandbox.payouts.SandboxWalletPayoutGateway"
)
# Payouts to a new bank account or wallet wait this many days after the change (an account
# taken over cannot send the money elsewhere before the owner hears of it; docs/payouts.md).
SOUK_PAYOUT_HOLD_DAYS = int(os.environ.get("SOUK_PAYOUT_HOLD_DAYS", "3"))
# Artisan support (docs/support.md): an artisan with no step for this many days gets a nudge
# by SMS (at most one a week).
SOUK_SUPPORT_NUDGE_AFTER_DAYS = int(os.environ.get("SOUK_SUPPORT_NUDGE_AFTER_DAYS", "14"))

# The second factor (docs/security.md): the issuer shown by authenticator apps, and how long a
# "confirm it's you" (password, and code when enrolled) allows a sensitive change.
SOUK_TOTP_ISSUER = os.environ.get("SOUK_TOTP_ISSUER", "Souk")
SOUK_REAUTH_MINUTES = int(os.environ.get("SOUK_REAUTH_MINUTES", "5"))

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# KYC scans, register files and reports: never under MEDIA_ROOT, served only by checking views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "souk.core.staticfiles.SoukStaticFilesStorage"},
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Souk <no-reply@souk.example>")
# Who runs Souk and where buyers write (the legal pages, docs/legal.md): production sets both.
SOUK_CONTACT_EMAIL = os.environ.get("SOUK_CONTACT_EMAIL", "help@souk.example")
SOUK_OPERATOR = os.environ.get("SOUK_OPERATOR", "Souk SARL, Casablanca, Morocco")
# Text messages: a dotted path to a class of souk/notifications/sms.py (or a provider's).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "souk.notifications.sms.ConsoleSmsBackend")
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms.log"))
# Where links in emails, payment forms and callbacks point: the site's public address, without
# a trailing slash; by default the address `PORT=NNNN make run` serves (port 8000 unless set).
SOUK_SITE_URL = os.environ.get("SOUK_SITE_URL") or site_url_default(os.environ.get("PORT"))

# Payments (docs/payments.md). SOUK_SANDBOX mounts Souk's own card processor and wallet under
# /sandbox/ and runs the sandbox carrier. It follows DEBUG unless set: `make run` and `make test`
# set SOUK_SANDBOX=1, and a server with DEBUG off gets it only when told explicitly. The secrets
# below default to the sandbox's public test values (souk/sandbox/keys.py) while it is on, and
# to nothing otherwise: production sets every one, and souk/sandbox/checks.py refuses to start a
# server whose sandbox is off while one is empty or a public default (and a sandbox mounted
# beside real keys). A card payment aimed at the sandbox's URL while SOUK_SANDBOX is off is
# refused as a misconfiguration.
SOUK_SANDBOX = env_bool("SOUK_SANDBOX", default=DEBUG)
# With the sandbox, text messages are also kept for its outbox page (/sandbox/sms/, the demo's
# sign-up code in the browser), unless SMS_BACKEND names another backend.
SOUK_SANDBOX_SMS_PATH = VAR_DIR / "sandbox-sms.jsonl"
if SOUK_SANDBOX and "SMS_BACKEND" not in os.environ:
    SMS_BACKEND = "souk.sandbox.sms.SandboxSmsBackend"


def _secret(name: str, sandbox_value: str) -> str:
    return os.environ.get(name, sandbox_value if SOUK_SANDBOX else "")


CMI_CLIENT_ID = os.environ.get("CMI_CLIENT_ID", "600000000")
CMI_STORE_KEY = _secret("CMI_STORE_KEY", sandbox_keys.CMI_STORE_KEY)
CMI_GATEWAY_URL = os.environ.get("CMI_GATEWAY_URL", f"{SOUK_SITE_URL}/sandbox/cmi/fim/est3Dgate")
CMI_API_URL = os.environ.get("CMI_API_URL", f"{SOUK_SITE_URL}/sandbox/cmi/fim/api")
CMI_API_USER = os.environ.get("CMI_API_USER", "souk-api")
CMI_API_PASSWORD = _secret("CMI_API_PASSWORD", sandbox_keys.CMI_API_PASSWORD)
WALLET_API_URL = os.environ.get("WALLET_API_URL", f"{SOUK_SITE_URL}/sandbox/wallet/api")
# Opens the wallet app with a payment filled in, on the phone that holds it (defect 9 of #20).
WALLET_APP_URL = os.environ.get("WALLET_APP_URL", f"{SOUK_SITE_URL}/sandbox/wallet/")
WALLET_MERCHANT_ID = os.environ.get("WALLET_MERCHANT_ID", "MA0000123456")
# Signs our requests to the wallet and its callbacks (docs/payments.md). While it changes, the
# previous one stays valid for what the wallet sends until WALLET_CALLBACK_PREVIOUS_SECRET is
# emptied again.
WALLET_CALLBACK_SECRET = _secret("WALLET_CALLBACK_SECRET", sandbox_keys.WALLET_CALLBACK_SECRET)
# The SMS provider signs the replies artisans send (STOP, an appointment's code) with this
# secret (docs/support.md); the sandbox's is public.
SOUK_SMS_REPLY_SECRET = _secret("SOUK_SMS_REPLY_SECRET", "sandbox-sms-reply-secret")
WALLET_CALLBACK_PREVIOUS_SECRET = os.environ.get("WALLET_CALLBACK_PREVIOUS_SECRET", "")
# Each carrier signs its tracking webhook with its own secret (docs/shipping.md):
# `amana=...,amana-international=...`; a code given twice has two valid secrets during a change.
SHIPPING_WEBHOOK_SECRETS = env_carrier_secrets(
    "SHIPPING_WEBHOOK_SECRETS",
    default=(
        {code: [sandbox_keys.carrier_secret(code)] for code in sandbox_keys.CARRIER_CODES}
        if SOUK_SANDBOX
        else {}
    ),
)
# Shown in the wallet QR code (EMVCo: name at most 25 characters, city at most 15).
PAYMENTS_MERCHANT_NAME = os.environ.get("PAYMENTS_MERCHANT_NAME", "SOUK")
PAYMENTS_MERCHANT_CITY = os.environ.get("PAYMENTS_MERCHANT_CITY", "CASABLANCA")
# The sandbox processor's fee in its settlement files: a percentage of each purchase plus a
# fixed amount in centimes (1.5 % + 1.00 MAD), like an acquirer's merchant discount rate.
SANDBOX_FEE_PERCENT = os.environ.get("SANDBOX_FEE_PERCENT", "1.5")  # read as a Decimal
SANDBOX_FEE_FIXED_AMOUNT = int(os.environ.get("SANDBOX_FEE_FIXED_AMOUNT", "100"))

# HTTPS=1 behind a TLS-terminating proxy: secure, host-only cookies, HSTS (with the preload
# flag unless HSTS_PRELOAD=0), and a redirect to https:// of any request the proxy marks as
# plain HTTP (X-Forwarded-Proto, which the proxy must set and never pass through from the
# client). /healthz is exempt so a load balancer can probe a worker directly over HTTP.
HTTPS = env_bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

SITE_NAME = _("Souk")
