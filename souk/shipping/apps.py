from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShippingConfig(AppConfig):
    name = "souk.shipping"
    verbose_name = _("Shipping")

    def ready(self) -> None:
        from souk.core import pagecache, warmup
        from souk.shipping.templatetags.delivery import live_key, page_key_part, prepare_language

        # The product page's delivery line is a live part (shipping/_delivery_line.html).
        if page_key_part not in pagecache.KEY_PARTS:
            pagecache.KEY_PARTS.append(page_key_part)
        pagecache.LIVE_KEYS["shipping/_delivery_line.html"] = live_key
        if prepare_language not in warmup.PER_LANGUAGE:
            warmup.PER_LANGUAGE.append(prepare_language)
