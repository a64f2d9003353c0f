from django.urls import path

from souk.shipping import views

app_name = "shipping_webhooks"

urlpatterns = [
    path("tracking/", views.tracking_webhook, name="tracking"),
]
