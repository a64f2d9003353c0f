"""Server-to-server callbacks of the gateways: outside the language prefix, without CSRF."""

from django.urls import path

from souk.payments import views

app_name = "payment_callbacks"

urlpatterns = [
    path("cmi/callback", views.cmi_callback, name="cmi_callback"),
    path("wallet/callback", views.wallet_callback, name="wallet_callback"),
]
