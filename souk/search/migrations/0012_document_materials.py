"""The Material facet: a row per vocabulary code whose filter a document passes
(souk.search.backends.materials), written for the documents there are, and the browse pages'
kept counts counted again with it. A new table only: search_searchdocument is untouched."""

from typing import Any

from django.db import migrations, models


def fill_materials(apps: Any, schema_editor: Any) -> None:
    from souk.search.backends import kept_counts, materials

    materials.fill()
    kept_counts.rebuild()


def forget_material_counts(apps: Any, schema_editor: Any) -> None:
    apps.get_model("search", "KeptCount").objects.filter(facet="material").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0011_index_counted_columns"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentMaterial",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("product_id", models.BigIntegerField(verbose_name="product")),
                ("code", models.CharField(max_length=16, verbose_name="material")),
            ],
            options={
                "verbose_name": "search document material",
                "verbose_name_plural": "search document materials",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("product_id", "code"), name="search_doc_material"
                    )
                ],
            },
        ),
        migrations.RunPython(fill_materials, forget_material_counts),
    ]
