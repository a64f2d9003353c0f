"""Listings' life: the transitions table, who may move them, what buyers see."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from souk.accounts import services as accounts
from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.catalog import photo_services, selectors, services
from souk.catalog.errors import (
    CannotModerateOwnListing,
    IllegalProductTransition,
    InvalidProductDetails,
    MissingDescription,
    NotAModerator,
    NotProductManager,
    PhotoRequired,
    ProductNotEditable,
    ReasonRequired,
    ShopCannotSell,
    TradeNotForThisShop,
)
from souk.catalog.models import PRODUCT_TRANSITIONS, Product, ProductStatus
from souk.catalog.tests.factories import details, make_active_product, make_draft_product
from souk.core.machine import Actor
from souk.core.models import AuditEntry
from souk.registry.models import Trade
from souk.shops import services as shops
from souk.shops.tests.factories import (
    complete_shop,
    make_approved_shop,
    make_claimed_shop,
    make_moderator,
    owner_of,
)

pytestmark = pytest.mark.django_db


def audit_actions(product: Product) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="catalog.product", target_id=str(product.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_listing_goes_from_draft_to_sale_and_every_move_is_audited():
    # given
    product = make_draft_product()
    owner = owner_of(product.shop)
    moderator = make_moderator()

    # when
    services.submit_product(product=product, actor=owner)
    services.moderate_product(product=product, moderator=moderator, action="approve")
    services.pause_product(product=product, actor=owner)
    services.resume_product(product=product, actor=owner)

    # then
    product.refresh_from_db()
    assert product.status == ProductStatus.ACTIVE
    assert product.published_at is not None
    assert product.hs_code == "691200"  # the trade's default
    assert product.region_id == product.shop.region_id
    assert audit_actions(product) == [
        "product.created",
        "product.photo_added",
        "product.submit",
        "product.approve",
        "product.pause",
        "product.resume",
    ]
    assert list(selectors.list_visible_products()) == [product]


def test_a_rejected_listing_returns_to_draft_with_the_moderators_words():
    product = make_draft_product()
    services.submit_product(product=product, actor=owner_of(product.shop))

    services.moderate_product(
        product=product, moderator=make_moderator(), action="reject", reason="Photo floue"
    )

    product.refresh_from_db()
    assert (product.status, product.status_reason) == (ProductStatus.DRAFT, "Photo floue")
    entry = AuditEntry.objects.filter(action="product.reject").get()
    assert (entry.reason, entry.data) == (
        "Photo floue",
        {"from": "pending_review", "to": "draft", "role": "moderator"},
    )


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ProductStatus.DRAFT, "approve"),
        (ProductStatus.DRAFT, "lift_suspension"),
        (ProductStatus.ACTIVE, "approve"),
        (ProductStatus.ACTIVE, "reject"),
        (ProductStatus.PAUSED, "approve"),
    ],
)
def test_a_moderator_move_from_the_wrong_status_raises_and_changes_nothing(status, action):
    product = make_draft_product()
    Product.objects.filter(pk=product.pk).update(status=status)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(IllegalProductTransition):
        services.moderate_product(
            product=product, moderator=make_moderator(), action=action, reason="x"
        )

    assert Product.objects.get(pk=product.pk).status == status
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ProductStatus.DRAFT, "pause"),
        (ProductStatus.DRAFT, "resume"),
        (ProductStatus.PENDING_REVIEW, "submit"),
        (ProductStatus.ACTIVE, "resume"),
        (ProductStatus.PAUSED, "pause"),
        (ProductStatus.SUSPENDED, "submit"),
        (ProductStatus.ACTIVE, "approve"),
        (ProductStatus.ACTIVE, "edited"),
    ],
)
def test_an_artisan_move_not_in_the_table_raises(status, action):
    product = make_draft_product()
    Product.objects.filter(pk=product.pk).update(status=status)

    with pytest.raises(IllegalProductTransition):
        services.change_product_status(product=product, actor=owner_of(product.shop), action=action)

    assert Product.objects.get(pk=product.pk).status == status


def test_the_table_has_one_row_per_action_and_moderators_alone_suspend():
    actions = [t.action for t in PRODUCT_TRANSITIONS]
    assert len(actions) == len(set(actions))
    suspend = next(t for t in PRODUCT_TRANSITIONS if t.action == "suspend")
    assert suspend.roles == {Actor.MODERATOR}
    assert suspend.reason_required
    assert ProductStatus.SUSPENDED not in suspend.sources


def test_suspension_needs_a_reason_and_lifting_it_returns_a_draft():
    product = make_active_product()
    moderator = make_moderator()

    with pytest.raises(ReasonRequired):
        services.moderate_product(product=product, moderator=moderator, action="suspend")
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ACTIVE

    services.moderate_product(
        product=product, moderator=moderator, action="suspend", reason="Contrefaçon"
    )
    assert list(selectors.list_visible_products()) == []
    with pytest.raises(ProductNotEditable):
        services.update_product(product=product, actor=owner_of(product.shop), details=details())

    services.moderate_product(product=product, moderator=moderator, action="lift_suspension")
    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_an_artisan_cannot_moderate_and_a_moderator_not_their_own_shop():
    product = make_draft_product()
    owner = owner_of(product.shop)
    services.submit_product(product=product, actor=owner)

    with pytest.raises(NotAModerator):
        services.moderate_product(product=product, moderator=owner, action="approve")
    accounts.grant_role(user=owner, role=Role.MODERATOR)
    with pytest.raises(CannotModerateOwnListing):
        services.moderate_product(
            product=product, moderator=User.objects.get(pk=owner.pk), action="approve"
        )
    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING_REVIEW


def test_submitting_needs_a_photo():
    product = make_draft_product(photo=False)

    with pytest.raises(PhotoRequired):
        services.submit_product(product=product, actor=owner_of(product.shop))

    assert Product.objects.get(pk=product.pk).status == ProductStatus.DRAFT


def test_another_shops_manager_cannot_touch_the_listing():
    product = make_draft_product()
    stranger = owner_of(make_approved_shop())

    with pytest.raises(NotProductManager):
        services.update_product(product=product, actor=stranger, details=details(title_fr="Volé"))
    with pytest.raises(NotProductManager):
        services.submit_product(product=product, actor=stranger)

    assert Product.objects.get(pk=product.pk).title_fr == "Tajine de Safi"


@pytest.mark.parametrize(
    "code",
    ["S03-T04", "S10-T01"],
    ids=["other sector", "services trade"],
)
def test_the_trade_must_be_a_goods_trade_of_the_shops_sector(code):
    shop = make_approved_shop()
    trade = Trade.objects.filter(code__startswith=code[:3]).order_by("code").first()
    assert trade is not None

    with pytest.raises(TradeNotForThisShop):
        services.create_product(shop=shop, actor=owner_of(shop), details=details(trade=trade))

    assert Product.objects.count() == 0


def test_a_listing_needs_a_title_in_one_language_at_least():
    shop = make_approved_shop()

    with pytest.raises(MissingDescription):
        services.create_product(
            shop=shop,
            actor=owner_of(shop),
            details=details(title_fr=" ", description_fr="Un tajine", description_en="A tagine"),
        )

    assert Product.objects.count() == 0


def test_a_title_without_a_description_is_enough_to_start_a_listing():
    shop = make_approved_shop()

    product = services.create_product(
        shop=shop,
        actor=owner_of(shop),
        details=details(title_ar="طاجين", title_fr="", description_fr=""),
    )

    assert Product.objects.get(pk=product.pk).title_ar == "طاجين"


def test_a_shop_in_review_prepares_and_sends_a_piece_that_buyers_do_not_see_yet():
    # given a shop waiting for its moderator
    shop = complete_shop(make_claimed_shop())
    shop = shops.submit_shop_for_review(shop=shop, actor=owner_of(shop))

    # when its artisan prepares a piece and sends it for review
    product = make_draft_product(shop=shop)
    services.submit_product(product=product, actor=owner_of(shop))

    # then it waits for review, hidden until the shop and the piece are approved
    product.refresh_from_db()
    assert product.status == ProductStatus.PENDING_REVIEW
    assert list(selectors.list_visible_products()) == []


def test_a_draft_shop_cannot_list():
    shop = make_claimed_shop()

    with pytest.raises(ShopCannotSell):
        services.create_product(shop=shop, actor=owner_of(shop), details=details())

    assert Product.objects.count() == 0


def test_editing_the_text_of_a_listing_on_sale_sends_it_back_to_review():
    product = make_active_product()

    services.update_product(
        product=product, actor=owner_of(product.shop), details=details(title_fr="Tajine bleu")
    )

    assert Product.objects.get(pk=product.pk).status == ProductStatus.PENDING_REVIEW
    assert list(selectors.list_visible_products()) == []


def test_editing_the_price_or_a_trusted_shops_text_keeps_the_listing_on_sale():
    product = make_active_product()
    owner = owner_of(product.shop)

    services.update_product(product=product, actor=owner, details=details(price_amount=50_000))
    assert Product.objects.get(pk=product.pk).status == ProductStatus.ACTIVE

    shops.set_shop_trusted(shop=product.shop, moderator=make_moderator(), is_trusted=True)
    product = Product.objects.select_related("shop").get(pk=product.pk)
    services.update_product(product=product, actor=owner, details=details(title_fr="Tajine bleu"))

    product.refresh_from_db()
    assert (product.status, product.title_fr, product.price_amount) == (
        ProductStatus.ACTIVE,
        "Tajine bleu",
        45_000,
    )


def test_only_active_listings_of_approved_shops_are_visible():
    shown = make_active_product()
    make_draft_product(shop=shown.shop)
    hidden_shop_product = make_active_product()
    shops.suspend_shop(shop=hidden_shop_product.shop, moderator=make_moderator(), reason="Fraude")

    assert list(selectors.list_visible_products()) == [shown]
    with pytest.raises(Product.DoesNotExist):
        selectors.get_visible_product(product_id=hidden_shop_product.pk)


def test_bulk_approval_is_all_or_nothing():
    first, second = make_draft_product(), make_draft_product()
    for product in (first, second):
        services.submit_product(product=product, actor=owner_of(product.shop))
    draft = make_draft_product()

    with pytest.raises(IllegalProductTransition):
        services.approve_products(
            product_ids=[first.pk, second.pk, draft.pk], moderator=make_moderator()
        )
    assert set(Product.objects.values_list("status", flat=True)) == {
        ProductStatus.PENDING_REVIEW,
        ProductStatus.DRAFT,
    }

    approved = services.approve_products(
        product_ids=[first.pk, second.pk], moderator=make_moderator()
    )
    assert [p.status for p in approved] == [ProductStatus.ACTIVE, ProductStatus.ACTIVE]


def test_removing_the_last_photo_of_a_listing_past_draft_is_refused():
    product = make_active_product()
    photo = product.photos.get()

    with pytest.raises(PhotoRequired):
        photo_services.remove_product_photo(
            product=product, actor=owner_of(product.shop), photo_id=photo.pk
        )

    assert product.photos.count() == 1
    assert default_storage.exists(photo.image.name)


def test_a_maker_must_be_a_member_of_the_shop():
    shop = make_approved_shop()
    other_member = make_approved_shop().members.get()

    with pytest.raises(InvalidProductDetails):
        services.create_product(
            shop=shop, actor=owner_of(shop), details=details(maker=other_member)
        )
    assert Product.objects.count() == 0
