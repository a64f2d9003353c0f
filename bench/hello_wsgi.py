"""The bare-Django ceiling: one view answering "Hello" with Django and nothing else.

No apps, no middleware, no database, no templates: what a Django request costs under the same
gunicorn as Souk (bench/bench_product_page.py starts both with the same settings), so the ratio
Souk / hello says how much of the framework's speed a page keeps. Served as
`gunicorn --chdir bench hello_wsgi:application`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-hello-not-a-secret",  # noqa: S106  (no cookie, no signature: a benchmark)
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_I18N=False,
)


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]

application = get_wsgi_application()
