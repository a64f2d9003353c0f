"""The analysis version of the documents (0: built before souk.search.analysis existed, so
`rebuild_search_index --if-stale`, run by make run, builds them again) and the vocabulary of
the typo correction. Plain ADD COLUMN on search_indexversion: search_searchdocument, whose
rebuild would drop the FTS5 triggers (docs/search.md), is untouched."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("search", "0008_index_version")]

    operations = [
        migrations.AddField(
            model_name="indexversion",
            name="analysis_version",
            field=models.PositiveIntegerField(default=0, verbose_name="analysis version"),
        ),
        migrations.CreateModel(
            name="SearchTerm",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=100, unique=True, verbose_name="term")),
            ],
            options={"verbose_name": "search term", "verbose_name_plural": "search terms"},
        ),
    ]
