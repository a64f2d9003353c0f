"""The buyer's payment pages (under the language prefix)."""

from django.urls import path

from souk.payments import approval_views, views

app_name = "payments"

urlpatterns = [
    path("cmi/ok/", views.cmi_return, name="cmi_ok"),
    path("cmi/fail/", views.cmi_return, name="cmi_fail"),
    path("refunds/awaiting/", approval_views.refund_queue, name="refund_queue"),
    path("<str:reference>/", views.pay, name="pay"),
    path("<str:reference>/status/", views.status, name="status"),
    path("<str:reference>/return/", views.payment_return, name="return"),
    path("<str:reference>/wallet/push/", views.wallet_push, name="wallet_push"),
    path("<str:reference>/refund/", views.refund, name="refund"),
    path(
        "<str:reference>/refund/approvals/<int:approval_id>/",
        views.decide_refund,
        name="decide_refund",
    ),
]
