"""Gateway adapters by code, and the gateway each order payment method uses."""

from __future__ import annotations

from souk.payments.gateways import cmi, cod, wallet
from souk.payments.gateways.base import Gateway, PreAuthorizingGateway

_CMI = cmi.CmiGateway()

GATEWAYS: dict[str, Gateway] = {
    cmi.CODE: _CMI,
    wallet.CODE: wallet.WalletGateway(),
    cod.CODE: cod.CashOnDeliveryGateway(),
}

# Gateways whose approvals are captured only once their status API confirms them (the card:
# a signed callback alone never takes money, docs/payments.md "Callbacks").
PRE_AUTHORIZING_GATEWAYS: dict[str, PreAuthorizingGateway] = {cmi.CODE: _CMI}

# Order payment method (souk.orders PaymentMethod values) -> gateway code.
GATEWAY_FOR_METHOD = {"card": cmi.CODE, "wallet": wallet.CODE, "cod": cod.CODE}


def get_gateway(code: str) -> Gateway:
    return GATEWAYS[code]


def gateway_code_for_method(method: str) -> str:
    """The code of the gateway an order payment method goes through: also the ledger's name of
    the processor's clearing account."""
    return GATEWAY_FOR_METHOD[method]


def gateway_for_method(method: str) -> Gateway:
    return GATEWAYS[gateway_code_for_method(method)]


def gateways_with_status_query() -> list[str]:
    """Codes of the gateways whose fetch_status says what became of an attempt: the ones the
    periodic repair asks about attempts whose callback never came."""
    return [code for code, gateway in GATEWAYS.items() if gateway.has_status_query]


def get_pre_authorizing_gateway(code: str) -> PreAuthorizingGateway | None:
    """The gateway of `code` when its approvals wait for a confirmed capture, else None."""
    return PRE_AUTHORIZING_GATEWAYS.get(code)
