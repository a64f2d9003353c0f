from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "souk.catalog"
    label = "catalog"

    def ready(self) -> None:
        from souk.core import warmup

        # The product page, the most visited, ready in every server process (core/warmup.py).
        if "catalog/detail.html" not in warmup.TEMPLATES:
            warmup.TEMPLATES.append("catalog/detail.html")
