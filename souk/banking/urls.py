from django.urls import path

from souk.banking import officer_views, views

app_name = "banking"

urlpatterns = [
    path("", views.money, name="money"),
    path("offers/", views.offers, name="offers"),
    path("bank/offers/", officer_views.bank_offers, name="bank_offers"),
    path("bank/offers/new/", officer_views.new_offer, name="new_offer"),
    path("bank/offers/<int:offer_id>/", officer_views.bank_offer, name="bank_offer"),
    path(
        "bank/offers/<int:offer_id>/<str:action>/",
        officer_views.move_bank_offer,
        name="move_bank_offer",
    ),
    path("review/", officer_views.review_queue, name="review_queue"),
    path("review/<int:offer_id>/", officer_views.review_offer, name="review_offer"),
]
