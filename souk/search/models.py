"""The search documents: one row per visible product, in normalised text, with its facets.

Both backends read this table for filters, facets and ordering; the full-text index beside it
is backend-specific (an FTS5 table on SQLite, a generated tsvector column on PostgreSQL, both
made by migration 0002 and described in docs/search.md).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from souk.catalog.models import Product

# The columns a search reads of a document it has matched (filters, sort keys, facets).
COUNTED_COLUMNS = [
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
]


class SearchDocument(models.Model):
    """What the search knows of one visible product; rebuilt from it by services.index_products."""

    product = models.OneToOneField(
        Product,
        verbose_name=_("product"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # normalize_text of the titles in every language (title_text) and of the descriptions,
    # materials and techniques (body_text); see souk.search.text.
    title_text = models.TextField(_("title text"))
    body_text = models.TextField(_("body text"))
    # The materials alone, normalised, for the material filter.
    materials_text = models.TextField(_("materials text"), blank=True)
    sector_code = models.CharField(_("sector"), max_length=3)
    trade_code = models.CharField(_("trade"), max_length=8)
    region_code = models.CharField(_("region"), max_length=2)
    # A plain id, not a foreign key: the document is derived data, rebuilt from the product.
    shop_id = models.BigIntegerField(_("shop"))
    price_amount = models.BigIntegerField(_("price (centimes)"))
    is_in_stock = models.BooleanField(_("in stock"))
    is_made_to_order = models.BooleanField(_("made to order"))
    # Whether some carrier can take one piece to each shipping zone (shipping.selectors
    # ReachRules, from the piece's weight and size), for the "ships to" filter.
    ships_to_ma = models.BooleanField(_("ships to Morocco"), default=False)
    ships_to_eu = models.BooleanField(_("ships to the European Union"), default=False)
    ships_to_us = models.BooleanField(_("ships to the USA and Canada"), default=False)
    ships_to_world = models.BooleanField(_("ships to the rest of the world"), default=False)
    # The product's first publication (its creation when it has none): the "newest" order.
    published_at = models.DateTimeField(_("published at"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        indexes = [
            models.Index(fields=["sector_code"]),
            models.Index(fields=["region_code"]),
            models.Index(fields=["price_amount"]),
            models.Index(fields=["shop_id"]),
            models.Index(fields=["published_at"]),
            # Browse pages list a sector, trade or region newest first: the keyset walks these
            # instead of sorting every document of the sector (docs/benchmarks.md).
            models.Index(
                fields=["sector_code", "published_at", "product"], name="search_doc_sector_newest"
            ),
            models.Index(
                fields=["trade_code", "published_at", "product"], name="search_doc_trade_newest"
            ),
            models.Index(
                fields=["region_code", "published_at", "product"], name="search_doc_region_newest"
            ),
            # A search with words joins its bounded matches to their documents by id for the
            # columns it filters, sorts and counts by: this index holds them all, so the large
            # rows (their text) are not read (30 ms for 3000 matches at a million listings).
            models.Index(fields=COUNTED_COLUMNS, name="search_doc_counted"),
        ]

    def __str__(self) -> str:
        return f"search document {self.pk}"


class IndexVersion(models.Model):
    """One row (id 1): a token given a new random value with every change of the documents, so
    that query results kept in the cache are not used after it (souk.search.query_cache); and
    the analysis the documents were built by (souk.search.analysis.ANALYSIS_VERSION), so that
    `rebuild_search_index --if-stale` knows when they must be built again."""

    token = models.CharField(_("token"), max_length=32)
    analysis_version = models.PositiveIntegerField(_("analysis version"), default=0)

    class Meta:
        verbose_name = _("search index version")
        verbose_name_plural = _("search index versions")

    def __str__(self) -> str:
        return f"search index version {self.token}"


class SearchTerm(models.Model):
    """A word form some indexed document holds (its surface or a stem, never a marker token):
    the vocabulary typo correction and prefix completion choose from (souk.search.vocabulary).
    Only added to; a form no document holds any more costs a correction that finds nothing."""

    term = models.CharField(_("term"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("search term")
        verbose_name_plural = _("search terms")

    def __str__(self) -> str:
        return self.term


class KeptCount(models.Model):
    """How many documents of a scope (every document: "", or one sector, trade or region:
    "sector:S07", "trade:S07-T01", "region:01") have a facet value ("total" has the value ""):
    the counts of a browse page, kept exact in the transaction of every index and remove
    (souk.search.backends.kept_counts) rather than counted over a million documents per page."""

    scope = models.CharField(_("scope"), max_length=20)
    facet = models.CharField(_("facet"), max_length=8)
    value = models.CharField(_("value"), max_length=16, blank=True)
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("kept facet count")
        verbose_name_plural = _("kept facet counts")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "facet", "value"], name="search_kept_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.facet} {self.value}: {self.count}"


class DocumentMaterial(models.Model):
    """A code of the materials vocabulary (souk/catalog/materials.py) whose filter
    (`material=<code>`) a document passes: what the Material facet counts
    (souk.search.backends.materials). Written and deleted with the document."""

    # A plain id, like SearchDocument.shop_id: derived data, written in bulk beside it.
    product_id = models.BigIntegerField(_("product"))
    code = models.CharField(_("material"), max_length=16)

    class Meta:
        verbose_name = _("search document material")
        verbose_name_plural = _("search document materials")
        constraints = [
            # Also the index a facet count joins the matched documents through.
            models.UniqueConstraint(fields=["product_id", "code"], name="search_doc_material")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.code}"
