"""Ranking and explaining directory search results. Pure Python: no Django.

The database part lives in ``selectors.py``: it fetches small candidate rows
(ids, flags and coordinates) and hands them here to be ranked, then loads
only the services on the page being shown and asks this module why each
one matches.

The ranking rule, shown to people on the results page:

1. When a place is given, services with a place you can visit inside the
   chosen distance come first, nearest first (distance to the nearest of
   their places).
2. Then services you can use from anywhere: those covering the whole area,
   and those with no place to visit that work online or by phone. They are
   never dropped for being far away or having no address. Among them, better
   text matches come first, then by name. (A service with places that are
   all too far away is a local service somewhere else, even if it also
   takes calls, so it is left out.)
3. Inside each group, services that are temporarily closed come last.

With no place, every matching service is listed: better text matches first,
then temporarily closed last, then by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from rosc.directory import geo, taxonomy

# --- Places ------------------------------------------------------------------

# Districts of the same named town further apart than this are treated as
# different places with the same name, so we ask for a postcode instead.
SAME_TOWN_SPREAD_KM = 20.0
# A service that covers its whole area is listed for searches within this
# distance of one of its places, or everywhere if it has no place.
COUNTY_REACH_KM = 80.0


class PlaceNotFound(ValueError):
    """Not a postcode, district or town we know."""


class PlaceAmbiguous(ValueError):
    """A town name shared by places far apart."""


@dataclass(frozen=True)
class Origin:
    """Where distances are measured from."""

    label: str
    latitude: float
    longitude: float
    outcodes: tuple[str, ...]


def _town_names(value: str) -> list[str]:
    names = []
    for part in value.split(","):
        name = re.sub(r"\s*\(.*?\)\s*", " ", part).strip().lower()
        if name and name != "non-geographic":
            names.append(name)
    return names


def _town_index() -> dict[str, list[geo.Place]]:
    index: dict[str, list[geo.Place]] = {}
    for place in geo.centroids().values():
        for name in _town_names(place.town):
            index.setdefault(name, []).append(place)
    return index


def _region_index() -> dict[str, list[geo.Place]]:
    index: dict[str, list[geo.Place]] = {}
    for place in geo.centroids().values():
        if "non-geographic" in place.town.lower():
            continue
        name = place.region.strip().lower()
        if name:
            index.setdefault(name, []).append(place)
    return index


_INDEXES: dict[str, dict[str, list[geo.Place]]] = {}


def _index(kind: str) -> dict[str, list[geo.Place]]:
    if kind not in _INDEXES:
        _INDEXES[kind] = _town_index() if kind == "town" else _region_index()
    return _INDEXES[kind]


def _middle(places: Sequence[geo.Place]) -> tuple[float, float]:
    return (
        sum(p.latitude for p in places) / len(places),
        sum(p.longitude for p in places) / len(places),
    )


def find_place(text: str) -> Origin:
    """A postcode ('SS14 1AB'), a district ('SS14') or a town ('Basildon').

    A town is found through the Town/Area column of the bundled districts
    (then the council area column); a town made of several districts is
    measured from their middle. Raises PlaceNotFound or PlaceAmbiguous.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise PlaceNotFound(text)
    try:
        place = geo.place_for(cleaned)
    except geo.PostcodeNotRecognised:
        pass
    else:
        return Origin(geo.normalise(cleaned), place.latitude, place.longitude, (place.outcode,))
    key = cleaned.lower()
    for kind in ("town", "region"):
        places = _index(kind).get(key)
        if not places:
            continue
        latitude, longitude = _middle(places)
        if any(geo.distance_km(latitude, longitude, p.latitude, p.longitude) > SAME_TOWN_SPREAD_KM for p in places):
            raise PlaceAmbiguous(text)
        label = cleaned.title() if cleaned.islower() or cleaned.isupper() else cleaned
        return Origin(label, latitude, longitude, tuple(sorted(p.outcode for p in places)))
    raise PlaceNotFound(text)


def outcodes_within(latitude: float, longitude: float, radius_km: float) -> list[str]:
    """Districts whose centre lies within the radius: used for places that
    have a postcode district but no coordinates. A box test first, so only
    districts near the point are measured."""
    min_lat, max_lat, min_lon, max_lon = geo.bounding_box(latitude, longitude, radius_km)
    return sorted(
        place.outcode
        for place in geo.centroids().values()
        if min_lat <= place.latitude <= max_lat
        and min_lon <= place.longitude <= max_lon
        and geo.distance_km(latitude, longitude, place.latitude, place.longitude) <= radius_km
    )


