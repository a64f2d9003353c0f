"""Roles: the groups and permissions they carry, and what each may open."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from souk.accounts import services
from souk.accounts.errors import RoleNotSelfService
from souk.accounts.models import User
from souk.accounts.roles import ROLE_PERMISSIONS, Role
from souk.accounts.tests.factories import make_user

pytestmark = pytest.mark.django_db


def permissions_of(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migrate_creates_one_group_per_role_with_exactly_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) == {role.value for role in Role}
    for role, codenames in ROLE_PERMISSIONS.items():
        assert permissions_of(Group.objects.get(name=role.value)) == set(codenames)


def test_sync_roles_twice_changes_nothing_and_repairs_drift():
    # given: someone added a permission to the analyst group by hand
    analyst = Group.objects.get(name=Role.ANALYST.value)
    moderator_permissions = Group.objects.get(name=Role.MODERATOR.value).permissions.all()
    analyst.permissions.add(*moderator_permissions)

    # when
    services.sync_roles()
    services.sync_roles()

    # then
    assert Group.objects.count() == len(Role)
    assert permissions_of(analyst) == {"accounts.view_insights"}


@pytest.mark.parametrize(
    ("role", "allowed", "refused"),
    [
        (Role.BUYER, set(), {"accounts.sell", "accounts.access_backoffice"}),
        (
            Role.ARTISAN,
            {"accounts.sell"},
            {"accounts.moderate_content", "shops.view_shop", "catalog.view_product"},
        ),
        (Role.ADVISOR, {"accounts.coach_artisans"}, {"accounts.view_user"}),
        (Role.BANK_OFFICER, {"accounts.review_bank_applications"}, {"accounts.view_user"}),
        (
            Role.MODERATOR,
            {
                "accounts.moderate_content",
                "accounts.verify_artisans",
                "shops.view_shop",
                "catalog.view_product",
            },
            {
                "accounts.manage_roles",
                "accounts.change_user",
                "shops.change_shop",
                "catalog.change_product",
            },
        ),
        (
            Role.ADMIN,
            {
                "accounts.manage_roles",
                "accounts.change_user",
                "shops.view_shop",
                "catalog.view_product",
            },
            {"shops.change_shop", "shops.delete_shop", "catalog.delete_product"},
        ),
        (Role.ANALYST, {"accounts.view_insights"}, {"accounts.view_user", "accounts.sell"}),
        (
            Role.FINANCE,
            {"accounts.manage_payouts", "accounts.access_backoffice"},
            {"accounts.moderate_content", "accounts.change_user", "accounts.manage_roles"},
        ),
    ],
)
def test_each_role_grants_its_permissions_and_no_others(role, allowed, refused):
    user = services.grant_role(user=make_user(), role=role)
    user = User.objects.get(pk=user.pk)  # permissions are cached per instance

    assert all(user.has_perm(permission) for permission in allowed)
    assert not any(user.has_perm(permission) for permission in refused)


def test_staff_roles_open_the_back_office_and_withdrawing_closes_it():
    user = services.grant_role(user=make_user(), role=Role.MODERATOR)
    assert user.is_staff

    services.grant_role(user=user, role=Role.ADMIN)
    services.withdraw_role(user=user, role=Role.MODERATOR)
    assert User.objects.get(pk=user.pk).is_staff

    services.withdraw_role(user=user, role=Role.ADMIN)
    assert not User.objects.get(pk=user.pk).is_staff


def test_register_user_refuses_a_role_that_only_an_administrator_grants():
    with pytest.raises(RoleNotSelfService):
        services.register_user(
            full_name="Intruder", email="x@example.ma", password="whatever-2026", role=Role.ADMIN
        )

    assert User.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "index_status", "user_list_status", "add_user_status"),
    [
        (Role.BUYER, 302, 302, 302),
        (Role.ANALYST, 302, 302, 302),
        (Role.MODERATOR, 200, 200, 403),
        (Role.ADMIN, 200, 200, 200),
    ],
)
def test_back_office_access_follows_the_role(
    client, role, index_status, user_list_status, add_user_status
):
    user = services.grant_role(user=make_user(), role=role)
    client.force_login(user)

    assert client.get("/en/admin/").status_code == index_status
    assert client.get("/en/admin/accounts/user/").status_code == user_list_status
    assert client.get("/en/admin/accounts/user/add/").status_code == add_user_status


def test_administrator_creates_a_phone_only_user_in_the_back_office(client):
    admin = services.grant_role(user=make_user(), role=Role.ADMIN)
    client.force_login(admin)

    response = client.post(
        "/en/admin/accounts/user/add/",
        {
            "full_name": "Rachid Amrani",
            "email": "",
            "phone": "0661 23 45 67",
            "usable_password": "true",
            "password1": "zellige-de-fes-2026",
            "password2": "zellige-de-fes-2026",
        },
    )

    assert response.status_code == 302
    created = User.objects.get(full_name="Rachid Amrani")
    assert (created.email, created.phone) == (None, "+212661234567")
