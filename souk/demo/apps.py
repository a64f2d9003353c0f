from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and synthetic data: `seed_demo`, `generate_catalog`, `generate_register`.

    It sits on top of the ladder: it writes through the other apps' services and no app
    imports it. Production never needs it; it has no models.
    """

    name = "souk.demo"