# --- Ranking -----------------------------------------------------------------


class Group(StrEnum):
    LOCAL = "local"  # has a place to visit within the distance
    ANYWHERE = "anywhere"  # online, phone or whole area
    ALL = "all"  # no place was given


class Point(NamedTuple):
    location_id: str
    latitude: float
    longitude: float


class Candidate(NamedTuple):
    """The least we need to rank a service (a tuple: search makes thousands)."""

    service_id: str
    name: str
    online: bool = False
    phone: bool = False
    county_wide: bool = False
    temporarily_closed: bool = False
    points: tuple[Point, ...] = ()
    text_score: int = 0

    @property
    def usable_anywhere(self) -> bool:
        return bool(self.online or self.phone or self.county_wide)

    @property
    def always_listed(self) -> bool:
        """Covers the whole area, or has no place to visit and works online or by phone."""
        return bool(self.county_wide or ((self.online or self.phone) and not self.points))


class Ranked(NamedTuple):
    service_id: str
    group: Group
    distance_km: float | None = None
    location_id: str | None = None
    temporarily_closed: bool = False


def _nearest(candidate: Candidate, latitude: float, longitude: float) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for point in candidate.points:
        km = geo.distance_km(latitude, longitude, point.latitude, point.longitude)
        if best is None or km < best[0]:
            best = (km, point.location_id)
    return best


def rank(
    candidates: Iterable[Candidate],
    *,
    latitude: float | None = None,
    longitude: float | None = None,
    radius_km: float | None = None,
) -> list[Ranked]:
    """Order candidates by the rule in this module's docstring.

    A candidate appears at most once. With a place, a candidate with no place
    in range appears only if it is ``always_listed``.
    """
    merged: dict[str, Candidate] = {}
    for candidate in candidates:
        known = merged.get(candidate.service_id)
        if known is None:
            merged[candidate.service_id] = candidate
        else:
            merged[candidate.service_id] = Candidate(
                service_id=known.service_id,
                name=known.name,
                online=known.online or candidate.online,
                phone=known.phone or candidate.phone,
                county_wide=known.county_wide or candidate.county_wide,
                temporarily_closed=known.temporarily_closed or candidate.temporarily_closed,
                points=known.points + candidate.points,
                text_score=max(known.text_score, candidate.text_score),
            )
    if latitude is None or longitude is None:
        ordered = sorted(merged.values(), key=lambda c: (-c.text_score, c.temporarily_closed, c.name.lower()))
        return [Ranked(c.service_id, Group.ALL, temporarily_closed=c.temporarily_closed) for c in ordered]
    limit = radius_km if radius_km is not None else float("inf")
    local: list[tuple[tuple[bool, float, str], Ranked]] = []
    anywhere: list[tuple[tuple[bool, int, str], Ranked]] = []
    for candidate in merged.values():
        nearest = _nearest(candidate, latitude, longitude)
        if nearest is not None and nearest[0] <= limit:
            km, location_id = nearest
            ranked = Ranked(candidate.service_id, Group.LOCAL, km, location_id, candidate.temporarily_closed)
            local.append(((candidate.temporarily_closed, km, candidate.name.lower()), ranked))
        elif candidate.always_listed:
            km_far, location_far = nearest if nearest is not None else (None, None)
            ranked = Ranked(candidate.service_id, Group.ANYWHERE, km_far, location_far, candidate.temporarily_closed)
            anywhere.append(((candidate.temporarily_closed, -candidate.text_score, candidate.name.lower()), ranked))
    local.sort(key=lambda pair: pair[0])
    anywhere.sort(key=lambda pair: pair[0])
    return [ranked for _, ranked in local] + [ranked for _, ranked in anywhere]


# --- Words -------------------------------------------------------------------

_DANGER = (
    "overdose",
    "overdosed",
    "overdosing",
    "suicide",
    "suicidal",
    "kill myself",
    "killing myself",
    "end my life",
    "end it all",
    "want to die",
    "not breathing",
    "stopped breathing",
    "unconscious",
    "self harm",
    "self-harm",
    "hurt myself",
    "hurting myself",
)


