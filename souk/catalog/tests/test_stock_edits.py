"""A listing edit changes stock relative to what its page showed: a sale made while the page was
open is never undone, so a piece is never sold twice (issue #14, defect 1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from souk.catalog.forms import ProductForm, VariantForm
from souk.catalog.models import Product, ProductVariant
from souk.catalog.tests.factories import make_active_product, make_variant
from souk.core.models import AuditEntry
from souk.orders import services as orders
from souk.orders.errors import InsufficientStock
from souk.orders.models import StockReservation
from souk.orders.tests.factories import make_buyer, place
from souk.shops.tests.factories import owner_of

pytestmark = pytest.mark.django_db

STOCK_MOVED = "The stock changed since you opened this page (a sale?): it is now {}."


def url(name: str, **kwargs: int) -> str:
    with translation.override("en"):
        return reverse(f"catalog:{name}", kwargs=kwargs)


def as_posted(initial: dict[str, Any], **changes: str) -> dict[str, Any]:
    """The form as the page showed it (its initial values), with the artisan's changes; ticked
    boxes (a list) post each value, unticked ones nothing."""
    data: dict[str, Any] = {
        name: value if isinstance(value, list) else "" if value is None else str(value)
        for name, value in initial.items()
    }
    data = {name: value for name, value in data.items() if value not in ("False", [])}
    data.update(changes)
    return data


def opened_edit_page(client: Any, product: Product) -> dict[str, str]:
    page = client.get(url("edit", shop_id=product.shop_id, product_id=product.pk))
    assert page.status_code == 200
    shown = product.stock_quantity
    assert f'name="stock_shown" value="{shown}"' in page.content.decode()
    return as_posted(ProductForm.initial_for(product, product.shop))


def buy(product: Product, variant: ProductVariant | None = None) -> None:
    """A buyer checks out one piece: the reservation takes it from the stock."""
    buyer = make_buyer()
    cart = orders.get_or_create_cart(user=buyer, cart_id=None)
    orders.add_to_cart(
        cart=cart,
        product_id=product.pk,
        variant_id=variant.pk if variant is not None else None,
        quantity=1,
    )
    place(buyer)


def test_saving_an_edit_opened_before_the_last_piece_sold_leaves_the_stock_at_zero(client):
    # given: the artisan opens the edit page of a one-of-a-kind piece
    product = make_active_product(stock_quantity=1)
    client.force_login(owner_of(product.shop))
    form = opened_edit_page(client, product)
    # and a buyer checks out the last piece meanwhile
    buy(product)
    assert Product.objects.get(pk=product.pk).stock_quantity == 0

    # when: the artisan saves the page, having changed only the weight
    response = client.post(
        url("edit", shop_id=product.shop_id, product_id=product.pk),
        {**form, "weight_grams": "2100"},
    )

    # then: the weight is saved, the sale stands, nothing is left to sell twice
    assert response.status_code == 302
    saved = Product.objects.get(pk=product.pk)
    assert (saved.weight_grams, saved.stock_quantity) == (2100, 0)
    assert StockReservation.objects.count() == 1
    with pytest.raises(InsufficientStock):
        buy(saved)


def test_a_stock_change_typed_by_the_artisan_is_applied(client):
    # given
    product = make_active_product(stock_quantity=1)
    client.force_login(owner_of(product.shop))
    form = opened_edit_page(client, product)

    # when: nothing sold meanwhile, the artisan makes two more pieces: 1 → 3
    response = client.post(
        url("edit", shop_id=product.shop_id, product_id=product.pk),
        {**form, "stock_quantity": "3"},
    )

    # then
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).stock_quantity == 3


def test_a_stock_change_over_a_sale_is_refused_and_the_form_keeps_what_was_typed(client):
    # given: the page shows 2 pieces; a buyer takes one meanwhile
    product = make_active_product(stock_quantity=2)
    client.force_login(owner_of(product.shop))
    form = opened_edit_page(client, product)
    buy(product)
    entries = AuditEntry.objects.count()

    # when: the artisan saves 5 pieces and a new weight
    edit = url("edit", shop_id=product.shop_id, product_id=product.pk)
    response = client.post(edit, {**form, "stock_quantity": "5", "weight_grams": "2100"})

    # then: refused with the stock now; nothing written; the typed weight is still in the form
    assert response.status_code == 409
    page = response.content.decode()
    assert STOCK_MOVED.format(1) in page
    assert 'name="weight_grams" value="2100"' in page
    assert 'name="stock_shown" value="1"' in page
    saved = Product.objects.get(pk=product.pk)
    assert (saved.stock_quantity, saved.weight_grams) == (1, 1800)
    assert AuditEntry.objects.count() == entries

    # when: saved again from that page, with the stock checked
    response = client.post(edit, {**form, "stock_quantity": "4", "stock_shown": "1"})

    # then
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).stock_quantity == 4


def test_a_variant_edit_opened_before_a_sale_neither_undoes_it_nor_overwrites_it(client):
    # given: the variant page shows 1 piece; a buyer takes it meanwhile
    product = make_active_product()
    variant = make_variant(product, stock_quantity=1)
    client.force_login(owner_of(product.shop))
    edit = url(
        "edit_variant", shop_id=product.shop_id, product_id=product.pk, variant_id=variant.pk
    )
    page = client.get(edit)
    assert 'name="stock_shown" value="1"' in page.content.decode()
    form = as_posted(VariantForm.initial_for(variant))
    buy(product, variant)

    # when: the artisan changes only the price
    response = client.post(edit, {**form, "price": "530.00"})

    # then: the price is saved, the stock stays 0
    assert response.status_code == 302
    saved = ProductVariant.objects.get(pk=variant.pk)
    assert (saved.price_amount, saved.stock_quantity) == (53_000, 0)

    # when: the artisan, still on the old page, sets 3 pieces
    response = client.post(edit, {**form, "stock_quantity": "3"})

    # then: refused, the stock now is shown
    assert response.status_code == 409
    assert STOCK_MOVED.format(0) in response.content.decode()
    assert ProductVariant.objects.get(pk=variant.pk).stock_quantity == 0


def test_an_edit_without_the_stock_it_showed_is_refused(client):
    # given
    product = make_active_product(stock_quantity=1)
    client.force_login(owner_of(product.shop))
    form = opened_edit_page(client, product)
    del form["stock_shown"]

    # when
    response = client.post(
        url("edit", shop_id=product.shop_id, product_id=product.pk),
        {**form, "stock_quantity": "7"},
    )

    # then
    assert response.status_code == 400
    assert Product.objects.get(pk=product.pk).stock_quantity == 1
