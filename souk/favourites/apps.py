from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FavouritesConfig(AppConfig):
    name = "souk.favourites"
    verbose_name = _("Favourites")

    def ready(self) -> None:
        from souk.core import pagecache
        from souk.favourites import receivers
        from souk.favourites.live import fill_kept_page

        receivers.connect()
        if fill_kept_page not in pagecache.PAGE_FILLERS:
            pagecache.PAGE_FILLERS.append(fill_kept_page)
        # What the account saved, as a count and the largest id (core/visitor_state.py).
        from souk.core import visitor_state
        from souk.favourites.models import Favourite

        table = Favourite._meta.db_table
        count = f"SELECT COUNT(*) FROM {table} WHERE user_id = %s"  # noqa: S608 (our table)
        largest = f"SELECT COALESCE(MAX(id), 0) FROM {table} WHERE user_id = %s"  # noqa: S608
        visitor_state.register("favourites.count", count)
        visitor_state.register("favourites.largest", largest)
