from django.urls import path

from souk.shipping import views

app_name = "shipping"

urlpatterns = [
    path("shop/<int:shop_id>/free-shipping/", views.free_shipping, name="free_shipping"),
    path("<str:tracking_number>/label.pdf", views.label, name="label"),
    path("<str:tracking_number>/customs.pdf", views.customs, name="customs"),
    path("<str:tracking_number>/invoice.pdf", views.invoice, name="invoice"),
]
