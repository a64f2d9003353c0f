"""CPU time of one product page request through Django's WSGI handler, in-process.

`python bench/cpu_per_request.py CODE_ROOT MODE`: MODE is `hello` (bench/hello_wsgi.py),
`anon` (one product URL again, no session), `signed` (the same with a buyer's session) or
`fresh` (400 product pages never asked before, each once). CODE_ROOT is the checkout whose
`souk` is measured (e.g. a worktree of main, to compare before and after) against the database
of DATABASE_URL / SOUK_VAR_DIR (a catalogue bench_catalog.py or bench_product_page.py made).
CPU time (`time.process_time`) rather than wall time: on a shared machine the other processes
stretch the wall time of every request, much less its own CPU time. Prints mean, p50, p95.
"""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable
from typing import Any

BENCH = os.path.dirname(os.path.abspath(__file__))


def application(root: str, mode: str) -> tuple[Callable[..., Any], list[str], str]:
    sys.path.insert(0, root)
    if mode == "hello":
        sys.path.insert(0, BENCH)
        from hello_wsgi import application as hello

        return hello, ["/"], ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "souk.settings")
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import Client

    from souk.accounts.models import User
    from souk.catalog.models import Product

    cookie = ""
    if mode == "signed":
        buyer = User.objects.filter(email="bench-cpu@souk.example").first() or (
            User.objects.create_user(
                "bench-cpu@souk.example", "bench-cpu-password-2026", full_name="Bench CPU"
            )
        )
        client = Client()
        client.force_login(buyer)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
    products = Product.objects.filter(status="active").order_by("?")[:400]
    paths = [f"/fr/products/{product.pk}-{product.slug}/" for product in products]
    return WSGIHandler(), (paths if mode == "fresh" else paths[:1]), cookie


def main() -> None:
    root, mode = sys.argv[1], sys.argv[2]
    app, paths, cookie = application(root, mode)

    def request(path: str) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "HTTP_COOKIE": cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
        }
        statuses: list[str] = []
        b"".join(app(environ, lambda status, headers, info=None: statuses.append(status)))
        if not statuses[0].startswith("200"):
            raise SystemExit(f"{path} answered {statuses[0]}")

    if mode != "fresh":
        for _ in range(20):
            request(paths[0])
    count = len(paths) if mode == "fresh" else 300
    spent = []
    for n in range(count):
        started = time.process_time()
        request(paths[n % len(paths)])
        spent.append((time.process_time() - started) * 1000)
    spent.sort()
    print(
        f"{mode} {root}: CPU ms/request mean {sum(spent) / len(spent):.2f}, "
        f"p50 {spent[len(spent) // 2]:.2f}, p95 {spent[int(len(spent) * 0.95)]:.2f} "
        f"({count} requests)"
    )


if __name__ == "__main__":
    main()
