"""Amounts of money: Stripe counts in a currency's smallest unit (cents), readers type and read
whole units, written the way their language writes them ("$1,250.00", "1 250,00 $US")."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.core import Locale as BabelLocale
from babel.numbers import format_currency, get_currency_name, is_currency
from django.utils import translation

# Currencies Stripe counts in whole units (no cents): https://docs.stripe.com/currencies
ZERO_DECIMAL_CURRENCIES = frozenset(
    "bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split()  # noqa: SIM905
)


def minor_units_per_unit(currency: str) -> int:
    return 1 if currency.lower() in ZERO_DECIMAL_CURRENCIES else 100


def to_minor_units(amount: Decimal | int, currency: str) -> int:
    """12.50 USD → 1250; 500 JPY → 500."""
    scaled = (Decimal(amount) * minor_units_per_unit(currency)).quantize(Decimal(1), ROUND_HALF_UP)
    return int(scaled)


def from_minor_units(minor: int, currency: str) -> Decimal:
    return Decimal(minor) / minor_units_per_unit(currency)


def parse_amount(text: str) -> Decimal:
    """A positive amount a reader typed: "25", "25.50", "25,50", "1,250.00", "$ 25".

    Raises ValueError when it isn't a number."""
    cleaned = "".join(ch for ch in str(text) if ch.isdigit() or ch in ".,")
    if not cleaned or not any(ch.isdigit() for ch in cleaned):
        raise ValueError("not a number")
    if "," in cleaned and "." in cleaned:
        # The later separator is the decimal one ("1,250.50" or "1.250,50").
        decimal_mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        whole, _sep, fraction = cleaned.rpartition(",")
        # "25,50" is a decimal comma; "1,250" groups thousands.
        cleaned = (
            f"{whole.replace(',', '')}.{fraction}"
            if len(fraction) != 3
            else cleaned.replace(",", "")
        )
    if cleaned.count(".") > 1:
        raise ValueError("not a number")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError("not a number") from error
    if value.as_tuple().exponent < -2:
        raise ValueError("too many decimals")
    return value


def babel_locale(language_code: str | None = None) -> BabelLocale:
    code = (language_code or translation.get_language() or "en").replace("-", "_")
    if code.lower() == "zh_hans":
        code = "zh_Hans"
    try:
        return BabelLocale.parse(code)
    except (ValueError, LookupError):
        return BabelLocale.parse("en")


def format_money(minor: int, currency: str, language_code: str | None = None) -> str:
    """An amount in the reader's language: "$25", "$12.50", "25 €" (cents only when needed)."""
    amount = from_minor_units(minor, currency)
    locale = babel_locale(language_code)
    pattern = None
    if amount == amount.to_integral_value():
        # The language's own currency pattern without the decimals: "1 250 $US", "US$1,250".
        pattern = locale.currency_formats["standard"].pattern.split(";")[0]
        pattern = re.sub(r"0[.,]0+", "0", pattern)
    return format_currency(
        amount, currency.upper(), locale=locale, format=pattern, currency_digits=pattern is None
    )


def currency_name(currency: str, language_code: str | None = None) -> str:
    return get_currency_name(currency.upper(), locale=babel_locale(language_code))


def is_known_currency(currency: str) -> bool:
    return len(currency) == 3 and is_currency(currency.upper())
