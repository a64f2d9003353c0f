"""Facet counts of browse pages kept per scope (souk.search.backends.kept_counts), counted once here
from the documents there are. A new table only: search_searchdocument is untouched."""

from typing import Any

from django.db import migrations, models


def count_documents(apps: Any, schema_editor: Any) -> None:
    from souk.search.backends import kept_counts

    # The materials' table comes later (0012, which counts them).
    kept_counts.rebuild(with_materials=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0009_analysis_version_and_terms")]

    operations = [
        migrations.CreateModel(
            name="KeptCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("scope", models.CharField(max_length=20, verbose_name="scope")),
                ("facet", models.CharField(max_length=8, verbose_name="facet")),
                ("value", models.CharField(blank=True, max_length=16, verbose_name="value")),
                ("count", models.BigIntegerField(default=0, verbose_name="count")),
            ],
            options={
                "verbose_name": "kept facet count",
                "verbose_name_plural": "kept facet counts",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "facet", "value"), name="search_kept_count_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(count_documents, migrations.RunPython.noop),
    ]
