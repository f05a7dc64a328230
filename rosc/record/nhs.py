"""NHS numbers: ten digits, the last a modulus-11 check digit. Pure logic, no Django."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s-]")


def normalise_nhs_number(value: str) -> str:
    """Digits only: people write NHS numbers as '943 476 5919' or '943-476-5919'."""
    return _SEPARATORS.sub("", value or "")


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no valid number can start with them.

    Multiply the digits by 10 down to 2, sum, take the remainder on dividing
    by 11 and subtract it from 11; 11 becomes 0 and 10 means invalid.
    """
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(value: str) -> bool:
    digits = normalise_nhs_number(value)
    if len(digits) != 10 or not digits.isascii() or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])
