"""The base layout in four languages: direction, switcher, hreflang, no third-party requests."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import translation

pytestmark = pytest.mark.django_db

HERO = "Moroccan craft, straight from the artisans who make it"


class LinkCollector(HTMLParser):
    """Collect every URL a page would make the browser load or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "href", "action"):
            value = attributes.get(name)
            if value is not None:
                self.urls.append((tag, value, attributes))


def source_name(url: str) -> str:
    """The shipped file behind a static URL, hashed by collectstatic or not."""
    return re.sub(r"\.[0-9a-f]{12}(?=\.\w+$)", "", url.removeprefix("/static/"))


def collect(html: str) -> list[tuple[str, str, dict[str, str | None]]]:
    parser = LinkCollector()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [("ar-MA,ar;q=0.9", "/ar/"), ("es-ES,es", "/es/"), ("en-US,en", "/en/"), ("de-DE", "/fr/")],
)
def test_root_redirects_to_the_visitors_language(client, accept_language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.status_code == 302
    assert response["Location"] == expected


@pytest.mark.parametrize(
    ("language", "direction"), [("ar", "rtl"), ("fr", "ltr"), ("en", "ltr"), ("es", "ltr")]
)
def test_home_page_in_each_language_has_its_lang_dir_and_translated_text(
    client, language, direction
):
    response = client.get(f"/{language}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}" dir="{direction}">' in html
    with translation.override(language):
        hero = translation.gettext(HERO)
    assert f'<h1 id="hero-title">{hero}</h1>' in html
    if language != "en":
        assert hero != HERO


def test_language_switcher_keeps_the_current_page_and_its_query(client):
    html = client.get("/fr/account/login/?next=/fr/account/").content.decode()

    switcher = html[html.index('class="language-switcher"') :]
    for code in ("ar", "fr", "en", "es"):
        assert f'href="/{code}/account/login/?next=/fr/account/" hreflang="{code}"' in switcher
    assert 'hreflang="fr" lang="fr" aria-current="true"' in switcher


def test_every_page_lists_its_four_language_alternates_and_a_default(client):
    html = client.get("/es/account/signup/").content.decode()

    alternates = re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', html)
    assert alternates == [
        ("ar", "http://testserver/ar/account/signup/"),
        ("fr", "http://testserver/fr/account/signup/"),
        ("x-default", "http://testserver/fr/account/signup/"),
        ("en", "http://testserver/en/account/signup/"),
        ("es", "http://testserver/es/account/signup/"),
    ]


@pytest.mark.parametrize(
    "path", ["/ar/", "/fr/account/signup/", "/en/account/login/", "/es/account/password-reset/"]
)
def test_pages_load_nothing_from_another_host(client, path):
    response = client.get(path)

    assert "default-src 'self'" in response["Content-Security-Policy"]
    for tag, url, attributes in collect(response.content.decode()):
        # Alternates and the canonical address name this site's own pages, absolutely.
        if tag == "link" and attributes.get("rel") in ("alternate", "canonical"):
            assert url.startswith("http://testserver/")
            continue
        assert not re.match(r"^(https?:)?//", url), f"{tag} loads {url} from another host"
        if tag == "script" or (tag == "link" and attributes.get("rel") in {"stylesheet", "icon"}):
            assert url.startswith("/static/")
            assert finders.find(source_name(url)), f"{url} is not shipped"


def test_htmx_is_vendored_and_served_locally(client):
    html = client.get("/en/").content.decode()

    assert re.search(
        r'<script src="/static/vendor/htmx/htmx\.min(\.[0-9a-f]{12})?\.js" defer>', html
    )
    path = finders.find("vendor/htmx/htmx.min.js")
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        assert 'version:"2.0.8"' in handle.read().replace(" ", "")


def test_pages_are_usable_by_keyboard_and_screen_reader(client):
    html = client.get("/ar/account/signup/").content.decode()

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main" tabindex="-1">' in html
    assert '<nav class="language-switcher" aria-label=' in html
    for field in ("id_full_name", "id_email", "id_phone", "id_password1", "id_password2"):
        assert f'<label for="{field}">' in html


def test_the_stylesheet_uses_logical_properties_only(client):
    path = finders.find("souk/souk.css")
    assert path is not None
    with open(path, encoding="utf-8") as handle:
        css = handle.read()

    physical = re.findall(
        r"(?<![-\w])(margin|padding|border)-(left|right)\b|(?<![-\w])(left|right)\s*:|"
        r"text-align:\s*(left|right)|float:\s*(left|right)",
        css,
    )
    assert physical == []


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/ar/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert 'dir="rtl"' in html
    with translation.override("ar"):
        message = translation.gettext("This page does not exist.")
    assert message != "This page does not exist."
    assert message in html
