from django.urls import path

from souk.banking import officer_views, views

app_name = "banking"

urlpatterns = [
    path("", views.money, name="money"),
    path("offers/", views.offers, name="offers"),
    path("attestation/", views.attestation, name="attestation"),
    path("verify/", views.verify, name="verify"),
    path("verify/key.pem", views.public_key, name="public_key"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
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
