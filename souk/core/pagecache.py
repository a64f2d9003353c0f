"""Kept pages with live parts: a page rendered once, kept in the cache, and served again with
only its per-visitor parts rendered for each request (docs/decisions.md, 2026-12-07).

A view decorated with `kept_page(fingerprint=...)` is kept under its full path, host, language,
the visitor's currency, the `KEY_PARTS` registered and its fingerprint: a string read from the
database on every request (one small query) that changes whenever what the page shows changes
(a price, the stock, the search index version...). A change is therefore seen by the next
request in every process, with no invalidation message to send.

What differs between visitors is never kept: the CSRF token (a marker replaced by the request's
own token), and every `{% live "app/_part.html" name=value %}` of the templates (core/live.py),
kept as a marker and rendered for each request from a small context (`live_context`). A page is
neither kept nor served from the cache for a request with messages to show or an advisor acting
for an artisan.

`KeptPageMiddleware`, placed before the session middleware, serves a kept page to a visitor
without a session or messages cookie before any other middleware runs: no session is read or
created, no user loaded. Others go through the whole stack and the view's decorator serves them
the kept page, with their live parts.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.context_processors import PermWrapper
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware
from django.template.loader import get_template
from django.urls import Resolver404, ResolverMatch, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

from souk.core import visitor_state

# Stands for the CSRF token in a kept page: never a real token (those are letters and digits
# only), and nothing HTML escapes.
CSRF_MARKER = "souk-csrf-token-marker"
LIVE_MARKER = "<!--souk:live:{}-->"
LIVE_PATTERN = re.compile(r"<!--souk:live:(\d+)-->")
TOKEN_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')
# Request attribute: the live parts met while the page is rendered to be kept.
COLLECTOR_ATTRIBUTE = "_souk_live_parts"
FINGERPRINT_ATTRIBUTE = "_souk_page_fingerprint"
# Request attribute: the fingerprint the page being made is kept under, for its view to reuse
# what the fingerprint read (page_fingerprint).
PRINT_ATTRIBUTE = "_souk_page_print"
KEPT_SECONDS = 3600
MASKED_ATTRIBUTE = "_souk_masked_csrf"

Fingerprint = Callable[[dict[str, Any], str], str | None]
# Other key parts of every kept page: functions of the request (before the session is read)
# returning a short string, e.g. the delivery country chosen by a cookie.
KEY_PARTS: list[Callable[[HttpRequest], str]] = []
# Per-visitor parts a higher app writes as placeholders and fills in its own middleware on the
# way out (the Save buttons, souk/favourites/live.py). A visitor without a session is served
# before that middleware, so its filler is applied here too, once, to the page every such
# visitor shares; `visitor_csrf_token` stands for the token while it is.
PAGE_FILLERS: list[Callable[[HttpRequest, str], str]] = []
KEEPING_ATTRIBUTE = "_souk_keeping_for_anonymous"
# Live parts that render the same for every request giving the same key: template name ->
# function(request, arguments, page key) returning that key (what the part shows, read cheaply,
# e.g. from core/visitor_state.py), or None to render it. The part is then rendered once per
# key, language, currency and host, kept with the CSRF marker, and shared by those requests.
LiveKey = Callable[[HttpRequest, dict[str, Any], str], str | None]
LIVE_KEYS: dict[str, LiveKey] = {}


@dataclass(slots=True)
class LiveParts:
    """The live parts of a page being rendered to be kept, in the order met."""

    parts: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def add(self, template_name: str, arguments: dict[str, Any]) -> str:
        self.parts.append((template_name, arguments))
        return LIVE_MARKER.format(len(self.parts) - 1)


@dataclass(frozen=True, slots=True)
class KeptEntry:
    body: str
    parts: tuple[tuple[str, dict[str, Any]], ...]
    headers: tuple[tuple[str, str], ...]


def live_context(request: HttpRequest) -> dict[str, Any]:
    """What a live part's template is given, besides its own arguments: the visitor."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "request": request,
        "user": user,
        "perms": PermWrapper(user),
        "csrf_token": CSRF_MARKER,
        "currency": getattr(request, "currency", settings.SOUK_DEFAULT_CURRENCY),
        "currencies": settings.SOUK_CURRENCIES,
    }


def render_live(request: HttpRequest, template_name: str, arguments: dict[str, Any]) -> str:
    return str(get_template(template_name).render({**live_context(request), **arguments}))


