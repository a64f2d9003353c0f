"""Starting carriers, rate cards and duty rates, which staff then edit in the back office or
replace with `import_rate_card`. Prices are Souk's planning figures (MAD, per parcel, by
chargeable weight), not the carriers' published tariffs; limits follow the UPU parcel norms
(30 kg, 1.05 m, 2 m length + girth) unless the reference says otherwise. Duty rates are the
reference's estimates (../shared/reference/morocco.md §5.6), to be checked before launch."""

from decimal import Decimal

from django.db import migrations

BRACKETS = (500, 1000, 2000, 5000, 10000, 20000, 30000)
CARRIERS = [
    # code, name, divisor, max g, max length mm, max girth mm, tracking page
    ("amana", "Amana (Maroc)", 3000, 30000, 1500, 3000, ""),
    ("amana-international", "Amana International", 5000, 30000, 1050, 2000, ""),
    ("ems", "EMS Chronopost International", 5000, 30000, 1500, 3000, ""),
]
# carrier, zone, days min, days max, price in MAD per bracket of BRACKETS
RATES = [
    ("amana", "MA", 1, 3, (30, 35, 45, 60, 90, 140, 190)),
    ("amana-international", "EU", 6, 12, (160, 230, 330, 580, 920, 1550, 2150)),
    ("amana-international", "US", 8, 15, (210, 330, 460, 820, 1350, 2350, 3250)),
    ("amana-international", "WORLD", 10, 21, (240, 360, 500, 880, 1450, 2550, 3450)),
    ("ems", "EU", 2, 4, (290, 390, 540, 940, 1480, 2480, 3440)),
    ("ems", "US", 3, 6, (380, 560, 760, 1310, 2160, 3760, 5200)),
    ("ems", "WORLD", 4, 8, (430, 610, 830, 1410, 2320, 4080, 5520)),
]
# country, duty, VAT or sales tax, note
DUTIES = [
    ("FR", "0.0000", "0.2000", "Moroccan-origin goods: no customs duty under the EU–Morocco agreement; 20% import VAT."),
    ("ES", "0.0000", "0.2100", "Moroccan-origin goods: no customs duty under the EU–Morocco agreement; 21% import VAT."),
    ("DE", "0.0000", "0.1900", ""),
    ("IT", "0.0000", "0.2200", ""),
    ("BE", "0.0000", "0.2100", ""),
    ("NL", "0.0000", "0.2100", ""),
    ("US", "0.1000", "0.0000", "No de minimis since 29 August 2025: duty at Morocco's rate; state sales tax may apply."),
    ("CA", "0.0000", "0.0500", "GST; provincial taxes may apply."),
    ("GB", "0.0000", "0.2000", ""),
]


def add_carriers(apps, schema_editor):
    Carrier = apps.get_model("shipping", "Carrier")
    CarrierRate = apps.get_model("shipping", "CarrierRate")
    DutyRate = apps.get_model("shipping", "DutyRate")
    carriers = {}
    for code, name, divisor, max_grams, max_length, max_girth, tracking in CARRIERS:
        carriers[code], _created = Carrier.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "volumetric_divisor": divisor,
                "max_weight_grams": max_grams,
                "max_length_mm": max_length,
                "max_girth_mm": max_girth,
                "tracking_url": tracking,
            },
        )
    for code, zone, days_min, days_max, prices in RATES:
        for max_grams, price in zip(BRACKETS, prices, strict=True):
            CarrierRate.objects.get_or_create(
                carrier=carriers[code],
                zone=zone,
                max_weight_grams=max_grams,
                defaults={"price_amount": price * 100, "days_min": days_min, "days_max": days_max},
            )
    for country, duty, tax, note in DUTIES:
        DutyRate.objects.get_or_create(
            country=country,
            hs_chapter="",
            defaults={"duty_rate": Decimal(duty), "tax_rate": Decimal(tax), "note": note},
        )


def remove_carriers(apps, schema_editor):
    apps.get_model("shipping", "DutyRate").objects.all().delete()
    apps.get_model("shipping", "CarrierRate").objects.all().delete()
    apps.get_model("shipping", "Carrier").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("shipping", "0001_initial")]

    operations = [migrations.RunPython(add_carriers, remove_carriers)]
