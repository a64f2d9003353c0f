"""Operational endpoints."""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

logger = logging.getLogger(__name__)

# Public uploads are images (shop and product photos and their renditions); nothing else.
PUBLIC_MEDIA_SUFFIXES = frozenset({".webp", ".jpg", ".jpeg", ".png"})


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Report whether the database answers: 200 when it does, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "database_vendor": connection.vendor})


@require_safe
def public_media(request: HttpRequest, path: str) -> HttpResponseBase:
    """Serve a public upload (shop photos) from MEDIA_ROOT, in `make run` and behind it.

    WhiteNoise serves only collected static files, so uploads need this view. Django's
    `static.serve` normalises the path and refuses any that leaves MEDIA_ROOT (`..`, absolute
    paths); private files live outside MEDIA_ROOT, so no path reaches them. File names are
    random and never reused, hence the long cache.
    """
    if PurePosixPath(path).suffix.lower() not in PUBLIC_MEDIA_SUFFIXES:
        raise Http404
    response = static.serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if response.status_code == 200:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
