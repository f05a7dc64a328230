"""Postcodes and distances. Pure Python: no Django, no database.

A full postcode ("SS14 1AB") or a district ("SS14") is turned into the
district's centre from the bundled outcode centroids; distances are
great-circle kilometres.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "postcode_districts.csv"
EARTH_RADIUS_KM = 6371.0088

_FULL = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


@dataclass(frozen=True)
class Place:
    outcode: str
    latitude: float
    longitude: float
    town: str
    region: str
    country_region: str = ""  # the CSV's "UK region": "London", "Wales", "Scotland" ...


class PostcodeNotRecognised(ValueError):
    """The text is not a UK postcode or postcode district we know."""


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().upper())


def outcode_of(text: str) -> str:
    """'ss14 1ab' -> 'SS14'; 'SS14' -> 'SS14'. Raises PostcodeNotRecognised."""
    value = normalise(text)
    compact = value.replace(" ", "")
    full = _FULL.match(compact)
    if full:
        return full.group(1)
    if _DISTRICT.match(compact):
        return compact
    raise PostcodeNotRecognised(text)


@lru_cache(maxsize=1)
def centroids() -> dict[str, Place]:
    places: dict[str, Place] = {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                latitude, longitude = float(row["Latitude"]), float(row["Longitude"])
            except (TypeError, ValueError):
                continue
            places[row["Postcode"].strip().upper()] = Place(
                outcode=row["Postcode"].strip().upper(),
                latitude=latitude,
                longitude=longitude,
                town=row.get("Town/Area", "") or "",
                region=row.get("Region", "") or "",
                country_region=row.get("UK region", "") or "",
            )
    return places


def place_for(text: str) -> Place:
    """The centre of the postcode district for a postcode or district."""
    outcode = outcode_of(text)
    place = centroids().get(outcode)
    if place is None:
        raise PostcodeNotRecognised(text)
    return place


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(latitude: float, longitude: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) that contains every point within radius_km."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    coslat = max(math.cos(math.radians(latitude)), 1e-6)
    dlon = math.degrees(radius_km / (EARTH_RADIUS_KM * coslat))
    return latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon


def km_to_miles(km: float) -> float:
    return km / 1.609344


# A coarse grid over the map, so that "what is near here" reads only the rows
# in a handful of cells rather than a whole band of latitude across the country.
CELLS_PER_DEGREE = 10  # 0.1 degree: about 11 km north to south, 7 km east to west in England


def cell_of(latitude: float | None, longitude: float | None) -> int | None:
    """The grid cell of a point, as one integer (None without coordinates)."""
    if latitude is None or longitude is None:
        return None
    return math.floor(latitude * CELLS_PER_DEGREE) * 10_000 + math.floor(longitude * CELLS_PER_DEGREE)


def cells_for_box(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> list[int]:
    """Every grid cell that overlaps the box."""
    lat_cells = range(math.floor(min_lat * CELLS_PER_DEGREE), math.floor(max_lat * CELLS_PER_DEGREE) + 1)
    lon_cells = range(math.floor(min_lon * CELLS_PER_DEGREE), math.floor(max_lon * CELLS_PER_DEGREE) + 1)
    return [lat * 10_000 + lon for lat in lat_cells for lon in lon_cells]
