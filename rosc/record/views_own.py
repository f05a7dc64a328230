"""The person's own view of their record: their plan, care team, referrals, consents
(with a one-click withdraw) and the disclosure log. No staff role needed: an
account linked to the record, or a signed link a worker sent them."""

from __future__ import annotations

import json

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from rosc.core.audit import audit_write
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.record import actions, selectors
from rosc.record.charts import bar_chart
from rosc.record.models import ConsentKind
from rosc.record.own_view import own_person, person_from_token, remember_link
from rosc.record.rights import person_export


def _referrals_link() -> str:
    try:
        return reverse("referrals:mine")
    except NoReverseMatch:
        return ""


@require_GET
def mine_link(request: HttpRequest, token: str) -> HttpResponse:
    """Open the record from the link a worker sent, then move to a clean address."""
    person, made = person_from_token(token)
    if person is None:
        return render(request, "record/mine_link_expired.html", status=404)
    remember_link(request, person, made)
    return redirect("record:mine")


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    person, via = own_person(request)
    if person is None:
        if request.user.is_authenticated:
            return render(request, "record/mine_none.html")
        return redirect(f"{reverse('account_login')}?next={reverse('record:mine')}")
    actor = request.user if isinstance(request.user, User) else None
    selectors.own_record_read(person, actor=actor, request=request, via=via)
    log = selectors.disclosure_log(person)
    summary = selectors.disclosure_summary(log)
    consents = selectors.consents_of(person)
    now = timezone.now()
    return render(
        request,
        "record/mine.html",
        {
            "person": person,
            "via": via,
            "domains": [domain for domain in selectors.plan_of(person) if domain.goals],
            "team": selectors.care_team(person, include_ended=False),
            "live_consents": [c for c in consents if c.is_live(now)],
            "past_consents": [c for c in consents if not c.is_live(now)],
            "care_kind": ConsentKind.CARE_COORDINATION,
            "log": log,
            "summary": summary,
            "chart": bar_chart(
                [(row.label, row.count) for row in summary[:8]], title="Times each organisation saw your information"
            ),
            "referrals_url": _referrals_link(),
            "can_link_account": via == "link" and isinstance(actor, User) and person.account_id is None,
        },
    )


@require_POST
def mine_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    person, _via = own_person(request)
    if person is None:
        raise Http404("No record found.")
    consent = selectors.consent_of(person, consent_id)
    if consent is None:
        raise Http404("No such consent.")
    actor = request.user if isinstance(request.user, User) and person.account_id == request.user.pk else None
    try:
        actions.withdraw_consent(actor=actor, consent=consent, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "You have withdrawn this consent. From now on it allows no sharing at all.")
    return redirect("record:mine")


@require_POST
def mine_link_account(request: HttpRequest) -> HttpResponse:
    person, via = own_person(request)
    if person is None or via != "link" or not isinstance(request.user, User):
        raise Http404("No record found.")
    try:
        actions.link_account(person=person, account=request.user, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "Your record now shows on your account home whenever you sign in.")
    return redirect("record:mine")


@require_GET
def mine_export(request: HttpRequest) -> HttpResponse:
    """A copy of everything the shared record holds about you, to download."""
    person, via = own_person(request)
    if person is None:
        raise Http404("No record found.")
    actor = request.user if isinstance(request.user, User) else None
    with transaction.atomic():
        data = person_export(person)
        audit_write(
            actor=actor,
            action="record.exported",
            target=person,
            purpose="person's own view",
            request=request,
            details={"via": via},
        )
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-recovery-record.json"'
    return response
