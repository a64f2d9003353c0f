from django.urls import path

from souk.fulfilment import views

app_name = "fulfilment"

urlpatterns = [
    path("<str:tracking_number>/label.pdf", views.label, name="label"),
    path("<str:tracking_number>/customs.pdf", views.customs, name="customs"),
    path("<str:tracking_number>/invoice.pdf", views.invoice, name="invoice"),
]
