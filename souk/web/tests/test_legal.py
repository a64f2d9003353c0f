"""The pages a merchant must have (issue #20): terms of sale, privacy, returns and refunds,
shipping and customs, contact and help, in four languages, linked from every footer and from
checkout, stating the rules the code enforces."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from souk.catalog.tests.factories import make_active_product
from souk.orders.tests.factories import make_buyer

pytestmark = pytest.mark.django_db

PAGES = ["terms", "privacy", "returns", "shipping", "contact"]
TITLES = {
    "en": ["Terms of sale", "Privacy and personal data", "Returns and refunds"],
    "fr": ["Conditions de vente", "Confidentialité et données personnelles"],
    "es": ["Condiciones de venta", "Privacidad y datos personales", "Devoluciones y reembolsos"],
    "ar": ["شروط البيع", "الخصوصية والمعطيات الشخصية", "الإرجاع واسترداد المبالغ"],
}


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
@pytest.mark.parametrize("page", PAGES)
def test_every_legal_page_reads_in_every_language(client, page, language):
    response = client.get(url("web:legal", language, page=page))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "help@souk.example" in html
    # the page links to the four others
    for other in PAGES:
        assert url("web:legal", language, page=other) in html


@pytest.mark.parametrize("language", ["ar", "fr", "en", "es"])
def test_the_footer_of_every_page_links_the_legal_pages_in_its_language(client, language):
    html = client.get(url("web:home", language)).content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    for page in PAGES:
        assert url("web:legal", language, page=page) in footer
    for title in TITLES[language]:
        assert title in footer


def test_checkout_links_the_terms_privacy_and_returns(client):
    client.force_login(make_buyer())
    client.post(url("orders:add_to_cart", "fr"), {"product": make_active_product().pk})

    html = client.get(url("orders:checkout", "fr")).content.decode()

    main = html[html.index("<main") : html.index("</main>")]
    assert "En passant la commande, vous acceptez les conditions de vente." in main
    for page in ["terms", "privacy", "returns", "shipping"]:
        assert url("web:legal", "fr", page=page) in main


def test_the_returns_page_states_the_window_and_limits_the_code_enforces(client, settings):
    # given: the operator lengthens the return window and the time artisans have to accept
    settings.SOUK_RETURN_WINDOW_DAYS = 30
    settings.SOUK_ACCEPT_WITHIN_HOURS = 48

    # when
    english = client.get(url("web:legal", "en", page="returns")).content.decode()
    spanish = client.get(url("web:legal", "es", page="returns")).content.decode()

    # then
    assert "You have 30 days from receiving the parcel" in english
    assert "up to 3 photos" in english
    assert "or does not accept it within 48 hours" in english
    assert "Tiene 30 días desde la recepción del paquete" in spanish


def test_the_privacy_page_names_both_laws_and_how_to_ask_for_a_copy_or_erasure(client):
    html = client.get(url("web:legal", "fr", page="privacy")).content.decode()

    assert "loi marocaine 09-08" in html
    assert "RGPD" in html
    assert "www.cndp.ma" in html
    assert "une copie de vos données" in html
    assert "effacement" in html
    assert "Jamais votre numéro de carte" in html


def test_an_unknown_legal_page_is_not_found(client):
    assert client.get("/en/help/cookies-banner/").status_code == 404
