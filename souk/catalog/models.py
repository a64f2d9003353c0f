"""Products (listings) of approved shops, their photos, and the one table of listing moves.

A product's status follows PRODUCT_MACHINE (core.machine); services.py moves it, and each move
is recorded in the audit log. Only ACTIVE products of APPROVED shops are shown or sold
(selectors.list_visible_products).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from souk.catalog import materials as vocabulary
from souk.catalog.errors import IllegalProductTransition, ReasonRequired
from souk.core.gallery.models import GalleryPhoto
from souk.core.machine import Actor, Machine, Transition, transition
from souk.core.translation import pick_translation
from souk.registry.models import Region, Trade
from souk.shops.models import Shop, ShopMember

MAX_PHOTOS_PER_PRODUCT = 10
PRODUCT_LANGUAGES = ("ar", "fr", "en", "es")
PRICE_CURRENCY = "MAD"


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Waiting for review")
    ACTIVE = "active", _("On sale")
    PAUSED = "paused", _("Paused")
    SUSPENDED = "suspended", _("Suspended")


_ANY_BUT_SUSPENDED = frozenset(
    {
        ProductStatus.DRAFT,
        ProductStatus.PENDING_REVIEW,
        ProductStatus.ACTIVE,
        ProductStatus.PAUSED,
    }
)

# Every move a product's status may make, and nothing else; anything not listed raises.
PRODUCT_TRANSITIONS: tuple[Transition, ...] = (
    transition(
        "submit",
        frozenset({ProductStatus.DRAFT}),
        ProductStatus.PENDING_REVIEW,
        {Actor.ARTISAN},
        reason_required=False,
        label=_("Submit for review"),
    ),
    # An artisan's edit of the text or photos of a listing on sale (or paused) of a shop that
    # is not trusted: a moderator looks at it again before buyers do.
    transition(
        "edited",
        frozenset({ProductStatus.ACTIVE, ProductStatus.PAUSED}),
        ProductStatus.PENDING_REVIEW,
        {Actor.ARTISAN},
        reason_required=False,
        label=_("Send the changes for review"),
    ),
    transition(
        "approve",
        frozenset({ProductStatus.PENDING_REVIEW}),
        ProductStatus.ACTIVE,
        {Actor.MODERATOR},
        reason_required=False,
        label=_("Approve"),
    ),
    transition(
        "reject",
        frozenset({ProductStatus.PENDING_REVIEW}),
        ProductStatus.DRAFT,
        {Actor.MODERATOR},
        reason_required=True,
        label=_("Send back to the artisan"),
    ),
    transition(
        "pause",
        frozenset({ProductStatus.ACTIVE}),
        ProductStatus.PAUSED,
        {Actor.ARTISAN},
        reason_required=False,
        label=_("Pause"),
    ),
    transition(
        "resume",
        frozenset({ProductStatus.PAUSED}),
        ProductStatus.ACTIVE,
        {Actor.ARTISAN},
        reason_required=False,
        label=_("Put back on sale"),
    ),
    transition(
        "suspend",
        _ANY_BUT_SUSPENDED,
        ProductStatus.SUSPENDED,
        {Actor.MODERATOR},
        reason_required=True,
        label=_("Suspend"),
    ),
    # Lifting a suspension returns the listing to its artisan as a draft: they fix it and
    # submit it again, so a moderator reviews it before it is back on sale.
    transition(
        "lift_suspension",
        frozenset({ProductStatus.SUSPENDED}),
        ProductStatus.DRAFT,
        {Actor.MODERATOR},
        reason_required=False,
        label=_("Lift the suspension"),
    ),
)

PRODUCT_MACHINE = Machine(
    name="product",
    transitions=PRODUCT_TRANSITIONS,
    illegal=IllegalProductTransition,
    # A move of the other side (an artisan approving...) is as impossible as a wrong status.
    not_allowed=IllegalProductTransition,
    reason_missing=ReasonRequired,
)

# The artisan may change a listing except while a moderator reviews it or once suspended.
EDITABLE_STATUSES = frozenset({ProductStatus.DRAFT, ProductStatus.ACTIVE, ProductStatus.PAUSED})


def _has_title(code: str) -> Q:
    return ~Q(**{f"title_{code}": ""})


class Product(models.Model):
    """One piece (or one kind of piece) an artisan sells, described in up to four languages."""

    shop = models.ForeignKey(
        Shop, verbose_name=_("shop"), on_delete=models.PROTECT, related_name="products"
    )
    trade = models.ForeignKey(
        Trade, verbose_name=_("trade"), on_delete=models.PROTECT, related_name="products"
    )
    title_ar = models.CharField(_("title (Arabic)"), max_length=140, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=140, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=140, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=140, blank=True)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    # Codes of the materials vocabulary (souk/catalog/materials.py), in its order.
    material_codes = models.JSONField(_("materials"), default=list, blank=True)
    # Materials the vocabulary does not have, as the artisan typed them.
    materials = models.CharField(_("other materials"), max_length=200, blank=True)
    techniques = models.CharField(_("techniques"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region of origin"), on_delete=models.PROTECT, related_name="+"
    )
    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height (mm)"), null=True, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    price_amount = models.BigIntegerField(_("price (centimes)"))
    currency = models.CharField(_("currency"), max_length=3, default=PRICE_CURRENCY)
    stock_quantity = models.PositiveIntegerField(_("in stock"), default=0)
    is_made_to_order = models.BooleanField(_("made to order"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(_("days to make"), null=True, blank=True)
    hs_code = models.CharField(_("HS code"), max_length=6)
    maker = models.ForeignKey(
        ShopMember,
        verbose_name=_("made by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="products",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProductStatus.choices,
        default=ProductStatus.DRAFT,
        db_index=True,
    )
    # The moderator's words for the latest decision, shown to the artisan as written.
    status_reason = models.TextField(_("reason given"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # First approval; a later review does not move it.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Kept by souk.reviews through catalog.ratings: how many visible reviews and their stars
    # added up, so a card shows the average without a query of its own.
    rating_count = models.PositiveIntegerField(_("reviews"), default=0)
    rating_stars = models.PositiveIntegerField(_("stars given"), default=0)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["shop", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ProductStatus.values), name="product_status_is_known"
            ),
            models.CheckConstraint(
                condition=Q(currency=PRICE_CURRENCY), name="product_price_is_in_mad"
            ),
            models.CheckConstraint(
                condition=Q(price_amount__gt=0), name="product_price_is_positive"
            ),
            models.CheckConstraint(
                condition=Q(is_made_to_order=False) | Q(lead_time_days__isnull=False),
                name="product_made_to_order_has_lead_time",
            ),
            models.CheckConstraint(
                condition=(
                    _has_title("ar") | _has_title("fr") | _has_title("en") | _has_title("es")
                ),
                name="product_titled_in_one_language",
            ),
        ]

    def __str__(self) -> str:
        return self.title_fr or self.title_en or self.title_es or self.title_ar

    @property
    def title(self) -> str:
        """The title in the active language, else the next one in FALLBACK_ORDER."""
        return pick_translation(self, "title")[0]

    @property
    def slug(self) -> str:
        """The words of the address: the first Latin-script title, else "piece"."""
        return slugify(self.title_fr or self.title_en or self.title_es)[:60].strip("-") or "piece"

    def material_names(self, language: str) -> list[str]:
        """What the piece is made of in `language`: the vocabulary's names, then the rest."""
        shown = vocabulary.names(self.material_codes, language)
        return [*shown, self.materials] if self.materials else shown

    @property
    def materials_for_search(self) -> str:
        """The materials in all four languages and the free text, for the search index."""
        return f"{vocabulary.every_name(self.material_codes)} {self.materials}".strip()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def hs_code_display(self) -> str:
        code = self.hs_code
        return f"{code[:4]}.{code[4:]}" if len(code) == 6 else code


