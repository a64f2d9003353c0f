"""Fill the columns of 0003 from the products of the documents already indexed."""

from django.db import migrations

from souk.search.text import document_text

BATCH_SIZE = 500


def fill_columns(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    Product = apps.get_model("catalog", "Product")
    last_id = 0
    while True:
        documents = list(
            SearchDocument.objects.filter(pk__gt=last_id).order_by("pk")[:BATCH_SIZE]
        )
        if not documents:
            break
        products = Product.objects.in_bulk([document.pk for document in documents])
        for document in documents:
            product = products[document.pk]
            document.materials_text = document_text([product.materials])
            document.shop_id = product.shop_id
            document.published_at = product.published_at or product.created_at
        SearchDocument.objects.bulk_update(
            documents, ["materials_text", "shop_id", "published_at"]
        )
        last_id = documents[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_create_catalog"),
        ("search", "0003_add_document_sort_and_filter_columns"),
    ]

    operations = [migrations.RunPython(fill_columns, migrations.RunPython.noop)]
