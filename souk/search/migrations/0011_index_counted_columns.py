"""An index of the columns a search reads of its matched documents (filters, sort keys,
facets): the bounded matches are joined to it by id without reading the documents' text.
CREATE INDEX only: search_searchdocument is not rebuilt (its FTS5 triggers stay)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_product_needs_a_title_only"),
        ("search", "0010_kept_counts"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=[
                    "product",
                    "sector_code",
                    "trade_code",
                    "region_code",
                    "price_amount",
                    "is_in_stock",
                    "is_made_to_order",
                    "published_at",
                    "shop_id",
                    "ships_to_ma",
                    "ships_to_eu",
                    "ships_to_us",
                    "ships_to_world",
                ],
                name="search_doc_counted",
            ),
        ),
    ]
