"""Plain-English wording for results: amounts of money, counts of people."""

from __future__ import annotations

from fractions import Fraction

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money(amount: Fraction | int, currency: str = "GBP") -> str:
    """£1,230 or £57.14 (amounts that are not whole are shown to the penny, rounded half up)."""
    amount = Fraction(amount)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount.denominator == 1:
        text = f"{amount.numerator:,}"
    else:
        pence = (amount * 100 * 2 + 1) // 2  # round half up, exactly
        text = f"{pence // 100:,}.{pence % 100:02d}"
    symbol = SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{text}"
    return f"{sign}{text} {currency}".strip()


def people(count: int, one: str = "supporter", many: str = "supporters") -> str:
    return f"{count:,} {one if count == 1 else many}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
