"""Turn off the second factor of an account whose owner lost the phone and the recovery codes.

Support runs it after checking, outside Souk, that the person asking owns the account; the
audit log records the reset. Staff set up a new authenticator at their next page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from souk.accounts import selectors
from souk.accounts.models import User
from souk.accounts.two_factor import services


class Command(BaseCommand):
    help = "Delete the authenticator and recovery codes of one account (email or phone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("login", help="The account's email address or phone number.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = selectors.get_user_by_login(identifier=options["login"])
        except (User.DoesNotExist, ValidationError) as error:
            raise CommandError("No account uses this email address or phone number.") from error
        if services.reset_second_factor(user=user):
            self.stdout.write(f"The second factor of {user.login_identifier} is reset.")
        else:
            self.stdout.write(f"{user.login_identifier} had no second factor.")
