from django.urls import path

from souk.fulfilment import views

app_name = "shipping_webhooks"

urlpatterns = [
    path("tracking/<slug:carrier_code>/", views.tracking_webhook, name="tracking"),
]
