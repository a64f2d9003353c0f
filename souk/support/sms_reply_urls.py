"""The SMS provider's callback for artisans' replies: no language prefix, no CSRF, signed."""

from django.urls import path

from souk.support import sms_reply_views

app_name = "support_sms"

urlpatterns = [
    path("replies/", sms_reply_views.sms_reply, name="reply"),
]
