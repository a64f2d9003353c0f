"""Cash on delivery: no gateway at all, only instructions; the payments service tells orders
when the buyer confirms (services.confirm_cash_on_delivery)."""

from __future__ import annotations

from collections.abc import Mapping

from souk.payments.gateways.base import (
    AttemptContext,
    CallbackResult,
    GatewayError,
    PaymentStart,
    RefundRequest,
    RefundResult,
    Verdict,
)

CODE = "cod"


class CashOnDeliveryGateway:
    code = CODE
    has_status_query = False
    status_decline_is_final = False

    def check_configuration(self) -> None:
        return None

    def start_payment(self, context: AttemptContext) -> PaymentStart:
        return PaymentStart(
            kind="instructions",
            gateway_order_id=context.gateway_order_id,
            amount=context.amount,
            currency=context.currency,
        )

    def read_callback(
        self, *, fields: Mapping[str, str], body: bytes, signature: str
    ) -> CallbackResult:
        raise GatewayError("Cash on delivery has no callbacks.")

    def reply(self, verdict: Verdict) -> str:
        return ""

    def refund(self, request: RefundRequest) -> RefundResult:
        raise GatewayError("Cash on delivery is refunded by bank transfer.")

    def fetch_status(self, gateway_order_id: str) -> CallbackResult | None:
        """Always None: cash on delivery has no processor to ask. The buyer's confirmation
        places the order and the carrier's remittance file (remittances.py) says the money
        was collected; nothing is approved or captured anywhere in between."""
        return None
