"""Sign up, log in (by email and by phone), log out, password reset, through HTTP."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.utils import translation

from souk.accounts.models import User
from souk.accounts.roles import Role
from souk.accounts.tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/en/account/signup/"
LOGIN_URL = "/en/account/login/"
STRONG_PASSWORD = "tajine-de-safi-2026"


def signup_data(**overrides: str) -> dict[str, str]:
    data = {
        "full_name": "Amina Bennani",
        "email": "",
        "phone": "",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
    }
    data.update(overrides)
    return data


def translated(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def test_signup_with_email_creates_a_buyer_and_logs_them_in(client):
    # when
    response = client.post(SIGNUP_URL, signup_data(email="Amina@Example.MA"))

    # then
    assert response.status_code == 302
    assert response["Location"] == "/en/account/"
    user = User.objects.get()
    assert user.email == "amina@example.ma"
    assert user.phone is None
    assert user.roles == [Role.BUYER]
    assert user.preferred_language == "en"
    assert client.get("/en/account/").context["user"] == user


def test_signup_with_a_moroccan_phone_stores_it_in_international_form(client):
    response = client.post(SIGNUP_URL, signup_data(phone="06 12 34 56 78"))

    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "+212612345678"
    assert user.email is None
    assert user.roles == [Role.BUYER]


def test_the_buyers_signup_makes_no_artisan_and_points_artisans_to_their_path(client):
    # A seller's account comes only from the artisan's path, which claims an entry and checks
    # the phone; asking for the role here does nothing.
    page = client.get(SIGNUP_URL).content.decode()
    client.post(SIGNUP_URL, signup_data(phone="06 12 34 56 78", role="artisan"))

    assert 'href="/en/sell/"' in page
    user = User.objects.get()
    assert user.roles == [Role.BUYER]
    assert not user.has_perm("accounts.sell")


@pytest.mark.parametrize(
    "written",
    ["+212612345678", "0612345678", "06 12 34 56 78", "00212 6 12 34 56 78", "+212 6-12-34-56-78"],
)
def test_login_with_any_writing_of_the_phone_number(client, written):
    # given
    make_user(email=None, phone="+212612345678")

    # when
    response = client.post(LOGIN_URL, {"username": written, "password": TEST_PASSWORD})

    # then
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_login_with_an_international_phone_number(client):
    client.post(SIGNUP_URL, signup_data(phone="+33 6 12 34 56 78"))
    client.post("/en/account/logout/")

    response = client.post(LOGIN_URL, {"username": "+33612345678", "password": STRONG_PASSWORD})

    assert User.objects.get().phone == "+33612345678"
    assert response.status_code == 302


def test_login_with_email_ignores_case(client):
    make_user(email="youssef@souk.example")

    response = client.post(
        LOGIN_URL, {"username": "YOUSSEF@souk.example", "password": TEST_PASSWORD}
    )

    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_translated_message(client):
    make_user(email="youssef@souk.example")

    response = client.post(
        "/fr/account/login/", {"username": "youssef@souk.example", "password": "wrong-one"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    english = (
        "This email or phone number and password do not match an account. "
        "Passwords are case-sensitive."
    )
    expected = translated("fr", english)
    assert expected != english
    assert expected in response.content.decode()


def test_inactive_account_cannot_log_in(client):
    make_user(email="gone@souk.example", is_active=False)

    response = client.post(LOGIN_URL, {"username": "gone@souk.example", "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_signup_without_email_or_phone_is_refused_and_creates_nothing(client):
    response = client.post(SIGNUP_URL, signup_data())

    assert response.status_code == 200
    assert "Give an email address or a phone number (or both)." in response.content.decode()
    assert User.objects.count() == 0


def test_signup_with_an_impossible_phone_number_says_so_in_arabic(client):
    response = client.post("/ar/account/signup/", signup_data(phone="12345"))

    assert response.status_code == 200
    message = translated("ar", "Enter a valid phone number.")
    assert message != "Enter a valid phone number."
    assert message in response.content.decode()
    assert User.objects.count() == 0


def test_signup_with_an_email_already_used_is_refused(client):
    make_user(email="amina@example.ma")

    response = client.post(SIGNUP_URL, signup_data(email="AMINA@example.ma"))

    assert response.status_code == 200
    assert "An account already uses this email address." in response.content.decode()
    assert User.objects.count() == 1


def test_signup_with_a_phone_already_used_in_another_writing_is_refused(client):
    make_user(email=None, phone="+212612345678")

    response = client.post(SIGNUP_URL, signup_data(phone="0612345678"))

    assert "An account already uses this phone number." in response.content.decode()
    assert User.objects.count() == 1


def test_signup_cannot_choose_a_staff_role(client):
    client.post(SIGNUP_URL, signup_data(email="sneaky@example.ma", role="admin"))

    assert User.objects.get().roles == [Role.BUYER]


def test_signup_refuses_mismatched_or_weak_passwords(client):
    mismatched = client.post(
        SIGNUP_URL, signup_data(email="a@example.ma", password2="something-else-2026")
    )
    weak = client.post(
        SIGNUP_URL, signup_data(email="a@example.ma", password1="12345678", password2="12345678")
    )

    assert "The two passwords are different." in mismatched.content.decode()
    assert "This password is entirely numeric." in weak.content.decode()
    assert User.objects.count() == 0


def test_logout_ends_the_session(client):
    user = make_user()
    client.force_login(user)

    response = client.post("/en/account/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_profile_requires_login(client):
    response = client.get("/es/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/es/account/login/?next=")


def test_profile_update_saves_name_language_and_currency(client):
    user = make_user(full_name="Old Name")
    client.force_login(user)

    response = client.post(
        "/en/account/",
        {"full_name": "Hassan Ouazzani", "preferred_language": "ar", "preferred_currency": "EUR"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language, user.preferred_currency) == (
        "Hassan Ouazzani",
        "ar",
        "EUR",
    )


def test_password_reset_by_email_in_french_then_login_with_the_new_password(client):
    # given
    make_user(email="amina@example.ma")

    # when: she asks for a link from the French page
    response = client.post("/fr/account/password-reset/", {"email": "amina@example.ma"})

    # then: one email, in French, with a link that lets her choose a new password
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.ma"]
    assert message.subject == translated("fr", "Choose a new Souk password")
    assert message.subject != "Choose a new Souk password"
    link = re.search(r"https?://[^/]+(/fr/account/password-reset/\S+/\S+/)", str(message.body))
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"] is True
    new_password = "couscous-du-vendredi-77"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    login = client.post(
        "/fr/account/login/", {"username": "amina@example.ma", "password": new_password}
    )
    assert login.status_code == 302


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post("/en/account/password-reset/", {"email": "nobody@example.ma"})

    assert response.status_code == 302
    assert response["Location"] == "/en/account/password-reset/sent/"
    assert mail.outbox == []
