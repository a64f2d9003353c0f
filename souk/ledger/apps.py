from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "souk.ledger"
    label = "ledger"