# Random bytes to CSRF characters: the 248 lowest values four to a character (248 = 4 x 62),
# the others dropped, so that every character is equally likely.
_TO_CHARACTER = bytes(ord(CSRF_ALLOWED_CHARS[byte % 62]) for byte in range(248)) + bytes(8)
_DROPPED = bytes(range(248, 256))
_INDEX = {character: index for index, character in enumerate(CSRF_ALLOWED_CHARS)}


def _random_csrf_string() -> str:
    """What Django's `_get_new_csrf_string` gives (32 characters drawn uniformly from
    CSRF_ALLOWED_CHARS by the system's random source), from one read of that source rather
    than one per character: 64 reads were a tenth of a signed-in kept page's time."""
    picked = b""
    while len(picked) < CSRF_SECRET_LENGTH:
        picked += secrets.token_bytes(CSRF_SECRET_LENGTH + 8).translate(_TO_CHARACTER, _DROPPED)
    return picked[:CSRF_SECRET_LENGTH].decode()


def _mask(secret: str) -> str:
    """Django's `_mask_cipher_secret`: a new mask, then the secret shifted by it."""
    mask = _random_csrf_string()
    return mask + "".join(
        CSRF_ALLOWED_CHARS[(_INDEX[x] + _INDEX[y]) % 62] for x, y in zip(secret, mask, strict=True)
    )


def request_token(request: HttpRequest) -> str:
    """The request's CSRF token, masked once, as Django's `get_token` gives it: the
    visitor's secret (a new one, to be sent as its cookie, when they have none) masked anew.
    Any masked token of the visitor's secret is valid, and a page fills its token in several
    places; a new secret (a log-in) gets a new token."""
    secret = request.META.get("CSRF_COOKIE")
    # As get_token: the cookie is sent again, renewing its expiry.
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    kept: tuple[str, str] | None = getattr(request, MASKED_ATTRIBUTE, None)
    if secret is not None and kept is not None and kept[0] == secret:
        return kept[1]
    if secret is None:
        secret = request.META["CSRF_COOKIE"] = _random_csrf_string()
    token = _mask(secret)
    setattr(request, MASKED_ATTRIBUTE, (secret, token))
    return token


def visitor_csrf_token(request: HttpRequest) -> str:
    """The CSRF token to write in a per-visitor part: the marker while the page shared by
    visitors without a session is being filled (each gets their own token when served)."""
    return CSRF_MARKER if getattr(request, KEEPING_ATTRIBUTE, False) else request_token(request)


def _part_key(
    request: HttpRequest, name: str, arguments: dict[str, Any], page_key: str
) -> str | None:
    """The cache key of a live part for this request, when LIVE_KEYS keys it."""
    function = LIVE_KEYS.get(name)
    part_key = function(request, arguments, page_key) if function is not None else None
    if part_key is None:
        return None
    what = repr((name, part_key, translation.get_language(), _currency(request)))
    return f"live:{request.get_host()}:{hashlib.sha256(what.encode()).hexdigest()}"


def render_kept_part(request: HttpRequest, name: str, arguments: dict[str, Any]) -> str | None:
    """A live part met on a page that is not kept (the cart, checkout...), from the same kept
    renders as a kept page's when LIVE_KEYS keys it, with the request's CSRF token; None when
    it is not keyed (rendered in place then). The part shows only the visitor (live_context),
    so the text is the one an in-place render gives."""
    # As for kept pages: an advisor acting for an artisan gets every part rendered in place.
    if getattr(request, "acting_assistance", None):
        return None
    key = _part_key(request, name, arguments, "")
    if key is None:
        return None
    text: str | None = cache.get(key)
    if text is None:
        text = render_live(request, name, arguments)
        cache.set(key, text, KEPT_SECONDS)
    return text.replace(CSRF_MARKER, request_token(request)) if CSRF_MARKER in text else text


def _render_parts(entry: KeptEntry, request: HttpRequest, page_key: str) -> list[str]:
    """Each live part of the page for this request: from the cache when LIVE_KEYS keys it."""
    keys: dict[int, str] = {}
    for index, (name, arguments) in enumerate(entry.parts):
        if (key := _part_key(request, name, arguments, page_key)) is not None:
            keys[index] = key
    found = cache.get_many(list(keys.values())) if keys else {}
    rendered: list[str] = []
    made: dict[str, str] = {}
    for index, (name, arguments) in enumerate(entry.parts):
        part_key = keys.get(index)
        if part_key is not None and part_key in found:
            rendered.append(found[part_key])
            continue
        text = render_live(request, name, arguments)
        if part_key is not None:
            made[part_key] = text
        rendered.append(text)
    if made:
        cache.set_many(made, KEPT_SECONDS)
    return rendered


