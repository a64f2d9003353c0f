"""Compare search engines on the million-listing catalogue (issue #16): our backend (FTS5 on
SQLite, tsvector + pg_trgm on PostgreSQL) against tantivy, an embedded Lucene-class engine
(BM25, block-max WAND top-k, columnar fast fields), through its Python binding.

Run from the repository root once the SQLite catalogue exists (bench/search_uncached.py says
where):

    .venv/bin/python bench/search_engines.py [--database sqlite|postgresql] [--rebuild] [--write]

The tantivy index (CATALOGUES/tantivy) is built from the SQLite catalogue's search documents:
their analysed text as it is stored (souk.search.analysis: titles stemmed in their language,
descriptions, materials and techniques, marker tokens of concepts, sector, trade and place),
cut at spaces only, so both engines see the same tokens; titles and bodies are two fields
(titles weigh 10 in the query, as in FTS5's bm25 weights). Facets and sorts are fast fields:
sector, trade, region, price, in stock, made to order, ships to, publication time.

Then the same 300 never-seen queries of bench/search_uncached.py and the browse pages (13
sectors, every work, four regions), one at a time, in this process, with CACHE_URL=dummy://.
Both engines get the same QueryPlan (souk.search.query.analyse_query: the typo correction,
thesaurus and names run once, outside the engine timings). For each URL:

- "ours, page only": the backend's page query alone (its `hits` SQL, ordered, LIMIT 25);
- "ours, with facets": SqlSearchBackend.search (the page, the total and the four facets);
- "tantivy, top-k": the 25 best ids, no count (tantivy may prune with block-max WAND);
- "tantivy, with facets": the 25 best ids, and one aggregation (terms of sector, trade,
  region; ranges of price) whose sector buckets give the total;
- "page, ours" / "page, tantivy": search_products (analysis, engine, product cards and facet
  names) against the same with tantivy as the engine.

success@5 and precision@5 of both engines use bench/search_quality.py's judged queries and
rules, applied to the five listings each engine puts first. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search_uncached as uncached  # noqa: E402  (the bench folder is not a package)
import uncached_queries  # noqa: E402
from tantivy_index import PAGE, Answer, Tantivy, build  # noqa: E402

START_MARKER = "<!-- search_engines: start -->"
END_MARKER = "<!-- search_engines: end -->"


def setup_django(database: str, catalogues: Path) -> None:
    environment = uncached.environment_for(database, catalogues, uncached.POSTGRES_DATABASE)
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")
    import django

    django.setup()


def ours_page_only(plan: Any, filters: Any, sort: str) -> Answer:
    """The backend's page query alone, as SqlSearchBackend.search runs it, without counting."""
    from django.db import connection

    from souk.search.backends import get_backend
    from souk.search.backends.sql import SORT_KEYS

    backend: Any = get_backend()
    hits, params = backend._hits_sql(plan, filters, len(plan.groups))
    columns, direction = SORT_KEYS[sort]
    order = ", ".join(f"{column} {direction}" for column in columns)
    sql = f"{hits}SELECT {', '.join(columns)} FROM hits ORDER BY {order} LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, PAGE + 1])
        return Answer([int(row[-1]) for row in cursor.fetchall()], None)


def ours(plan: Any, filters: Any, sort: str) -> Answer:
    from souk.search.backends import get_backend

    results = get_backend().search(plan, filters, PAGE, None, sort)
    return Answer(list(results.product_ids), results.total, dict(results.facets))


def page_with(engine: Tantivy, query: str, filters: Any, sort: str) -> int:
    """What search_products does, with tantivy as the engine: analysis, top-k and facets,
    product cards, facet names."""
    from souk.catalog import selectors as catalog
    from souk.registry.models import Region, Sector, Trade
    from souk.search.query import analyse_query

    plan = analyse_query(query)
    answer = engine.search(plan, filters, sort, facets=True)
    cards = list(catalog.list_cards().filter(pk__in=answer.ids[:PAGE]))
    for model, name in ((Sector, "sector"), (Trade, "trade"), (Region, "region")):
        codes = [bucket["key"] for bucket in answer.facets[name]["buckets"]]
        if codes:
            list(model.objects.filter(pk__in=codes))
    return len(cards)


def page_ours(query: str, filters: Any, sort: str) -> int:
    from souk.search.selectors import search_products

    return len(search_products(query=query, filters=filters, sort=sort).products)


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = function()
    return (time.perf_counter() - started) * 1000, value


# --- Measuring -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Case:
    kind: str
    words: str
    filters: Any
    sort: str


