from django.urls import path

from souk.shipping import views

app_name = "shipping"

urlpatterns = [
    path("delivery-country/", views.delivery_country, name="delivery_country"),
    path("shop/<int:shop_id>/free-shipping/", views.free_shipping, name="free_shipping"),
]