def _currency(request: HttpRequest) -> str:
    return str(getattr(request, "currency", settings.SOUK_DEFAULT_CURRENCY))


def _fill(entry: KeptEntry, request: HttpRequest, page_key: str = "") -> str:
    parts = _render_parts(entry, request, page_key) if entry.parts else []
    body = LIVE_PATTERN.sub(lambda match: parts[int(match.group(1))], entry.body)
    if CSRF_MARKER in body:
        body = body.replace(CSRF_MARKER, request_token(request))
    return body


def _key(request: HttpRequest, fingerprint: str, currency: str) -> str:
    parts = [function(request) for function in KEY_PARTS]
    language = translation.get_language() or settings.LANGUAGE_CODE
    what = repr(
        (request.get_host(), request.get_full_path(), language, currency, fingerprint, parts)
    )
    return f"page:{hashlib.sha256(what.encode()).hexdigest()}"


def _response(entry: KeptEntry, body: str, source: str) -> HttpResponse:
    response = HttpResponse(body)
    for name, value in entry.headers:
        response.headers[name] = value
    patch_vary_headers(response, ("Cookie",))
    response.headers["Server-Timing"] = f'page;desc="{source}"'
    return response


def page_fingerprint(request: HttpRequest) -> str | None:
    """The fingerprint the page this request makes is kept under (read before its view ran),
    or None when the page is not kept: a view may take from it what it would read again."""
    print_: str | None = getattr(request, PRINT_ATTRIBUTE, None)
    return print_


