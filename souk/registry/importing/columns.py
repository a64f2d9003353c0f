"""The columns of a register export, and how a file's header row is matched to them.

Header names are compared after folding: accents removed, case folded, every run of spaces,
hyphens or other punctuation read as one underscore. `Numéro Registre`, `NUMERO_REGISTRE` and
`numero-registre` all name `register_number`. English names and the French aliases of
register-format.md are both accepted; columns with other names are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy as _

from souk.core.text import normalize_latin
from souk.registry.importing.errors import SourceRefused

# (field, French alias), in the order of register-format.md. The field name is also the
# English column name.
COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("register_number", "numero_registre"),
    ("category", "categorie"),
    ("qualification", "qualification"),
    ("cin", "cin"),
    ("last_name_fr", "nom_fr"),
    ("first_name_fr", "prenom_fr"),
    ("last_name_ar", "nom_ar"),
    ("first_name_ar", "prenom_ar"),
    ("legal_name_fr", "raison_sociale_fr"),
    ("legal_name_ar", "raison_sociale_ar"),
    ("ice", "ice"),
    ("birth_date", "date_naissance"),
    ("phone", "telephone"),
    ("trade_code", "code_metier"),
    ("region_code", "code_region"),
    ("province", "province"),
    ("commune", "commune"),
    ("registered_at", "date_inscription"),
    ("status", "statut"),
)

FIELDS: Final[tuple[str, ...]] = tuple(field for field, _alias in COLUMNS)
FRENCH_NAMES: Final[dict[str, str]] = dict(COLUMNS)

REQUIRED_FIELDS: Final[tuple[str, ...]] = (
    "register_number",
    "category",
    "trade_code",
    "region_code",
    "registered_at",
)

_ALIASES: Final[dict[str, str]] = {
    **{field: field for field in FIELDS},
    **{alias: field for field, alias in COLUMNS},
}

_SEPARATORS: Final[re.Pattern[str]] = re.compile(r"[\W_]+")


def fold_header(name: str) -> str:
    """`" Numéro-Registre "` -> `"numero_registre"`: what two spellings of a column share."""
    return _SEPARATORS.sub("_", normalize_latin(name.replace("\ufeff", ""))).strip("_")


@dataclass(frozen=True, slots=True)
class Header:
    """Where each known field sits in a row, and its column name as the file writes it."""

    positions: dict[str, int]
    names: dict[str, str]
    width: int

    def values(self, cells: Sequence[str]) -> dict[str, str]:
        """The row's values by field; a short row reads as empty cells at its end."""
        count = len(cells)
        return {
            field: cells[position] if position < count else ""
            for field, position in self.positions.items()
        }

    def column_name(self, field: str) -> str:
        return self.names.get(field, field)


def resolve_header(cells: Sequence[str]) -> Header:
    """Match the header row to the known fields; raise SourceRefused if one is missing or twice."""
    positions: dict[str, int] = {}
    names: dict[str, str] = {}
    for position, cell in enumerate(cells):
        field = _ALIASES.get(fold_header(cell))
        if field is None:
            continue
        if field in positions:
            raise SourceRefused(
                _("The columns “%(first)s” and “%(second)s” are the same column; keep one."),
                first=names[field],
                second=cell.strip(),
            )
        positions[field] = position
        names[field] = cell.strip()
    missing = [field for field in REQUIRED_FIELDS if field not in positions]
    if missing:
        raise SourceRefused(
            _("The header row lacks the required columns: %(columns)s. Nothing was imported."),
            columns=", ".join(f"{field} ({FRENCH_NAMES[field]})" for field in missing),
        )
    return Header(positions=positions, names=names, width=len(cells))
