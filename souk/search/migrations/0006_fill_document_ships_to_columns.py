"""Fill the "ships to" columns of 0005 for the documents already indexed, from each product's
size and the carriers' limits and zones (as shipping.selectors.ReachRules does)."""

from django.db import migrations

from souk.shipping.quotes import Piece

BATCH_SIZE = 500
COLUMN_OF_ZONE = {
    "MA": "ships_to_ma",
    "EU": "ships_to_eu",
    "US": "ships_to_us",
    "WORLD": "ships_to_world",
}


def fill_columns(apps, schema_editor):
    SearchDocument = apps.get_model("search", "SearchDocument")
    Product = apps.get_model("catalog", "Product")
    Carrier = apps.get_model("shipping", "Carrier")
    CarrierRate = apps.get_model("shipping", "CarrierRate")
    carriers = {carrier.pk: carrier for carrier in Carrier.objects.filter(is_active=True)}
    routes = [
        (carriers[carrier_id], zone)
        for carrier_id, zone in CarrierRate.objects.values_list("carrier_id", "zone").distinct()
        if carrier_id in carriers
    ]
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
            piece = Piece.of(
                weight_grams=product.weight_grams,
                length_mm=product.length_mm,
                width_mm=product.width_mm,
                height_mm=product.height_mm,
            )
            zones = {zone for carrier, zone in routes if piece.fits(carrier)}
            for zone, column in COLUMN_OF_ZONE.items():
                setattr(document, column, zone in zones)
        SearchDocument.objects.bulk_update(documents, list(COLUMN_OF_ZONE.values()))
        last_id = documents[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_create_catalog"),
        ("shipping", "0002_carriers"),
        ("search", "0005_add_document_ships_to_columns"),
    ]

    operations = [migrations.RunPython(fill_columns, migrations.RunPython.noop)]
