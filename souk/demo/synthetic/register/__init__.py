"""A synthetic national register (`manage.py generate_register`), realistic enough to test and
benchmark the import."""

from souk.demo.synthetic.register.generator import (
    RegisterGenerator,
    TradeChoice,
    write_csv,
    write_xlsx,
)
from souk.demo.synthetic.register.names import CIN_PREFIXES, FIRST_NAMES, LAST_NAMES
from souk.demo.synthetic.register.places import REGIONS, SECTOR_GOODS, SECTOR_WEIGHTS

__all__ = [
    "CIN_PREFIXES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "REGIONS",
    "SECTOR_GOODS",
    "SECTOR_WEIGHTS",
    "RegisterGenerator",
    "TradeChoice",
    "write_csv",
    "write_xlsx",
]
