from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "souk.search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from souk.search import receivers
        from souk.search.backends import sqlite_terms

        receivers.connect()
        connection_created.connect(sqlite_terms.register)
