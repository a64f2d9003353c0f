from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "souk.registry"
    label = "registry"
