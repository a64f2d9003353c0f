"""Shipments, export lines and tracking events, moved from souk.shipping in the migration
state only: the tables shipping_shipment, shipping_exportline and shipping_trackingevent keep
their names and their rows."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import souk.fulfilment.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("orders", "0004_order_variants"),
        ("shipping", "0003_move_shipments_to_fulfilment"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Shipment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("tracking_number", models.CharField(default=souk.fulfilment.models._tracking_number, max_length=40, unique=True, verbose_name="tracking number")),
                        ("status", models.CharField(choices=[("created", "Label created"), ("in_transit", "In transit"), ("delivered", "Delivered"), ("returned", "Returned to sender"), ("lost", "Lost")], default="created", max_length=12, verbose_name="status")),
                        ("destination_country", models.CharField(db_index=True, max_length=2, verbose_name="destination")),
                        ("zone", models.CharField(choices=[("MA", "Morocco"), ("EU", "European Union"), ("US", "USA and Canada"), ("WORLD", "Rest of the world")], max_length=5, verbose_name="zone")),
                        ("weight_grams", models.PositiveIntegerField(verbose_name="weight (g)")),
                        ("chargeable_weight_grams", models.PositiveIntegerField(verbose_name="chargeable weight (g)")),
                        ("parcel_count", models.PositiveSmallIntegerField(default=1, verbose_name="parcels")),
                        ("declared_value_amount", models.BigIntegerField(verbose_name="declared value (centimes)")),
                        ("customs_form", models.CharField(blank=True, choices=[("", "None (domestic)"), ("CN22", "CN22"), ("CN23", "CN23")], max_length=4, verbose_name="customs form")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="created at")),
                        ("delivered_at", models.DateTimeField(blank=True, null=True, verbose_name="delivered at")),
                        ("carrier", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="shipments", to="shipping.carrier")),
                        ("sub_order", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="shipment", to="orders.suborder")),
                    ],
                    options={
                        "verbose_name": "shipment",
                        "verbose_name_plural": "shipments",
                        "db_table": "shipping_shipment",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ExportLine",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("destination_country", models.CharField(db_index=True, max_length=2)),
                        ("sector_code", models.CharField(db_index=True, max_length=8)),
                        ("hs_code", models.CharField(max_length=6)),
                        ("quantity", models.PositiveIntegerField()),
                        ("net_weight_grams", models.PositiveIntegerField()),
                        ("declared_value_amount", models.BigIntegerField()),
                        ("shipped_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("shipment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="export_lines", to="fulfilment.shipment")),
                    ],
                    options={"db_table": "shipping_exportline"},
                ),
                migrations.CreateModel(
                    name="TrackingEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("external_id", models.CharField(max_length=100)),
                        ("status", models.CharField(choices=[("created", "Label created"), ("in_transit", "In transit"), ("delivered", "Delivered"), ("returned", "Returned to sender"), ("lost", "Lost")], max_length=12)),
                        ("happened_at", models.DateTimeField()),
                        ("location", models.CharField(blank=True, max_length=100)),
                        ("description", models.CharField(blank=True, max_length=200)),
                        ("received_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("shipment", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="fulfilment.shipment")),
                    ],
                    options={
                        "db_table": "shipping_trackingevent",
                        "ordering": ["happened_at", "id"],
                        "constraints": [models.UniqueConstraint(fields=("shipment", "external_id"), name="tracking_event_once")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
