"""Demo register: a few thousand synthetic entries, imported through the real importer.

The rows come from `generate_register` with a fixed seed and end date, so every machine gets
the same entries; the import is partial (it deactivates nothing, e.g. the demo shops' entries)
and runs once: a database that already has this demo import is left as it is.
"""

from __future__ import annotations

import datetime
import io

from django.conf import settings

from souk.demo.synthetic.register import RegisterGenerator, TradeChoice, write_csv
from souk.registry.importing import record_command_line_import, run_import
from souk.registry.models import ImportKind, ImportStatus, RegisterImport, Trade

DEMO_ROWS = 3_000
DEMO_SEED = 2026
DEMO_UNTIL = datetime.date(2026, 11, 1)
DEMO_FILE_NAME = f"demo-register-{DEMO_ROWS}-{DEMO_SEED}.csv"


def seed() -> list[str]:
    """Import the synthetic demo register once; return the lines to print."""
    if RegisterImport.objects.filter(
        original_name=DEMO_FILE_NAME, status=ImportStatus.SUCCEEDED
    ).exists():
        return [f"Demo register: {DEMO_ROWS} synthetic entries (already imported)."]
    trades = [
        TradeChoice(code=code, sector_code=sector)
        for code, sector in Trade.objects.order_by("code").values_list("code", "sector_id")
    ]
    generator = RegisterGenerator(seed=DEMO_SEED, trades=trades, until=DEMO_UNTIL, french=True)
    text = io.StringIO()
    write_csv(text, generator, DEMO_ROWS)
    register_import = record_command_line_import(
        path=settings.VAR_DIR / DEMO_FILE_NAME,
        kind=ImportKind.PARTIAL,
        language=settings.LANGUAGE_CODE,
    )
    register_import.original_name = DEMO_FILE_NAME
    register_import.save(update_fields=["original_name"])
    result = run_import(
        register_import=register_import, source=io.BytesIO(text.getvalue().encode("utf-8"))
    )
    return [
        f"Demo register: {result.created_count} synthetic entries imported "
        f"({result.rejected_count} rejected), see the back office's register entries."
    ]
