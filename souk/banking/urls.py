from django.urls import path

from souk.banking import (
    application_views,
    bank_application_views,
    officer_views,
    views,
)

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
    path("offers/<int:offer_id>/apply/", application_views.apply, name="apply"),
    path("applications/", application_views.my_applications, name="applications"),
    path("applications/<int:application_id>/", application_views.application, name="application"),
    path(
        "applications/<int:application_id>/withdraw/",
        application_views.withdraw,
        name="withdraw_application",
    ),
    path(
        "applications/<int:application_id>/message/",
        application_views.write,
        name="application_message",
    ),
    path("bank/applications/", bank_application_views.queue, name="bank_applications"),
    path(
        "bank/applications/<int:application_id>/",
        bank_application_views.detail,
        name="bank_application",
    ),
    path(
        "bank/applications/<int:application_id>/message/",
        bank_application_views.write,
        name="bank_application_message",
    ),
    path(
        "bank/applications/<int:application_id>/<str:action>/",
        bank_application_views.move,
        name="move_bank_application",
    ),
    path("advances/<str:reference>/repay/", views.repay, name="repay_advance"),
    path(
        "bank/advances/<str:reference>/settle/",
        bank_application_views.settle,
        name="settle_advance",
    ),
    path("bank/portfolio/", bank_application_views.portfolio_page, name="bank_portfolio"),
    path("bank/portfolio.csv", bank_application_views.portfolio_csv, name="bank_portfolio_csv"),
    path("review/", officer_views.review_queue, name="review_queue"),
    path("review/<int:offer_id>/", officer_views.review_offer, name="review_offer"),
]