def words_of(text: str) -> list[str]:
    """Lower-case words worth searching for, without common little words
    (read the same way as the shared taxonomy reads them)."""
    return [word for word in taxonomy.words(text) if word not in taxonomy.STOP_WORDS]


def suggests_danger(text: str) -> bool:
    """True when the words suggest someone may be in danger now."""
    flat = " ".join(re.findall(r"[a-z\-]+", text.lower()))
    return any(re.search(rf"\b{re.escape(phrase)}\b", flat) for phrase in _DANGER) or bool(
        re.search(r"\bod\b|\bod'?d\b", flat)
    )


@dataclass(frozen=True)
class TermInfo:
    code: str
    name: str
    kind: str  # "domain", "need" or "other"
    synonyms: tuple[str, ...] = ()
    parent: str = ""
    # Database ids of every term with this code (taxonomies may share codes); not part of equality.
    ids: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Signpost:
    name: str
    detail: str
    url: str = ""


@dataclass(frozen=True)
class Notice:
    """Help this directory does not list, and where to go instead."""

    topic: str
    message: str
    signposts: tuple[Signpost, ...] = ()


@dataclass
class Understood:
    """What we took from the words someone typed."""

    codes: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def understand_with_terms(text: str, terms: Sequence[TermInfo]) -> Understood:
    """Match words and phrases to terms by their names and synonyms.

    Longer phrases are tried first so 'alcohol detox' beats 'alcohol'. Words
    that match no term are left over for a plain text search.
    """
    flat = " " + taxonomy.normalise(text) + " "
    phrases = _term_phrases(tuple(terms))
    codes: list[str] = []
    for phrase, code in phrases:
        needle = f" {phrase} "
        if needle in flat:
            flat = flat.replace(needle, " | ")
            if code not in codes:
                codes.append(code)
    leftovers = [word for word in words_of(flat.replace("|", " ")) if len(word) > 1]
    return Understood(codes=codes, leftovers=list(dict.fromkeys(leftovers)))


@lru_cache(maxsize=8)
def _term_phrases(terms: tuple[TermInfo, ...]) -> tuple[tuple[str, str], ...]:
    """Every name and synonym of the terms, normalised, longest first (kept while the terms stay the same)."""
    phrases: list[tuple[str, str]] = []
    for term in terms:
        for phrase in (term.name, term.code.replace("-", " "), *term.synonyms):
            cleaned = taxonomy.normalise(phrase)
            if cleaned:
                phrases.append((cleaned, term.code))
    phrases.sort(key=lambda pair: -len(pair[0]))
    return tuple(phrases)


def with_narrower(codes: Iterable[str], terms: Sequence[TermInfo]) -> list[str]:
    """The codes and every term filed under them: asking for 'treatment' also
    finds 'prescribing' when prescribing is a kind of treatment."""
    children: dict[str, list[str]] = {}
    for term in terms:
        if term.parent:
            children.setdefault(term.parent, []).append(term.code)
    found: list[str] = []
    queue = list(codes)
    while queue:
        code = queue.pop(0)
        if code in found:
            continue
        found.append(code)
        queue.extend(children.get(code, ()))
    return found


# --- Explaining --------------------------------------------------------------

DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
DAY_ORDER = list(DAY_NAMES)
SHORT_WAIT_WEEKS = 4
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}


def miles(km: float) -> float:
    return geo.km_to_miles(km)


def format_distance(km: float) -> str:
    """'0.4 miles away', '2.3 miles away', '12 miles away'."""
    value = miles(km)
    if value < 0.1:
        return "Less than 0.1 miles away"
    if value < 10:
        text = f"{value:.1f}"
        return "1 mile away" if text == "1.0" else f"{text} miles away"
    return f"{round(value)} miles away"


def format_time(value: time) -> str:
    """9am, 5:30pm, midday, midnight."""
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def _parse_day(token: str) -> tuple[int | None, str] | None:
    match = re.fullmatch(r"([+-]?\d)?([A-Z]{2})", token.strip().upper())
    if not match or match.group(2) not in DAY_NAMES:
        return None
    return (int(match.group(1)) if match.group(1) else None, match.group(2))