def cases() -> list[Case]:
    from souk.search.backends.base import SearchFilters, Sort

    found = []
    for target in uncached_queries.targets():
        if target.kind == "sector":
            found.append(Case("browse", "", SearchFilters(sector_code=target.words), Sort.NEWEST))
        elif target.kind == "region":
            found.append(Case("browse", "", SearchFilters(region_code=target.words), Sort.NEWEST))
        elif target.kind == "all works":
            found.append(Case("browse", "", SearchFilters(), Sort.NEWEST))
        else:
            found.append(Case("search", target.words, SearchFilters(), Sort.RELEVANCE))
    return found


MEASURES = (
    "ours, page only",
    "ours, with facets",
    "tantivy, top-k",
    "tantivy, with facets",
    "page, ours",
    "page, tantivy",
)


def _runs(engine: Tantivy, case: Case, plan: Any, sort: str) -> list[tuple[str, Callable[[], Any]]]:
    """The six measures of one URL, in MEASURES order."""
    return [
        ("ours, page only", lambda: ours_page_only(plan, case.filters, sort)),
        ("ours, with facets", lambda: ours(plan, case.filters, sort)),
        ("tantivy, top-k", lambda: engine.search(plan, case.filters, sort, facets=False)),
        ("tantivy, with facets", lambda: engine.search(plan, case.filters, sort, facets=True)),
        ("page, ours", lambda: page_ours(case.words, case.filters, sort)),
        ("page, tantivy", lambda: page_with(engine, case.words, case.filters, sort)),
    ]


def measure(engine: Tantivy, chosen: list[Case]) -> tuple[dict[str, dict[str, list[float]]], int]:
    """Milliseconds per measure per kind; and how many searches found the same total."""
    from souk.search.query import analyse_query

    times: dict[str, dict[str, list[float]]] = {}
    same_total = 0
    for number, case in enumerate(chosen, 1):
        plan = analyse_query(case.words)
        sort = case.sort if plan.has_words or case.sort != "relevance" else "newest"
        runs = _runs(engine, case, plan, sort)
        # Alternate which engine goes first, so neither always finds the other's pages cached.
        if number % 2:
            runs = [runs[i] for i in (2, 3, 0, 1, 5, 4)]
        answers = {}
        for name, run in runs:
            milliseconds, answers[name] = timed(run)
            times.setdefault(name, {}).setdefault(case.kind, []).append(milliseconds)
        if answers["ours, with facets"].total == answers["tantivy, with facets"].total:
            same_total += 1
        if number % 50 == 0:
            print(f"  {number}/{len(chosen)}", flush=True)
    return times, same_total


def judge(engine: Tantivy) -> dict[str, dict[str, float]]:
    """success@5, precision@5 and zero-result pages of both engines on the judged queries."""
    import search_quality as quality
    from django.http import QueryDict

    from souk.catalog import selectors as catalog
    from souk.search.forms import SearchForm
    from souk.search.query import analyse_query

    rows = [
        line.split("\t")
        for line in quality.QUERIES.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#") and not line.startswith("kind\t")
    ]
    scores = {name: {"success": 0.0, "precision": 0.0, "zero": 0.0} for name in ("ours", "tantivy")}
    for _kind, _language, query, parameters, rule_text in rows:
        is_relevant = quality.rule(rule_text)
        data = QueryDict(mutable=True)
        data.update(QueryDict(parameters))
        data["q"] = query
        form = SearchForm(data)
        plan = analyse_query(form.query())
        sort = form.chosen_sort()
        if sort not in ("relevance", "newest", "price_asc", "price_desc") or (
            sort == "relevance" and not plan.has_words
        ):
            sort = "relevance" if plan.has_words else "newest"
        answers = {
            "ours": ours(plan, form.filters(), sort),
            "tantivy": engine.search(plan, form.filters(), sort, facets=True),
        }
        for name, answer in answers.items():
            top = answer.ids[: quality.TOP]
            listings = (
                catalog.list_visible_products()
                .filter(pk__in=top)
                .order_by()
                .values_list(
                    "pk",
                    "trade_id",
                    "trade__sector_id",
                    "region_id",
                    "materials",
                    *quality.TITLE_FIELDS,
                )
            )
            hits = len(
                [
                    pk
                    for pk, trade, sector, region, materials, *titles in listings
                    if is_relevant(
                        quality.Listing(
                            pk,
                            trade,
                            sector,
                            region,
                            quality._padded(materials),
                            tuple(quality._padded(t) for t in titles),  # type: ignore[arg-type]
                        )
                    )
                ]
            )
            scores[name]["success"] += 1.0 if hits else 0.0
            scores[name]["precision"] += hits / quality.TOP
            scores[name]["zero"] += 1.0 if answer.total == 0 else 0.0
    for values in scores.values():
        values["success"] /= len(rows)
        values["precision"] /= len(rows)
    scores["queries"] = {"count": float(len(rows))}
    return scores


