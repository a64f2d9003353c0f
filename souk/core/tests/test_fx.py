"""Exchange rates: import from the central bank's CSV, convert MAD prices for display."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from souk.core import fx
from souk.core.models import ExchangeRate
from souk.core.money import Money

pytestmark = pytest.mark.django_db


def write(tmp_path, text: str, encoding: str = "utf-8"):
    path = tmp_path / "rates.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_import_reads_commas_semicolons_decimal_commas_and_both_date_forms(tmp_path):
    path = write(
        tmp_path,
        "\ufeffdate;currency;rate\n2026-11-27;EUR;10,8543\n27/11/2026;usd;9.3012\n",
    )

    output = io.StringIO()
    call_command("import_fx_rates", str(path), stdout=output)

    assert "2 rate(s) imported for 1 date(s); 0 row(s) rejected." in output.getvalue()
    rates = {rate.currency: rate.mad_per_unit for rate in ExchangeRate.objects.all()}
    assert rates == {"EUR": Decimal("10.854300"), "USD": Decimal("9.301200")}


def test_reimporting_a_date_replaces_its_rates(tmp_path):
    call_command(
        "import_fx_rates",
        str(write(tmp_path, "date,currency,rate\n2026-11-27,EUR,10.80\n2026-11-27,USD,9.30\n")),
        stdout=io.StringIO(),
    )

    call_command(
        "import_fx_rates",
        str(write(tmp_path, "date,currency,rate\n2026-11-27,EUR,10.85\n")),
        stdout=io.StringIO(),
    )

    assert list(ExchangeRate.objects.values_list("currency", "mad_per_unit")) == [
        ("EUR", Decimal("10.850000"))
    ]


def test_bad_rows_are_rejected_with_their_line_and_the_rest_imported(tmp_path):
    path = write(
        tmp_path,
        "date,currency,rate\n"
        "2026-11-27,EUR,10.85\n"
        "2026-02-30,USD,9.30\n"
        "2026-11-27,EURO,10.85\n"
        "2026-11-27,USD,-1\n"
        "2026-11-27,GBP,abc\n",
    )
    errors = io.StringIO()

    with translation.override("en"):
        call_command("import_fx_rates", str(path), stdout=io.StringIO(), stderr=errors)

    assert errors.getvalue().splitlines() == [
        "line 3: The date is not a real date.",
        "line 4: The currency is not an ISO 4217 code.",
        "line 5: The rate must be a number above zero.",
        "line 6: The rate must be a number above zero.",
    ]
    assert list(ExchangeRate.objects.values_list("currency", flat=True)) == ["EUR"]


def test_a_file_without_the_columns_is_refused_and_changes_nothing(tmp_path):
    ExchangeRate.objects.create(date=datetime.date(2026, 11, 26), currency="EUR", mad_per_unit=10)

    with pytest.raises(CommandError, match="date, currency, rate"):
        call_command("import_fx_rates", str(write(tmp_path, "jour,devise\n2026-11-27,EUR\n")))

    assert ExchangeRate.objects.count() == 1


def test_conversion_uses_the_latest_rate_on_or_before_the_day_and_rounds_half_up():
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 20), currency="EUR", mad_per_unit=Decimal("10.80")
    )
    ExchangeRate.objects.create(
        date=datetime.date(2026, 11, 27), currency="EUR", mad_per_unit=Decimal("10.8543")
    )

    # 450.00 MAD / 10.8543 = 41.4582... EUR
    conversion = fx.convert_from_mad(
        Money(45_000, "MAD"), currency="EUR", on=datetime.date(2026, 11, 28)
    )
    older = fx.convert_from_mad(
        Money(45_000, "MAD"), currency="EUR", on=datetime.date(2026, 11, 21)
    )

    assert conversion == fx.Conversion(
        Money(4_146, "EUR"), Decimal("10.854300"), datetime.date(2026, 11, 27)
    )
    assert older.amount == Money(4_167, "EUR")  # 450 / 10.80 = 41.666...


def test_conversion_without_any_rate_says_so():
    with pytest.raises(fx.RateUnavailable):
        fx.convert_from_mad(Money(45_000, "MAD"), currency="USD")
