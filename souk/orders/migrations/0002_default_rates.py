"""Starting values staff then edit in the back office: a flat price per parcel and zone, and one
commission rate for every sector (docs/orders.md)."""

import datetime
from decimal import Decimal

from django.db import migrations

FLAT_RATES = [
    # zone, centimes, days min, days max
    ("MA", 3500, 2, 4),
    ("EU", 25000, 5, 10),
    ("US", 35000, 7, 14),
    ("WORLD", 40000, 10, 21),
]


def add_rates(apps, schema_editor):
    FlatShippingRate = apps.get_model("orders", "FlatShippingRate")
    CommissionRate = apps.get_model("orders", "CommissionRate")
    for zone, amount, days_min, days_max in FLAT_RATES:
        FlatShippingRate.objects.get_or_create(
            zone=zone, defaults={"amount": amount, "days_min": days_min, "days_max": days_max}
        )
    CommissionRate.objects.get_or_create(
        sector=None,
        effective_from=datetime.date(2026, 1, 1),
        defaults={"rate": Decimal("0.1000"), "cooperative_rate": Decimal("0.0700")},
    )


def remove_rates(apps, schema_editor):
    apps.get_model("orders", "FlatShippingRate").objects.all().delete()
    apps.get_model("orders", "CommissionRate").objects.filter(sector=None).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(add_rates, remove_rates)]
