from django.urls import path

from souk.fulfilment import views

app_name = "fulfilment"

urlpatterns = [
    # The artisan's step on a parcel, beside its other steps (souk/orders/urls.py).
    path("orders/sales/<str:reference>/ship/", views.ship, name="ship"),
    path("shipping/<str:tracking_number>/label.pdf", views.label, name="label"),
    path("shipping/<str:tracking_number>/customs.pdf", views.customs, name="customs"),
    path("shipping/<str:tracking_number>/invoice.pdf", views.invoice, name="invoice"),
    # Certificates of origin, public (docs/shipping.md).
    path("certificates/", views.certificate_check, name="certificate_check"),
    path("certificates/key.pem", views.certificate_key, name="certificate_key"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("certificates/<str:code>.json", views.certificate_file, name="certificate_file"),
]
