"""Only superusers change privileges, emails and phones in the back office (issue #13, defect 9;
review finding C2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from souk.accounts import services
from souk.accounts.admin import STAFF_ROLE_NAMES
from souk.accounts.models import User, UserSession
from souk.accounts.roles import Role
from souk.accounts.tests.factories import make_user
from souk.notifications import sms

pytestmark = pytest.mark.django_db


def change_url(user: User) -> str:
    return f"/en/admin/accounts/user/{user.pk}/change/"


def change_form(user: User, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": user.full_name,
        "email": user.email or "",
        "phone": user.phone or "",
        "preferred_language": user.preferred_language,
        "preferred_currency": user.preferred_currency,
        "is_active": "on",
        # What the page offers: staff roles are not among a non-superuser's choices.
        "groups": [group.pk for group in user.groups.exclude(name__in=STAFF_ROLE_NAMES)],
    }
    data.update(overrides)
    return data


def group(role: Role) -> Group:
    return Group.objects.get(name=role.value)


def test_an_administrator_cannot_make_itself_superuser_with_a_forged_post(client):
    # given: an administrator (not a superuser) in the back office
    admin = services.grant_role(user=make_user(email="salma@souk.example"), role=Role.ADMIN)
    client.force_login(admin)
    every_permission = list(Permission.objects.values_list("pk", flat=True))

    # when: it posts its own change form with the privilege fields added by hand
    response = client.post(
        change_url(admin),
        change_form(
            admin,
            is_staff="on",
            is_superuser="on",
            user_permissions=every_permission,
        ),
    )

    # then: the other fields are saved, the privileges are not
    assert response.status_code == 302
    admin.refresh_from_db()
    assert (admin.is_superuser, admin.user_permissions.count()) == (False, 0)
    assert admin.roles == [Role.ADMIN]
    assert not User.objects.get(pk=admin.pk).has_perm("accounts.manage_payouts")


def test_an_administrator_cannot_grant_a_staff_role(client):
    # given
    admin = services.grant_role(user=make_user(), role=Role.ADMIN)
    buyer = services.grant_role(user=make_user(), role=Role.BUYER)
    client.force_login(admin)

    # when: it adds the finance and admin roles to a buyer (and to itself)
    to_buyer = client.post(
        change_url(buyer),
        change_form(buyer, groups=[group(Role.BUYER).pk, group(Role.FINANCE).pk]),
    )
    to_itself = client.post(
        change_url(admin),
        change_form(admin, groups=[group(Role.ADMIN).pk, group(Role.FINANCE).pk]),
    )

    # then: refused on the form, nothing changed
    assert to_buyer.status_code == to_itself.status_code == 200
    assert "Select a valid choice" in to_buyer.content.decode()
    buyer = User.objects.get(pk=buyer.pk)
    assert (buyer.roles, buyer.is_staff) == ([Role.BUYER], False)
    assert User.objects.get(pk=admin.pk).roles == [Role.ADMIN]


def test_an_administrator_keeps_staff_roles_it_cannot_see_when_editing_itself(client):
    admin = services.grant_role(user=make_user(), role=Role.ADMIN)
    client.force_login(admin)

    response = client.post(change_url(admin), change_form(admin, full_name="Salma B.", groups=[]))

    assert response.status_code == 302
    admin = User.objects.get(pk=admin.pk)
    assert (admin.full_name, admin.roles, admin.is_staff) == ("Salma B.", [Role.ADMIN], True)


def test_an_administrator_cannot_edit_a_superuser_or_another_staff_member(client):
    # given
    admin = services.grant_role(user=make_user(), role=Role.ADMIN)
    root = User.objects.create_superuser(email="root@souk.example", password="x", full_name="R")
    moderator = services.grant_role(user=make_user(), role=Role.MODERATOR)
    client.force_login(admin)

    # when: it would set their email to its own mailbox, then reset their password
    responses = [
        client.post(change_url(target), change_form(target, email="salma+x@souk.example"))
        for target in (root, moderator)
    ]
    password_page = client.get(f"/en/admin/accounts/user/{root.pk}/password/")

    # then
    assert [response.status_code for response in responses] == [403, 403]
    assert password_page.status_code == 403
    assert User.objects.get(pk=root.pk).email == "root@souk.example"
    assert User.objects.get(pk=moderator.pk).email == moderator.email


def test_a_superuser_grants_staff_roles_and_superuser(client):
    root = User.objects.create_superuser(email="root@souk.example", password="x", full_name="R")
    buyer = make_user()
    client.force_login(root)

    response = client.post(
        change_url(buyer),
        change_form(buyer, is_staff="on", is_superuser="on", groups=[group(Role.FINANCE).pk]),
    )

    assert response.status_code == 302
    buyer = User.objects.get(pk=buyer.pk)
    assert (buyer.is_superuser, buyer.roles) == (True, [Role.FINANCE])


def test_a_new_password_set_in_the_back_office_ends_the_users_sessions(client):
    # given: a buyer signed in somewhere, and a superuser
    buyer = make_user(email="emily@souk.example")
    elsewhere = Client()
    elsewhere.force_login(buyer)
    root = User.objects.create_superuser(email="root@souk.example", password="x", full_name="R")
    client.force_login(root)

    # when
    response = client.post(
        f"/en/admin/accounts/user/{buyer.pk}/password/",
        {
            "usable_password": "true",
            "password1": "argan-oil-of-essaouira-2026",
            "password2": "argan-oil-of-essaouira-2026",
        },
    )

    # then
    assert response.status_code == 302
    assert elsewhere.get("/en/account/").status_code == 302
    assert not UserSession.objects.filter(user=buyer).exists()
    assert UserSession.objects.filter(user=root).exists()


def test_takeover_an_administrator_cannot_change_a_buyers_email_or_phone_with_a_forged_post(
    client, mailoutbox
):
    # given: an administrator (not a superuser) and a buyer reached by email and phone
    admin = services.grant_role(user=make_user(email="salma@souk.example"), role=Role.ADMIN)
    buyer = make_user(email="emily@souk.example", phone="+212612345678", full_name="Emily")
    client.force_login(admin)
    page = client.get(change_url(buyer))

    # when: it posts the buyer's form with its own mailbox and number added by hand, to reset
    # the buyer's password afterwards
    response = client.post(
        change_url(buyer),
        change_form(
            buyer, full_name="Emily R.", email="salma+x@souk.example", phone="+212699999999"
        ),
    )

    # then: the page offered no email or phone field, and the forged values changed nothing
    assert 'name="email"' not in page.content.decode()
    assert 'name="phone"' not in page.content.decode()
    assert response.status_code == 302
    buyer = User.objects.get(pk=buyer.pk)
    assert (buyer.full_name, buyer.email, buyer.phone) == (
        "Emily R.",
        "emily@souk.example",
        "+212612345678",
    )
    assert mailoutbox == []


def test_takeover_an_administrator_cannot_change_its_own_email_either(client):
    admin = services.grant_role(user=make_user(email="salma@souk.example"), role=Role.ADMIN)
    client.force_login(admin)

    response = client.post(change_url(admin), change_form(admin, email="other@souk.example"))

    assert response.status_code == 302
    assert User.objects.get(pk=admin.pk).email == "salma@souk.example"


def test_a_changed_email_and_phone_are_told_to_the_old_ones(
    client, mailoutbox, settings, django_capture_on_commit_callbacks
):
    # given: a superuser, and a buyer reached by email and phone
    settings.SMS_BACKEND = "souk.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    root = User.objects.create_superuser(email="root@souk.example", password="x", full_name="R")
    buyer = make_user(
        email="emily@souk.example",
        phone="+212612345678",
        full_name="Emily",
        preferred_language="en",
    )
    client.force_login(root)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            change_url(buyer),
            change_form(buyer, email="emily.new@souk.example", phone="+212699999999"),
        )

    # then: the change is made, and the old address and number are told
    assert response.status_code == 302
    buyer = User.objects.get(pk=buyer.pk)
    assert (buyer.email, buyer.phone) == ("emily.new@souk.example", "+212699999999")
    assert [message.to for message in mailoutbox] == [["emily@souk.example"]]
    body = mailoutbox[0].body
    assert "The email address of the Souk account of Emily was changed" in body
    assert "The phone number of the Souk account of Emily was changed" in body
    assert "contact Souk right away" in body
    assert [message.to for message in sms.outbox] == ["+212612345678"]
    assert "contact details of the account of Emily were changed" in sms.outbox[0].text
    assert buyer.notifications.filter(kind="contact_changed").count() == 1


def test_an_unchanged_contact_sends_no_notice(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    root = User.objects.create_superuser(email="root@souk.example", password="x", full_name="R")
    buyer = make_user(email="emily@souk.example")
    client.force_login(root)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(buyer), change_form(buyer, full_name="Emily R."))

    assert response.status_code == 302
    assert mailoutbox == []
