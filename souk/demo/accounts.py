"""Demo accounts: one per role, all with the same password (printed by `make run`)."""

from __future__ import annotations

from dataclasses import dataclass

from souk.accounts import services
from souk.accounts.models import User
from souk.accounts.roles import STAFF_ROLES, Role
from souk.accounts.two_factor import services as two_factor

DEMO_PASSWORD = "souk-demo-2026"  # noqa: S105  # a published demo password, on demo data only
# Staff must pass a second factor: the demo staff share this published authenticator key
# (base32), which `manage.py demo_totp_code` turns into the current code. Demo data only.
DEMO_TOTP_SECRET = "SOUKDEMOSTAFFSECRETKEYFORTOTPXYZ"  # noqa: S105  # published, demo only


@dataclass(frozen=True, slots=True)
class DemoAccount:
    role: Role
    full_name: str
    email: str
    phone: str | None
    language: str
    currency: str


DEMO_ACCOUNTS = (
    DemoAccount(Role.BUYER, "Emily Carter", "buyer@souk.example", None, "en", "USD"),
    DemoAccount(
        Role.ARTISAN, "فاطمة الزهراء بناني", "artisan@souk.example", "+212612345678", "ar", "MAD"
    ),
    DemoAccount(Role.ADVISOR, "Youssef Alaoui", "advisor@souk.example", None, "fr", "MAD"),
    DemoAccount(Role.BANK_OFFICER, "Nadia Tazi", "bank@souk.example", None, "fr", "MAD"),
    DemoAccount(Role.MODERATOR, "Karim El Idrissi", "moderator@souk.example", None, "fr", "MAD"),
    DemoAccount(Role.ADMIN, "Salma Berrada", "admin@souk.example", None, "fr", "MAD"),
    DemoAccount(Role.ANALYST, "Lucía Martín", "analyst@souk.example", None, "es", "EUR"),
    DemoAccount(Role.FINANCE, "Omar Benjelloun", "finance@souk.example", None, "fr", "MAD"),
)


def seed() -> list[str]:
    """Create or refresh the demo accounts; return the login lines to print."""
    services.sync_roles()
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD})"]
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "phone": account.phone,
                "preferred_language": account.language,
                "preferred_currency": account.currency,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if not user.has_role(account.role):
            services.grant_role(user=user, role=account.role)
        if account.role in STAFF_ROLES:
            two_factor.enrol_with_secret(user=user, secret=DEMO_TOTP_SECRET)
        also = f" or {account.phone}" if account.phone else ""
        lines.append(f"  {account.role.value:<13} {account.email}{also}")
    lines.append(
        f"  Staff second factor: add the key {DEMO_TOTP_SECRET} to an authenticator app, or "
        "print the current code with `.venv/bin/python manage.py demo_totp_code`"
    )
    return lines