# --- Report ----------------------------------------------------------------------------------


def markdown(
    database: str,
    built: dict[str, Any],
    times: dict[str, dict[str, list[float]]],
    same_total: int,
    searches: int,
    judged: dict[str, dict[str, float]] | None,
    facts: dict[str, str],
) -> str:
    p = uncached.percentile
    lines = [
        START_MARKER,
        f"Command: `.venv/bin/python bench/search_engines.py --database {database}"
        + (" --judge" if judged else "")
        + " --write`, measured "
        + f"{facts['Measured']} on commit `{facts['Commit']}`, "
        + f"tantivy {metadata.version('tantivy')}. "
        + f"Load average (1 min) at start {facts['Load at start']}, at the end "
        + f"{facts['Load at end']} (other sessions share the 2 cores).",
        "",
        f"tantivy index of the {built['documents']:,} search documents of the SQLite "
        f"catalogue: built in {built['seconds']:.0f} s (indexing threads: {built['threads']}; "
        f"read from SQLite and fed from Python), "
        f"{built['bytes'] / 2**20:.0f} MiB on disk.",
        "",
        f"| engine ({uncached.LABELS[database]} catalogue) | URLs | p50 | p95 | max |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, label in (("search", "300 never-seen searches"), ("browse", "19 browse pages")):
        lines.append(f"| **{label}** | | | | |")
        for name in MEASURES:
            values = times[name].get(kind, [])
            if values:
                lines.append(
                    f"| {name} | {len(values)} | {p(values, 50):.1f} ms "
                    f"| {p(values, 95):.1f} ms | {max(values):.1f} ms |"
                )
    lines += [
        "",
        f"Same total count from both engines for {same_total} of {searches} URLs.",
    ]
    if judged:
        count = int(judged["queries"]["count"])
        lines += [
            "",
            f"Relevance on the {count} judged queries of `bench/search_queries.tsv` (their "
            "rules applied to each engine's first five): "
            + "; ".join(
                f"{name} success@5 {judged[name]['success']:.1%}, precision@5 "
                f"{judged[name]['precision']:.1%}, {judged[name]['zero']:.0f} zero-result pages"
                for name in ("ours", "tantivy")
            )
            + ".",
        ]
    lines.append(END_MARKER)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--folder", type=Path, default=uncached.CATALOGUES)
    parser.add_argument("--rebuild", action="store_true", help="build the index again")
    parser.add_argument("--threads", type=int, default=1, help="tantivy indexing threads")
    parser.add_argument("--judge", action="store_true", help="also success@5 of both")
    parser.add_argument("--write", action="store_true", help="write into docs/benchmarks.md")
    options = parser.parse_args()
    facts = {
        "Load at start": f"{os.getloadavg()[0]:.2f}",
        "Commit": uncached.git_head(),
        "Measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    index_folder = options.folder / "tantivy"
    record = options.folder / "tantivy-build.json"
    if options.rebuild or not record.exists():
        print("Building the tantivy index...", flush=True)
        built = build(options.folder / "sqlite" / "souk.sqlite3", index_folder, options.threads)
    else:
        built = json.loads(record.read_text(encoding="utf-8"))
    print(built, flush=True)
    setup_django(options.database, options.folder)
    engine = Tantivy(index_folder)
    chosen = cases()
    # Warm both engines' processes (imports, the vocabulary, first pages of the files).
    from souk.search.backends.base import SearchFilters

    measure(
        engine,
        [Case("warm", words, SearchFilters(), "relevance") for words in ("zellige", "lether", "")],
    )
    times, same_total = measure(engine, chosen)
    judged = judge(engine) if options.judge else None
    facts["Load at end"] = f"{os.getloadavg()[0]:.2f}"
    searches = len(chosen)
    block = markdown(options.database, built, times, same_total, searches, judged, facts)
    print(block)
    (options.folder / f"search_engines-{options.database}.json").write_text(
        json.dumps({"built": built, "times": times, "judged": judged}), encoding="utf-8"
    )
    if options.write:
        text = uncached.BENCHMARKS_MD.read_text(encoding="utf-8")
        before, _old, after = re.split(
            f"({re.escape(START_MARKER)}.*?{re.escape(END_MARKER)})", text, maxsplit=1, flags=re.S
        )
        uncached.BENCHMARKS_MD.write_text(before + block + after, encoding="utf-8")


if __name__ == "__main__":
    main()
