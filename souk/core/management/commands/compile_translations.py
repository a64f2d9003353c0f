"""Compile every locale/*/LC_MESSAGES/*.po into .mo with Babel.

Django's own compilemessages needs GNU gettext's msgfmt, which a fresh machine may not have;
Babel is already a dependency and writes the same .mo format. A catalogue is rebuilt only
when its .po is newer than its .mo. Fuzzy entries are left out, as msgfmt does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po to .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                with po_path.open("rb") as po_file:
                    catalog = read_po(po_file, abort_invalid=True)
                with mo_path.open("wb") as mo_file:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                compiled += 1
        if options["verbosity"] >= 1 and compiled:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
