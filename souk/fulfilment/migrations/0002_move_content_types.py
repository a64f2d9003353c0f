"""The content types of the moved models follow them to this app, so their permissions (e.g.
fulfilment.view_shipment in accounts/roles.py) keep their rows and the groups that hold them."""

from django.db import migrations

MODELS = ("shipment", "exportline", "trackingevent")


def relabel(apps, schema_editor, *, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # On a new database neither exists yet (post_migrate creates them); on one where the
        # target was created already, the old row is left for remove_stale_contenttypes.
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, source="shipping", target="fulfilment")


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, source="fulfilment", target="shipping")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("fulfilment", "0001_take_over_shipments"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
