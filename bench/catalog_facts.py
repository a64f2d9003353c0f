"""What bench/bench_catalog.py measures: the catalogue's size, the pages, the targets (issue #4).

Shared with bench/time_pages.py, which times the same queries in process.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

# Our own folder for benchmark data, never var/.
BENCH_FOLDER = Path("/tmp/catbench")  # noqa: S108

ARTISANS = 420_000
PRODUCTS = 1_000_000
SEED = 2026
GENERATION_TARGET_SECONDS = 15 * 60
# p95 targets of the issue, in milliseconds, by page type (None: reported only).
TARGETS_MS: dict[str, float | None] = {
    "search": 100.0,
    "browse": None,
    "product": 50.0,
    "last page": None,
}
PRODUCT_SAMPLE = 2_000
# As scripts/serve.sh: one gunicorn sync worker per core.
DEFAULT_WORKERS = os.cpu_count() or 2
# generate_catalog's progress lines, left out of the report.
PROGRESS_LINE = re.compile(r"[\d,]+ (artisans|listings)")

# (language of the page, words): queries people type, in the four languages.
QUERIES = (
    ("fr", "tapis"),
    ("ar", "زربية"),
    ("fr", "tajine"),
    ("ar", "طاجين"),
    ("es", "alfombra"),
    ("en", "ceramic bowl"),
    ("fr", "théière cuivre"),
    ("en", "leather bag"),
    ("es", "babuchas"),
    ("ar", "قفطان"),
    ("fr", "lanterne"),
    ("en", "silver ring"),
    ("es", "cesta"),
    ("fr", "coussin brodé"),
    ("en", "rug"),
    ("ar", "صينية"),
)
# Each query alone and with one filter of the page's form.
FILTERS = ("", "region=07", "price_min=200&price_max=1000", "availability=in_stock")
BROWSE_PATHS = (
    "/fr/search/",
    "/ar/search/",
    "/fr/crafts/S07/",
    "/en/crafts/S01/",
    "/es/regions/07/",
    "/fr/regions/02/",
)
# Last pages: (label, words, SearchFilters fields, page path, its other GET parameters).
LAST_PAGES: tuple[tuple[str, str, dict[str, Any], str, str], ...] = (
    ("every work, newest first", "", {}, "/fr/search/", ""),
    ("sector S07, newest first", "", {"sector_code": "S07"}, "/fr/crafts/S07/", ""),
    ("“tapis”, by relevance", "tapis", {}, "/fr/search/", ""),
    (
        "“زربية” in region 07, by relevance",
        "زربية",
        {"region_code": "07"},
        "/ar/search/",
        "region=07&",
    ),
)
