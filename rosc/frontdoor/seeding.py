"""Essex demo data for the front door.

* A kept pathway for the story the product is built around: a mother in Basildon whose adult son
  uses heroin. Its link is printed, so a demo can open it straight away.
* A request for support sent through the front door by an illustrative person, asking two services
  of the South Essex Treatment Partnership, so their staff (the demo keyworker Ben) see a front door
  request in the referrals inbox.

Safe to run again: the link's token and the request's one-time form token are derived from the
site's secret key, so a second run finds what the first made and changes nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

from django.conf import settings

from rosc.directory import search
from rosc.directory.models import Service, ServiceStatus
from rosc.frontdoor import actions
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.models import Pathway, SupportRequest, token_hash
from rosc.record.models import Person

DEMO_PERSON = "Dana Wood"  # illustrative
SOUTH_ESSEX = "South Essex Treatment Partnership"
DEMO_SERVICES = ("Drug and alcohol service, Basildon", "Opiate substitute prescribing clinic")


def demo_token(purpose: str) -> str:
    """A token as random as ``models.new_token`` to anyone without the secret key, the same on every run."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"rosc.frontdoor.demo/{purpose}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def _mother_answers() -> Answers:
    origin = search.find_place("Basildon")
    return Answers(
        who="someone",
        relationship="parent",
        age="26-49",
        substances=("opiates",),
        urgency="days",
        place=origin.label,
        latitude=round(origin.latitude, 4),
        longitude=round(origin.longitude, 4),
    )


def _kept_pathway() -> tuple[bool, str]:
    token = demo_token("pathway")
    if Pathway.objects.filter(token_hash=token_hash(token)).exists():
        return False, token
    Pathway.objects.create(token_hash=token_hash(token), answers=_mother_answers().to_dict())
    return True, token


def _request() -> bool:
    form_token = demo_token("request")
    if SupportRequest.objects.filter(form_token_hash=token_hash(form_token)).exists():
        return False
    wanted = {
        service.name: service
        for service in Service.objects.filter(
            organisation__name=SOUTH_ESSEX, name__in=DEMO_SERVICES, status=ServiceStatus.ACTIVE
        ).select_related("organisation")
    }
    services = [wanted[name] for name in DEMO_SERVICES if name in wanted]
    if not services:
        return False
    origin = search.find_place("SS14")
    answers = Answers(
        who="me",
        age="26-49",
        substances=("opiates",),
        urgency="days",
        other_needs=("mental-health",),
        place="SS14",
        latitude=round(origin.latitude, 4),
        longitude=round(origin.longitude, 4),
    )
    support_request, _status_token = actions.support_request_send(
        form_token=form_token,
        answers=answers,
        services=services,
        name=DEMO_PERSON,
        contact=actions.ContactPreferences(method="call", phone="01632 960 457", times=("mornings",)),
        for_asker=False,
    )
    # Demo people are labelled illustrative in the product, like the shared record's own.
    if support_request.person_id is not None:
        Person.objects.filter(pk=support_request.person_id).update(is_illustrative=True)
    return True


def seed_demo(stdout: Any) -> None:
    made_pathway, token = _kept_pathway()
    made_request = _request()
    link = settings.ROSC_SITE_URL + f"/get-help/pathway/{token}/"
    done = []
    if made_pathway:
        done.append("a kept pathway")
    if made_request:
        done.append(f"a request for support from {DEMO_PERSON} (illustrative) to {SOUTH_ESSEX}")
    summary = "added " + " and ".join(done) if done else "already loaded"
    if stdout is not None:
        stdout.write(f"Front door demo data {summary}. The demo pathway: {link}\n")