def _may_keep(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or getattr(request, "acting_assistance", None):
        return False
    storage = getattr(request, "_messages", None)
    return not (storage is not None and len(storage))


def kept_page(*, fingerprint: Fingerprint) -> Callable[[Callable[..., HttpResponse]], Any]:
    """Keep the view's 200 answers as described above. `fingerprint(kwargs, currency)` reads
    what the page shows that may change; None when the page is not to be kept (a 404...)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _may_keep(request):
                return view(request, *args, **kwargs)
            currency = str(getattr(request, "currency", settings.SOUK_DEFAULT_CURRENCY))
            # Read already by the middleware when the request went on down the stack.
            print_ = getattr(request, FINGERPRINT_ATTRIBUTE, {}).get(currency) or fingerprint(
                kwargs, currency
            )
            if print_ is None:
                return view(request, *args, **kwargs)
            key = _key(request, print_, currency)
            entry: KeptEntry | None = cache.get(key)
            setattr(request, PRINT_ATTRIBUTE, print_)
            if entry is not None:
                # A GET that wrote nothing: the answers read with the session are current.
                visitor_state.adopt(request)
                return _response(entry, _fill(entry, request, key), "kept")
            collector = LiveParts()
            setattr(request, COLLECTOR_ATTRIBUTE, collector)
            try:
                response = view(request, *args, **kwargs)
            finally:
                delattr(request, COLLECTOR_ATTRIBUTE)
            if response.status_code != 200 or response.streaming or response.cookies:
                return response
            text = response.content.decode(response.charset)
            # One token per render (the csrf context processor is lazy): every copy is it.
            if found := TOKEN_INPUT.search(text):
                text = text.replace(found.group(1), CSRF_MARKER)
            headers = tuple(
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in {"set-cookie", "vary", "server-timing"}
            )
            entry = KeptEntry(text, tuple(collector.parts), headers)
            cache.set(key, entry, KEPT_SECONDS)
            return _response(entry, _fill(entry, request, key), "made")

        wrapper.souk_kept_page = fingerprint  # type: ignore[attr-defined]  # read by the middleware
        return wrapper

    return decorator


# (URL configuration, language, path) -> the kept view's fingerprint and arguments and its
# resolution, or None.
KeptView = tuple[Fingerprint, dict[str, Any], ResolverMatch]
_KEPT_VIEWS: dict[tuple[str, str, str], KeptView | None] = {}
_KEPT_VIEWS_AT_MOST = 10_000
KEPT_VIEW_ATTRIBUTE = "_souk_kept_view"


def _kept_view(path: str) -> KeptView | None:
    """The fingerprint, arguments and resolution of the kept view at `path` in the active
    language, else None: resolved once per address in a process (its URLs do not change while
    it runs), a resolution being a tenth of the time of a kept page served before the session
    and a twelfth of one served after it (Handler)."""
    key = (str(settings.ROOT_URLCONF), translation.get_language() or "", path)
    if key in _KEPT_VIEWS:
        return _KEPT_VIEWS[key]
    found: KeptView | None = None
    try:
        match = resolve(path)
    except Resolver404:
        pass
    else:
        fingerprint: Fingerprint | None = getattr(match.func, "souk_kept_page", None)
        if fingerprint is not None:
            found = (fingerprint, dict(match.kwargs), match)
    if len(_KEPT_VIEWS) >= _KEPT_VIEWS_AT_MOST:
        _KEPT_VIEWS.clear()
    _KEPT_VIEWS[key] = found
    return found


def is_kept_view(request: HttpRequest) -> bool:
    """Whether the request, with a session, asks for a kept page (KeptPageMiddleware)."""
    return getattr(request, KEPT_VIEW_ATTRIBUTE, None) is not None


class Handler(WSGIHandler):
    """Django's WSGI handler (souk/wsgi.py), but a request with a session for a kept page is
    given the resolution KeptPageMiddleware found for its address and language (those
    LocaleMiddleware activates) rather than resolving it again."""

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        match: ResolverMatch | None = getattr(request, KEPT_VIEW_ATTRIBUTE, None)
        if match is None or hasattr(request, "urlconf"):
            return super().resolve_request(request)
        request.resolver_match = match
        return match


class KeptPageMiddleware:
    """Serve a kept page to a visitor without a session or messages cookie, before the session,
    authentication and the rest of the middleware run; everyone else goes on down the stack."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self._kept(request) or self.get_response(request)
        # The time of the whole request below this middleware (bench/bench_product_page.py).
        timing = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
        earlier = response.headers.get("Server-Timing")
        response.headers["Server-Timing"] = f"{earlier}, {timing}" if earlier else timing
        return response

    def _kept(self, request: HttpRequest) -> HttpResponseBase | None:
        if request.method not in ("GET", "HEAD"):
            return None
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            return None
        cookies = request.COOKIES
        if "messages" in cookies:
            return None
        if settings.SESSION_COOKIE_NAME in cookies:
            # Served below, after the session: its statement reads the visitor's answers too.
            with translation.override(language):
                view = _kept_view(request.path_info)
            if view is not None:
                setattr(request, KEPT_VIEW_ATTRIBUTE, view[2])
            return None
        translation.activate(language)
        view = _kept_view(request.path_info)
        if view is None:
            return None
        fingerprint, arguments, _match = view
        currency = str(settings.SOUK_DEFAULT_CURRENCY)
        print_ = fingerprint(arguments, currency)
        setattr(request, FINGERPRINT_ATTRIBUTE, {currency: print_})
        if print_ is None:
            return None
        key = _key(request, print_, currency)
        # The page with its live parts as every visitor without a session sees them (all but
        # the CSRF token), kept beside the page itself.
        found = cache.get_many([key, f"{key}:anonymous"])
        entry: KeptEntry | None = found.get(key)
        if entry is None:
            return None
        request.user = AnonymousUser()
        # An empty session, never saved: what the live parts read of a visitor without one.
        request.session = import_module(settings.SESSION_ENGINE).SessionStore(None)
        request.currency = currency  # type: ignore[attr-defined]  # our own request attribute
        request.LANGUAGE_CODE = language  # as LocaleMiddleware
        self.csrf.process_request(request)
        # The visitor's cookie is sent again only when it is new (Django renews it with every
        # page using a token): a kept page to a returning visitor sets no cookie.
        had_cookie = "CSRF_COOKIE" in request.META
        anonymous: KeptEntry | None = found.get(f"{key}:anonymous")
        if anonymous is None:
            filled = LIVE_PATTERN.sub(
                lambda match: render_live(request, *entry.parts[int(match.group(1))]), entry.body
            )
            setattr(request, KEEPING_ATTRIBUTE, True)
            try:
                for filler in PAGE_FILLERS:
                    filled = filler(request, filled)
            finally:
                delattr(request, KEEPING_ATTRIBUTE)
            anonymous = KeptEntry(filled, (), entry.headers)
            cache.set(f"{key}:anonymous", anonymous, KEPT_SECONDS)
        response = _response(entry, _fill(anonymous, request), "kept")
        if had_cookie:
            request.META["CSRF_COOKIE_NEEDS_UPDATE"] = False
        # What the middleware below would add on the way out.
        response.headers["Content-Language"] = language
        response.headers["Content-Length"] = str(len(response.content))
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return self.csrf.process_response(request, response)
