"""What the catalog tells the apps above it (souk.core.events): search keeps its index and its
cached pages in step by subscribing."""

from __future__ import annotations

from dataclasses import dataclass

from souk.core.events import Event


@dataclass(frozen=True, slots=True)
class ProductsChanged(Event):
    """These listings changed in what buyers see or filter on (text, price, stock, status, shop):
    index them again. Published inside the change's transaction; heard once it commits."""

    product_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ListingPagesChanged(Event):
    """Something shown on listing pages but not searched changed (a photo, its order): pages
    kept in a cache are out of date."""
