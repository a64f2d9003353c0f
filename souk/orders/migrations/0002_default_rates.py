"""Starting values staff then edit in the back office: one commission rate for every sector
(docs/orders.md). (The flat shipping prices it also loaded gave way to carriers' rate cards:
souk/shipping/migrations.)"""

import datetime
from decimal import Decimal

from django.db import migrations



def add_rates(apps, schema_editor):
    CommissionRate = apps.get_model("orders", "CommissionRate")
    CommissionRate.objects.get_or_create(
        sector=None,
        effective_from=datetime.date(2026, 1, 1),
        defaults={"rate": Decimal("0.1000"), "cooperative_rate": Decimal("0.0700")},
    )


def remove_rates(apps, schema_editor):
    apps.get_model("orders", "CommissionRate").objects.filter(sector=None).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.RunPython(add_rates, remove_rates)]
