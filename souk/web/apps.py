from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "souk.web"
    label = "web"

    def ready(self) -> None:
        from souk.core import pagecache
        from souk.web import live

        # The header's shop link and menu, kept per account and state (web/live.py).
        for name in live.PARTS:
            pagecache.LIVE_KEYS[name] = live.account_key
