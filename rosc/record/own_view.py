"""The person's own view of their record, reached from their account or from a
time-limited signed link that a worker sends them.

The link carries only the record's public identifier, signed; it works for
``OWN_VIEW_LINK_DAYS`` days. Opening it puts the record in the browser
session (for the same time at most) and redirects to a clean address, so the
token does not stay in the address bar or browser history.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from rosc.core.models import User
from rosc.record.models import Person

OWN_VIEW_LINK_DAYS = 7
SALT = "rosc.record.own-view"
SESSION_KEY = "rosc_record_own_view"


def own_view_token(person: Person) -> str:
    return signing.dumps({"p": str(person.uuid), "t": int(time.time())}, salt=SALT, compress=True)


def own_view_url(person: Person) -> str:
    return settings.ROSC_SITE_URL + reverse("record:mine_link", kwargs={"token": own_view_token(person)})


def person_from_token(token: str, *, max_age_days: int = OWN_VIEW_LINK_DAYS) -> tuple[Person | None, float]:
    """The person the link is for, and when the link was made (Unix time); None if not valid."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age_days * 24 * 3600)
    except signing.BadSignature:
        return None, 0.0
    if not isinstance(payload, dict) or not isinstance(payload.get("t"), int):
        return None, 0.0
    try:
        person = Person.objects.current().filter(uuid=str(payload.get("p"))).first()
    except ValidationError:
        return None, 0.0
    return person, float(payload["t"])


def remember_link(request: HttpRequest, person: Person, made: float) -> None:
    request.session[SESSION_KEY] = {"p": str(person.uuid), "until": made + OWN_VIEW_LINK_DAYS * 24 * 3600}


def own_person(request: HttpRequest) -> tuple[Person | None, str]:
    """The record this visitor may see as its person: linked to their account, or opened from a link."""
    user: Any = request.user
    if isinstance(user, User) and user.is_authenticated:
        linked = Person.objects.current().filter(account=user).first()
        if linked is not None:
            return linked, "account"
    remembered = request.session.get(SESSION_KEY)
    if isinstance(remembered, dict) and remembered.get("until", 0) > time.time():
        try:
            person = Person.objects.current().filter(uuid=str(remembered.get("p", ""))).first()
        except ValidationError:
            person = None
        if person is not None:
            return person, "link"
    if remembered is not None:
        request.session.pop(SESSION_KEY, None)
    return None, ""
