"""A checked delivery address, and how its destination country writes it."""

from __future__ import annotations

from dataclasses import dataclass

from souk.core.addresses.countries import _sort_key, country_name
from souk.core.addresses.rules import CityLine, CountryRule, rule_for


@dataclass(frozen=True)
class PostalAddress:
    """A checked delivery address: `region` is a code of the country's list or "", `country`
    an ISO 3166 alpha-2 code and `phone` in E.164."""

    full_name: str
    line1: str
    line2: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: str

    def lines(self) -> list[str]:
        """The address as the destination country writes it, the country's name last (in the
        active language); empty lines are left out."""
        rule = rule_for(self.country)
        lines = [self.full_name, self.line1, self.line2, self._city_line(rule)]
        if rule.writes_region_line and rule.regions is not None and self.region:
            region_name = dict(rule.regions()).get(self.region, self.region)
            if _sort_key(region_name) != _sort_key(self.city):
                lines.append(region_name)
        lines.append(country_name(self.country))
        return [line for line in lines if line]

    def _city_line(self, rule: CountryRule) -> str:
        if rule.city_line is CityLine.CITY_REGION_POSTAL_CODE:
            region_and_code = " ".join(part for part in (self.region, self.postal_code) if part)
            return ", ".join(part for part in (self.city, region_and_code) if part)
        if rule.city_line is CityLine.CITY_POSTAL_CODE:
            return " ".join(part for part in (self.city, self.postal_code) if part)
        return " ".join(part for part in (self.postal_code, self.city) if part)
