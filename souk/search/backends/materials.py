"""The material filter and the Material facet, which must agree.

`material=` (a code of the materials vocabulary, a name of one in any language, or other words:
souk.search.forms.clean_material) is analysed like a query, without correction: each of its
groups must have one of its tokens among the document's `materials_text`, or (one word of at
least MINIMUM_PREFIX letters) a token beginning with it. `condition` writes that as SQL over the
documents `d`; `matches` is the same test in Python.

The facet counts, per document, the vocabulary's codes whose filter the document passes
(`codes_of`: `matches` on the code's English name, what the filter searches for a code), kept in
DocumentMaterial rows written with the document. So the count beside "Wool" is the number of
works its link (`material=wool`) lists, whether the artisan ticked wool or typed "laine".
"""

# S608 is silenced where SQL is assembled: only constants and %s placeholders are formatted in.

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from souk.catalog import materials as vocabulary
from souk.search.analysis import surface
from souk.search.models import DocumentMaterial, SearchDocument
from souk.search.query import analyse_query
from souk.search.vocabulary import MINIMUM_PREFIX

TABLE = DocumentMaterial._meta.db_table
# What a group of the filter accepts: whole tokens, and the start of a token (or None).
Alternatives = tuple[tuple[str, ...], str | None]
# Distinct materials texts whose codes are remembered (generate_catalog repeats a few).
REMEMBERED_TEXTS = 4096


@functools.lru_cache(maxsize=1024)
def alternatives(material: str) -> tuple[Alternatives, ...]:
    """Per group of the material's words: its tokens, and the prefix a token may begin with."""
    groups = []
    for group in analyse_query(material, correct=False).groups:
        prefix = None
        if len(group.words) == 1 and len(group.words[0]) >= MINIMUM_PREFIX:
            prefix = surface(group.words[0])
        groups.append((tuple(group.exact), prefix))
    return tuple(groups)


def condition(material: str) -> tuple[list[str], list[Any]]:
    """The filter as conditions on the documents `d`, and their parameters. Tokens are letters
    and digits only, so they hold no LIKE wildcard."""
    conditions: list[str] = []
    values: list[Any] = []
    for exact, prefix in alternatives(material):
        patterns = [f"% {token} %" for token in exact]
        if prefix:
            patterns.append(f"% {prefix}%")
        like = "(' ' || d.materials_text || ' ') LIKE %s"
        conditions.append("(" + " OR ".join([like] * len(patterns)) + ")")
        values.extend(patterns)
    return conditions, values


def matches(tokens: frozenset[str], material: str) -> bool:
    """Whether a document whose materials_text holds `tokens` passes the filter `material`."""
    return all(
        any(token in tokens for token in exact)
        or (prefix is not None and any(token.startswith(prefix) for token in tokens))
        for exact, prefix in alternatives(material)
    )


@functools.lru_cache(maxsize=REMEMBERED_TEXTS)
def codes_of(materials_text: str) -> tuple[str, ...]:
    """The vocabulary's codes whose filter a document with this materials_text passes."""
    tokens = frozenset(materials_text.split())
    if not tokens:
        return ()
    return tuple(
        code
        for code, material in vocabulary.all_materials().items()
        if matches(tokens, material.name("en"))
    )


def insert(documents: Sequence[SearchDocument]) -> dict[int, tuple[str, ...]]:
    """Write the material rows of these (just inserted) documents; their codes by product id."""
    codes = {int(doc.pk): codes_of(doc.materials_text) for doc in documents}
    DocumentMaterial.objects.bulk_create(
        DocumentMaterial(product_id=product_id, code=code)
        for product_id, product_codes in codes.items()
        for code in product_codes
    )
    return codes


def delete_returning(ids: Sequence[int]) -> dict[int, list[str]]:
    """Delete the material rows of these product ids; the deleted codes by product id."""
    deleted: dict[int, list[str]] = {}
    if not ids:
        return deleted
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {TABLE} WHERE product_id IN ({placeholders}) RETURNING product_id, code",
            list(ids),
        )
        for product_id, code in cursor.fetchall():
            deleted.setdefault(int(product_id), []).append(str(code))
    return deleted


def facet_sql() -> str:
    """The Material counts of the `hits` CTE, as (facet, value, count) rows to UNION."""
    return (
        f"SELECT 'material', m.code, COUNT(*) FROM hits "
        f"JOIN {TABLE} m ON m.product_id = hits.id GROUP BY m.code"
    )


def fill(product_ids: Iterable[int] | None = None) -> int:
    """Write the material rows of every document (of `product_ids` when given) that has none
    yet, from its materials_text: a migration, a catalog written in bulk. Returns how many."""
    documents = SearchDocument.objects.exclude(
        product_id__in=DocumentMaterial.objects.values("product_id")
    )
    if product_ids is not None:
        documents = documents.filter(product_id__in=list(product_ids))
    written = 0
    batch: list[DocumentMaterial] = []
    for product_id, text in documents.values_list("product_id", "materials_text").iterator(
        chunk_size=2000
    ):
        batch.extend(DocumentMaterial(product_id=product_id, code=c) for c in codes_of(text))
        if len(batch) >= 2000:
            written += len(DocumentMaterial.objects.bulk_create(batch))
            batch = []
    written += len(DocumentMaterial.objects.bulk_create(batch))
    return written


def counts_sql(how_many: int) -> str:
    """The Material counts of `how_many` product ids (the parameters), as (facet, value,
    count) rows like facet_sql's."""
    placeholders = ", ".join(["%s"] * how_many)
    return (
        f"SELECT 'material', code, COUNT(*) FROM {TABLE} "
        f"WHERE product_id IN ({placeholders}) GROUP BY code"
    )
