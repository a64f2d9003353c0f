"""Shipments, their export lines and tracking events now belong to souk.fulfilment: this app
forgets them in the migration state only. Their tables keep their names and their rows
(fulfilment 0001 takes them over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shipping", "0002_carriers")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TrackingEvent"),
                migrations.DeleteModel(name="ExportLine"),
                migrations.DeleteModel(name="Shipment"),
            ],
            database_operations=[],
        ),
    ]
