"""Loading directory data: the recovery taxonomy, the Essex demo directory and
synthetic national-scale data for benchmarks.

* ``ensure_taxonomy()`` writes the Open ROSC recovery taxonomy
  (``rosc.directory.taxonomy``) to the database.
* ``seed_essex_directory(stdout)`` loads the Essex demo directory. Services
  named in the product brief are real and not marked illustrative; everything
  else is marked illustrative and its text makes no claim to be real.
  Phone numbers for illustrative services come from the ranges Ofcom keeps for
  drama (01632 960xxx, 0808 157 0xxx), so they never ring anyone.
* ``seed_synthetic(n, stdout, seed=...)`` adds ``n`` made-up services spread
  over every English postcode district, in bulk, for benchmarks.

Everything here is safe to run again: the Essex rows have fixed ids (uuid5
over stable names) and are updated in place, and synthetic data is refused
if some already exists (see ``synthetic_service_count`` and
``delete_synthetic``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.management.base import OutputWrapper
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from rosc.core.models import Organisation, OrganisationKind
from rosc.directory import geo, search_index, taxonomy
from rosc.directory.actions import service_reindex
from rosc.directory.models import (
    Accessibility,
    Address,
    Attribute,
    CapacityUnit,
    CostOption,
    Language,
    Location,
    LocationType,
    Phone,
    Schedule,
    SearchPlace,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)

SEED_NAMESPACE = uuid.UUID("0b6f3c8e-2f1a-5c4d-8e9b-7a6d5c4b3a21")


def fixed_id(*parts: str) -> uuid.UUID:
    """A stable id from stable names, the same on every installation."""
    return uuid.uuid5(SEED_NAMESPACE, "/".join(parts))


# --- Output --------------------------------------------------------------------------------------------------


def _write(stdout: Any, text: str, *, newline: bool = True) -> None:
    if stdout is None:
        return
    if isinstance(stdout, OutputWrapper):
        stdout.write(text, ending="\n" if newline else "")
    else:
        stdout.write(text + ("\n" if newline else ""))
    if hasattr(stdout, "flush"):
        stdout.flush()


def _is_tty(stdout: Any) -> bool:
    isatty = getattr(stdout, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class Progress:
    """A progress line: rewritten in place on a terminal, printed every 10% otherwise."""

    def __init__(self, stdout: Any, label: str, total: int) -> None:
        self.stdout, self.label, self.total = stdout, label, max(total, 1)
        self.tty = _is_tty(stdout)
        self.next_tenth = 1
        self.started = time.monotonic()

    def update(self, done: int) -> None:
        percent = done * 100 // self.total
        elapsed = time.monotonic() - self.started
        line = f"{self.label}: {done:,} of {self.total:,} ({percent}%) in {elapsed:.1f}s"
        if self.tty:
            _write(self.stdout, f"\r{line}", newline=done >= self.total)
        elif done * 10 >= self.next_tenth * self.total or done >= self.total:
            while self.next_tenth * self.total <= done * 10:
                self.next_tenth += 1
            _write(self.stdout, line)


# --- Taxonomy ------------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_taxonomy() -> Taxonomy:
    """Create or update the Open ROSC recovery taxonomy and its terms (safe to run again).

    New rows get the fixed ids from ``rosc.directory.taxonomy``. A taxonomy or
    term that already exists under the same name or code is updated in place
    and keeps its id, so nothing that points at it breaks.
    """
    tax = (
        Taxonomy.objects.filter(id=taxonomy.TAXONOMY_ID).first()
        or Taxonomy.objects.filter(name=taxonomy.TAXONOMY_NAME).first()
        or Taxonomy(id=taxonomy.TAXONOMY_ID)
    )
    tax.name = taxonomy.TAXONOMY_NAME
    tax.description = taxonomy.TAXONOMY_DESCRIPTION
    tax.version = taxonomy.TAXONOMY_VERSION
    tax.save()
    existing = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy=tax)}
    saved: dict[str, TaxonomyTerm] = {}
    for position, item in enumerate(taxonomy.TERMS, start=1):
        term = existing.get(item.code) or TaxonomyTerm(id=item.id, taxonomy=tax, code=item.code)
        term.name = item.name
        term.description = item.description
        term.kind = item.kind
        term.synonyms = "\n".join(item.synonyms)
        term.position = position
        term.save()
        saved[item.code] = term
    for item in taxonomy.TERMS:
        term = saved[item.code]
        parent_id = saved[item.parent].id if item.parent else None
        if term.parent_id != parent_id:
            term.parent_id = parent_id
            term.save(update_fields=["parent"])
    return tax


# --- Essex demo directory: places ----------------------------------------------------------------------------

ESSEX_COUNTY = "Essex, Southend-on-Sea and Thurrock"

# The twelve Essex districts and the two unitary areas, with the postcode
# districts used for demo addresses in each.
ESSEX_DISTRICTS: dict[str, tuple[str, ...]] = {
    "Basildon": ("SS13", "SS14", "SS15", "SS16", "SS11", "SS12", "CM11", "CM12"),
    "Braintree": ("CM7", "CM77", "CM8", "CO9"),
    "Brentwood": ("CM13", "CM14", "CM15", "CM4"),
    "Castle Point": ("SS7", "SS8"),
    "Chelmsford": ("CM1", "CM2", "CM3"),
    "Colchester": ("CO1", "CO2", "CO3", "CO4", "CO5", "CO6", "CO7"),
    "Epping Forest": ("CM16", "CM5", "IG10", "EN9", "IG7", "IG9"),
    "Harlow": ("CM17", "CM18", "CM19", "CM20"),
    "Maldon": ("CM9", "CM0"),
    "Rochford": ("SS4", "SS5", "SS6"),
    "Tendring": ("CO11", "CO12", "CO13", "CO14", "CO15", "CO16"),
    "Uttlesford": ("CB10", "CB11", "CM6", "CM24"),
    "Southend-on-Sea": ("SS0", "SS1", "SS2", "SS9"),
    "Thurrock": ("RM15", "RM16", "RM17", "RM18", "RM19", "RM20", "SS17"),
}
DISTRICT_OF_OUTCODE: dict[str, str] = {
    outcode: district for district, outcodes in ESSEX_DISTRICTS.items() for outcode in outcodes
}

STEP_FREE = "Step-free entrance, accessible toilet and a hearing loop at reception."
GROUND_FLOOR = "Everything is on the ground floor. Accessible toilet. Assistance dogs welcome."
UPSTAIRS_LIFT = "First floor, reached by a lift. Accessible toilet on the same floor."
HALL_ACCESS = "Level access to the hall through the side door. Accessible toilet. No hearing loop."
NO_LIFT = "Upstairs with no lift. Ask and staff will arrange to meet you somewhere step-free."


@dataclass(frozen=True)
class Site:
    key: str
    name: str
    address_1: str
    city: str
    outcode: str
    inward: str
    transport: str
    access: str
    description: str = ""
    named: bool = False

    @property
    def postal_code(self) -> str:
        return f"{self.outcode} {self.inward}" if self.inward else self.outcode


NAMED_ADDRESS_NOTE = "The service gives its full address when you get in touch."

SITES: tuple[Site, ...] = (
    # Named in the brief: real places whose exact street address the demo does not claim.
    Site(
        "chelmsford-space",
        "Chelmsford Recovery Space",
        "Chelmsford Recovery Space",
        "Chelmsford",
        "CM1",
        "",
        "In Chelmsford city centre, a short walk from the railway and bus stations.",
        STEP_FREE,
        NAMED_ADDRESS_NOTE,
        named=True,
    ),
    Site(
        "basildon-space",
        "Basildon Recovery Space",
        "Basildon Recovery Space",
        "Basildon",
        "SS14",
        "",
        "In Basildon town centre, near the bus station. Basildon railway station is a short walk away.",
        STEP_FREE,
        NAMED_ADDRESS_NOTE + " There is a children's corner, so you can bring the family.",
        named=True,
    ),
    Site(
        "colchester-space",
        "Colchester Recovery Space",
        "Colchester Recovery Space",
        "Colchester",
        "CO1",
        "",
        "In Colchester town centre, on bus routes from the university and from Colchester Town station.",
        GROUND_FLOOR,
        NAMED_ADDRESS_NOTE,
        named=True,
    ),
    Site(
        "harlow-space",
        "Harlow Recovery Space",
        "Harlow Recovery Space",
        "Harlow",
        "CM20",
        "",
        "In Harlow town centre, close to the bus station. Harlow Town railway station is a 15-minute walk.",
        STEP_FREE,
        NAMED_ADDRESS_NOTE,
        named=True,
    ),
    Site(
        "rayleigh-space",
        "Rayleigh Recovery Space",
        "Rayleigh Recovery Space",
        "Rayleigh",
        "SS6",
        "",
        "In Rayleigh town centre. Rayleigh railway station is a 10-minute walk.",
        GROUND_FLOOR,
        NAMED_ADDRESS_NOTE,
        named=True,
    ),
    Site(
        "thurrock-space",
        "Thurrock Recovery Space",
        "Thurrock Recovery Space",
        "Grays",
        "RM17",
        "",
        "In Grays town centre, near Grays railway and bus station.",
        STEP_FREE,
        NAMED_ADDRESS_NOTE,
        named=True,
    ),
    Site(
        "crystal-centre",
        "The Crystal Centre",
        "The Crystal Centre",
        "Chelmsford",
        "CM2",
        "",
        "Admissions are planned, so the team will talk with you about how to get there. Parking is available.",
        "Ward rooms and bathrooms are accessible. Tell the team about any needs before you arrive.",
        NAMED_ADDRESS_NOTE,
        named=True,
    ),
    Site(
        "chelmsford-jobcentre",
        "Chelmsford Jobcentre",
        "Chelmsford Jobcentre",
        "Chelmsford",
        "CM1",
        "",
        "In Chelmsford city centre, on many bus routes.",
        STEP_FREE,
        "Ask at the front desk for the peer mentor.",
        named=True,
    ),
    Site(
        "basildon-jobcentre",
        "Basildon Jobcentre",
        "Basildon Jobcentre",
        "Basildon",
        "SS14",
        "",
        "In Basildon town centre, near the bus station.",
        STEP_FREE,
        "Ask at the front desk for the peer mentor.",
        named=True,
    ),
    Site(
        "colchester-jobcentre",
        "Colchester Jobcentre",
        "Colchester Jobcentre",
        "Colchester",
        "CO1",
        "",
        "In Colchester town centre, on many bus routes.",
        STEP_FREE,
        "Ask at the front desk for the peer mentor.",
        named=True,
    ),
    Site(
        "harlow-jobcentre",
        "Harlow Jobcentre",
        "Harlow Jobcentre",
        "Harlow",
        "CM20",
        "",
        "In Harlow town centre, close to the bus station.",
        STEP_FREE,
        "Ask at the front desk for the peer mentor.",
        named=True,
    ),
    Site(
        "southend-jobcentre",
        "Southend Jobcentre",
        "Southend Jobcentre",
        "Southend-on-Sea",
        "SS1",
        "",
        "In Southend town centre, near Southend Victoria station.",
        STEP_FREE,
        "Ask at the front desk for the peer mentor.",
        named=True,
    ),
    Site(
        "grays-jobcentre",
        "Grays Jobcentre",
        "Grays Jobcentre",
        "Grays",
        "RM17",
        "",
        "In Grays town centre, near the railway station.",
        STEP_FREE,
        "Ask at the front desk for the peer mentor.",
        named=True,
    ),
    # Illustrative places (made up for the demo).
    Site(
        "mid-essex-hub",
        "Mid Essex recovery hub",
        "Riverside House, 14 Navigation Walk",
        "Chelmsford",
        "CM2",
        "6HT",
        "Ten minutes' walk from Chelmsford railway station. Buses stop outside. Pay-and-display parking nearby.",
        STEP_FREE,
    ),
    Site(
        "south-woodham-centre",
        "South Woodham Ferrers community centre",
        "Community Centre, 3 Brickfield Green",
        "South Woodham Ferrers",
        "CM3",
        "5RN",
        "Five minutes from South Woodham Ferrers railway station. Free car park.",
        HALL_ACCESS,
    ),
    Site(
        "south-essex-hub",
        "South Essex recovery hub",
        "Compass House, 22 Longfield Parade",
        "Basildon",
        "SS14",
        "1QD",
        "Close to Basildon bus station and a short walk from Basildon railway station.",
        STEP_FREE,
    ),
    Site(
        "billericay-hall",
        "St Anne's church hall, Billericay",
        "St Anne's Church Hall, 7 Chapel Rise",
        "Billericay",
        "CM12",
        "9LB",
        "Ten minutes' walk from Billericay railway station. Street parking.",
        HALL_ACCESS,
    ),
    Site(
        "wickford-centre",
        "Wickford community centre",
        "Wickford Community Centre, 40 Brookside Road",
        "Wickford",
        "SS11",
        "7AW",
        "Five minutes from Wickford railway station. Free car park.",
        GROUND_FLOOR,
    ),
    Site(
        "braintree-clinic",
        "Braintree recovery clinic",
        "Unit 2, Foundry Court",
        "Braintree",
        "CM7",
        "1JG",
        "A short walk from Braintree railway and bus stations.",
        GROUND_FLOOR,
    ),
    Site(
        "witham-hall",
        "Witham community hall",
        "Witham Community Hall, 18 Mill Meadow Lane",
        "Witham",
        "CM8",
        "2EH",
        "Eight minutes' walk from Witham railway station.",
        HALL_ACCESS,
    ),
    Site(
        "halstead-centre",
        "Halstead community rooms",
        "Community Rooms, 5 Weavers Yard",
        "Halstead",
        "CO9",
        "2DS",
        "Buses from Braintree and Colchester stop nearby. Small car park.",
        GROUND_FLOOR,
    ),
    Site(
        "brentwood-clinic",
        "Brentwood recovery clinic",
        "Second floor, Kingsway House, 9 Station Parade",
        "Brentwood",
        "CM14",
        "4BY",
        "Opposite Brentwood railway station.",
        UPSTAIRS_LIFT,
    ),
    Site(
        "shenfield-hall",
        "Shenfield church hall",
        "Church Hall, 2 Hutton Green Road",
        "Shenfield",
        "CM15",
        "8PQ",
        "Five minutes' walk from Shenfield railway station.",
        HALL_ACCESS,
    ),
    Site(
        "canvey-centre",
        "Canvey Island community centre",
        "Community Centre, 61 Seaview Avenue",
        "Canvey Island",
        "SS8",
        "7DR",
        "Buses from Benfleet railway station stop outside. Free car park.",
        GROUND_FLOOR,
    ),
    Site(
        "benfleet-hub",
        "Benfleet wellbeing hub",
        "Wellbeing Hub, 12 Kiln Parade",
        "South Benfleet",
        "SS7",
        "1NB",
        "Ten minutes' walk from Benfleet railway station.",
        STEP_FREE,
    ),
    Site(
        "north-essex-hub",
        "North Essex recovery hub",
        "Beacon House, 31 Priory Row",
        "Colchester",
        "CO1",
        "2QA",
        "Five minutes from Colchester Town railway station; most town-centre buses stop nearby.",
        STEP_FREE,
    ),
    Site(
        "colchester-campus",
        "Student wellbeing room, university campus",
        "Student Wellbeing Room, Campus Square",
        "Colchester",
        "CO4",
        "3SQ",
        "On the campus bus routes from Colchester town centre and Wivenhoe.",
        STEP_FREE,
        "Inside the students' union building.",
    ),
    Site(
        "wren-house",
        "Wren House",
        "Wren House, 8 Lexden Grove",
        "Colchester",
        "CO3",
        "4PL",
        "Buses from Colchester town centre stop at the end of the road.",
        "Two ground-floor bedrooms with accessible bathrooms.",
        "A women-only recovery house.",
    ),
    Site(
        "loughton-clinic",
        "Loughton recovery clinic",
        "Forest Chambers, 10 Station Approach",
        "Loughton",
        "IG10",
        "4BE",
        "Next to Loughton Underground station (Central line).",
        UPSTAIRS_LIFT,
    ),
    Site(
        "epping-hall",
        "Epping community hall",
        "Community Hall, 24 Hemnall Walk",
        "Epping",
        "CM16",
        "4LX",
        "Ten minutes' walk from Epping Underground station (Central line).",
        HALL_ACCESS,
    ),
    Site(
        "waltham-abbey-centre",
        "Waltham Abbey community rooms",
        "Community Rooms, 6 Abbey Mews",
        "Waltham Abbey",
        "EN9",
        "1XQ",
        "Buses from Waltham Cross station stop nearby.",
        GROUND_FLOOR,
    ),
    Site(
        "west-essex-hub",
        "West Essex recovery hub",
        "Gateway House, 5 Terminus Walk",
        "Harlow",
        "CM20",
        "1HA",
        "Two minutes from Harlow bus station.",
        STEP_FREE,
    ),
    Site(
        "harlow-housing-office",
        "Open Door Housing Essex office",
        "Ground floor, 16 Netteswell Mews",
        "Harlow",
        "CM18",
        "6LJ",
        "Buses from Harlow town centre stop outside.",
        GROUND_FLOOR,
    ),
    Site(
        "maldon-centre",
        "Maldon community centre",
        "Community Centre, 4 Hythe Quay Road",
        "Maldon",
        "CM9",
        "5HN",
        "Buses from Chelmsford and Witham stop on the high street, five minutes away.",
        GROUND_FLOOR,
    ),
    Site(
        "burnham-hall",
        "Burnham-on-Crouch village hall",
        "Village Hall, 1 Quayside Close",
        "Burnham-on-Crouch",
        "CM0",
        "8AS",
        "Ten minutes' walk from Burnham-on-Crouch railway station.",
        HALL_ACCESS,
    ),
    Site(
        "estuary-house",
        "Estuary House",
        "Estuary House, 2 Heybridge Lane",
        "Maldon",
        "CM9",
        "4NW",
        "The team collects new residents from Chelmsford or Witham railway station.",
        "Three ground-floor bedrooms with accessible bathrooms. Lift to the group room.",
        "A residential recovery house.",
    ),
    Site(
        "rochford-hall",
        "Rochford church hall",
        "Church Hall, 9 Weir Pond Close",
        "Rochford",
        "SS4",
        "1AN",
        "Five minutes' walk from Rochford railway station.",
        HALL_ACCESS,
    ),
    Site(
        "hockley-centre",
        "Hockley community centre",
        "Community Centre, 27 Spa Parade",
        "Hockley",
        "SS5",
        "4BU",
        "Near Hockley railway station. Free car park.",
        GROUND_FLOOR,
    ),
    Site(
        "clacton-clinic",
        "Clacton recovery clinic",
        "Seaview Court, 11 Pier Walk",
        "Clacton-on-Sea",
        "CO15",
        "1QE",
        "Eight minutes' walk from Clacton-on-Sea railway station.",
        STEP_FREE,
    ),
    Site(
        "clacton-hub",
        "Clacton harm reduction and peer hub",
        "18 Rosemary Parade",
        "Clacton-on-Sea",
        "CO15",
        "3AZ",
        "In the town centre, near the bus stops on the main shopping street.",
        NO_LIFT,
    ),
    Site(
        "harwich-centre",
        "Harwich community rooms",
        "Community Rooms, 3 Quay Street Yard",
        "Harwich",
        "CO12",
        "3HH",
        "Five minutes from Harwich Town railway station.",
        GROUND_FLOOR,
    ),
    Site(
        "saffron-walden-centre",
        "Saffron Walden community rooms",
        "Community Rooms, 12 Market Row",
        "Saffron Walden",
        "CB10",
        "1HR",
        "Buses from Audley End railway station stop in the town centre.",
        GROUND_FLOOR,
    ),
    Site(
        "dunmow-hall",
        "Great Dunmow community hall",
        "Community Hall, 5 Foakes Walk",
        "Great Dunmow",
        "CM6",
        "1AZ",
        "Buses from Chelmsford, Braintree and Stansted stop nearby. Free car park.",
        HALL_ACCESS,
    ),
    Site(
        "southend-clinic",
        "Southend recovery clinic",
        "Pier View House, 40 Clifftown Parade",
        "Southend-on-Sea",
        "SS1",
        "1DL",
        "Five minutes from Southend Central railway station.",
        STEP_FREE,
    ),
    Site(
        "southend-harm-reduction",
        "Southend harm reduction shop",
        "7 Victoria Arcade",
        "Southend-on-Sea",
        "SS2",
        "5BT",
        "Next to Southend Victoria railway station.",
        GROUND_FLOOR,
    ),
    Site(
        "southend-hostel",
        "Southend recovery hostel",
        "Harbour Lodge, 15 Marine Terrace",
        "Southend-on-Sea",
        "SS1",
        "2EJ",
        "Ten minutes' walk from Southend Central railway station.",
        "Two accessible bedrooms on the ground floor. Lift to other floors.",
    ),
    Site(
        "leigh-hall",
        "Leigh-on-Sea church hall",
        "Church Hall, 6 Broadway Close",
        "Leigh-on-Sea",
        "SS9",
        "1PB",
        "Ten minutes' walk from Leigh-on-Sea railway station.",
        HALL_ACCESS,
    ),
    Site(
        "westcliff-cafe",
        "Westcliff recovery café",
        "21 Hamlet Parade",
        "Westcliff-on-Sea",
        "SS0",
        "7LT",
        "Five minutes from Westcliff railway station.",
        GROUND_FLOOR,
    ),
    Site(
        "grays-clinic",
        "Thurrock recovery clinic",
        "Orsett Court, 3 Quarry Walk",
        "Grays",
        "RM17",
        "6XD",
        "Eight minutes' walk from Grays railway station.",
        STEP_FREE,
    ),
    Site(
        "tilbury-centre",
        "Tilbury community centre",
        "Community Centre, 2 Dock Road Parade",
        "Tilbury",
        "RM18",
        "7PW",
        "Buses from Grays stop outside. Tilbury Town railway station is 10 minutes away.",
        GROUND_FLOOR,
    ),
    Site(
        "stanford-hall",
        "Stanford-le-Hope community hall",
        "Community Hall, 9 Corringham Walk",
        "Stanford-le-Hope",
        "SS17",
        "0AJ",
        "Five minutes from Stanford-le-Hope railway station.",
        HALL_ACCESS,
    ),
    Site(
        "cj-chelmsford",
        "Criminal justice recovery team office, Chelmsford",
        "Third floor, Shire Hall Chambers, 2 Market Walk",
        "Chelmsford",
        "CM1",
        "1XW",
        "In Chelmsford city centre, near the railway station.",
        UPSTAIRS_LIFT,
    ),
)
SITES_BY_KEY: dict[str, Site] = {site.key: site for site in SITES}


# --- Essex demo directory: organisations ---------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str
    area: str
    description: str
    illustrative: bool
    website: str = ""

    @property
    def slug(self) -> str:
        from django.utils.text import slugify

        return slugify(self.name)


EXTRA_ORGANISATIONS: tuple[OrganisationSpec, ...] = (
    # Real national services.
    OrganisationSpec(
        "Emergency services (999)",
        OrganisationKind.OTHER,
        "",
        "Police, ambulance and fire and rescue, for emergencies when someone's life is at risk.",
        False,
    ),
    OrganisationSpec(
        "NHS 111",
        OrganisationKind.MENTAL_HEALTH,
        "",
        "The NHS urgent help line for England, including urgent mental health help.",
        False,
        "https://111.nhs.uk",
    ),
    OrganisationSpec(
        "Samaritans",
        OrganisationKind.OTHER,
        "",
        "A charity that listens, day or night, to anyone who is struggling to cope.",
        False,
        "https://www.samaritans.org",
    ),
    # Made up for the demonstration.
    OrganisationSpec(
        "North Essex Drug and Alcohol Service",
        OrganisationKind.TREATMENT,
        "Colchester",
        "Community drug and alcohol treatment for Colchester and Tendring.",
        True,
    ),
    OrganisationSpec(
        "West Essex Drug and Alcohol Service",
        OrganisationKind.TREATMENT,
        "Harlow",
        "Community drug and alcohol treatment for Harlow, Epping Forest and Uttlesford.",
        True,
    ),
    OrganisationSpec(
        "Essex Young People's Drug and Alcohol Service",
        OrganisationKind.TREATMENT,
        "",
        "Support for children and young people under 18 who drink or use drugs, and for young adults.",
        True,
    ),
    OrganisationSpec(
        "Estuary Residential Recovery",
        OrganisationKind.TREATMENT,
        "Maldon",
        "Residential rehab houses for adults.",
        True,
    ),
    OrganisationSpec(
        "Essex Mutual Aid Meetings",
        OrganisationKind.PEER_SUPPORT,
        "",
        "A listing of free, self-run mutual-aid meetings across Essex, Southend and Thurrock.",
        True,
    ),
    OrganisationSpec(
        "Essex Harm Reduction Network",
        OrganisationKind.OTHER,
        "",
        "Needle and syringe programmes, naloxone and testing for blood-borne viruses.",
        True,
    ),
    OrganisationSpec(
        "Essex Criminal Justice Recovery Team",
        OrganisationKind.OTHER,
        "",
        "Drug and alcohol workers in police custody, the courts, probation and prison release.",
        True,
    ),
    OrganisationSpec(
        "Essex Recovery Cafés",
        OrganisationKind.RECOVERY_COMMUNITY,
        "",
        "Volunteer-run cafés where people in recovery and their families can meet.",
        True,
    ),
)


def _organisation_specs() -> list[OrganisationSpec]:
    from rosc.core.management.commands.seed_demo import ILLUSTRATIVE, NAMED

    specs = [OrganisationSpec(name, kind, area, description, False) for name, kind, area, description in NAMED]
    specs += [OrganisationSpec(name, kind, area, description, True) for name, kind, area, description in ILLUSTRATIVE]
    return specs + list(EXTRA_ORGANISATIONS)


def ensure_organisations() -> dict[str, Organisation]:
    """The demo organisations by slug: those ``seed_demo`` loads and the extra directory providers.

    Matched by slug like ``seed_demo``, so running either command first gives the same result.
    """
    found: dict[str, Organisation] = {}
    for spec in _organisation_specs():
        organisation, _ = Organisation.objects.get_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "area": spec.area,
                "description": spec.description,
                "is_illustrative": spec.illustrative,
                "website": spec.website,
            },
        )
        found[spec.slug] = organisation
    return found


# --- Essex demo directory: services --------------------------------------------------------------------------

Hours = tuple[str, str, str, str]  # (byday, opens, closes, description)

WEEKDAYS = "MO,TU,WE,TH,FR"
OFFICE: tuple[Hours, ...] = ((WEEKDAYS, "09:00", "17:00", ""),)
OFFICE_LATE: tuple[Hours, ...] = (
    ("MO,TU,WE,FR", "09:00", "17:00", ""),
    ("TH", "09:00", "20:00", "Late opening on Thursdays"),
)
SPACE_HOURS: tuple[Hours, ...] = (
    (WEEKDAYS, "10:00", "16:00", "Drop in"),
    ("SA", "10:00", "14:00", "Saturday social and activities"),
)
ALWAYS: tuple[Hours, ...] = (("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59", "Open 24 hours, every day"),)
DAYTIME_WEEKEND: tuple[Hours, ...] = ((WEEKDAYS, "09:00", "17:00", ""), ("SA", "10:00", "13:00", ""))


def evening(day: str, opens: str = "19:00", closes: str = "20:30", note: str = "") -> tuple[Hours, ...]:
    return ((day, opens, closes, note),)


def days(byday: str, opens: str, closes: str, note: str = "") -> tuple[Hours, ...]:
    return ((byday, opens, closes, note),)


LANGUAGE_NAMES = {
    "pl": "Polish",
    "ro": "Romanian",
    "lt": "Lithuanian",
    "ur": "Urdu",
    "bn": "Bengali",
    "tr": "Turkish",
    "pt": "Portuguese",
    "uk": "Ukrainian",
    "bfi": "British Sign Language",
}


@dataclass(frozen=True)
class Listing:
    key: str
    org: str
    name: str
    description: str
    terms: tuple[str, ...]
    sites: tuple[str, ...] = ()
    hours: tuple[Hours, ...] = OFFICE
    expect: str = ""
    eligibility: str = ""
    phone: str = "auto"  # "auto": an Ofcom drama number; "": none
    phone_note: str = ""
    online: bool = False
    county_wide: bool = False
    ages: tuple[int | None, int | None] = (18, None)
    languages: tuple[str, ...] = ()
    interpreters: bool = True
    beds: tuple[int, int] | None = None
    places: tuple[int, int] | None = None
    wait: int | None = None
    fees: str = ""
    url: str = ""
    named: bool = False
    status: str = ServiceStatus.ACTIVE
    status_note: str = ""
    alert: str = ""

    @property
    def id(self) -> uuid.UUID:
        return fixed_id("essex", "service", self.key)


EXPECT: dict[str, str] = {
    "clinical-treatment": (
        "Phone or drop in and a worker will talk with you for about 15 minutes, then book an assessment, usually "
        "within two weeks. At the assessment you and a keyworker agree a recovery plan together. You can bring "
        "someone with you."
    ),
    "community-detox": (
        "Your keyworker checks first that a detox at home is safe for you, and helps you plan for it. A nurse "
        "sees you every day during the detox, and you will need someone to stay with you."
    ),
    "prescribing": (
        "After an assessment, a prescriber meets you to agree whether a substitute medicine is right for you. "
        "You collect it from a local pharmacy, watched by the pharmacist at first."
    ),
    "inpatient-detox": (
        "Your keyworker or GP asks for a place for you. Before you come in, the team talks with you about what to "
        "bring and how long you will stay, usually 7 to 14 days. Before you leave they link you with support "
        "near home."
    ),
    "residential-rehab": (
        "Most places are paid for by the council after an assessment by your community treatment service. You can "
        "visit before you decide. Stays are usually 12 weeks or more."
    ),
    "psychosocial-support": (
        "Someone calls you back to talk through the group and when the next one starts. Groups are small and "
        "friendly, and you do not have to speak until you are ready."
    ),
    "peer-support": (
        "A peer mentor gets in touch within a week to meet for a cup of tea and a chat, somewhere you feel "
        "comfortable. Mentors have their own experience of recovery."
    ),
    "mutual-aid": (
        "Just turn up. Meetings are free, you do not need to book and you do not have to say anything. Arrive a few "
        "minutes early and someone will welcome you. Check the time before you go, as meetings sometimes move."
    ),
    "recovery-community-space": (
        "Drop in when it is open. Someone will say hello, make you a drink and show you what is on this week. You "
        "do not need an appointment or a referral."
    ),
    "mental-health": (
        "You can refer yourself. Someone will call you within a week to talk about what is going on and what "
        "support would fit. Your drinking or drug use will not stop you getting help."
    ),
    "housing": (
        "An adviser talks with you about where you are living now and what you can do next. If you might lose your "
        "home in the next eight weeks, say so straight away."
    ),
    "employment-training": (
        "An adviser meets you to talk about the work, training or volunteering you want, then meets you regularly "
        "to work towards it. It does not affect your benefits to ask."
    ),
    "family-support": (
        "A family support worker calls you back, usually within a week, to hear what is happening and what would "
        "help you. You do not need your relative's permission, and they do not need to be getting help."
    ),
    "criminal-justice": (
        "Workers meet you in police custody, at court, at probation or before you leave prison. You can also ask "
        "your probation officer to put you in touch."
    ),
    "harm-reduction": (
        "Walk in when it is open. You do not have to give your name. Staff can give you clean equipment, naloxone "
        "and advice, and talk with you about treatment if you want to."
    ),
    "online-telehealth": (
        "Sign up by phone or online and you will be sent a link to join. You can keep your camera off, and use a "
        "phone, tablet or computer."
    ),
    "crisis": "Call or get in touch at any time. If someone's life is in danger, call 999.",
}

ADULTS = "Adults aged 18 and over"


def _district_list(listing: Listing) -> list[str]:
    found: list[str] = []
    for key in listing.sites:
        district = DISTRICT_OF_OUTCODE[SITES_BY_KEY[key].outcode]
        if district not in found:
            found.append(district)
    return found


def _area_name(listing: Listing) -> str:
    if listing.county_wide or not listing.sites:
        return ESSEX_COUNTY
    return ", ".join(_district_list(listing))


def _eligibility(listing: Listing) -> str:
    if listing.eligibility:
        return listing.eligibility
    low, high = listing.ages
    if low and high:
        who = f"People aged {low} to {high}"
    elif high:
        who = f"Children and young people up to {high}"
    elif low == 18:
        who = ADULTS
    elif low:
        who = f"People aged {low} and over"
    else:
        who = "Anyone"
    return f"{who} living in {_area_name(listing)}. You can refer yourself."


def _listings() -> tuple[Listing, ...]:
    mid, south, north, west = (
        "mid-essex-drug-and-alcohol-service",
        "south-essex-treatment-partnership",
        "north-essex-drug-and-alcohol-service",
        "west-essex-drug-and-alcohol-service",
    )
    young = "essex-young-peoples-drug-and-alcohol-service"
    mentors, minds, housing, work, families = (
        "essex-peer-mentors",
        "essex-minds-together",
        "open-door-housing-essex",
        "pathways-to-work-essex",
        "essex-families-in-recovery",
    )
    meetings, harm, justice, cafes, rehab = (
        "essex-mutual-aid-meetings",
        "essex-harm-reduction-network",
        "essex-criminal-justice-recovery-team",
        "essex-recovery-cafes",
        "estuary-residential-recovery",
    )
    common_substances = ("alcohol", "opiates", "crack-cocaine", "cocaine", "cannabis")
    listings: list[Listing] = [
        # ---- Named in the brief ------------------------------------------------------------------------------
        Listing(
            "chelmsford-recovery-space",
            "chelmsford-recovery-space",
            "Chelmsford Recovery Space",
            "One of the six Essex recovery spaces: a welcoming community hub for people in recovery and their "
            "families, with peer support, activities and help to find other services.",
            ("recovery-community-space", "peer-support", "family-friend"),
            ("chelmsford-space",),
            SPACE_HOURS,
            phone="",
            named=True,
            ages=(None, None),
            eligibility="Anyone affected by drink or drugs, including family members and friends.",
        ),
        Listing(
            "basildon-recovery-space",
            "basildon-recovery-space",
            "Basildon Recovery Space",
            "A family-centred recovery space. Many parents in the area are affected by drink or drugs, so the space "
            "welcomes whole families: parents in recovery, their children, partners and grandparents.",
            ("recovery-community-space", "family-support", "peer-support", "parent-carer", "family-friend"),
            ("basildon-space",),
            (*SPACE_HOURS, ("TU", "16:00", "18:00", "Family tea: children welcome")),
            phone="",
            named=True,
            ages=(None, None),
            eligibility="People in recovery and their families, including children with a parent or carer.",
        ),
        Listing(
            "colchester-recovery-space",
            "colchester-recovery-space",
            "Colchester Recovery Space",
            "A recovery space for Colchester's large student population as well as local people, with a focus on "
            "alcohol problems in university settings.",
            ("recovery-community-space", "peer-support", "student", "alcohol", "young-adults"),
            ("colchester-space",),
            (*SPACE_HOURS, ("WE", "18:00", "20:00", "Students' evening")),
            phone="",
            named=True,
            ages=(16, None),
        ),
        Listing(
            "harlow-recovery-space",
            "harlow-recovery-space",
            "Harlow Recovery Space",
            "One of the six Essex recovery spaces, offering peer support, activities and a friendly place to be.",
            ("recovery-community-space", "peer-support"),
            ("harlow-space",),
            SPACE_HOURS,
            phone="",
            named=True,
            ages=(None, None),
            eligibility="Anyone affected by drink or drugs, including family members and friends.",
        ),
        Listing(
            "rayleigh-recovery-space",
            "rayleigh-recovery-space",
            "Rayleigh Recovery Space",
            "One of the six Essex recovery spaces, offering peer support, activities and a friendly place to be.",
            ("recovery-community-space", "peer-support"),
            ("rayleigh-space",),
            SPACE_HOURS,
            phone="",
            named=True,
            ages=(None, None),
            eligibility="Anyone affected by drink or drugs, including family members and friends.",
        ),
        Listing(
            "thurrock-recovery-space",
            "thurrock-recovery-space",
            "Thurrock Recovery Space",
            "A recovery space that works with local employers on pathways into work, alongside peer support and "
            "activities.",
            ("recovery-community-space", "employment-training", "peer-support"),
            ("thurrock-space",),
            SPACE_HOURS,
            phone="",
            named=True,
            ages=(None, None),
            eligibility="Anyone affected by drink or drugs, including family members and friends.",
        ),
        Listing(
            "crystal-centre-detox",
            "the-crystal-centre",
            "The Crystal Centre: inpatient drug and alcohol detox",
            "The first inpatient drug and alcohol detox in the East of England. Specialist doctors, nurses, "
            "psychologists and occupational therapists care for adults coming off alcohol or drugs, including "
            "people with co-existing physical or mental health conditions.",
            ("inpatient-detox", "alcohol", "opiates", "benzodiazepines", "mental-health-need"),
            ("crystal-centre",),
            ALWAYS,
            phone="",
            named=True,
            beds=(2, 12),
            eligibility="Adults aged 18 and over who need a medically supervised detox, including people with "
            "co-existing physical or mental health conditions. Your keyworker or GP asks for a place for you.",
        ),
        Listing(
            "sharp",
            mid,
            "SHARP: Self Help Addiction Recovery Programme",
            "SHARP is a nine-week programme of group sessions that helps you understand your drinking or drug use, "
            "build skills and confidence, and plan the recovery you want.",
            ("psychosocial-support", "alcohol", "opiates", "cocaine"),
            ("mid-essex-hub", "north-essex-hub"),
            days("TU,TH", "10:00", "13:00", "Nine-week course: new groups start every month"),
            phone="",
            named=True,
            places=(4, 12),
            wait=3,
            expect="Ask your keyworker, or use 'Ask for support'. Someone will talk with you about the programme "
            "and book you onto the next group. The nine weeks work best if you can come to every session.",
        ),
        Listing(
            "jobcentre-peer-mentors",
            mentors,
            "Peer mentors in Jobcentres",
            "Peer mentors with lived experience of recovery, based in Jobcentres. They can talk with you about "
            "drink or drugs in confidence and help you take the next step towards work.",
            ("peer-support", "employment-training"),
            ("chelmsford-jobcentre", "basildon-jobcentre", "colchester-jobcentre", "harlow-jobcentre"),
            days(WEEKDAYS, "09:30", "16:00"),
            phone="",
            named=True,
            expect="Ask your work coach to introduce you, or ask at the front desk. The mentor will meet you in "
            "the Jobcentre and can go with you to your first appointment elsewhere.",
        ),
        Listing(
            "jobcentre-peer-mentors-south",
            mentors,
            "Peer mentors in Jobcentres: Southend and Thurrock",
            "Peer mentors with lived experience of recovery, based in Jobcentres in Southend and Grays. They can "
            "talk with you about drink or drugs in confidence and help you take the next step towards work.",
            ("peer-support", "employment-training"),
            ("southend-jobcentre", "grays-jobcentre"),
            days("MO,WE,TH", "09:30", "16:00"),
            phone="",
            named=True,
            expect="Ask your work coach to introduce you, or ask at the front desk. The mentor will meet you in "
            "the Jobcentre and can go with you to your first appointment elsewhere.",
        ),
        Listing(
            "hybrid-outpatient-south",
            south,
            "Hybrid outpatient programme (south Essex)",
            "A day programme that mixes online workshops you join from home with face-to-face counselling in "
            "Basildon, so you can keep up work or family life while you get help.",
            ("psychosocial-support", "online-telehealth", "clinical-treatment", "alcohol", "cocaine"),
            ("south-essex-hub",),
            (
                ("MO,WE", "10:00", "12:00", "Online workshops"),
                ("TH", "14:00", "17:00", "Face-to-face counselling, by appointment"),
            ),
            phone="",
            online=True,
            named=True,
            wait=2,
            places=(6, 16),
        ),
        Listing(
            "hybrid-outpatient-mid",
            mid,
            "Hybrid outpatient programme (mid Essex)",
            "Evening online workshops plus face-to-face counselling in Chelmsford, for people who want structured "
            "help without stopping work.",
            ("psychosocial-support", "online-telehealth", "clinical-treatment", "alcohol"),
            ("mid-essex-hub",),
            (
                ("TU,TH", "18:30", "20:00", "Online workshops"),
                ("SA", "10:00", "13:00", "Face-to-face counselling, by appointment"),
            ),
            phone="",
            online=True,
            named=True,
            wait=4,
            places=(0, 14),
        ),
        Listing(
            "emergency-999",
            "emergency-services-999",
            "Emergency services: call 999",
            "Call 999 when someone's life is at risk: they are unconscious, not breathing, having a seizure, or "
            "may have taken an overdose.",
            ("crisis",),
            (),
            ALWAYS,
            phone="999",
            phone_note="Free from any phone, 24 hours a day. If you cannot speak on a mobile, stay on the line and "
            "press 55 when asked.",
            county_wide=True,
            ages=(None, None),
            url="https://www.nhs.uk/nhs-services/urgent-and-emergency-care-services/when-to-call-999/",
            expect="Tell the call handler where you are and what has happened. Stay with the person. If you have "
            "naloxone and think it is an opioid overdose, give it and tell the call handler.",
            eligibility="Anyone, anywhere in the UK.",
            named=True,
            interpreters=False,
        ),
        Listing(
            "nhs-111-mental-health",
            "nhs-111",
            "NHS 111: mental health option",
            "Call NHS 111 and choose the mental health option to speak to a mental health professional, day or "
            "night, if you or someone you care about is in a mental health crisis.",
            ("crisis", "mental-health", "mental-health-need"),
            (),
            ALWAYS,
            phone="111",
            phone_note="Free, 24 hours a day. Choose the mental health option.",
            online=True,
            county_wide=True,
            ages=(None, None),
            url="https://111.nhs.uk",
            expect="A trained mental health professional listens, works out what help you need and can arrange "
            "for someone to see you.",
            eligibility="Anyone in England, of any age, including people calling about someone else.",
            named=True,
            interpreters=True,
        ),
        Listing(
            "samaritans",
            "samaritans",
            "Samaritans",
            "Samaritans volunteers listen, without judging, to anyone who is struggling to cope, at any time of "
            "day or night.",
            ("crisis", "mental-health", "online-telehealth"),
            (),
            ALWAYS,
            phone="116 123",
            phone_note="Free from any phone, 24 hours a day.",
            online=True,
            county_wide=True,
            ages=(None, None),
            url="https://www.samaritans.org",
            expect="A volunteer answers and listens. You do not have to give your name or say where you are.",
            eligibility="Anyone, of any age.",
            named=True,
            interpreters=False,
        ),
    ]

    # ---- Illustrative community treatment ------------------------------------------------------------------
    def treatment(
        key: str, org: str, place: str, sites: tuple[str, ...], hours: tuple[Hours, ...] = OFFICE, **extra: Any
    ) -> Listing:
        return Listing(
            key,
            org,
            f"Drug and alcohol service, {place}",
            f"Free, confidential help for adults in {place} who want to change their drinking or drug use: an "
            "assessment, a keyworker, a recovery plan, substitute prescribing and community detox.",
            ("clinical-treatment", "prescribing", "community-detox", *common_substances),
            sites,
            hours,
            wait=extra.pop("wait", 2),
            **extra,
        )

    listings += [
        treatment("mid-essex-chelmsford", mid, "Chelmsford", ("mid-essex-hub",), OFFICE_LATE, languages=("pl",)),
        treatment("mid-essex-maldon", mid, "Maldon and the Dengie", ("maldon-centre", "burnham-hall"), wait=3),
        treatment("mid-essex-braintree", mid, "Braintree", ("braintree-clinic", "halstead-centre"), wait=2),
        treatment("mid-essex-witham", mid, "Witham", ("witham-hall",), days("TU,TH", "09:30", "16:30"), wait=4),
        treatment(
            "mid-essex-south-woodham",
            mid,
            "South Woodham Ferrers",
            ("south-woodham-centre",),
            days("WE", "10:00", "15:00"),
            wait=3,
        ),
        treatment("south-essex-basildon", south, "Basildon", ("south-essex-hub",), OFFICE_LATE, languages=("ro",)),
        treatment("south-essex-billericay-wickford", south, "Billericay and Wickford", ("billericay-hall",), wait=3),
        treatment("south-essex-brentwood", south, "Brentwood", ("brentwood-clinic",), wait=2),
        treatment("south-essex-castle-point", south, "Castle Point", ("canvey-centre", "benfleet-hub"), wait=3),
        treatment("south-essex-rochford", south, "Rochford", ("hockley-centre", "rochford-hall"), wait=2),
        treatment(
            "south-essex-southend",
            south,
            "Southend-on-Sea",
            ("southend-clinic",),
            DAYTIME_WEEKEND,
            languages=("pl", "lt"),
            wait=1,
        ),
        treatment("south-essex-thurrock", south, "Thurrock", ("grays-clinic", "tilbury-centre"), wait=2),
        treatment("north-essex-colchester", north, "Colchester", ("north-essex-hub",), OFFICE_LATE, wait=2),
        treatment(
            "north-essex-tendring",
            north,
            "Clacton and Tendring",
            ("clacton-clinic", "harwich-centre"),
            wait=5,
            alert="Waiting times are longer than usual this month. If things get worse while you wait, tell us.",
        ),
        treatment("west-essex-harlow", west, "Harlow", ("west-essex-hub",), OFFICE_LATE, languages=("tr",)),
        treatment(
            "west-essex-epping-forest",
            west,
            "Epping Forest",
            ("loughton-clinic", "epping-hall", "waltham-abbey-centre"),
            wait=3,
        ),
        treatment(
            "west-essex-uttlesford",
            west,
            "Uttlesford",
            ("saffron-walden-centre", "dunmow-hall"),
            days("MO,WE", "09:30", "16:30"),
            wait=4,
        ),
    ]

    # ---- Illustrative specialist treatment -----------------------------------------------------------------
    listings += [
        Listing(
            "community-alcohol-detox",
            mid,
            "Alcohol detox at home",
            "A planned alcohol detox at home, with medicine to make withdrawal safe and a nurse who visits every day.",
            ("community-detox", "clinical-treatment", "alcohol"),
            ("mid-essex-hub",),
            wait=4,
            places=(3, 10),
        ),
        Listing(
            "opiate-prescribing-south",
            south,
            "Opiate substitute prescribing clinic",
            "Methadone, buprenorphine and long-acting injections for people who use heroin or other opioids, with "
            "regular reviews and support to reduce when you are ready.",
            ("prescribing", "clinical-treatment", "opiates"),
            ("south-essex-hub", "southend-clinic"),
            wait=1,
        ),
        Listing(
            "benzo-medicines-clinic",
            mid,
            "Prescription medicines and benzodiazepines clinic",
            "Help for people who depend on painkillers, sleeping tablets, pregabalin or benzodiazepines, prescribed "
            "or bought, with a slow, safe plan to cut down.",
            ("clinical-treatment", "prescribing", "benzodiazepines", "medicines"),
            ("mid-essex-hub", "braintree-clinic"),
            days("WE", "09:30", "16:30"),
            online=True,
            wait=5,
        ),
        Listing(
            "chemsex-clinic",
            south,
            "Chemsex support clinic",
            "Confidential, non-judgemental help for men who use drugs such as crystal meth, GHB or mephedrone during "
            "sex, working alongside the sexual health clinic.",
            ("clinical-treatment", "harm-reduction", "chemsex", "amphetamines", "men-only"),
            ("southend-clinic",),
            days("TH", "13:00", "19:00"),
            online=True,
            wait=1,
        ),
        Listing(
            "cocaine-crack-group",
            south,
            "Cocaine and crack support group",
            "A weekly group for people who use cocaine or crack and want to stop or cut down.",
            ("psychosocial-support", "cocaine", "crack-cocaine"),
            ("south-essex-hub",),
            evening("WE", "18:00", "19:30"),
            wait=1,
        ),
        Listing(
            "young-peoples-service",
            young,
            "Young people's drug and alcohol service",
            "Support for children and young people under 18 who drink, use cannabis or other drugs, or are worried "
            "about someone else's use. Workers meet young people at school, at home or in town.",
            ("clinical-treatment", "psychosocial-support", "young-people", "cannabis", "alcohol", "ketamine"),
            ("mid-essex-hub", "north-essex-hub", "south-essex-hub", "west-essex-hub"),
            days(WEEKDAYS, "09:00", "18:00"),
            ages=(10, 17),
            county_wide=True,
            wait=2,
            expect="Anyone can ask for help, including a parent, teacher or the young person. A worker calls back "
            "within a week and arranges to meet somewhere the young person feels comfortable.",
        ),
        Listing(
            "young-adults-team",
            young,
            "18 to 25 drug and alcohol team",
            "Support shaped for young adults, including ketamine, cannabis and new psychoactive substances, with "
            "flexible times and appointments by video.",
            (
                "clinical-treatment",
                "young-adults",
                "ketamine",
                "cannabis",
                "new-psychoactive-substances",
                "student",
            ),
            ("west-essex-hub", "colchester-campus"),
            days("MO,TU,WE,TH", "12:00", "19:00"),
            online=True,
            ages=(18, 25),
            wait=2,
        ),
        Listing(
            "pregnancy-parents-team",
            south,
            "Pregnancy and new parents drug and alcohol team",
            "Specialist workers and midwives supporting people who are pregnant or have a new baby and drink or use "
            "drugs, and helping families stay together safely.",
            ("clinical-treatment", "family-support", "pregnancy", "parent-carer", "alcohol", "opiates"),
            ("south-essex-hub", "north-essex-hub"),
            wait=0,
            expect="A specialist worker calls you back within two working days. Telling us will not mean your baby "
            "is taken away: our job is to help you and your baby stay well.",
        ),
        Listing(
            "veterans-support",
            north,
            "Veterans' drink and drug support",
            "Support for people who have served in the armed forces, from workers and mentors who understand "
            "service life, with links to veterans' mental health services.",
            ("peer-support", "mental-health", "veteran", "alcohol", "mental-health-need"),
            ("north-essex-hub",),
            days("TU,TH", "10:00", "16:00"),
            online=True,
            wait=1,
        ),
        Listing(
            "older-adults-alcohol",
            mid,
            "Alcohol support for people over 50",
            "Gentle, one-to-one and group support for older adults who are drinking more than they would like, "
            "including home visits for people who find it hard to get out.",
            ("psychosocial-support", "older-adults", "alcohol", "medicines"),
            ("mid-essex-hub", "maldon-centre"),
            days("MO,WE", "10:00", "15:00"),
            ages=(50, None),
            wait=2,
        ),
        Listing(
            "alcohol-advice-clinic-tendring",
            north,
            "Alcohol advice clinic, Clacton",
            "A short appointment to check your drinking, talk about your health and decide together whether you want "
            "more help.",
            ("clinical-treatment", "alcohol"),
            ("clacton-clinic",),
            days("FR", "09:30", "12:30"),
            wait=0,
        ),
        Listing(
            "cannabis-group-harlow",
            west,
            "Cannabis support group, Harlow",
            "A weekly group for people who want to stop or cut down on cannabis, including strong skunk and vapes.",
            ("psychosocial-support", "cannabis", "young-adults"),
            ("west-essex-hub",),
            evening("TU", "17:30", "19:00"),
            ages=(16, None),
            wait=1,
        ),
    ]

    # ---- Illustrative residential rehab --------------------------------------------------------------------
    listings += [
        Listing(
            "estuary-house-rehab",
            rehab,
            "Estuary House residential rehab",
            "A residential rehab for up to 14 adults, with group therapy, one-to-one counselling, family days and "
            "a gradual return to everyday life.",
            ("residential-rehab", "alcohol", "opiates", "cocaine", "crack-cocaine"),
            ("estuary-house",),
            ALWAYS,
            beds=(3, 14),
            fees="Usually paid for by your council after an assessment. Self-funded places are available.",
        ),
        Listing(
            "wren-house-rehab",
            rehab,
            "Wren House women's residential rehab",
            "A women-only residential rehab with space for mothers to stay with their young children.",
            ("residential-rehab", "women-only", "parent-carer", "alcohol", "opiates"),
            ("wren-house",),
            ALWAYS,
            beds=(0, 8),
            fees="Usually paid for by your council after an assessment.",
        ),
        Listing(
            "rehab-advice-line",
            rehab,
            "Residential rehab advice and funding",
            "Advice on whether residential rehab is right for you, what it costs and how to ask your council to "
            "pay for it.",
            ("residential-rehab", "online-telehealth"),
            (),
            OFFICE,
            county_wide=True,
            online=True,
            phone="0808 157 0101",
            expect="An adviser talks with you on the phone about your options and helps you ask your keyworker for "
            "a rehab assessment.",
        ),
    ]

    # ---- Illustrative talking support ----------------------------------------------------------------------
    listings += [
        Listing(
            "relapse-prevention-southend",
            south,
            "Relapse prevention group, Southend",
            "A weekly group for people who have stopped drinking or using drugs and want to stay stopped.",
            ("psychosocial-support", "alcohol", "opiates", "cocaine"),
            ("southend-clinic",),
            evening("MO", "17:30", "19:00"),
        ),
        Listing(
            "evening-group-colchester",
            north,
            "Evening recovery group, Colchester",
            "An evening group for people who work or study in the day.",
            ("psychosocial-support", "alcohol", "student"),
            ("north-essex-hub",),
            evening("WE", "18:00", "19:30"),
        ),
        Listing(
            "womens-group",
            mentors,
            "Women's recovery group",
            "A women-only group, run by women with their own experience of recovery.",
            ("psychosocial-support", "peer-support", "women-only"),
            ("basildon-space", "colchester-space"),
            days("TH", "10:30", "12:30"),
        ),
        Listing(
            "mens-group",
            mentors,
            "Men's recovery group",
            "A men-only group where men can talk about drink, drugs and life, with a walk or a kickabout after.",
            ("psychosocial-support", "peer-support", "men-only"),
            ("thurrock-space", "rayleigh-space"),
            evening("MO", "18:00", "20:00"),
        ),
    ]

    # ---- Illustrative peer support -------------------------------------------------------------------------
    listings += [
        Listing(
            "peer-mentoring",
            mentors,
            "One-to-one peer mentoring",
            "A trained peer mentor with their own experience of recovery meets you regularly, goes with you to "
            "appointments if you like, and helps you stay on track.",
            ("peer-support",),
            ("chelmsford-space", "harlow-space", "rayleigh-space"),
            days(WEEKDAYS, "09:00", "18:00"),
            county_wide=True,
        ),
        Listing(
            "recovery-buddies",
            mentors,
            "Recovery buddies after detox or rehab",
            "A buddy meets you on the day you leave detox or rehab and keeps in touch for the first three months, "
            "when support matters most.",
            ("peer-support", "inpatient-detox", "residential-rehab"),
            ("chelmsford-space",),
            days("MO,TU,WE,TH,FR,SA", "09:00", "19:00"),
            county_wide=True,
        ),
        Listing(
            "recovery-walks-epping",
            mentors,
            "Peer-led recovery walks, Epping Forest",
            "Friendly walks in the forest led by people in recovery. Good shoes and a drink of water are all you need.",
            ("peer-support", "recovery-community-space"),
            ("epping-hall",),
            days("SA", "10:00", "12:00", "Meet outside the hall"),
            ages=(None, None),
        ),
        Listing(
            "peer-drop-in-clacton",
            mentors,
            "Peer support drop-in, Clacton",
            "Drop in for a chat with peer mentors, a hot drink and help to find services.",
            ("peer-support",),
            ("clacton-hub",),
            days("TU,FR", "11:00", "14:00"),
        ),
        Listing(
            "peer-drop-in-saffron-walden",
            mentors,
            "Peer support drop-in, Saffron Walden",
            "A monthly drop-in for people in recovery in Uttlesford, where services can be far away.",
            ("peer-support",),
            ("saffron-walden-centre",),
            days("TH", "13:00", "16:00", "Second Thursday of the month"),
        ),
    ]

    # ---- Illustrative mutual-aid meetings ------------------------------------------------------------------
    def meeting(key: str, kind: str, place: str, site: str, hours: tuple[Hours, ...], **extra: Any) -> Listing:
        kinds = {
            "alcohol": (
                "Twelve-step meeting for alcohol",
                "A free, self-run twelve-step meeting for anyone who wants to stop drinking.",
                ("mutual-aid", "alcohol"),
            ),
            "drugs": (
                "Twelve-step meeting for drugs",
                "A free, self-run twelve-step meeting for anyone who wants to stop using drugs.",
                ("mutual-aid", "opiates", "crack-cocaine", "cannabis"),
            ),
            "cocaine": (
                "Twelve-step meeting for cocaine",
                "A free, self-run twelve-step meeting for people who want to stop using cocaine or crack.",
                ("mutual-aid", "cocaine", "crack-cocaine"),
            ),
            "smart": (
                "SMART-style recovery meeting",
                "A free, self-run meeting using practical tools from cognitive behavioural therapy, for any "
                "drink or drug.",
                ("mutual-aid", "alcohol", "opiates", "cocaine", "cannabis"),
            ),
            "family": (
                "Family mutual-aid meeting",
                "A free, self-run meeting for family members and friends of someone who drinks or uses drugs.",
                ("mutual-aid", "family-support", "family-friend"),
            ),
        }
        title, description, terms = kinds[kind]
        return Listing(
            key,
            meetings,
            f"{title}, {place}",
            description + " You do not need to book and you do not have to speak.",
            terms,
            (site,),
            hours,
            phone="",
            interpreters=False,
            **extra,
        )

    listings += [
        meeting("meeting-alcohol-chelmsford", "alcohol", "Chelmsford", "chelmsford-space", evening("TU")),
        meeting("meeting-alcohol-braintree", "alcohol", "Braintree", "braintree-clinic", evening("WE")),
        meeting("meeting-alcohol-brentwood", "alcohol", "Shenfield", "shenfield-hall", evening("TH")),
        meeting("meeting-alcohol-southend", "alcohol", "Leigh-on-Sea", "leigh-hall", evening("FR")),
        meeting("meeting-alcohol-clacton", "alcohol", "Clacton", "clacton-clinic", evening("MO")),
        meeting(
            "meeting-alcohol-saffron-walden",
            "alcohol",
            "Saffron Walden",
            "saffron-walden-centre",
            days("SA", "10:30", "12:00"),
        ),
        meeting("meeting-alcohol-billericay", "alcohol", "Billericay", "billericay-hall", evening("SU", "18:00")),
        meeting("meeting-alcohol-witham", "alcohol", "Witham", "witham-hall", evening("MO", "12:30", "13:30")),
        meeting("meeting-alcohol-dunmow", "alcohol", "Great Dunmow", "dunmow-hall", evening("TH", "19:30", "21:00")),
        meeting("meeting-drugs-basildon", "drugs", "Basildon", "basildon-space", evening("MO")),
        meeting("meeting-drugs-colchester", "drugs", "Colchester", "colchester-space", evening("TH")),
        meeting("meeting-drugs-harlow", "drugs", "Harlow", "harlow-space", evening("WE")),
        meeting(
            "meeting-drugs-grays",
            "drugs",
            "Grays",
            "thurrock-space",
            evening("SU", "17:00", "18:30"),
            status=ServiceStatus.TEMPORARILY_CLOSED,
            status_note="Not meeting until further notice while the group finds a new room.",
        ),
        meeting(
            "meeting-cocaine-southend", "cocaine", "Westcliff-on-Sea", "westcliff-cafe", days("SA", "18:00", "19:30")
        ),
        meeting("meeting-smart-chelmsford", "smart", "Chelmsford", "chelmsford-space", evening("WE", "18:30", "20:00")),
        meeting("meeting-smart-rayleigh", "smart", "Rayleigh", "rayleigh-space", evening("TU", "18:30", "20:00")),
        meeting("meeting-smart-thurrock", "smart", "Grays", "thurrock-space", evening("TH", "18:30", "20:00")),
        meeting("meeting-smart-maldon", "smart", "Maldon", "maldon-centre", days("FR", "10:30", "12:00")),
        meeting("meeting-smart-canvey", "smart", "Canvey Island", "canvey-centre", evening("MO", "18:30", "20:00")),
        meeting("meeting-smart-rochford", "smart", "Rochford", "rochford-hall", evening("FR", "18:30", "20:00")),
        meeting("meeting-family-basildon", "family", "Basildon", "basildon-space", evening("TU", "19:30", "21:00")),
        meeting("meeting-family-leigh", "family", "Leigh-on-Sea", "leigh-hall", evening("WE", "19:30", "21:00")),
        meeting("meeting-family-epping", "family", "Loughton", "loughton-clinic", evening("TH", "19:30", "21:00")),
        Listing(
            "meeting-smart-online",
            meetings,
            "Online SMART-style recovery meeting",
            "A free, self-run online meeting using practical tools from cognitive behavioural therapy, for any "
            "drink or drug. Join by video from anywhere.",
            ("mutual-aid", "online-telehealth", "alcohol", "cocaine", "cannabis"),
            (),
            evening("SU", "19:00", "20:30"),
            phone="",
            online=True,
            county_wide=True,
            interpreters=False,
            expect="Sign up and you will be sent a link to join. You can keep your camera off and just listen.",
        ),
    ]

    # ---- Illustrative recovery cafés -----------------------------------------------------------------------
    listings += [
        Listing(
            "westcliff-recovery-cafe",
            cafes,
            "Westcliff recovery café",
            "A volunteer-run café and meeting place for people in recovery and their families, with a weekly "
            "community lunch.",
            ("recovery-community-space", "peer-support", "family-friend"),
            ("westcliff-cafe",),
            days("WE,TH,FR,SA", "10:00", "15:00"),
            ages=(None, None),
            eligibility="Anyone affected by drink or drugs, including family members and friends.",
        ),
        Listing(
            "brentwood-recovery-cafe",
            cafes,
            "Brentwood recovery café",
            "A Saturday café run by volunteers in recovery. Come for breakfast, a chat and sometimes live music.",
            ("recovery-community-space", "peer-support"),
            ("shenfield-hall",),
            days("SA", "09:30", "13:00"),
            ages=(None, None),
            eligibility="Anyone affected by drink or drugs, including family members and friends.",
        ),
        Listing(
            "colchester-student-outreach",
            "colchester-recovery-space",
            "Student drink and drug drop-in on campus",
            "An outreach drop-in on the university campus from the Colchester Recovery Space, for students worried "
            "about their own or a friend's drinking or drug use.",
            ("recovery-community-space", "peer-support", "student", "alcohol", "young-adults"),
            ("colchester-campus",),
            days("TU,TH", "12:00", "15:00", "During term time"),
            ages=(16, None),
        ),
    ]

    # ---- Illustrative mental health ------------------------------------------------------------------------
    listings += [
        Listing(
            "talking-therapies-recovery",
            minds,
            "Talking therapies for people who drink or use drugs",
            "Counselling and cognitive behavioural therapy for anxiety, depression and trauma, for people who also "
            "drink or use drugs.",
            ("mental-health", "psychosocial-support", "mental-health-need"),
            ("north-essex-hub", "mid-essex-hub"),
            OFFICE_LATE,
            online=True,
            wait=6,
            languages=("ur", "bn"),
        ),
        Listing(
            "dual-diagnosis-team",
            minds,
            "Co-existing mental health and substance use team",
            "Mental health workers who work alongside drug and alcohol keyworkers for people with serious mental "
            "health problems, so nobody is passed between services.",
            ("mental-health", "clinical-treatment", "mental-health-need"),
            ("south-essex-hub", "west-essex-hub"),
            wait=3,
        ),
        Listing(
            "trauma-group-harlow",
            minds,
            "Trauma recovery group, Harlow",
            "A women-only group for survivors of trauma who drink or use drugs to cope.",
            ("mental-health", "psychosocial-support", "women-only", "mental-health-need"),
            ("west-essex-hub",),
            days("WE", "13:00", "15:00"),
            wait=4,
        ),
        Listing(
            "crisis-cafe-colchester",
            minds,
            "Evening crisis café, Colchester",
            "A calm place to go in the evening if you are struggling with your mental health, with staff and peer "
            "workers to talk to. No appointment needed.",
            ("crisis", "mental-health", "mental-health-need"),
            ("north-essex-hub",),
            days("MO,TU,WE,TH,FR,SA,SU", "18:00", "23:00"),
            ages=(16, None),
            expect="Walk in or phone ahead. Someone will sit with you, listen and help you plan how to get through "
            "tonight and what support you need next.",
        ),
        Listing(
            "crisis-cafe-basildon",
            minds,
            "Evening crisis café, Basildon",
            "A calm place to go in the evening if you are struggling with your mental health, with staff and peer "
            "workers to talk to. No appointment needed.",
            ("crisis", "mental-health", "mental-health-need"),
            ("south-essex-hub",),
            days("TH,FR,SA,SU", "18:00", "23:00"),
            ages=(16, None),
            expect="Walk in or phone ahead. Someone will sit with you, listen and help you plan how to get through "
            "tonight and what support you need next.",
        ),
        Listing(
            "wellbeing-drop-in-tendring",
            minds,
            "Wellbeing drop-in, Harwich",
            "A weekly drop-in for low mood, stress and anxiety, with a mental health worker and a peer worker.",
            ("mental-health", "peer-support"),
            ("harwich-centre",),
            days("WE", "10:00", "13:00"),
        ),
        Listing(
            "walk-and-talk-castle-point",
            minds,
            "Walk and talk, Castle Point",
            "A gentle group walk with time to talk, for people with low mood or anxiety, including people in recovery.",
            ("mental-health", "peer-support"),
            ("benfleet-hub",),
            days("FR", "10:30", "12:00"),
        ),
    ]

    # ---- Illustrative housing ------------------------------------------------------------------------------
    listings += [
        Listing(
            "supported-housing-recovery",
            housing,
            "Supported housing for people in recovery",
            "Shared houses with a support worker for people who have stopped drinking or using drugs and need "
            "somewhere settled to live while they rebuild.",
            ("housing", "no-stable-housing"),
            ("harlow-housing-office",),
            places=(2, 24),
            expect="A housing worker meets you to talk about your situation and your recovery. Most people are "
            "referred by their keyworker, but you can ask yourself.",
        ),
        Listing(
            "housing-advice-drop-in",
            housing,
            "Housing advice drop-in",
            "Advice if you are homeless, sofa surfing, behind with your rent or worried about losing your home.",
            ("housing", "no-stable-housing"),
            ("harlow-housing-office", "southend-clinic", "clacton-hub"),
            days("MO,WE", "10:00", "13:00"),
            languages=("pl", "ro"),
        ),
        Listing(
            "recovery-hostel-southend",
            housing,
            "Recovery hostel, Southend",
            "Short-stay rooms with 24-hour staff for people with no stable home who are in drug or alcohol treatment.",
            ("housing", "no-stable-housing"),
            ("southend-hostel",),
            ALWAYS,
            beds=(1, 18),
            expect="Your keyworker or the council's housing team asks for a room for you. Staff meet you when you "
            "arrive and help you plan your next move.",
        ),
        Listing(
            "tenancy-support",
            housing,
            "Tenancy support for people in recovery",
            "A support worker helps you keep your home: bills, benefits, repairs and getting on with neighbours.",
            ("housing",),
            (),
            OFFICE,
            county_wide=True,
            wait=2,
        ),
        Listing(
            "street-outreach",
            housing,
            "Street outreach for people sleeping rough",
            "Outreach workers and drug and alcohol workers who go out early in the morning to meet people sleeping "
            "rough and help them off the streets.",
            ("housing", "harm-reduction", "no-stable-housing"),
            ("north-essex-hub", "southend-clinic"),
            days("MO,TU,WE,TH,FR,SA,SU", "06:00", "10:00"),
            expect="If you are worried about someone sleeping rough, tell us where and when you saw them and the "
            "team will try to find them.",
        ),
    ]

    # ---- Illustrative work and training --------------------------------------------------------------------
    listings += [
        Listing(
            "thurrock-employer-pathways",
            work,
            "Pathways into work with local employers, Thurrock",
            "Work tasters, training and interviews with local employers who welcome people in recovery, run with "
            "the Thurrock Recovery Space.",
            ("employment-training",),
            ("thurrock-space", "grays-clinic"),
            days("TU,TH", "09:30", "15:30"),
        ),
        Listing(
            "volunteering-training",
            work,
            "Volunteering and training in recovery",
            "Volunteering roles and short courses to build skills, confidence and a CV.",
            ("employment-training",),
            ("chelmsford-space", "mid-essex-hub"),
            days("WE", "10:00", "15:00"),
        ),
        Listing(
            "cv-interview-help",
            work,
            "CV and interview help",
            "One-to-one help with CVs, applications, interviews and talking to employers about your recovery.",
            ("employment-training",),
            ("south-essex-hub", "west-essex-hub"),
            days("MO,FR", "10:00", "15:00"),
            online=True,
        ),
        Listing(
            "employment-specialists",
            work,
            "Employment specialists in treatment teams",
            "Employment specialists who work inside drug and alcohol teams and help you find paid work that suits "
            "you, then support you once you start.",
            ("employment-training", "clinical-treatment"),
            ("north-essex-hub", "clacton-clinic"),
            county_wide=True,
        ),
        Listing(
            "skills-courses-colchester",
            work,
            "Skills and qualifications courses, Colchester",
            "Free short courses in English, maths, computers and food hygiene for people in recovery.",
            ("employment-training", "language"),
            ("north-essex-hub",),
            days("MO,WE", "13:00", "16:00"),
            languages=("pl", "pt", "uk"),
        ),
    ]

    # ---- Illustrative family support -----------------------------------------------------------------------
    family_expect = EXPECT["family-support"]
    listings += [
        Listing(
            "family-support-groups",
            families,
            "Family support group",
            "A friendly group for parents, partners, grandparents and friends of someone who drinks or uses drugs. "
            "Share what is happening and learn ways to cope.",
            ("family-support", "family-friend"),
            ("basildon-space", "chelmsford-space", "colchester-space"),
            evening("TU", "18:30", "20:30"),
            expect=family_expect,
        ),
        Listing(
            "family-one-to-one",
            families,
            "One-to-one support for family members",
            "Sessions on the phone, by video or face to face for anyone affected by a relative's drinking or drug "
            "use, to look after your own wellbeing.",
            ("family-support", "family-friend", "online-telehealth"),
            ("basildon-space",),
            OFFICE_LATE,
            online=True,
            county_wide=True,
            wait=1,
            expect=family_expect,
        ),
        Listing(
            "children-affected",
            families,
            "Support for children affected by a parent's drinking or drug use",
            "Groups and one-to-one time for children and young people whose parent or carer drinks or uses drugs.",
            ("family-support", "young-people", "family-friend", "parent-carer"),
            ("basildon-space", "tilbury-centre"),
            days("WE", "16:00", "18:00", "After school"),
            ages=(7, 17),
            expect="A parent, carer, teacher or the young person can ask. A worker meets the family first to make "
            "sure the support fits.",
        ),
        Listing(
            "kinship-carers",
            families,
            "Kinship carers' group, Thurrock",
            "A group for grandparents and other relatives bringing up children because a parent cannot, often "
            "because of drink or drugs.",
            ("family-support", "parent-carer", "family-friend"),
            ("tilbury-centre",),
            days("TH", "10:00", "12:00"),
            expect=family_expect,
        ),
        Listing(
            "family-peer-support-harlow",
            families,
            "Family peer support, Harlow",
            "Support from family members who have been through it themselves.",
            ("family-support", "peer-support", "family-friend"),
            ("harlow-space",),
            evening("MO", "18:30", "20:00"),
            expect=family_expect,
        ),
        Listing(
            "family-phone-line",
            families,
            "Family support phone line",
            "A phone line for family members and friends who are worried about someone's drinking or drug use.",
            ("family-support", "family-friend", "online-telehealth"),
            (),
            days(WEEKDAYS, "09:00", "20:00"),
            county_wide=True,
            phone="0808 157 0202",
            expect="A family support worker listens and talks through what might help. You can stay anonymous.",
        ),
    ]

    # ---- Illustrative criminal justice ---------------------------------------------------------------------
    listings += [
        Listing(
            "liaison-diversion",
            justice,
            "Drug and alcohol workers in police custody and courts",
            "Workers who see people in police custody and at court, offer an assessment and help them start treatment.",
            ("criminal-justice", "criminal-justice-involvement"),
            ("cj-chelmsford",),
            ALWAYS,
            county_wide=True,
        ),
        Listing(
            "drr-atr-team",
            justice,
            "Court-ordered drug and alcohol treatment team",
            "Treatment for people on a court order with a drug rehabilitation requirement (DRR) or an alcohol "
            "treatment requirement (ATR), working with probation.",
            ("criminal-justice", "clinical-treatment", "criminal-justice-involvement"),
            ("cj-chelmsford", "south-essex-hub", "north-essex-hub"),
            OFFICE,
        ),
        Listing(
            "prison-release",
            justice,
            "Support when leaving prison",
            "A worker meets you before you leave prison and on the day of release, makes sure your medicine carries "
            "on, and helps with housing and a peer mentor.",
            (
                "criminal-justice",
                "peer-support",
                "housing",
                "criminal-justice-involvement",
                "no-stable-housing",
                "opiates",
            ),
            ("cj-chelmsford",),
            days("MO,TU,WE,TH,FR,SA", "08:00", "18:00"),
            county_wide=True,
        ),
        Listing(
            "probation-clinic-southend",
            justice,
            "Probation drug and alcohol clinic, Southend",
            "A weekly drug and alcohol clinic at the probation office for people on probation or licence.",
            ("criminal-justice", "clinical-treatment", "criminal-justice-involvement"),
            ("southend-clinic",),
            days("TU", "09:30", "16:00"),
        ),
    ]

    # ---- Illustrative harm reduction -----------------------------------------------------------------------
    def needle_exchange(key: str, place: str, site: str, hours: tuple[Hours, ...], **extra: Any) -> Listing:
        return Listing(
            key,
            harm,
            f"Needle and syringe programme, {place}",
            "Free clean needles, syringes and other equipment, a safe place to return used ones, naloxone and "
            "advice on safer injecting. No names needed.",
            ("harm-reduction", "opiates", "crack-cocaine", "amphetamines"),
            (site,),
            hours,
            ages=(18, None),
            **extra,
        )

    listings += [
        needle_exchange(
            "needle-exchange-southend", "Southend", "southend-harm-reduction", days(WEEKDAYS, "10:00", "18:00")
        ),
        needle_exchange("needle-exchange-colchester", "Colchester", "north-essex-hub", OFFICE),
        needle_exchange("needle-exchange-harlow", "Harlow", "west-essex-hub", days("MO,WE,FR", "10:00", "16:00")),
        needle_exchange("needle-exchange-clacton", "Clacton", "clacton-hub", days("TU,TH,SA", "10:00", "15:00")),
        Listing(
            "naloxone-kits",
            harm,
            "Naloxone training and free kits",
            "Learn how to spot an opioid overdose and give naloxone, and take a free kit home. For people who use "
            "drugs, their families and friends, and anyone who might be there when it happens.",
            ("harm-reduction", "opiates", "family-friend"),
            ("southend-harm-reduction", "north-essex-hub", "mid-essex-hub", "basildon-space"),
            OFFICE,
            county_wide=True,
            ages=(16, None),
            expect="Drop in or book a 20-minute session. You leave with a kit and know what to do.",
        ),
        Listing(
            "bbv-testing",
            harm,
            "Hepatitis C and HIV testing",
            "Quick finger-prick tests for hepatitis C, hepatitis B and HIV, with hepatitis B vaccinations and "
            "treatment if you need it.",
            ("harm-reduction", "opiates"),
            ("grays-clinic", "southend-clinic"),
            days("WE", "10:00", "15:00"),
        ),
    ]

    # ---- Illustrative online and phone ---------------------------------------------------------------------
    listings += [
        Listing(
            "online-workshops",
            south,
            "Online recovery workshops",
            "Short online workshops on cravings, sleep, stress, money and relationships, which you can join from "
            "anywhere in the county.",
            ("online-telehealth", "psychosocial-support"),
            (),
            evening("MO,WE", "18:00", "19:00"),
            online=True,
            county_wide=True,
            phone="",
        ),
        Listing(
            "advice-line",
            mid,
            "Drug and alcohol advice line",
            "Call for confidential advice about your own or someone else's drinking or drug use, and to ask for an "
            "assessment without going in.",
            ("online-telehealth", "clinical-treatment", "family-friend"),
            (),
            days("MO,TU,WE,TH,FR,SA", "08:00", "20:00"),
            county_wide=True,
            phone="0808 157 0303",
            expect="An adviser answers, listens and talks through your options. If you want, they book an "
            "assessment for you there and then.",
        ),
        Listing(
            "video-keyworking",
            north,
            "Video appointments with a keyworker",
            "Keyworker appointments by video or phone for people who cannot easily get to a clinic, including "
            "people in rural areas and shift workers.",
            ("online-telehealth", "clinical-treatment"),
            (),
            OFFICE_LATE,
            online=True,
            county_wide=True,
            wait=2,
        ),
    ]
    keys = [listing.key for listing in listings]
    assert len(keys) == len(set(keys)), "duplicate listing key"
    return tuple(listings)


LISTINGS: tuple[Listing, ...] = _listings()


def _jitter(key: str, spread: float = 0.006) -> tuple[float, float]:
    """A small, repeatable offset so places in one district do not sit on the same point."""
    rng = random.Random(f"jitter/{key}")  # a str seed is hashed with SHA-512: the same on every run
    return rng.uniform(-spread, spread), rng.uniform(-spread * 1.6, spread * 1.6)


def _drama_number(key: str) -> str:
    """An Ofcom drama number (01632 960000 to 960999): safe to show, never rings anyone."""
    digits = int(hashlib.sha256(key.encode()).hexdigest(), 16) % 1000
    return f"01632 960{digits:03d}"


def _upsert(model: type[models.Model], row_id: uuid.UUID, **fields: Any) -> Any:
    obj, _ = model.objects.update_or_create(id=row_id, defaults=fields)  # type: ignore[attr-defined]
    return obj


def _prune(queryset: models.QuerySet[Any], keep: Iterable[uuid.UUID]) -> None:
    queryset.exclude(id__in=list(keep)).delete()


def _sync(model: type[models.Model], queryset: models.QuerySet[Any], wanted: list[dict[str, Any]]) -> None:
    """Make the rows in ``queryset`` exactly ``wanted`` (each a dict with an ``id``), writing only the
    rows that differ. Used for rows nothing else points at: opening times, phones, tags ..."""
    fields = sorted({name for row in wanted for name in row} | {"id"})
    current = {row["id"]: row for row in queryset.values(*fields)}
    wanted_by_id = {row["id"]: {name: row.get(name) for name in fields} for row in wanted}
    stale = [row_id for row_id, row in current.items() if wanted_by_id.get(row_id) != row]
    missing = [row for row_id, row in wanted_by_id.items() if current.get(row_id) != row]
    if stale:
        model.objects.filter(id__in=stale).delete()  # type: ignore[attr-defined]
    if missing:
        model.objects.bulk_create([model(**row) for row in missing])  # type: ignore[attr-defined]


def _ensure_site(site: Site) -> Location:
    place = geo.place_for(site.outcode)
    dlat, dlon = _jitter(site.key)
    location = _upsert(
        Location,
        fixed_id("essex", "location", site.key),
        location_type=LocationType.PHYSICAL,
        name=site.name,
        description=site.description,
        transport=site.transport,
        latitude=round(place.latitude + dlat, 6),
        longitude=round(place.longitude + dlon, 6),
        outcode=site.outcode,
    )
    _upsert(
        Address,
        fixed_id("essex", "address", site.key),
        location=location,
        address_1=site.address_1,
        address_2="",
        city=site.city,
        region=DISTRICT_OF_OUTCODE[site.outcode],
        state_province="Essex",
        postal_code=site.postal_code,
        country="GB",
        address_type=LocationType.PHYSICAL,
    )
    _prune(Address.objects.filter(location=location), [fixed_id("essex", "address", site.key)])
    _upsert(
        Accessibility,
        fixed_id("essex", "accessibility", site.key),
        location=location,
        description=site.access,
        details="",
    )
    _prune(Accessibility.objects.filter(location=location), [fixed_id("essex", "accessibility", site.key)])
    return location


def _time(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _service_fields(listing: Listing, organisation: Organisation, phone_number: str) -> dict[str, Any]:
    low, high = listing.ages
    return {
        "organisation": organisation,
        "name": listing.name,
        "description": listing.description,
        "what_to_expect": listing.expect or EXPECT[listing.terms[0]],
        "eligibility": _eligibility(listing),
        "url": listing.url,
        "status": listing.status,
        "status_note": listing.status_note,
        "fees": listing.fees,
        "minimum_age": low,
        "maximum_age": high,
        "alert": listing.alert,
        "offers_in_person": bool(listing.sites),
        "offers_online": listing.online,
        "offers_phone": bool(phone_number),
        "is_county_wide": listing.county_wide,
        "is_illustrative": not listing.named,
    }


def _ensure_listing(
    listing: Listing, organisations: dict[str, Organisation], locations: dict[str, Location], terms: dict[str, Any]
) -> Service:
    key = listing.key
    phone_number = _drama_number(key) if listing.phone == "auto" else listing.phone
    fields = _service_fields(listing, organisations[listing.org], phone_number)
    verified_days_ago = int(hashlib.sha256(f"verified/{key}".encode()).hexdigest(), 16) % 120
    service, _ = Service.objects.update_or_create(
        id=listing.id,
        defaults=fields,
        create_defaults={**fields, "last_verified_at": timezone.now() - dt.timedelta(days=verified_days_ago)},
    )

    # Where. Service-at-location rows are updated in place (other records may point at them).
    sal_ids = [fixed_id("essex", "sal", key, site_key) for site_key in listing.sites]
    _sync(
        ServiceAtLocation,
        ServiceAtLocation.objects.filter(service=service),
        [
            {"id": sal_id, "service_id": service.id, "location_id": locations[site_key].id}
            for sal_id, site_key in zip(sal_ids, listing.sites, strict=True)
        ],
    )

    # When: opening times belong to the service and, when there is only one place, to that place too.
    only_place = sal_ids[0] if len(sal_ids) == 1 else None
    attending = "in person" if listing.sites else ("online" if listing.online else "phone")
    _sync(
        Schedule,
        Schedule.objects.filter(service=service),
        [
            {
                "id": fixed_id("essex", "schedule", key, str(index)),
                "service_id": service.id,
                "service_at_location_id": only_place,
                "freq": "WEEKLY",
                "interval": 1,
                "byday": byday,
                "opens_at": _time(opens),
                "closes_at": _time(closes),
                "description": note,
                "attending_type": attending,
            }
            for index, (byday, opens, closes, note) in enumerate(listing.hours)
        ],
    )

    phones = []
    if phone_number:
        phones.append(
            {
                "id": fixed_id("essex", "phone", key),
                "service_id": service.id,
                "location_id": None,
                "contact_id": None,
                "number": phone_number,
                "description": listing.phone_note,
            }
        )
    _sync(Phone, Phone.objects.filter(service=service), phones)

    languages = [{"code": "en", "name": "English", "note": ""}]
    languages += [
        {"code": code, "name": LANGUAGE_NAMES[code], "note": "Some staff speak it"} for code in listing.languages
    ]
    if listing.interpreters:
        languages.append(
            {
                "code": "",
                "name": "Other languages",
                "note": "A free interpreter can be booked for you, including British Sign Language.",
            }
        )
    _sync(
        Language,
        Language.objects.filter(service=service),
        [
            {"id": fixed_id("essex", "language", key, row["code"] or "interpreter"), "service_id": service.id, **row}
            for row in languages
        ],
    )

    cost: dict[str, Any]
    if listing.fees:
        cost = {"option": "Funded place", "amount": None, "amount_description": listing.fees}
    else:
        cost = {"option": "Free", "amount": Decimal("0.00"), "amount_description": "Free"}
    _sync(
        CostOption,
        CostOption.objects.filter(service=service),
        [{"id": fixed_id("essex", "cost", key), "service_id": service.id, **cost}],
    )

    capacities = []
    for unit, value, note in (
        (CapacityUnit.BEDS, listing.beds, "Beds free today"),
        (CapacityUnit.PLACES, listing.places, "Places free on the next group or in the service"),
        (CapacityUnit.WAIT_WEEKS, (listing.wait, None) if listing.wait is not None else None, "Usual wait"),
    ):
        if value is not None:
            capacities.append(
                {
                    "id": fixed_id("essex", "capacity", key, str(unit)),
                    "service_id": service.id,
                    "unit": str(unit),
                    "available": value[0],
                    "maximum": value[1],
                    "description": note,
                }
            )
    _sync(ServiceCapacity, ServiceCapacity.objects.filter(service=service), capacities)

    _sync(
        ServiceArea,
        ServiceArea.objects.filter(service=service),
        [
            {
                "id": fixed_id("essex", "area", key),
                "service_id": service.id,
                "name": _area_name(listing),
                "extent": "",
                "extent_type": "",
                "uri": "",
            }
        ],
    )

    tag_codes = list(dict.fromkeys(listing.terms))
    if listing.languages and "language" not in tag_codes:
        tag_codes.append("language")
    _sync(
        Attribute,
        Attribute.objects.filter(service=service),
        [
            {
                "id": fixed_id("essex", "attribute", key, code),
                "service_id": service.id,
                "taxonomy_term_id": terms[code].id,
            }
            for code in tag_codes
        ],
    )
    return service_reindex(service)


@dataclass(frozen=True)
class EssexSummary:
    services: int
    illustrative: int
    locations: int
    organisations: int
    created: int


def seed_essex_directory(stdout: Any = None) -> EssexSummary:
    """Load the Essex demo directory (taxonomy, organisations, places and services). Safe to run again."""
    with transaction.atomic():
        tax = ensure_taxonomy()
        terms = {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy=tax)}
        organisations = ensure_organisations()
        before = Service.objects.filter(id__in=[listing.id for listing in LISTINGS]).count()
        locations = {site.key: _ensure_site(site) for site in SITES}
        progress = Progress(stdout, "Essex services", len(LISTINGS))
        for index, listing in enumerate(LISTINGS, start=1):
            _ensure_listing(listing, organisations, locations, terms)
            progress.update(index)
    return EssexSummary(
        services=len(LISTINGS),
        illustrative=sum(1 for listing in LISTINGS if not listing.named),
        locations=len(SITES),
        organisations=len({listing.org for listing in LISTINGS}),
        created=len(LISTINGS) - before,
    )


# --- Synthetic national-scale data ---------------------------------------------------------------------------

SYNTHETIC_SLUG_PREFIX = "synthetic-"
NON_ENGLISH_REGIONS = frozenset({"Scotland", "Wales", "Northern Ireland", ""})

# (slug suffix, name, UK regions it covers)
SYNTHETIC_ORGANISATIONS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (
        "north",
        "Northern Recovery Partnership (synthetic)",
        frozenset({"North East", "North West", "Yorkshire and The Humber"}),
    ),
    ("midlands", "Midlands Recovery Partnership (synthetic)", frozenset({"West Midlands", "East Midlands"})),
    ("east", "Eastern Recovery Partnership (synthetic)", frozenset({"East of England"})),
    ("london", "London Recovery Partnership (synthetic)", frozenset({"London"})),
    ("south", "Southern Recovery Partnership (synthetic)", frozenset({"South East", "South West"})),
)

# How often each kind of help is the main one for a synthetic service (roughly like a real directory).
DOMAIN_WEIGHTS: dict[str, int] = {
    "clinical-treatment": 14,
    "community-detox": 3,
    "prescribing": 5,
    "inpatient-detox": 1,
    "residential-rehab": 3,
    "psychosocial-support": 10,
    "peer-support": 10,
    "mutual-aid": 16,
    "recovery-community-space": 4,
    "mental-health": 7,
    "housing": 7,
    "employment-training": 5,
    "family-support": 6,
    "criminal-justice": 3,
    "harm-reduction": 6,
    "online-telehealth": 4,
    "crisis": 2,
}
SUBSTANCES = (
    "alcohol",
    "opiates",
    "crack-cocaine",
    "cocaine",
    "cannabis",
    "new-psychoactive-substances",
    "benzodiazepines",
    "medicines",
    "chemsex",
    "amphetamines",
    "ketamine",
)
SUBSTANCE_WEIGHTS = (30, 18, 10, 12, 10, 3, 4, 4, 2, 3, 4)
CIRCUMSTANCES = (
    "women-only",
    "men-only",
    "pregnancy",
    "parent-carer",
    "veteran",
    "student",
    "mental-health-need",
    "no-stable-housing",
    "language",
    "family-friend",
    "criminal-justice-involvement",
)
AGE_GROUPS = ("young-people", "young-adults", "older-adults")

NAME_PATTERNS: dict[str, tuple[str, ...]] = {
    "clinical-treatment": (
        "{town} Drug and Alcohol Service",
        "{town} Community Alcohol Team",
        "{word} Recovery Service, {town}",
        "{town} Substance Use Team",
    ),
    "community-detox": ("{town} Community Detox Team", "Home Detox Service, {town}"),
    "prescribing": ("{town} Prescribing Clinic", "{word} Clinic, {town}"),
    "inpatient-detox": ("{word} Detox Unit, {town}", "{town} Inpatient Detox Ward"),
    "residential-rehab": ("{word} House", "{word} Lodge Residential Rehab", "{word} Court Recovery Centre"),
    "psychosocial-support": (
        "{town} Recovery Group",
        "{word} Recovery Programme, {town}",
        "Relapse Prevention Group, {town}",
    ),
    "peer-support": ("{town} Peer Mentors", "{word} Peer Support, {town}", "Recovery Buddies, {town}"),
    "mutual-aid": (
        "{town} {day} Twelve-step Meeting",
        "{town} {day} Recovery Meeting",
        "{day} Evening Mutual-aid Group, {town}",
    ),
    "recovery-community-space": ("{town} Recovery Hub", "{word} Recovery Café, {town}", "{town} Recovery Space"),
    "mental-health": ("{town} Wellbeing Service", "{word} Talking Therapies, {town}", "{town} Dual Diagnosis Team"),
    "housing": ("{word} Supported Housing, {town}", "{town} Housing Advice", "{word} Hostel, {town}"),
    "employment-training": ("{town} Pathways to Work", "{word} Skills Centre, {town}", "{town} Recovery Volunteers"),
    "family-support": ("{town} Family Support Group", "{word} Families Project, {town}", "{town} Carers' Circle"),
    "criminal-justice": ("{town} Criminal Justice Drug Team", "{town} Prison Release Support"),
    "harm-reduction": ("{town} Needle and Syringe Programme", "{town} Naloxone Project", "{word} Harm Reduction"),
    "online-telehealth": ("{word} Online Recovery", "{town} Recovery Helpline", "{word} Video Clinic"),
    "crisis": ("{town} Crisis Café", "{word} Crisis Line, {town}"),
}
NAME_WORDS = (
    "Beacon",
    "Bridge",
    "Compass",
    "Harbour",
    "Horizon",
    "Lantern",
    "Meadow",
    "Willow",
    "Oak",
    "Riverside",
    "Northgate",
    "Southview",
    "Hillside",
    "Fresh Start",
    "Open Door",
    "Turning Tide",
    "Second Chance",
    "Daybreak",
    "Anchor",
    "Kestrel",
)
DESCRIPTION_OPENINGS: dict[str, str] = {
    "clinical-treatment": "Free, confidential drug and alcohol treatment with a keyworker and a recovery plan.",
    "community-detox": "A planned detox at home or as a day patient, with daily checks from a nurse.",
    "prescribing": "Substitute prescribing such as methadone or buprenorphine, with regular reviews.",
    "inpatient-detox": "A short stay on a specialist ward to come off alcohol or drugs safely.",
    "residential-rehab": "A residential rehab with group therapy, counselling and a full weekly programme.",
    "psychosocial-support": "Small groups and one-to-one sessions to change drinking or drug use.",
    "peer-support": "Support from trained peer mentors with their own experience of recovery.",
    "mutual-aid": "A free, self-run mutual-aid meeting. You do not need to book.",
    "recovery-community-space": "A welcoming community space for people in recovery and their families.",
    "mental-health": "Talking therapies and mental health support for people who drink or use drugs.",
    "housing": "Help to find or keep somewhere to live, including supported housing.",
    "employment-training": "Help to get into work, training or volunteering.",
    "family-support": "Support for parents, partners, children and friends affected by someone's drinking or drugs.",
    "criminal-justice": "Drug and alcohol work with people in contact with the police, courts, probation or prison.",
    "harm-reduction": "Clean equipment, naloxone and testing for blood-borne viruses. No names needed.",
    "online-telehealth": "Support by video, phone or online chat that you can use from home.",
    "crisis": "Urgent help when someone is struggling to cope. If a life is in danger, call 999.",
}
DESCRIPTION_EXTRAS = (
    "Made-up service for testing at scale.",
    "Invented for benchmarks; not a real service.",
    "Synthetic test data.",
)
STREETS = (
    "High Street",
    "Station Road",
    "Church Lane",
    "Market Place",
    "Mill Road",
    "Victoria Street",
    "King Street",
    "Queen's Road",
    "Park Avenue",
    "London Road",
    "Bridge Street",
    "North Street",
    "Chapel Walk",
    "Albert Road",
    "Castle Street",
)
BUILDINGS = ("", "", "Unit 3, ", "Ground floor, ", "The Old Library, ", "Community House, ", "First floor, ")
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday"}
SYNTHETIC_LANGUAGES = (("pl", "Polish"), ("ur", "Urdu"), ("pa", "Punjabi"), ("ro", "Romanian"), ("bn", "Bengali"))
SCHEDULE_CHOICES: tuple[tuple[str, str, str], ...] = (
    (WEEKDAYS, "09:00", "17:00"),
    ("MO,WE,FR", "10:00", "16:00"),
    ("TU,TH", "09:30", "16:30"),
    ("SA", "10:00", "13:00"),
    ("TH", "17:00", "20:00"),
    ("SU", "11:00", "14:00"),
)


def english_districts() -> list[geo.Place]:
    """Every English postcode district with a real place (not the non-geographic ones), sorted."""
    return sorted(
        (
            place
            for place in geo.centroids().values()
            if place.country_region not in NON_ENGLISH_REGIONS and "non-geographic" not in place.town.lower()
        ),
        key=lambda place: place.outcode,
    )


def _town(place: geo.Place) -> str:
    first = place.town.split(",")[0].split("(")[0].strip()
    return first or place.region or place.outcode


class _RisingIds:
    """Random-looking version 4 ids that rise in the order they are made.

    The first 48 bits are a per-run prefix and a counter, so new rows land at
    the end of each index instead of all over it (much less disk work on
    SQLite and PostgreSQL); the rest is random. The same seed gives the same ids.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.prefix = rng.getrandbits(16)
        self.count = 0

    def __call__(self) -> uuid.UUID:
        self.count += 1
        top = (self.prefix << 32) | self.count
        return uuid.UUID(int=(top << 80) | self.rng.getrandbits(80), version=4)


