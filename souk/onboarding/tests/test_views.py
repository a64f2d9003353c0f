"""The artisan's path, screen by screen, through HTTP: what a person sees and what is kept."""

from __future__ import annotations

import html
import re

import pytest
from django.http import HttpResponse
from django.utils import translation

from souk.accounts.models import User
from souk.catalog.models import Product, ProductStatus
from souk.notifications import sms
from souk.onboarding.models import PhoneCheck, PieceDraft
from souk.registry.models import ClaimAttempt, RegisterEntry
from souk.registry.tests.factories import make_register_entry
from souk.shops.models import Shop, ShopStatus
from souk.shops.tests.factories import jpeg_bytes, upload

pytestmark = pytest.mark.django_db

PASSWORD = "tajine-de-safi-2026"


def sign_up(client, entry: RegisterEntry, *, language: str = "ar", cin: str = "BE123456", **extra):
    data = {
        "phone": "06 61 23 45 67",
        "password": PASSWORD,
        "register_number": entry.register_number,
        "cin": cin,
        **extra,
    }
    return client.post(f"/{language}/sell/", data, REMOTE_ADDR="203.0.113.7")


def texted_code() -> str:
    match = re.search(r"\d{6}", sms.outbox[-1].text)
    assert match is not None
    return match.group(0)


