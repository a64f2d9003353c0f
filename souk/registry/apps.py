from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "souk.registry"
    label = "registry"

    def ready(self) -> None:
        from souk.core import addresses
        from souk.registry import selectors

        # Core's address rules sit below the register: it is told where Morocco's regions are.
        addresses.set_region_source("MA", selectors.list_region_choices)
