"""Referral pages: the service inbox, referrals sent, making a referral, one
referral with its history and what can be done next, the FHIR export, the
person's own view and the information-governance review of exceptions.

Views translate HTTP to a selector or action call and back. Staff pages
answer 403 to people without the capability and 404 for referrals outside
their organisations.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user
from rosc.core.view_helpers import form_data as _posted
from rosc.core.view_helpers import show_refusal as _refused
from rosc.record.access import person_for
from rosc.record.categories import Category
from rosc.record.consent import consent_covers
from rosc.record.models import Person
from rosc.record.own_view import own_person
from rosc.referrals import actions, fhir, selectors, states
from rosc.referrals.deadlines import response_working_days
from rosc.referrals.forms import (
    CommentForm,
    CompleteForm,
    DeclineForm,
    ExceptionReviewForm,
    FindPersonForm,
    FindServiceForm,
    InboxFilterForm,
    NoteForm,
    PersonUpdatesForm,
    RerouteForm,
    SendForm,
    SentFilterForm,
    WithdrawForm,
)

PAGE_SIZE = 50


# --- Tiny access helpers --------------------------------------------------------------------


def _worker(request: HttpRequest, *perms: str) -> User:
    """Signed-in staff holding any of ``perms``, or 403."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not any(user.has_perm(p) for p in perms):
        raise PermissionDenied
    return user


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- The service inbox ----------------------------------------------------------------------


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _worker(request, "referrals.receive")
    organisations = selectors.inbox_organisations(actor=user)
    services = selectors.inbox_services(actor=user)
    form = InboxFilterForm(
        request.GET or None,
        organisations=[(o.pk, o.name) for o in organisations],
        services=[
            (str(s.pk), f"{s.name} ({s.organisation.name})" if len(organisations) > 1 else s.name) for s in services
        ],
    )
    filters = selectors.InboxFilters()
    if form.is_bound and form.is_valid():
        service = form.cleaned_data.get("service")
        filters = selectors.InboxFilters(
            view=form.cleaned_data.get("view") or "new",
            organisation_id=form.cleaned_data.get("organisation"),
            service_id=uuid.UUID(service) if service else None,
        )
    counts = selectors.inbox_counts(actor=user, filters=filters)
    referrals = selectors.inbox_for(actor=user, filters=filters, request=request)
    page = selectors.page_of(referrals, number=request.GET.get("page"), count=counts[filters.view], per_page=PAGE_SIZE)
    base = request.GET.copy()
    for key in ("page", "view"):
        base.pop(key, None)
    tabs = [
        {
            "view": view,
            "label": label,
            "count": counts[view],
            "query": "&".join(part for part in (base.urlencode(), f"view={view}") if part),
            "current": view == filters.view,
        }
        for view, label in selectors.INBOX_VIEWS.items()
    ]
    return render(
        request,
        "referrals/inbox.html",
        {
            "form": form,
            "filters": filters,
            "tabs": tabs,
            "page": page,
            "query": _query_without_page(request),
            "view_label": selectors.INBOX_VIEWS[filters.view],
            "show_organisation": len(organisations) > 1,
            "show_filters": len(organisations) > 1 or len(services) > 1,
            "today": timezone.localdate(),
            "deadline_days": response_working_days(),
        },
    )


# --- Referrals sent ---------------------------------------------------------------------------


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    user = _worker(request, "referrals.send")
    form = SentFilterForm(request.GET or None)
    view = "open"
    if form.is_bound and form.is_valid():
        view = form.cleaned_data.get("view") or "open"
    referrals = selectors.sent_by(actor=user, view=view, request=request)
    page = selectors.page_of(referrals, number=request.GET.get("page"), per_page=PAGE_SIZE)
    return render(
        request,
        "referrals/sent.html",
        {
            "page": page,
            "view": view,
            "views": selectors.SENT_VIEWS,
            "view_label": selectors.SENT_VIEWS[view],
            "query": _query_without_page(request),
            "today": timezone.localdate(),
        },
    )


# --- Making a referral ---------------------------------------------------------------------------


@require_GET
def send_person(request: HttpRequest) -> HttpResponse:
    """Step 1: whom to refer (people in your organisations' care teams)."""
    user = _worker(request, "referrals.send")
    form = FindPersonForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    people = selectors.people_to_refer(actor=user, query=query)
    return render(request, "referrals/send_person.html", {"form": form, "people": people, "query": query})


