from django.urls import path

from souk.accounts.two_factor import views

app_name = "two_factor"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("setup/", views.setup, name="setup"),
    path("verify/", views.verify, name="verify"),
    path("confirm/", views.confirm, name="confirm"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    path("turn-off/", views.turn_off, name="turn_off"),
]
