"""Ballot codes and postcode districts. Pure Python: no Django, no database.

A ballot code is the voter's only way back to their ballot. It is made from
the operating system's random source, shown to the voter once (and kept in a
signed cookie on their device), and stored only as a SHA-256 hash. Nothing
the server holds about a person leads to it.
"""

from __future__ import annotations

import hashlib
import re
import secrets

# No 0/O, 1/I/L or U: easy to read back and to type.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 20  # 30 ** 20 is about 2 ** 98 possible codes

_FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


def new_ballot_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, without spaces or dashes, in capitals."""
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def looks_like_code(text: str) -> bool:
    code = normalise_code(text)
    return len(code) == CODE_LENGTH and all(char in CODE_ALPHABET for char in code)


def code_hash(round_id: int, code: str) -> str:
    """The stored form of a ballot code: a hash tied to its round."""
    return hashlib.sha256(f"rosc-fund:{round_id}:{normalise_code(code)}".encode()).hexdigest()


def grouped(code: str, size: int = 4) -> str:
    """'ABCDEFGH' -> 'ABCD-EFGH', for reading aloud and copying."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


class NotADistrict(ValueError):
    """The text is not a UK postcode or postcode district."""


def district_of(text: str) -> str:
    """'cm1 1aa' -> 'CM1'; 'CM1' -> 'CM1'. Only the district is kept: a voter's
    full postcode is never stored."""
    compact = re.sub(r"\s+", "", (text or "").upper())
    full = _FULL_POSTCODE.match(compact)
    if full:
        return full.group(1)
    if _DISTRICT.match(compact):
        return compact
    raise NotADistrict(text)


def parse_areas(text: str) -> list[tuple[str, list[str]]]:
    """Areas typed one a line as ``Name: CM1, CM2``. Raises ValueError with the line number."""
    areas: list[tuple[str, list[str]]] = []
    seen_names: set[str] = set()
    seen_districts: dict[str, str] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        name, colon, rest = line.partition(":")
        name = " ".join(name.split())
        if not colon or not name:
            raise ValueError(f"Line {number}: write the area's name, a colon, then its postcode districts.")
        if len(name) > 100:
            raise ValueError(f"Line {number}: the area's name must be 100 characters or fewer.")
        if name.lower() in seen_names:
            raise ValueError(f"Line {number}: {name} is listed twice.")
        districts: list[str] = []
        for part in rest.split(","):
            if not part.strip():
                continue
            try:
                district = district_of(part)
            except NotADistrict:
                raise ValueError(f"Line {number}: {part.strip()} is not a postcode district, like CM1.") from None
            if district in seen_districts:
                raise ValueError(f"Line {number}: {district} is already in {seen_districts[district]}.")
            seen_districts[district] = name
            districts.append(district)
        if not districts:
            raise ValueError(f"Line {number}: give at least one postcode district for {name}.")
        seen_names.add(name.lower())
        areas.append((name, districts))
    if not areas:
        raise ValueError("Give at least one area, like 'Chelmsford: CM1, CM2, CM3'.")
    return areas


def format_areas(areas: list[tuple[str, list[str]]]) -> str:
    return "\n".join(f"{name}: {', '.join(districts)}" for name, districts in areas)
