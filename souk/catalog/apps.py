from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "souk.catalog"
    label = "catalog"
