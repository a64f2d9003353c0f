"""Souk's own card processor and wallet, mounted only when SOUK_SANDBOX is on."""

from django.urls import path

from souk.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("cmi/fim/est3Dgate", views.cmi_gate, name="cmi_gate"),
    path("cmi/fim/est3Dgate/card", views.cmi_card, name="cmi_card"),
    path("cmi/fim/est3Dgate/3ds", views.cmi_3ds, name="cmi_3ds"),
    path("cmi/fim/api", views.cmi_api, name="cmi_api"),
    path("sms/", views.sms_outbox, name="sms_outbox"),
    path("wallet/", views.wallet_home, name="wallet"),
    path("wallet/decide", views.wallet_decide, name="wallet_decide"),
    path("wallet/api/push", views.wallet_api_push, name="wallet_api_push"),
    path("wallet/api/status", views.wallet_api_status, name="wallet_api_status"),
]
