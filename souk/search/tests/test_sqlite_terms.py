"""SQLite's bm25 from kept term statistics (souk.search.backends.sqlite_terms): the kept
numbers of documents follow indexing, edits and removal, and each candidate's score is the one
FTS5's own bm25() gives, without the pass over every match of a common word."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from souk.catalog import services as catalog
from souk.catalog.models import Product
from souk.catalog.tests.factories import make_active_product
from souk.registry.models import Trade
from souk.search import tasks
from souk.search.backends import sqlite, sqlite_terms
from souk.search.backends.base import SearchFilters
from souk.search.backends.sqlite import SqliteSearchBackend, match_expression
from souk.search.models import SearchDocument
from souk.search.query import Group, analyse_query
from souk.shops.tests.factories import make_approved_shop, owner_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index"),
]


def _listing(trade: str, **fields: Any) -> Product:
    shop = make_approved_shop(trade_id=trade, region_id="07")
    fields.setdefault("description_fr", "Une pièce faite à la main.")
    return make_active_product(shop=shop, trade=Trade.objects.get(pk=trade), **fields)


@pytest.fixture
def listings() -> list[Product]:
    made = [
        _listing("S07-T01", title_fr="Tapis berbère rouge", materials="laine"),
        _listing("S07-T01", title_fr="Coussin", description_fr="Un petit tapis de laine bleu."),
        _listing("S07-T01", title_fr="Tapis bleu de Safi", title_ar="زربية زرقاء"),
        _listing("S01-T02", title_fr="Tajine de Safi", materials="argile"),
        _listing("S04-T06", title_fr="Lanterne en cuivre", materials="cuivre"),
    ]
    tasks.index_products.call([product.pk for product in made])
    return made


def _kept() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT term, documents FROM {sqlite_terms.TERM_TABLE}")  # noqa: S608
        return {term: count for term, count in cursor.fetchall() if count}


def test_kept_numbers_of_documents_follow_indexing_edits_and_removal(listings):
    # given: a listing retitled and indexed again, a document's text changed in place, and
    # a listing paused (its document removed)
    Product.objects.filter(pk=listings[0].pk).update(title_fr="Tapis vert")
    SearchDocument.objects.filter(pk=listings[4].pk).update(title_text="lanterne laiton")
    catalog.pause_product(product=listings[3], actor=owner_of(listings[3].shop))
    tasks.index_products.call([listings[0].pk, listings[3].pk])
    # then: the kept numbers are FTS5's own, counted again from its index
    kept = _kept()
    sqlite_terms.rebuild()
    assert kept == _kept()
    assert kept["safi"] == 1
    assert kept["tapis"] == 3
    assert kept["laiton"] == 1
    assert "rouge" not in kept


@pytest.fixture
def kept_idf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Scores from the kept statistics whatever the numbers of documents (a small catalogue's
    are below sqlite.KEPT_IDF_FROM)."""
    monkeypatch.setattr(sqlite, "KEPT_IDF_FROM", 0)


@pytest.mark.parametrize("words", ["tapis", "tapis bleu", "tapis safi", "lanterne cuivre"])
def test_a_candidates_score_is_fts5s_bm25(listings, kept_idf, words):
    # given: a query's groups, all or some of them matched
    plan = analyse_query(words)
    backend = SqliteSearchBackend()
    for min_coverage in sorted({len(plan.groups), 1}):
        hits, params = backend._hits_sql(plan, SearchFilters(), min_coverage)
        with connection.cursor() as cursor:
            cursor.execute(f"{hits}SELECT id, score FROM hits", params)  # noqa: S608
            scored = dict(cursor.fetchall())
            # then: each score is what FTS5's bm25 gives, group by group
            expected: dict[int, float] = {}
            covered: dict[int, int] = {}
            expressions = (
                [match_expression(plan.groups)]
                if min_coverage == len(plan.groups)
                else [match_expression([group]) for group in plan.groups]
            )
            for expression in expressions:
                cursor.execute(
                    "SELECT rowid, bm25(search_fts, 10.0, 1.0) FROM search_fts "
                    "WHERE search_fts MATCH %s",
                    [expression],
                )
                for rowid, bm25 in cursor.fetchall():
                    expected[rowid] = expected.get(rowid, 0.0) + bm25
                    covered[rowid] = covered.get(rowid, 0) + 1
        if min_coverage < len(plan.groups):
            expected = {key: value - 1000.0 * covered[key] for key, value in expected.items()}
        assert scored
        assert scored == pytest.approx(expected, rel=1e-12)