class ProductPhoto(GalleryPhoto):
    """A product photo (souk.core.gallery): the first by position is the listing's cover."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )

    class Meta(GalleryPhoto.Meta):
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def upload_folder(self) -> str:
        return f"products/{self.product_id}"


def _has_label() -> Q:
    return ~Q(label_ar="") | ~Q(label_fr="") | ~Q(label_en="") | ~Q(label_es="")


class ProductVariant(models.Model):
    """One option of a product (a size, a colour) with its own price, stock and SKU.

    A product with active variants is bought by variant; its weight and dimensions stand in for
    a variant's own when those are not given. Variants are deactivated, never deleted, since
    order lines point at them."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="variants"
    )
    label_ar = models.CharField(_("label (Arabic)"), max_length=80, blank=True)
    label_fr = models.CharField(_("label (French)"), max_length=80, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=80, blank=True)
    label_es = models.CharField(_("label (Spanish)"), max_length=80, blank=True)
    sku = models.CharField(_("SKU"), max_length=40)
    price_amount = models.BigIntegerField(_("price (centimes)"))
    stock_quantity = models.PositiveIntegerField(_("in stock"), default=0)
    length_mm = models.PositiveIntegerField(_("length (mm)"), null=True, blank=True)
    width_mm = models.PositiveIntegerField(_("width (mm)"), null=True, blank=True)
    height_mm = models.PositiveIntegerField(_("height (mm)"), null=True, blank=True)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "sku"], name="variant_sku_once_per_product"),
            models.CheckConstraint(
                condition=Q(price_amount__gt=0), name="variant_price_is_positive"
            ),
            models.CheckConstraint(condition=_has_label(), name="variant_labelled_in_one_language"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The label in the active language, else the next one in FALLBACK_ORDER."""
        return pick_translation(self, "label")[0]

    @property
    def shipped_weight_grams(self) -> int | None:
        return self.weight_grams if self.weight_grams is not None else self.product.weight_grams

    @property
    def shipped_dimensions_mm(self) -> tuple[int | None, int | None, int | None]:
        """(length, width, height): the variant's own when it gives any, else the product's."""
        if self.length_mm or self.width_mm or self.height_mm:
            return self.length_mm, self.width_mm, self.height_mm
        return self.product.length_mm, self.product.width_mm, self.product.height_mm
