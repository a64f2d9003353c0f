"""Check a certificate of origin offline: a certificate file (.json) against Souk's published
key (--key key.pem, else this installation's own), or --code against the kept certificates.
Says GENUINE with what it certifies, or why not, and exits non-zero unless genuine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from souk.core import signing
from souk.fulfilment import certificates


class Command(BaseCommand):
    help = "Verify a Souk certificate of origin: a .json file (with --key key.pem), or --code."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the certificate file (.json)")
        parser.add_argument("--code", help="a certificate code instead of a file")
        parser.add_argument("--key", help="Souk's published public key (PEM) to verify with")
        parser.add_argument("--language", default="en")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        public_key = None
        if options["key"]:
            try:
                public_key = signing.load_public_key(Path(options["key"]).read_bytes())
            except (OSError, ValueError) as error:
                raise CommandError(_("The key file is not an Ed25519 public key (PEM).")) from error
        if options["code"]:
            verification, _found = certificates.verify_code(options["code"])
        elif options["file"]:
            try:
                content = Path(options["file"]).read_bytes()
            except OSError as error:
                raise CommandError(_("The file cannot be read.")) from error
            verification = certificates.verify_file(content, public_key=public_key)
        else:
            raise CommandError(_("Give a certificate file or --code."))
        if verification.payload is None:
            raise CommandError(
                {
                    "altered": _(
                        "NOT GENUINE: this certificate was changed after Souk signed it, or "
                        "Souk never signed it."
                    ),
                    "unreadable": _("This is not a Souk certificate file: it could not be read."),
                    "unknown": _("No certificate has this code."),
                }[verification.verdict.value]
            )
        payload = verification.payload
        piece, artisan = payload["piece"], payload["artisan"]
        language = options["language"]
        self.stdout.write(_("GENUINE: signed by Souk and unchanged."))
        for label, value in [
            (_("Code"), payload["code"]),
            (_("Piece"), certificates.in_language(piece["titles"], language)),
            (_("Made by"), artisan["name_ar"] if language == "ar" else artisan["name"]),
            (_("Register number"), artisan["register_number"]),
            (_("Trade"), certificates.in_language(artisan["trade"], language)),
            (_("Region"), certificates.in_language(artisan["region"], language)),
            (_("Shipped on"), payload["shipped_on"]),
        ]:
            self.stdout.write(f"{label}: {value}")
