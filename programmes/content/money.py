"""Budgets in words for large round amounts: "EUR 1.2 million", "1,2 million d'euros".

English keeps the ISO code before the figure ("EUR 1.2 million", "USD 3 million"),
not a symbol: "$" alone would not say which dollar, and the code is what the
admin, the CSV and the API give. French writes the currency's name after the
words, as the French press does ("1,2 million d'euros", "3 millions de dollars
américains"). Only the stored figure is shown: an amount the words cannot give
exactly (1 234 567) keeps all its digits, never a rounded one.
"""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import npgettext, pgettext

MILLION = Decimal(10) ** 6
BILLION = Decimal(10) ** 9
# "1.25 million" says the figure exactly; "1.234 million" is harder to read than
# the digits.
MOST_DECIMALS = 2


def _millions(currency, count):
    if currency == "EUR":
        return npgettext(
            "amount in millions of euros",
            "EUR %(amount)s million",
            "EUR %(amount)s million",
            count,
        )
    return npgettext(
        "amount in millions of US dollars",
        "USD %(amount)s million",
        "USD %(amount)s million",
        count,
    )


def _billions(currency, count):
    if currency == "EUR":
        return npgettext(
            "amount in billions of euros",
            "EUR %(amount)s billion",
            "EUR %(amount)s billion",
            count,
        )
    return npgettext(
        "amount in billions of US dollars",
        "USD %(amount)s billion",
        "USD %(amount)s billion",
        count,
    )


WORDS = {MILLION: _millions, BILLION: _billions}
CURRENCIES_IN_WORDS = {"EUR", "USD"}


def _in_units(amount, unit):
    """`amount` as a whole or decimal number of `unit`s, or None if not exact."""
    scaled = amount / unit
    if scaled != scaled.quantize(Decimal(1).scaleb(-MOST_DECIMALS)):
        return None
    if scaled == scaled.to_integral_value():
        return scaled.quantize(Decimal(1))
    return scaled.normalize()


def format_money(amount, currency):
    """`amount` (a Decimal) of `currency` (an ISO code) in the active language."""
    unit = next(
        (unit for unit in (BILLION, MILLION) if abs(amount) >= unit),
        None,
    )
    scaled = _in_units(amount, unit) if unit else None
    if scaled is not None and currency in CURRENCIES_IN_WORDS:
        # French: "1,5 million" but "2 millions"; the whole part decides.
        count = int(abs(scaled))
        return WORDS[unit](currency, count) % {
            "amount": formats.number_format(scaled, use_l10n=True)
        }
    digits = formats.number_format(
        amount.normalize(), use_l10n=True, force_grouping=True
    )
    return pgettext("amount with currency code", "%(currency)s %(amount)s") % {
        "currency": currency,
        "amount": digits,
    }
