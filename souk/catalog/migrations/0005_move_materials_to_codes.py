"""Materials typed as free text become codes of the vocabulary where they match one (in any of
the four languages); what matches nothing stays as typed in `materials`."""

from __future__ import annotations

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    from souk.catalog import materials as vocabulary

    Product = apps.get_model("catalog", "Product")
    changed = []
    for product in Product.objects.exclude(materials="").only("pk", "materials").iterator(BATCH):
        codes, rest = vocabulary.split_free_text(product.materials)
        if codes:
            product.material_codes, product.materials = codes, rest[:200]
            changed.append(product)
        if len(changed) >= BATCH:
            Product.objects.bulk_update(changed, ["material_codes", "materials"])
            changed = []
    Product.objects.bulk_update(changed, ["material_codes", "materials"])


def backwards(apps, schema_editor):
    from souk.catalog import materials as vocabulary

    Product = apps.get_model("catalog", "Product")
    changed = []
    for product in Product.objects.exclude(material_codes=[]).iterator(BATCH):
        typed = [*vocabulary.names(product.material_codes, "fr"), product.materials]
        product.materials = ", ".join(part for part in typed if part)[:200]
        product.material_codes = []
        changed.append(product)
    Product.objects.bulk_update(changed, ["material_codes", "materials"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_add_product_material_codes")]

    operations = [migrations.RunPython(forwards, backwards)]
