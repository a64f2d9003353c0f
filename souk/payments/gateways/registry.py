"""Gateway adapters by code, and the gateway each order payment method uses."""

from __future__ import annotations

from souk.payments.gateways import cmi, cod, wallet
from souk.payments.gateways.base import Gateway

GATEWAYS: dict[str, Gateway] = {
    cmi.CODE: cmi.CmiGateway(),
    wallet.CODE: wallet.WalletGateway(),
    cod.CODE: cod.CashOnDeliveryGateway(),
}

# Order payment method (souk.orders PaymentMethod values) -> gateway code.
GATEWAY_FOR_METHOD = {"card": cmi.CODE, "wallet": wallet.CODE, "cod": cod.CODE}


def get_gateway(code: str) -> Gateway:
    return GATEWAYS[code]


def gateway_for_method(method: str) -> Gateway:
    return GATEWAYS[GATEWAY_FOR_METHOD[method]]
