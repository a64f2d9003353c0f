"""How a listing edit changes stock: relative to what the form showed, never a blind overwrite."""

from __future__ import annotations

from souk.catalog.errors import StockChangedMeanwhile


def stock_to_write(*, now: int, shown: int | None, wanted: int) -> int | None:
    """The stock an edit writes, or None to leave it alone; the caller holds the row's lock.

    Unchanged in the form (`wanted == shown`), the stock is left as sales made it; changed, it
    is written only if nothing moved it since the form showed it, else StockChangedMeanwhile
    with the stock now. `shown` is None when no form showed a stock (a script): `wanted` is
    written. The rule and why: docs/catalog.md, "Stock and listing edits".
    """
    if shown is None:
        return wanted
    if wanted == shown:
        return None
    if now != shown:
        raise StockChangedMeanwhile(stock_now=now)
    return wanted
