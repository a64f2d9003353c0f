from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "souk.reviews"
    label = "reviews"
    verbose_name = _("Reviews")

    def ready(self) -> None:
        from souk.reviews import receivers

        receivers.connect()