def synthetic_organisations() -> models.QuerySet[Organisation]:
    return Organisation.objects.filter(slug__startswith=SYNTHETIC_SLUG_PREFIX)


def synthetic_service_count() -> int:
    return Service.objects.filter(organisation__in=synthetic_organisations()).count()


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def delete_synthetic(stdout: Any = None) -> int:
    """Delete every synthetic service and its locations. Returns how many services went."""
    services = Service.objects.filter(organisation__in=synthetic_organisations())
    service_ids = list(services.values_list("id", flat=True))
    location_ids = list(
        ServiceAtLocation.objects.filter(service__in=services).values_list("location_id", flat=True).distinct()
    )
    progress = Progress(stdout, "Deleting synthetic services", len(service_ids))
    with transaction.atomic():
        # Leaves first, so each delete is one statement rather than rows loaded into memory.
        Schedule.objects.filter(Q(service__in=services) | Q(service_at_location__service__in=services)).delete()
        SearchPlace.objects.filter(service__in=services).delete()
        Attribute.objects.filter(service__in=services).only("id").delete()
        for model in (Phone, Language, CostOption, ServiceCapacity, ServiceArea):
            model.objects.filter(service__in=services).delete()
        for chunk in _chunks(location_ids, 900):
            Phone.objects.filter(location_id__in=chunk).delete()
            Address.objects.filter(location_id__in=chunk).delete()
            Accessibility.objects.filter(location_id__in=chunk).delete()
            ServiceAtLocation.objects.filter(location_id__in=chunk).only("id").delete()
            Location.objects.filter(id__in=chunk).only("id").delete()
        done = 0
        for chunk in _chunks(service_ids, 900):
            Service.objects.filter(id__in=chunk).only("id").delete()
            done += len(chunk)
            progress.update(done)
    return len(service_ids)


