"""A small directory around Basildon, and a client that answers the front door's questions."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.core.cache import cache

from rosc.core.models import Organisation, OrganisationKind
from rosc.directory.tests.search_helpers import (
    BASILDON_SS13,
    BASILDON_SS14,
    CHELMSFORD_CM2,
    LAINDON_SS15,
    make_service,
    make_taxonomy,
)


def _organisation(slug: str, name: str, kind: str) -> Organisation:
    found, _ = Organisation.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind})
    return found


@pytest.fixture
def directory(db: None) -> dict[str, Any]:
    cache.clear()  # rate limits count in the cache
    make_taxonomy()
    treatment = _organisation("south-treatment", "South Treatment", OrganisationKind.TREATMENT)
    families = _organisation("families", "Families Together", OrganisationKind.FAMILY_SUPPORT)
    space_org = _organisation("town-space", "Town Recovery Space", OrganisationKind.RECOVERY_COMMUNITY)
    services = {
        "clinic": make_service(
            "Opiate clinic",
            codes=["prescribing", "clinical-treatment", "opiates"],
            at=[BASILDON_SS14],
            phone=True,
            opening=[("MO,TU,WE,TH,FR", time(9), time(17))],
            minimum_age=18,
            org=treatment,
        ),
        "alcohol": make_service(
            "Alcohol service", codes=["clinical-treatment", "alcohol"], at=[LAINDON_SS15], org=treatment
        ),
        "family": make_service(
            "Family support group",
            codes=["family-support", "family-friend"],
            at=[BASILDON_SS13],
            opening=[("TU", time(18, 30), time(20, 30))],
            org=families,
        ),
        "space": make_service(
            "Town Recovery Space",
            codes=["recovery-community-space", "peer-support", "family-support", "family-friend"],
            at=[BASILDON_SS14],
            opening=[("MO,TU,WE,TH,FR", time(10), time(16))],
            org=space_org,
        ),
        "meeting": make_service("Recovery meeting", codes=["mutual-aid", "opiates"], at=[CHELMSFORD_CM2]),
        "crisis": make_service(
            "Evening crisis café", codes=["crisis", "mental-health"], at=[BASILDON_SS13], phone=True
        ),
    }
    return services


QUESTIONS = {
    "danger": {"danger": ["none"]},
    "who": {"who": "someone"},
    "relationship": {"relationship": "parent"},
    "age": {"skip": "1"},
    "substances": {"substances": ["opiates"]},
    "how-soon": {"urgency": "days"},
    "what-else": {"other_needs": ["none"]},
    "where": {"where": "Basildon"},
    "how": {},
    "who-to-talk-to": {},
}


def answer_all(client: Any, **changes: dict[str, Any]) -> None:
    """Answer every question, as a mother in Basildon worried about her son would."""
    for slug, data in QUESTIONS.items():
        response = client.post(f"/get-help/questions/{slug}/", changes.get(slug.replace("-", "_"), data))
        assert response.status_code == 302, (slug, response.content[:300])


def make_pathway(client: Any, **changes: dict[str, Any]) -> str:
    """Answer the questions and keep the pathway; returns its token."""
    answer_all(client, **changes)
    response = client.post("/get-help/check-your-answers/")
    assert response.status_code == 302
    return response["Location"].rstrip("/").rsplit("/", 1)[1]
