"""Only superusers change privileges in the back office (issue #13, defect 9)."""

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