@dataclass
class _TermInfo:
    id: uuid.UUID
    position: int
    name: str
    words: str  # name and synonyms, as build_search_text joins them


def _ensure_synthetic_organisations() -> dict[str, Organisation]:
    found = {}
    for suffix, name, _regions in SYNTHETIC_ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            slug=f"{SYNTHETIC_SLUG_PREFIX}{suffix}",
            defaults={
                "name": name,
                "kind": OrganisationKind.TREATMENT,
                "description": "Made-up provider for synthetic benchmark data. It does not exist.",
                "is_illustrative": True,
            },
        )
        found[suffix] = organisation
    return found


def _organisation_for(place: geo.Place, organisations: dict[str, Organisation]) -> Organisation:
    for suffix, _name, regions in SYNTHETIC_ORGANISATIONS:
        if place.country_region in regions:
            return organisations[suffix]
    return organisations["south"]


def seed_synthetic(n: int, stdout: Any = None, *, seed: int = 20250101, batch_size: int = 2000) -> int:
    """Add ``n`` made-up services spread over every English postcode district, for benchmarks.

    About 1.6 locations per service, one to three opening times and one to four
    taxonomy tags each, all marked illustrative under a few synthetic
    organisations. The same ``seed`` gives the same services and ids. Rows are
    written with ``bulk_create`` in batches, each batch in its own transaction;
    ``search_text``, ``has_capacity`` and ``wait_weeks`` are filled in exactly as
    ``actions.service_reindex`` would.
    """
    if n <= 0:
        return 0
    tax = ensure_taxonomy()
    organisations = _ensure_synthetic_organisations()
    term_infos = {
        term.code: _TermInfo(term.id, term.position, term.name, " ".join([term.name, *term.synonym_list]))
        for term in TaxonomyTerm.objects.filter(taxonomy=tax)
    }
    districts = english_districts()
    by_local_area: dict[str, list[geo.Place]] = {}
    for place in districts:
        by_local_area.setdefault(place.region or place.outcode, []).append(place)

    rng = random.Random(seed)
    order = list(range(len(districts)))
    rng.shuffle(order)
    context = _SyntheticContext(
        rng=rng,
        new_id=_RisingIds(random.Random(f"ids/{seed}")),
        by_local_area=by_local_area,
        organisations=organisations,
        term_infos=term_infos,
        now=timezone.now(),
        domain_codes=list(DOMAIN_WEIGHTS),
        domain_weights=list(DOMAIN_WEIGHTS.values()),
    )
    progress = Progress(stdout, "Synthetic services", n)
    with _bigger_sqlite_cache():
        _write_synthetic(n, batch_size, districts, order, context, progress)
    return n


