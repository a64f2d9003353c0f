"""The sandbox's own keys: public test values, published in docs/payments.md.

The sandbox processor, wallet and carrier sign and check with these constants only, never with
the settings, so a sandbox can never hold or use a production secret. The settings default to
them only while SOUK_SANDBOX is on; souk/sandbox/checks.py refuses a server whose sandbox is off
while any secret is one of these (or empty), and a sandbox mounted beside real keys. Imported
by souk/settings.py: plain constants, no Django import.
"""

from __future__ import annotations

CMI_STORE_KEY = "SandboxStoreKey1"
CMI_API_PASSWORD = "SandboxApiPassword1"  # noqa: S105  # a published test value
WALLET_CALLBACK_SECRET = "SandboxWalletSecret1"  # noqa: S105  # a published test value
# The one secret every carrier shared before each had its own; refused in production too.
LEGACY_CARRIER_SECRET = "SandboxCarrierSecret1"  # noqa: S105  # a published test value
# The carriers the migrations create (souk/shipping/migrations/0002_carriers.py).
CARRIER_CODES = ("amana", "amana-international", "ems")


def carrier_secret(code: str) -> str:
    """The sandbox carrier's secret for one carrier code (each carrier has its own)."""
    return f"SandboxCarrierSecret1-{code}"


def is_public_default(value: str) -> bool:
    """Whether `value` is one of the sandbox's published secrets (whatever it is used for)."""
    return value in {
        CMI_STORE_KEY,
        CMI_API_PASSWORD,
        WALLET_CALLBACK_SECRET,
        LEGACY_CARRIER_SECRET,
    } or value.startswith("SandboxCarrierSecret1-")