def _bm25_asked(words: str) -> tuple[tuple[int, ...], bool]:
    with CaptureQueriesContext(connection) as queries:
        results = SqliteSearchBackend().search(words, SearchFilters(), 10, None)
    asked = any(re.search(r"\bbm25\(", query["sql"]) for query in queries.captured_queries)
    return results.product_ids, asked


def test_fts5s_bm25_is_asked_only_when_its_idf_reads_few_documents(listings, monkeypatch):
    # given: the same searches, FTS5's idf cheap (a small catalogue), then not
    cheap = {words: _bm25_asked(words) for words in ("tapis", "tapis safi", "tapis vert")}
    monkeypatch.setattr(sqlite, "KEPT_IDF_FROM", 0)
    kept = {words: _bm25_asked(words) for words in cheap}
    # then: FTS5 scores the first, Souk the others, and the pages are the same
    assert all(asked for _ids, asked in cheap.values())
    assert not any(asked for _ids, asked in kept.values())
    assert {words: ids for words, (ids, _asked) in kept.items()} == {
        words: ids for words, (ids, _asked) in cheap.items()
    }
    assert len(kept["tapis"][0]) == 3


def _scores(plan: Any, best: int) -> dict[int, float]:
    hits, params = SqliteSearchBackend()._hits_sql(plan, SearchFilters(), 1, best=best)
    with connection.cursor() as cursor:
        cursor.execute(f"{hits}SELECT id, score FROM hits", params)  # noqa: S608
        return dict(cursor.fetchall())


def test_a_first_page_of_some_words_scores_only_the_rows_it_can_show(listings, kept_idf):
    # given: words no listing has all of; two listings hold two of them, three hold one
    plan = analyse_query("tapis bleu lanterne")
    every = _scores(plan, 0)
    # when: only the best two rows are asked for
    some = _scores(plan, 2)
    # then: the two rows matching two words are scored as before, the others are left at
    # -1000 per word they match, after them
    best_two = sorted(every, key=every.__getitem__)[:2]
    assert {key: some[key] for key in best_two} == {key: every[key] for key in best_two}
    assert all(some[key] == -1000.0 for key in some if key not in best_two)
    assert sorted(some, key=some.__getitem__)[:2] == best_two
    # then: asking for more rows than the best words hold scores them all
    assert _scores(plan, 3) == every


def test_pages_of_some_words_read_like_every_row_scored(listings, kept_idf):
    # given: words no listing has all of, read a page of one at a time
    backend = SqliteSearchBackend()
    shown: list[int] = []
    after = None
    while True:
        results = backend.search("tapis bleu lanterne", SearchFilters(), 1, after)
        assert results.partial
        shown += results.product_ids
        after = results.next_cursor
        if after is None:
            break
    # then: the pages follow the order of every row scored
    every = _scores(analyse_query("tapis bleu lanterne"), 0)
    assert shown == sorted(every, key=lambda key: (every[key], key))


def test_a_rare_words_rows_are_scored_by_fts5_as_souk_scores_them(listings, monkeypatch):
    # given: words no listing has all of, FTS5's idf costly for them together but cheap for
    # the rarest word's own phrases
    plan = analyse_query("tapis bleu lanterne")
    monkeypatch.setattr(sqlite, "KEPT_IDF_FROM", 0)
    every = _scores(plan, 0)
    with connection.cursor() as cursor:
        _spec, per_group = sqlite_terms.specification(cursor, plan.groups)
    limit = settings.SOUK_SEARCH_CANDIDATES
    monkeypatch.setattr(sqlite, "KEPT_IDF_FROM", min(per_group) / limit)
    assert sum(per_group) > sqlite.KEPT_IDF_FROM * limit
    # when: the rows are scored, every one and a first page's
    with CaptureQueriesContext(connection) as queries:
        mixed = _scores(plan, 0)
        results = SqliteSearchBackend().search("tapis bleu lanterne", SearchFilters(), 2, None)
    # then: FTS5 scored the rare word's rows, to the same scores bit for bit, and the page is
    # the one of every row scored by Souk
    assert any(re.search(r"\bbm25\(", query["sql"]) for query in queries.captured_queries)
    assert mixed == every
    assert list(results.product_ids) == sorted(every, key=lambda key: (every[key], key))[:2]