def _person_to_refer(request: HttpRequest, user: User, person_id: uuid.UUID) -> Person:
    person = person_for(user, person_id, category=Category.REFERRALS, purpose="making a referral", request=request)
    if not actions.sender_organisations_for(actor=user, person=person):
        raise Http404("No record found.")
    return person


@require_GET
def send_service(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    """Step 2: which service to refer them to (search the directory)."""
    user = _worker(request, "referrals.send")
    person = _person_to_refer(request, user, person_id)
    form = FindServiceForm(request.GET or None)
    services = []
    if form.is_bound and form.is_valid():
        services = selectors.services_to_refer_to(query=form.cleaned_data["q"])
    return render(
        request,
        "referrals/send_service.html",
        {"form": form, "person": person, "services": services, "searched": form.is_bound and form.is_valid()},
    )


@require_http_methods(["GET", "POST"])
def send_details(request: HttpRequest, person_id: uuid.UUID, service_id: uuid.UUID) -> HttpResponse:
    """Step 3: what they need and how they want to hear; then check and send."""
    user = _worker(request, "referrals.send")
    person = _person_to_refer(request, user, person_id)
    service = selectors.service_to_refer_to(service_id)
    consent = consent_covers(person, service.organisation, Category.REFERRALS)
    organisations = [(o.pk, o.name) for o in actions.sender_organisations_for(actor=user, person=person)]
    if not organisations:
        raise Http404("No record found.")
    form = SendForm(_posted(request), organisations=organisations, needs_exception=consent is None)
    context: dict[str, Any] = {"form": form, "person": person, "service": service, "consent": consent}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.check_person_contact(
                person, by_email="email" in data["tell_person"], by_sms="sms" in data["tell_person"]
            )
        except ActionRefused as refused:
            _refused(form, refused)
            return render(request, "referrals/send_details.html", context)
        if "change" in request.POST:
            return render(request, "referrals/send_details.html", context)
        if "confirm" not in request.POST:
            # Check answers before anything is shared.
            context["checking"] = True
            context["sender_organisation"] = dict(organisations)[data["sender_organisation"]]
            return render(request, "referrals/send_check.html", context)
        try:
            referral = actions.referral_send(
                actor=user,
                person=person,
                service=service,
                need=data["need"],
                sender_organisation=next(
                    o
                    for o in actions.sender_organisations_for(actor=user, person=person)
                    if o.pk == data["sender_organisation"]
                ),
                basis=data["basis"],
                exception_reason=data.get("exception_reason", ""),
                tell_person_by_email="email" in data["tell_person"],
                tell_person_by_sms="sms" in data["tell_person"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(
                request,
                f"Referral {referral.reference} sent to {service.name}. They should answer by the end of "
                f"{referral.respond_by.day} {referral.respond_by:%B %Y}.",
            )
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(request, "referrals/send_details.html", context)


# --- One referral --------------------------------------------------------------------------------


ACTION_FORMS: dict[states.Action, Any] = {
    states.Action.ACCEPT: NoteForm,
    states.Action.DECLINE: DeclineForm,
    states.Action.WAIT_LIST: NoteForm,
    states.Action.START: NoteForm,
    states.Action.COMPLETE: CompleteForm,
    states.Action.WITHDRAW: WithdrawForm,
}

ACTION_URLS = {
    states.Action.ACCEPT: "referrals:accept",
    states.Action.DECLINE: "referrals:decline",
    states.Action.WAIT_LIST: "referrals:wait_list",
    states.Action.START: "referrals:start",
    states.Action.COMPLETE: "referrals:complete",
    states.Action.WITHDRAW: "referrals:withdraw",
    states.Action.REROUTE: "referrals:reroute",
}


def _open(request: HttpRequest, referral_id: uuid.UUID, *, purpose: str) -> tuple[User, selectors.ReferralAccess]:
    user = _worker(request, "referrals.send", "referrals.receive")
    return user, selectors.referral_for(actor=user, referral_id=referral_id, purpose=purpose, request=request)


def _detail_context(access: selectors.ReferralAccess, **extra: Any) -> dict[str, Any]:
    referral = access.referral
    return {
        "access": access,
        "referral": referral,
        "events": access.events,
        "next_steps": [
            {"action": action, "label": action.label, "url": reverse(ACTION_URLS[action], args=[referral.pk])}
            for action in access.allowed_actions()
        ],
        "rerouted_to": selectors.rerouted_to(referral),
        "comment_form": extra.pop("comment_form", None) or CommentForm(),
        "overdue": referral.is_overdue(),
        **extra,
    }


@require_GET
def detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    user, access = _open(request, referral_id, purpose="referral")
    if access.is_receiver and access.referral.state == states.State.SENT:
        # Opening a new referral is receiving it.
        actions.referral_receive(actor=user, referral_id=access.referral.pk, request=request)
        access = selectors.ReferralAccess(
            referral=selectors.referral_again(access.referral.pk),
            parties=access.parties,
            organisation=access.organisation,
            events=[],
        )
        access.events = selectors.events_of(access.referral)
    return render(request, "referrals/detail.html", _detail_context(access))


def _change_page(request: HttpRequest, referral_id: uuid.UUID, action: states.Action) -> HttpResponse:
    user, access = _open(request, referral_id, purpose="referral")
    referral = access.referral
    form_class = ACTION_FORMS[action]
    form = form_class(_posted(request), initial={"version": referral.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {"actor": user, "referral_id": referral.pk, "seen_version": data["version"], "request": request}
        try:
            if action == states.Action.ACCEPT:
                actions.referral_accept(**common, note=data["note"])
            elif action == states.Action.DECLINE:
                actions.referral_decline(**common, reason=data["reason"], explanation=data["explanation"])
            elif action == states.Action.WAIT_LIST:
                actions.referral_wait_list(**common, note=data["note"])
            elif action == states.Action.START:
                actions.referral_start(**common, note=data["note"])
            elif action == states.Action.COMPLETE:
                actions.referral_complete(**common, outcome=data["outcome"], note=data["note"])
            elif action == states.Action.WITHDRAW:
                actions.referral_withdraw(**common, reason=data["reason"])
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"Referral {referral.reference} {action.past_tense}.")
            return redirect("referrals:detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/change.html",
        {"referral": referral, "form": form, "action": action, "allowed": action in access.allowed_actions()},
    )


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _change_page(request, referral_id, states.Action.ACCEPT)


@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _change_page(request, referral_id, states.Action.DECLINE)


@require_http_methods(["GET", "POST"])
def wait_list(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _change_page(request, referral_id, states.Action.WAIT_LIST)


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _change_page(request, referral_id, states.Action.START)


@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _change_page(request, referral_id, states.Action.COMPLETE)


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    return _change_page(request, referral_id, states.Action.WITHDRAW)


@require_http_methods(["GET", "POST"])
def reroute(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """Pass a referral on: search for the new service, then say why."""
    user, access = _open(request, referral_id, purpose="referral")
    referral = access.referral
    allowed = states.Action.REROUTE in access.allowed_actions()
    search = FindServiceForm(request.GET if "q" in request.GET else None)
    services = (
        selectors.services_to_refer_to(query=search.cleaned_data["q"]) if search.is_bound and search.is_valid() else []
    )
    chosen_id = request.POST.get("service") or request.GET.get("service")
    chosen = None
    if chosen_id:
        try:
            chosen = selectors.service_to_refer_to(uuid.UUID(str(chosen_id)))
        except (ValueError, Http404):
            chosen = None
    form = None
    if chosen is not None:
        needs_exception = consent_covers(referral.person, chosen.organisation, Category.REFERRALS) is None
        form = RerouteForm(
            request.POST if request.method == "POST" else None,
            initial={"version": referral.version},
            needs_exception=needs_exception,
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                new = actions.referral_reroute(
                    actor=user,
                    referral_id=referral.pk,
                    seen_version=data["version"],
                    service=chosen,
                    note=data["note"],
                    basis=data["basis"],
                    exception_reason=data.get("exception_reason", ""),
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"Referral passed on to {chosen.name} as referral {new.reference}.")
                return redirect("referrals:detail", referral_id=referral.pk)
    elif request.method == "POST":
        search = FindServiceForm({"q": ""})
        search.is_valid()
        search.errors.clear()
        search.add_error("q", "Search for the service to pass the referral on to, then choose it.")
    return render(
        request,
        "referrals/reroute.html",
        {
            "referral": referral,
            "allowed": allowed,
            "search": search,
            "services": [s for s in services if s.pk != referral.service_id],
            "chosen": chosen,
            "form": form,
        },
    )


@require_POST
def comment(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    user, access = _open(request, referral_id, purpose="referral")
    form = CommentForm(request.POST)
    if not access.can_act:
        raise Http404("No referral found.")
    if form.is_valid():
        try:
            actions.referral_comment(
                actor=user, referral_id=access.referral.pk, text=form.cleaned_data["text"], request=request
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Your comment has been added.")
            return redirect("referrals:detail", referral_id=access.referral.pk)
    return render(request, "referrals/detail.html", _detail_context(access, comment_form=form), status=200)


@require_GET
def fhir_export(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    """The referral as a FHIR R4 Bundle (UK Core ServiceRequest and Task with
    Patient, Organizations, HealthcareService and Consent), for the sender and the receiver."""
    user = _worker(request, "referrals.send", "referrals.receive")
    access = selectors.referral_for(actor=user, referral_id=referral_id, purpose="FHIR export", request=request)
    if not access.can_act:
        raise Http404("No referral found.")
    bundle = fhir.bundle_for(access.referral, events=access.events)
    response = HttpResponse(json.dumps(bundle, indent=2), content_type="application/fhir+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="referral-{access.referral.reference}.fhir.json"'
    return response


# --- The person's own view ------------------------------------------------------------------------


def _own_person(request: HttpRequest) -> Person | None:
    """The person whose own page this is: their signed-in account's record, or the
    record opened from the signed link a worker sent them (``rosc.record.own_view``)."""
    person, _via = own_person(request)
    if person is None or person.restricted_at is not None:
        return None
    return person


def _signed_in_or_link(request: HttpRequest) -> HttpResponse | None:
    if request.user.is_authenticated or _own_person(request) is not None:
        return None
    return redirect_to_login(request.get_full_path())


@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    refusal = _signed_in_or_link(request)
    if refusal is not None:
        return refusal
    person = _own_person(request)
    actor = request.user if isinstance(request.user, User) else None
    referrals = selectors.own_referrals(person=person, actor=actor, request=request) if person else []
    return render(request, "referrals/mine.html", {"person": person, "referrals": referrals})


@require_http_methods(["GET", "POST"])
def mine_detail(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    refusal = _signed_in_or_link(request)
    if refusal is not None:
        return refusal
    person = _own_person(request)
    if person is None:
        raise Http404("No referral found.")
    actor = request.user if isinstance(request.user, User) else None
    referral = selectors.own_referral(person, referral_id, actor=actor, request=request)
    initial = {
        "ways": [w for w, on in (("email", referral.tell_person_by_email), ("sms", referral.tell_person_by_sms)) if on]
    }
    form = PersonUpdatesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        ways = form.cleaned_data["ways"]
        try:
            actions.referral_set_person_updates(
                actor=actor, referral=referral, by_email="email" in ways, by_sms="sms" in ways, request=request
            )
        except ActionRefused as refused:
            form.add_error("ways", refused.message)
        else:
            messages.success(request, "Thank you. We will tell you about changes the way you chose.")
            return redirect("referrals:mine_detail", referral_id=referral.pk)
    return render(
        request,
        "referrals/mine_detail.html",
        {"person": person, "referral": referral, "events": selectors.events_of(referral), "form": form},
    )


# --- Information-governance review of exceptions ---------------------------------------------------


@require_GET
def exceptions(request: HttpRequest) -> HttpResponse:
    user = _worker(request, "referrals.review_exceptions")
    reviewed = request.GET.get("reviewed") == "1"
    referrals = selectors.exceptions_for_review(actor=user, reviewed=reviewed, request=request)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/exceptions.html",
        {"page": page, "reviewed": reviewed, "query": _query_without_page(request)},
    )


@require_http_methods(["GET", "POST"])
def exception_review(request: HttpRequest, referral_id: uuid.UUID) -> HttpResponse:
    user = _worker(request, "referrals.review_exceptions")
    referral = selectors.exception_for_review(actor=user, referral_id=referral_id, request=request)
    form = ExceptionReviewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            actions.referral_exception_review(
                actor=user, referral_id=referral.pk, note=form.cleaned_data["note"], request=request
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"Review of referral {referral.reference} recorded.")
            return redirect("referrals:exceptions")
    return render(request, "referrals/exception_review.html", {"referral": referral, "form": form})