def page_of(response: HttpResponse) -> str:
    """The page as a person reads it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def piece_data(**overrides: str) -> dict[str, str]:
    data = {
        "title": "طاجين مزخرف",
        "price": "450",
        "availability": "stock",
        "stock_quantity": "2",
        "lead_time_days": "14",
        "trade": "S01-T01",
        "hs_code": "691200",
        "weight_grams": "2000",
        "length_cm": "",
        "width_cm": "",
        "height_cm": "",
    }
    data.update(overrides)
    return data


def test_an_artisan_goes_from_sign_up_to_a_piece_sent_for_review_in_arabic(
    client, django_capture_on_commit_callbacks
):
    # given
    entry = make_register_entry(cin="BE123456")

    # when: one screen for the account and the claim
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, entry)

    # then: the account, the claim and the shop in review exist, and a code is texted in Arabic
    assert response.status_code == 302
    assert response["Location"] == "/ar/sell/code/"
    user = User.objects.get(phone="+212661234567")
    assert user.full_name == "فاطمة بناني"
    shop = Shop.objects.get(register_entry=entry)
    assert shop.display_name == "فاطمة بناني"
    assert shop.status == ShopStatus.PENDING_REVIEW
    assert [message.to for message in sms.outbox] == ["+212661234567"]
    text = translated("ar", "Souk: your code is %(code)s. It expires in 10 minutes.")
    assert sms.outbox[0].text == text % {"code": texted_code()}

    # when: the code, then the first piece with its photo
    response = client.post("/ar/sell/code/", {"code": texted_code()})
    assert response["Location"] == "/ar/sell/piece/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/ar/sell/piece/", {**piece_data(), "photo": upload("piece.jpg", jpeg_bytes())}
        )

    # then: the piece waits for review beside the shop, with its photo and Arabic title
    assert response.status_code == 302
    assert response["Location"] == "/ar/sell/sent/"
    product = Product.objects.get(shop=shop)
    assert product.status == ProductStatus.PENDING_REVIEW
    assert product.title_ar == "طاجين مزخرف"
    assert product.price_amount == 45_000
    assert product.stock_quantity == 2
    assert product.photos.count() == 1
    assert not PieceDraft.objects.exists()
    page = client.get("/ar/sell/sent/")
    assert translated("ar", "Your piece is sent for review") in page_of(page)


def test_a_claim_refused_at_sign_up_keeps_no_account_and_counts_against_the_address(client):
    entry = make_register_entry(cin="BE123456")

    response = sign_up(client, entry, language="fr", cin="BE000000")

    assert response.status_code == 400
    page = page_of(response)
    message = translated("fr", "These details do not match an active register entry.")
    assert message in page
    # what was typed stays on the form, but the password
    assert entry.register_number in page
    assert "06 61 23 45 67" in page
    assert not User.objects.exists()
    assert not Shop.objects.exists()
    attempt = ClaimAttempt.objects.get()
    assert (attempt.user_id, attempt.ip_address, attempt.succeeded) == (None, "203.0.113.7", False)


def test_a_sign_up_with_a_bad_phone_says_so_and_creates_nothing(client):
    entry = make_register_entry(cin="BE123456")

    response = sign_up(client, entry, language="fr", phone="12")

    assert response.status_code == 400
    assert translated("fr", "Enter a valid phone number.") in page_of(response)
    assert not User.objects.exists()
    assert not ClaimAttempt.objects.exists()


def test_a_wrong_code_is_refused_and_counted_and_the_right_one_still_works(
    client, django_capture_on_commit_callbacks
):
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="fr")
    right = texted_code()
    wrong = "000000" if right != "000000" else "111111"

    response = client.post("/fr/sell/code/", {"code": wrong})

    assert response.status_code == 400
    message = translated("fr", "This code is not the one we sent. Check the SMS and try again.")
    assert message in page_of(response)
    check = PhoneCheck.objects.get()
    assert (check.failed_attempts, check.verified_at) == (1, None)
    assert client.post("/fr/sell/code/", {"code": right})["Location"] == "/fr/sell/piece/"


def test_leaving_and_coming_back_resumes_at_the_step(client, django_capture_on_commit_callbacks):
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="fr")

    assert client.get("/fr/sell/")["Location"] == "/fr/sell/code/"
    assert client.get("/fr/sell/piece/")["Location"] == "/fr/sell/code/"
    client.post("/fr/sell/code/", {"code": texted_code()})
    assert client.get("/fr/sell/")["Location"] == "/fr/sell/piece/"
    assert client.get("/fr/sell/sent/")["Location"] == "/fr/sell/piece/"


def test_a_piece_with_a_mistake_keeps_its_photo_and_words_for_the_next_visit(
    client, django_capture_on_commit_callbacks
):
    # given an artisan at the piece screen
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="fr")
    client.post("/fr/sell/code/", {"code": texted_code()})

    # when the price is forgotten
    response = client.post(
        "/fr/sell/piece/",
        {**piece_data(title="Tajine décoré", price=""), "photo": upload("p.jpg", jpeg_bytes())},
    )

    # then the page says so in French and nothing is lost, even after leaving
    assert response.status_code == 400
    assert translated("fr", "This field is required.") in page_of(response)
    assert not Product.objects.exists()
    again = client.get("/fr/sell/piece/")
    assert 'value="Tajine décoré"' in page_of(again)
    kept = translated("fr", "Your photo is kept. Choose another one only to replace it.")
    assert kept in page_of(again)

    # when the price is given, without choosing the photo again
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/fr/sell/piece/", piece_data(title="Tajine décoré", price="450"))

    # then the piece is sent with the kept photo
    assert response["Location"] == "/fr/sell/sent/"
    product = Product.objects.get()
    assert (product.title_fr, product.photos.count()) == ("Tajine décoré", 1)


def test_the_ticked_materials_are_kept_for_the_next_visit(
    client, django_capture_on_commit_callbacks
):
    # given an artisan at the piece screen, offered their trade's materials
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="fr")
    client.post("/fr/sell/code/", {"code": texted_code()})
    offered = re.findall(
        r'name="material_codes" value="([^"]+)"', page_of(client.get("/fr/sell/piece/"))
    )
    assert len(offered) >= 2

    # when two are ticked but the price is forgotten, and the artisan leaves
    client.post("/fr/sell/piece/", {**piece_data(price=""), "material_codes": offered[:2]})

    # then coming back shows the same two ticked
    boxes = re.findall(
        r'<input[^>]*name="material_codes"[^>]*>', page_of(client.get("/fr/sell/piece/"))
    )
    ticked = {
        value for box in boxes if "checked" in box for value in re.findall(r'value="([^"]+)"', box)
    }
    assert ticked == set(offered[:2])


def test_a_piece_without_a_photo_is_refused_in_the_artisans_language(
    client, django_capture_on_commit_callbacks
):
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="ar")
    client.post("/ar/sell/code/", {"code": texted_code()})

    response = client.post("/ar/sell/piece/", piece_data())

    assert response.status_code == 400
    assert translated("ar", "Add a photo of the piece.") in page_of(response)
    assert not Product.objects.exists()


def test_a_file_that_is_not_a_photo_is_refused_and_the_words_are_kept(
    client, django_capture_on_commit_callbacks
):
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="fr")
    client.post("/fr/sell/code/", {"code": texted_code()})

    response = client.post(
        "/fr/sell/piece/",
        {**piece_data(title="Plat"), "photo": upload("x.jpg", b"not an image", "image/jpeg")},
    )

    assert response.status_code == 400
    message = translated("fr", "This file is not a JPEG, PNG, WebP or HEIC image.")
    assert message in page_of(response)
    assert PieceDraft.objects.get().values["title"] == "Plat"
    assert not PieceDraft.objects.get().photo
    assert not Product.objects.exists()


def test_the_piece_screen_prefills_the_trade_code_and_weight_from_the_register(
    client, django_capture_on_commit_callbacks
):
    entry = make_register_entry(cin="BE123456")
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, entry, language="fr")
    client.post("/fr/sell/code/", {"code": texted_code()})

    form = client.get("/fr/sell/piece/").context["form"]

    trade = entry.trade
    assert form["trade"].value() == trade.pk
    assert form["hs_code"].value() == trade.default_hs_code
    assert form["weight_grams"].value() is not None
    page = page_of(client.get("/fr/sell/piece/"))
    assert 'accept="image/*"' in page
    assert 'capture="environment"' in page