class _Unsplittable(str):
    """A text that fails if it is split (what `score` no longer does for exact tokens)."""

    def split(self, *args: Any, **kwargs: Any) -> list[str]:
        raise AssertionError("split")


def test_an_exact_tokens_score_is_fts5s_at_a_texts_ends_and_beside_longer_tokens(listings):
    # given: texts holding a group's tokens first, last, alone, inside longer tokens, and
    # a body of over 127 tokens (its size two bytes in search_fts_docsize)
    long_body = " ".join(f"mot{number}" for number in range(200)) + " tapis"
    texts = {
        listings[0].pk: ("tapis", long_body),
        listings[1].pk: ("grand tapis", "tapis rouge"),
        listings[2].pk: ("tapisserie", "tapi xtapis tapis"),
        listings[3].pk: ("tapis", ""),
        listings[4].pk: ("tapisserie", "tapi"),
    }
    for pk, (title, body) in texts.items():
        SearchDocument.objects.filter(pk=pk).update(title_text=title, body_text=body)
    groups = [Group(words=("tapis",), exact=("tapis", "tapi"))]
    with connection.cursor() as cursor:
        spec, _per_group = sqlite_terms.specification(cursor, groups)
        cursor.execute(
            "SELECT f.rowid, bm25(search_fts, 10.0, 1.0), z.sz FROM search_fts f "
            "JOIN search_fts_docsize z ON z.id = f.rowid WHERE search_fts MATCH %s",
            [match_expression(groups)],
        )
        expected = {rowid: (bm25, sizes) for rowid, bm25, sizes in cursor.fetchall()}
    # when: each is scored from the kept statistics, its texts never split
    scored = {
        pk: sqlite_terms.score(spec, "0", _Unsplittable(title), _Unsplittable(body), sizes)
        for pk, (title, body) in texts.items()
        for _bm25, sizes in [expected[pk]]
    }
    # then: the scores are FTS5's own
    assert set(expected) == set(texts)
    assert scored == pytest.approx({pk: bm25 for pk, (bm25, _s) in expected.items()}, rel=1e-12)


def test_a_common_words_lone_rows_are_left_unscored_when_rarer_rows_fill_the_page(
    listings, monkeypatch
):
    # given: words no listing has both of, the rarer scored by FTS5 (its idf cheap), the
    # commoner by Souk; the rarer word's row scores beyond anything the commoner's could
    plan = analyse_query("lanterne tapis")
    monkeypatch.setattr(sqlite, "KEPT_IDF_FROM", 0)
    every = _scores(plan, 0)
    with connection.cursor() as cursor:
        spec, per_group = sqlite_terms.specification(cursor, plan.groups)
    limit = settings.SOUK_SEARCH_CANDIDATES
    monkeypatch.setattr(sqlite, "KEPT_IDF_FROM", min(per_group) / limit)
    lantern = listings[4].pk
    assert every[lantern] < -1000.0 - sqlite_terms.score_bounds(spec)[1]
    # when: only the best row is asked for, then two
    with CaptureQueriesContext(connection) as queries:
        one = _scores(plan, 1)
        results = SqliteSearchBackend().search("lanterne tapis", SearchFilters(), 1, None)
    # then: the rarer word's row is scored as before, the commoner's are left at -1000, after
    # it, and the first page is the one of every row scored
    assert any(re.search(r"\bbm25\(", query["sql"]) for query in queries.captured_queries)
    assert one[lantern] == every[lantern]
    assert {key: value for key, value in one.items() if key != lantern} == {
        key: -1000.0 for key in every if key != lantern
    }
    assert results.product_ids == (lantern,)
    assert results.total == len(every)
    # then: two rows cannot be filled by the rarer word's alone: every row is scored
    assert _scores(plan, 2) == every
