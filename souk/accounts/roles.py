"""The roles of Souk and what each may do.

A role is a Django group of the same name; its permissions are declared here, in one table, and
written to the database by `services.sync_roles()` after every migration. Later apps add their
permissions to this table (e.g. `catalog.moderate_listing` for moderators). Shops are
moderated with `accounts.moderate_content` on their own page; the back office only looks them
up (`shops.view_*`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    ARTISAN = "artisan", _("Artisan")
    ADVISOR = "advisor", _("Advisor")
    BANK_OFFICER = "bank_officer", _("Bank officer")
    MODERATOR = "moderator", _("Moderator")
    ADMIN = "admin", _("Administrator")
    ANALYST = "analyst", _("Analyst")
    FINANCE = "finance", _("Finance")


# Roles whose members work in the back office (Django admin), hence `is_staff`. Only a
# superuser grants or withdraws them (accounts/admin.py).
STAFF_ROLES = frozenset({Role.MODERATOR, Role.ADMIN, Role.FINANCE})

# Starting payout runs and downloading bank files (every artisan's IBAN): the finance role only.
MANAGE_PAYOUTS_PERMISSION = "accounts.manage_payouts"

# Roles a person may give themselves at sign-up; the others are granted by an administrator.
SELF_SERVICE_ROLES = (Role.BUYER, Role.ARTISAN)

ROLE_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.BUYER: (),
    Role.ARTISAN: ("accounts.sell",),
    Role.ADVISOR: ("accounts.coach_artisans",),
    Role.BANK_OFFICER: ("accounts.review_bank_applications",),
    Role.MODERATOR: (
        "accounts.access_backoffice",
        "accounts.moderate_content",
        "accounts.verify_artisans",
        "accounts.view_user",
        "shops.view_shop",
        "shops.view_shopmember",
        "catalog.view_product",
        "payments.view_settlementimport",
        "payments.view_settlementline",
        "payments.view_codremittance",
        "fulfilment.view_shipment",
    ),
    Role.ADMIN: (
        "accounts.access_backoffice",
        "accounts.moderate_content",
        "accounts.verify_artisans",
        "accounts.view_insights",
        "accounts.manage_roles",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.delete_user",
        "auth.view_group",
        "shops.view_shop",
        "shops.view_shopmember",
        "catalog.view_product",
        "payments.view_settlementimport",
        "payments.view_settlementline",
        "payments.view_codremittance",
        # Reference tables staff maintain: commission rates, carriers and their rate cards,
        # duty rates (docs/orders.md, docs/shipping.md).
        "orders.view_commissionrate",
        "orders.add_commissionrate",
        "orders.change_commissionrate",
        "shipping.view_carrier",
        "shipping.add_carrier",
        "shipping.change_carrier",
        "shipping.view_carrierrate",
        "shipping.add_carrierrate",
        "shipping.change_carrierrate",
        "shipping.delete_carrierrate",
        "shipping.view_dutyrate",
        "shipping.add_dutyrate",
        "shipping.change_dutyrate",
        "shipping.delete_dutyrate",
        "fulfilment.view_shipment",
        # Partner banks, their officers, and approving what they offer artisans (docs/banking.md).
        "banking.approve_offer",
        "banking.view_partnerbank",
        "banking.add_partnerbank",
        "banking.change_partnerbank",
        "banking.view_bankofficer",
        "banking.add_bankofficer",
        "banking.delete_bankofficer",
        "banking.view_offer",
        # Advisors of the support programme: who covers what, and their artisans (docs/support.md).
        "support.view_advisor",
        "support.add_advisor",
        "support.change_advisor",
        "support.view_assignment",
        # Help requests (read only) and nudges turned back on for an artisan who asks.
        "support.view_helprequest",
        "support.view_nudgepreference",
        "support.change_nudgepreference",
        # SMS replies kept before handling: the unhandled ones seen, and handled again.
        "support.view_smsreply",
        "support.change_smsreply",
    ),
    Role.ANALYST: ("accounts.view_insights",),
    Role.FINANCE: (
        "accounts.access_backoffice",
        MANAGE_PAYOUTS_PERMISSION,
        "accounts.view_user",
        "payments.view_settlementimport",
        "payments.view_settlementline",
        "payments.view_codremittance",
    ),
}