def describe_days(byday: str) -> str:
    """'MO,WE' -> 'Mondays and Wednesdays'; 'MO,TU,WE,TH,FR' -> 'Monday to Friday';
    '1MO' -> 'the first Monday of the month'."""
    parsed = [p for p in (_parse_day(t) for t in byday.split(",")) if p is not None]
    if not parsed:
        return ""
    monthly = [p for p in parsed if p[0] is not None]
    if monthly:
        parts = [f"the {_ORDINALS.get(n or 0, str(n))} {DAY_NAMES[d]}" for n, d in monthly]
        return _join(parts) + " of the month"
    days = sorted({d for _, d in parsed}, key=DAY_ORDER.index)
    if len(days) == 7:
        return "Every day"
    indexes = [DAY_ORDER.index(d) for d in days]
    if len(days) >= 3 and indexes == list(range(indexes[0], indexes[0] + len(days))):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return _join([DAY_NAMES[d] + "s" for d in days])


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def describe_opening(byday: str, opens_at: time | None, closes_at: time | None, description: str = "") -> str:
    """'Mondays and Wednesdays, 9am to 5pm'."""
    days = describe_days(byday)
    if days.startswith("the "):
        days = days[0].upper() + days[1:]
    if opens_at and closes_at:
        hours = f"{format_time(opens_at)} to {format_time(closes_at)}"
    elif opens_at:
        hours = f"from {format_time(opens_at)}"
    elif closes_at:
        hours = f"until {format_time(closes_at)}"
    else:
        hours = ""
    text = ", ".join(part for part in (days, hours) if part)
    if not text:
        return description.strip()
    return text[0].upper() + text[1:]


def describe_ages(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"For ages {minimum} to {maximum}"
    if minimum is not None:
        return f"For ages {minimum} and over"
    if maximum is not None:
        return f"For ages {maximum} and under"
    return ""


def describe_wait(weeks: int) -> str:
    if weeks == 0:
        return "No wait"
    return f"{weeks} week{'s' if weeks != 1 else ''}"


@dataclass(frozen=True)
class Asked:
    """What the person asked for, as far as explaining goes."""

    text_codes: frozenset[str] = frozenset()
    filter_codes: frozenset[str] = frozenset()
    words: tuple[str, ...] = ()
    day: str = ""
    open_now: bool = False
    age: int | None = None
    capacity_or_short_wait: bool = False
    has_place: bool = False
    area_name: str = "the area"


@dataclass(frozen=True)
class Facts:
    """What we know about one service on the page."""

    terms: tuple[TermInfo, ...] = ()
    text: str = ""
    distance_km: float | None = None
    group: Group = Group.ALL
    online: bool = False
    phone: bool = False
    in_person: bool = True
    county_wide: bool = False
    open_days: frozenset[str] = frozenset()
    has_capacity: bool | None = None
    wait_weeks: int | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None


def explain(facts: Facts, asked: Asked) -> list[str]:
    """Short reasons why a service is in the results, most telling first."""
    reasons: list[str] = []
    wanted = asked.text_codes | asked.filter_codes
    needs = [t.name for t in facts.terms if t.code in wanted and t.kind == "need"]
    domains = [t.name for t in facts.terms if t.code in wanted and t.kind != "need"]
    if needs:
        reasons.append("Helps with: " + ", ".join(name[0].lower() + name[1:] for name in needs))
    reasons.extend(domains)
    mentioned = [word for word in asked.words if word in facts.text]
    if mentioned:
        reasons.append("Mentions: " + ", ".join(f"“{word}”" for word in mentioned))
    if facts.group == Group.LOCAL and facts.distance_km is not None:
        reasons.append(format_distance(facts.distance_km))
    if facts.online:
        reasons.append("Online")
    if facts.phone:
        reasons.append("By phone")
    if facts.county_wide:
        reasons.append(f"Covers all of {asked.area_name}")
    if asked.open_now:
        reasons.append("Open now")
    elif asked.day and asked.day in facts.open_days:
        reasons.append(f"Open on {DAY_NAMES[asked.day]}s")
    if asked.capacity_or_short_wait or facts.has_capacity or facts.wait_weeks is not None:
        if facts.has_capacity:
            reasons.append("Has places free")
        if facts.wait_weeks is not None and facts.wait_weeks <= SHORT_WAIT_WEEKS:
            reasons.append(f"Short wait: {describe_wait(facts.wait_weeks)}")
    if asked.age is not None:
        ages = describe_ages(facts.minimum_age, facts.maximum_age)
        reasons.append(ages or "For all ages")
    return reasons
