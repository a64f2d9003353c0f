"""Where one paid order's time goes, in-process: the journey of bench_orders.py through
Django's test client (the same views, middleware and database), each request's time and SQL
statement count, the processor's callback posted as the sandbox posts it, and a cProfile of
the lot.

    DATABASE_URL=... SOUK_VAR_DIR=... .venv/bin/python bench/profile_orders.py --orders 20
        [--sql] [--top 40]

Run it on a database bench_orders.py prepared (its --var-dir and --database-url): it uses the
listings and buyers seeded there. The status query the callback makes goes to CMI_API_URL over
HTTP: start the server (scripts/serve.sh with PORT) or set CMI_API_URL to a running one.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="print each request's statements")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--no-profile", action="store_true", help="times without cProfile")
    parser.add_argument(
        "--per-request", metavar="NAME", help="profile only the requests whose name starts so"
    )
    options = parser.parse_args()

    import django

    django.setup()
    from browser import read_forms
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tasks_db.models import DBTaskResult
    from orders_journey import ADDRESS, APPROVED_VISA

    from souk.accounts.models import User
    from souk.catalog.models import Product

    buyer = User.objects.filter(email__startswith="bench-buyer-").order_by("pk").first()
    product = Product.objects.filter(stock_quantity__gt=1000).order_by("pk").first()
    if buyer is None or product is None:
        raise SystemExit("Run bench/bench_orders.py first on this database.")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(buyer)
    timings: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, list[int]] = defaultdict(list)

    def call(name: str, method: str, path: str, data: dict[str, str] | None = None) -> object:
        alone = options.per_request and name.startswith(options.per_request) and profiling
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            if alone:
                profile.enable()
            response = getattr(client, method)(path, data or {})
            if alone:
                profile.disable()
            timings[name].append(time.perf_counter() - began)
        queries[name].append(len(captured.captured_queries))
        if options.sql:
            print(f"--- {name} ({len(captured.captured_queries)})")
            for query in captured.captured_queries:
                print("   ", query["sql"][:200])
        return response

    def form_of(html: str, **match: str):  # type: ignore[no-untyped-def]
        for form in read_forms(html):
            if "field" in match and match["field"] not in form.fields:
                continue
            if "marker" in match and match["marker"] not in form.attributes:
                continue
            return form
        raise SystemExit(f"no form {match}")

    profile = cProfile.Profile()
    profiling = False
    started = time.perf_counter()
    cpu_started = time.process_time()
    for number in range(options.orders + 1):
        if number == 1:  # the first order warms the caches up; not profiled
            timings.clear()
            queries.clear()
            started = time.perf_counter()
            cpu_started = time.process_time()
            profiling = not options.no_profile
            if profiling and not options.per_request:
                profile.enable()
        call("cart add", "post", "/fr/cart/add/", {"product": str(product.pk), "quantity": "1"})
        call("cart page", "get", "/fr/cart/")
        page = call("checkout page", "get", "/fr/checkout/")
        fields = form_of(page.content.decode(), field="checkout_token").fields  # type: ignore[attr-defined]
        fields.update(ADDRESS, payment_method="card")
        placed = call("checkout POST", "post", "/fr/checkout/", fields)
        pay_url = placed["Location"]  # type: ignore[index]
        pay = call("pay page", "get", pay_url)
        gateway = form_of(pay.content.decode(), marker="data-autosubmit-payment")  # type: ignore[attr-defined]
        gate = call("sandbox card page", "post", "/sandbox/cmi/fim/est3Dgate", gateway.fields)
        session = re.search(r'name="session" value="([^"]+)"', gate.content.decode()).group(1)  # type: ignore[attr-defined,union-attr]
        result = call(
            "sandbox card POST",
            "post",
            "/sandbox/cmi/fim/est3Dgate/card",
            {"session": session, "card_number": APPROVED_VISA, "expiry": "12/30", "cvc": "000"},
        )
        back = form_of(result.content.decode(), marker="data-sandbox-autosubmit")  # type: ignore[attr-defined]
        returned = call("return POST", "post", "/fr/payments/cmi/ok/", back.fields)
        call("return page", "get", returned["Location"])  # type: ignore[index]
        task = DBTaskResult.objects.filter(
            task_path__endswith="deliver_cmi_callback", status="READY"
        ).latest("enqueued_at")
        url, callback_fields = task.args_kwargs["args"]
        task.delete()
        # As the sandbox posts it (the worker's task), but to this process: the view in-process.
        del url
        reply = call(
            "callback (+ status query over HTTP)", "post", "/payments/cmi/callback", callback_fields
        )
        if b"POSTAUTH" not in reply.content:  # type: ignore[attr-defined]
            raise SystemExit(f"callback answered {reply.content!r}")  # type: ignore[attr-defined]
    profile.disable()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    each = elapsed / options.orders * 1000
    print(f"{options.orders} orders in {elapsed:.2f} s: {each:.0f} ms each")
    # This process's CPU: every request but the status query's, answered by the server.
    print(f"CPU of this process per order: {cpu / options.orders * 1000:.0f} ms")
    print(f"{'request':40} {'ms (median)':>12} {'SQL':>5}")
    for name, values in timings.items():
        values.sort()
        print(f"{name:40} {values[len(values) // 2] * 1000:12.1f} {max(queries[name]):5}")
    total_sql = sum(max(values) for values in queries.values())
    print(f"SQL statements per order: {total_sql}")
    if options.no_profile:
        return
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(options.top)
    stats.sort_stats("tottime").print_stats(options.top)


if __name__ == "__main__":
    main()
