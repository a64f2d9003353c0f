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
