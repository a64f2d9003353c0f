"""Load the 13 sectors, 172 trades and 12 regions from the CSV copies in souk/registry/data."""

from django.db import migrations

from souk.registry.nomenclature import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        sector_model=apps.get_model("registry", "Sector"),
        trade_model=apps.get_model("registry", "Trade"),
        region_model=apps.get_model("registry", "Region"),
    )


def unload(apps, schema_editor):
    apps.get_model("registry", "Trade").objects.all().delete()
    apps.get_model("registry", "Sector").objects.all().delete()
    apps.get_model("registry", "Region").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_create_register")]

    operations = [migrations.RunPython(load, unload)]
