"""The sitemap: /sitemap.xml is an index of sections (home, crafts, trades, regions, shops,
products), each paginated by Django's sitemap framework, every address in the four languages
with its alternates.

Built for a million listings: a section's page loads only its own rows (LIMIT/OFFSET on the
primary key, one COUNT for the number of pages), never the whole table, and the latest
modification is one MAX query. A page holds at most 10,000 addresses (2,500 items in four
languages, each with five alternates: a few MB, under the 50,000 URLs / 50 MB limit).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, overload

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse

from souk.catalog import selectors as catalog
from souk.catalog.models import Product
from souk.core.translation import language_codes
from souk.registry.models import Region, Sector, Trade
from souk.shops import selectors as shops
from souk.shops.models import Shop

ADDRESSES_PER_PAGE = 10_000

# One item in one language, as Django's i18n sitemaps pass them to `location`.
LocalizedItem = tuple[Any, str]


class _ItemsInLanguages(Sequence[LocalizedItem]):
    """Every item of `items` in every language, in that order, read a slice at a time."""

    def __init__(self, items: QuerySet[Any] | Sequence[Any], languages: list[str]) -> None:
        self._items = items
        self._languages = languages
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            count = self._items.count() if isinstance(self._items, QuerySet) else len(self._items)
            self._length = count * len(self._languages)
        return self._length

    @overload
    def __getitem__(self, index: int) -> LocalizedItem: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[LocalizedItem]: ...

    def __getitem__(self, index: int | slice) -> LocalizedItem | Sequence[LocalizedItem]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(len(self))
        width = len(self._languages)
        first_item = start // width
        items = list(self._items[first_item : -(-stop // width)])
        pairs = [(item, language) for item in items for language in self._languages]
        skipped = start - first_item * width
        return pairs[skipped : skipped + max(stop - start, 0)]


class LocalizedSitemap(Sitemap[Any]):
    """A section whose every address exists in the four languages, listed with its alternates.

    x-default is the French address, as in every page's hreflang links (docs/decisions.md):
    Django's own `x_default` would point to the address without a language prefix instead.
    """

    i18n = True
    alternates = True
    x_default = False
    limit = ADDRESSES_PER_PAGE

    @property
    def paginator(self) -> Paginator[LocalizedItem]:
        # Every section's items() returns a QuerySet or a list (typed Iterable by the stubs).
        items: QuerySet[Any] | Sequence[Any] = self.items()  # type: ignore[assignment]
        return Paginator(_ItemsInLanguages(items, language_codes()), self.limit)

    def get_urls(
        self, page: int | str = 1, site: Any = None, protocol: str | None = None
    ) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            default = [
                alternate["location"]
                for alternate in url["alternates"]
                if alternate["lang_code"] == settings.LANGUAGE_CODE
            ]
            if default:
                url["alternates"].append({"location": default[0], "lang_code": "x-default"})
        return urls


class HomeSitemap(LocalizedSitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self) -> list[str]:
        return ["web:home"]

    def location(self, item: str) -> str:
        return reverse(item)


class SectorSitemap(LocalizedSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self) -> QuerySet[Sector]:
        return Sector.objects.order_by("code")

    def location(self, item: Sector) -> str:
        return reverse("browse:sector", args=[item.pk])


class TradeSitemap(LocalizedSitemap):
    """Active trades that sell goods: the others have no works to show."""

    changefreq = "daily"
    priority = 0.7

    def items(self) -> QuerySet[Trade]:
        return Trade.objects.filter(is_active=True, sells_goods=True).order_by("code")

    def location(self, item: Trade) -> str:
        return reverse("browse:trade", args=[item.sector_id, item.pk])


class RegionSitemap(LocalizedSitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self) -> QuerySet[Region]:
        return Region.objects.order_by("code")

    def location(self, item: Region) -> str:
        return reverse("browse:region", args=[item.pk])


class ShopSitemap(LocalizedSitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self) -> QuerySet[Shop]:
        return (
            shops.list_public_shops()
            .select_related(None)
            .prefetch_related(None)
            .only("pk", "slug", "updated_at")
            .order_by("pk")
        )

    def location(self, item: Shop) -> str:
        return reverse("shops:detail", args=[item.slug])

    def lastmod(self, item: Shop) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        latest: datetime.datetime | None = self.items().aggregate(latest=Max("updated_at"))[
            "latest"
        ]
        return latest


class ProductSitemap(LocalizedSitemap):
    """Visible products only (catalog.selectors.list_visible_products)."""

    changefreq = "weekly"
    priority = 0.5

    def items(self) -> QuerySet[Product]:
        return (
            catalog.list_visible_products()
            .select_related(None)
            .prefetch_related(None)
            .only("pk", "title_fr", "title_en", "title_es", "updated_at")
            .order_by("pk")
        )

    def location(self, item: Product) -> str:
        return reverse("catalog:detail", kwargs={"product_id": item.pk, "slug": item.slug})

    def lastmod(self, item: Product) -> datetime.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> datetime.datetime | None:
        latest: datetime.datetime | None = self.items().aggregate(latest=Max("updated_at"))[
            "latest"
        ]
        return latest


SITEMAPS: dict[str, type[Sitemap[Any]]] = {
    "home": HomeSitemap,
    "crafts": SectorSitemap,
    "trades": TradeSitemap,
    "regions": RegionSitemap,
    "shops": ShopSitemap,
    "products": ProductSitemap,
}