@contextlib.contextmanager
def _bigger_sqlite_cache(kib: int = 65536) -> Iterator[None]:
    """Give SQLite a 64 MB page cache while loading (the default is 2 MB), then put it back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _write_synthetic(
    n: int,
    batch_size: int,
    districts: list[geo.Place],
    order: list[int],
    context: _SyntheticContext,
    progress: Progress,
) -> None:
    done = 0
    while done < n:
        size = min(batch_size, n - done)
        rows: dict[type[models.Model], list[models.Model]] = {
            model: []
            for model in (
                Service,
                Location,
                Address,
                Accessibility,
                ServiceAtLocation,
                Schedule,
                Attribute,
                Phone,
                Language,
                CostOption,
                ServiceCapacity,
            )
        }
        for index in range(done, done + size):
            place = districts[order[index % len(districts)]]
            _synthetic_service(context, place, rows)
        with transaction.atomic():
            for model, objects in rows.items():
                model.objects.bulk_create(objects, batch_size=500)  # type: ignore[attr-defined]
            search_index.rebuild(service.pk for service in rows[Service])
        done += size
        progress.update(done)


@dataclass
class _SyntheticContext:
    rng: random.Random
    new_id: _RisingIds
    by_local_area: dict[str, list[geo.Place]]
    organisations: dict[str, Organisation]
    term_infos: dict[str, _TermInfo]
    now: dt.datetime
    domain_codes: list[str]
    domain_weights: list[int]


def _synthetic_service(
    context: _SyntheticContext, place: geo.Place, rows: dict[type[models.Model], list[models.Model]]
) -> None:
    rng, new_id, now, term_infos = context.rng, context.new_id, context.now, context.term_infos
    domain_codes, domain_weights, by_local_area = context.domain_codes, context.domain_weights, context.by_local_area
    organisations = context.organisations
    organisation = _organisation_for(place, organisations)
    town = _town(place)
    domain = rng.choices(domain_codes, domain_weights)[0]

    # Tags: the main kind of help, sometimes a second, then needs; one to four in all.
    tags = [domain]
    if rng.random() < 0.25:
        second = rng.choices(domain_codes, domain_weights)[0]
        if second not in tags:
            tags.append(second)
    wanted = rng.choice((0, 1, 1, 2, 2, 3))
    while len(tags) < 4 and wanted > 0:
        roll = rng.random()
        if roll < 0.6:
            need = rng.choices(SUBSTANCES, SUBSTANCE_WEIGHTS)[0]
        elif roll < 0.75:
            need = rng.choice(AGE_GROUPS)
        else:
            need = rng.choice(CIRCUMSTANCES)
        if need not in tags:
            tags.append(need)
        wanted -= 1

    minimum_age: int | None = 18
    maximum_age: int | None = None
    if "young-people" in tags:
        minimum_age, maximum_age = 11, 17
    elif "young-adults" in tags:
        minimum_age, maximum_age = 18, 25
    elif "older-adults" in tags:
        minimum_age = 50
    elif domain in ("family-support", "crisis", "recovery-community-space"):
        minimum_age = None

    day_code = rng.choice(list(DAY_NAMES))
    pattern = rng.choice(NAME_PATTERNS[domain])
    name = pattern.format(town=town, word=rng.choice(NAME_WORDS), day=DAY_NAMES[day_code])
    description = f"{DESCRIPTION_OPENINGS[domain]} {rng.choice(DESCRIPTION_EXTRAS)}"
    area = place.region or town
    if minimum_age and maximum_age:
        who = f"People aged {minimum_age} to {maximum_age}"
    elif minimum_age:
        who = f"People aged {minimum_age} and over"
    else:
        who = "Anyone"
    eligibility = f"{who} living in or near {area}."

    online = domain == "online-telehealth" or rng.random() < 0.2
    by_phone = domain in ("online-telehealth", "crisis") or rng.random() < 0.45
    county_wide = domain in ("online-telehealth", "crisis") and rng.random() < 0.5

    # Capacity, as service_reindex would summarise it.
    capacities: list[tuple[str, int, int | None]] = []
    if domain in ("inpatient-detox", "residential-rehab") or (domain == "housing" and rng.random() < 0.3):
        beds = rng.randint(6, 30)
        capacities.append((CapacityUnit.BEDS, rng.randint(0, min(4, beds)), beds))
    treatment = ("clinical-treatment", "community-detox", "prescribing", "psychosocial-support", "mental-health")
    if domain in treatment and rng.random() < 0.7:
        capacities.append((CapacityUnit.WAIT_WEEKS, rng.choice((0, 1, 1, 2, 2, 3, 4, 6, 8, 12)), None))
    beds_or_places = [available for unit, available, _ in capacities if unit != CapacityUnit.WAIT_WEEKS]
    waits = [available for unit, available, _ in capacities if unit == CapacityUnit.WAIT_WEEKS]
    has_capacity = any(available > 0 for available in beds_or_places) if beds_or_places else None

    ordered_terms = sorted((term_infos[code] for code in tags), key=lambda info: (info.position, info.name))
    parts = [name, description, eligibility, organisation.name, *(info.words for info in ordered_terms)]
    search_text = " ".join(" ".join(parts).lower().split())

    service_id = new_id()
    rows[Service].append(
        Service(
            id=service_id,
            organisation_id=organisation.pk,
            name=name[:300],
            description=description,
            what_to_expect=EXPECT[domain],
            eligibility=eligibility,
            minimum_age=minimum_age,
            maximum_age=maximum_age,
            offers_in_person=True,
            offers_online=online,
            offers_phone=by_phone,
            is_county_wide=county_wide,
            is_illustrative=True,
            has_capacity=has_capacity,
            wait_weeks=min(waits) if waits else None,
            search_text=search_text,
            has_place=True,  # every synthetic service has at least one place to visit
            last_modified=now,
            created_at=now,
            last_verified_at=now - dt.timedelta(days=rng.randint(0, 400)),
        )
    )
    for code in tags:
        rows[Attribute].append(Attribute(id=new_id(), service_id=service_id, taxonomy_term_id=term_infos[code].id))

    # Places: the home district, and sometimes one or two more nearby (same local authority).
    extra = rng.choices((0, 1, 2), (55, 30, 15))[0]
    neighbours = by_local_area.get(place.region or place.outcode, [place])
    places = [place] + [rng.choice(neighbours) for _ in range(extra)]
    sal_ids = []
    for where in places:
        location_id = new_id()
        street = f"{rng.randint(1, 199)} {rng.choice(STREETS)}"
        rows[Location].append(
            Location(
                id=location_id,
                location_type=LocationType.PHYSICAL,
                name=f"{_town(where)} {rng.choice(('centre', 'clinic', 'hub', 'office', 'hall'))}",
                transport=rng.choice(
                    (
                        "Near the railway station.",
                        "Buses stop outside.",
                        "Free car park.",
                        "Ten minutes' walk from the town centre.",
                    )
                ),
                latitude=(latitude := round(where.latitude + rng.uniform(-0.01, 0.01), 6)),
                longitude=(longitude := round(where.longitude + rng.uniform(-0.015, 0.015), 6)),
                geocell=geo.cell_of(latitude, longitude),
                outcode=where.outcode,
            )
        )
        inward = f"{rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        rows[Address].append(
            Address(
                id=new_id(),
                location_id=location_id,
                address_1=f"{rng.choice(BUILDINGS)}{street}",
                city=_town(where),
                region=where.country_region,
                state_province=where.region or _town(where),
                postal_code=f"{where.outcode} {inward}",
                country="GB",
            )
        )
        if rng.random() < 0.5:
            rows[Accessibility].append(
                Accessibility(
                    id=new_id(),
                    location_id=location_id,
                    description=rng.choice((STEP_FREE, GROUND_FLOOR, UPSTAIRS_LIFT, HALL_ACCESS, NO_LIFT)),
                )
            )
        sal_id = new_id()
        rows[ServiceAtLocation].append(ServiceAtLocation(id=sal_id, service_id=service_id, location_id=location_id))
        sal_ids.append(sal_id)

    for byday, opens, closes in rng.sample(SCHEDULE_CHOICES, rng.randint(1, 3)):
        rows[Schedule].append(
            Schedule(
                id=new_id(),
                service_id=service_id,
                service_at_location_id=sal_ids[0] if len(sal_ids) == 1 else None,
                freq="WEEKLY",
                interval=1,
                byday=byday,
                opens_at=_time(opens),
                closes_at=_time(closes),
                attending_type="in person",
            )
        )
    if by_phone:
        rows[Phone].append(Phone(id=new_id(), service_id=service_id, number=f"01632 960{rng.randint(0, 999):03d}"))
    rows[Language].append(Language(id=new_id(), service_id=service_id, name="English", code="en"))
    if rng.random() < 0.2:
        code, language = rng.choice(SYNTHETIC_LANGUAGES)
        rows[Language].append(Language(id=new_id(), service_id=service_id, name=language, code=code))
    rows[CostOption].append(
        CostOption(id=new_id(), service_id=service_id, option="Free", amount=Decimal("0.00"), amount_description="Free")
    )
    for unit, available, maximum in capacities:
        rows[ServiceCapacity].append(
            ServiceCapacity(
                id=new_id(), service_id=service_id, unit=unit, available=available, maximum=maximum, updated=now
            )
        )
