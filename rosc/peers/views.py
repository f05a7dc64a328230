"""Peer mentoring pages: the mentor's home, profile and sessions; the coordinator's mentors, waiting list,
suggestions and proposed assignment; supervision; asking for a mentor from the record; the person's own
sessions.

Views translate HTTP to a selector or action call and back. Pages answer 403 to people without the
capability and 404 for mentors, requests and people outside what they may see.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from rosc.core.errors import ActionRefused
from rosc.core.models import Organisation, OrganisationKind
from rosc.core.view_helpers import form_data as _posted
from rosc.core.view_helpers import show_refusal as _refused
from rosc.core.view_helpers import staff_user as _staff
from rosc.peers import actions, selectors
from rosc.peers.forms import CheckForm, ProfileForm, RequestForm, SessionForm, SupervisionForm, SupervisorForm
from rosc.peers.models import MentorProfile, RequestStatus
from rosc.record import access
from rosc.record.categories import Category
from rosc.record.charts import bar_chart

PAIR = re.compile(r"^([0-9a-f-]{36}):([0-9a-f-]{36})$")


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404("Not found.") from None


# --- Home -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "peers.mentor", "peers.coordinate", "peers.supervise")
    context: dict[str, Any] = {"is_mentor": user.has_perm("peers.mentor")}
    if context["is_mentor"]:
        profiles = selectors.own_profiles(user)
        statuses = selectors.statuses_for(profiles)
        context["profiles"] = [(p, statuses[p.pk], list(p.checks.all())) for p in profiles]
        context["mentees"] = selectors.mentees_of(user)
        context["mentor_orgs"] = Organisation.objects.filter(pk__in=selectors.mentor_organisation_ids(user))
    context["coordinated"] = selectors.coordinated_organisations(user) if user.has_perm("peers.coordinate") else []
    context["supervised"] = selectors.supervised_profiles(user) if user.has_perm("peers.supervise") else []
    return render(request, "peers/home.html", context)


@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, organisation_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.mentor")
    organisation = Organisation.objects.filter(uuid=organisation_id).first()
    if organisation is None or organisation.pk not in selectors.mentor_organisation_ids(user):
        raise Http404("Not found.")
    profile = MentorProfile.objects.filter(user=user, organisation=organisation).first()
    initial: dict[str, Any] = {
        "languages": "English",
        "capacity": 2,
        "gender": "not_said",
        "ways": ["in_person", "online"],
    }
    if profile is not None:
        initial = {
            "lived_experience": profile.lived_experience,
            "substances": profile.substances,
            "languages": profile.languages,
            "gender": profile.gender,
            "areas": profile.areas,
            "availability": profile.availability,
            "capacity": profile.capacity,
            "ways": [w for w, on in (("in_person", profile.in_person), ("online", profile.online)) if on],
        }
    form = ProfileForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.profile_save(
                actor=user,
                organisation=organisation,
                lived_experience=data["lived_experience"],
                substances=data["substances"],
                languages=data["languages"],
                gender=data["gender"],
                areas=data["areas"],
                in_person="in_person" in data["ways"],
                online="online" in data["ways"],
                availability=data["availability"],
                capacity=data["capacity"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Your mentor profile has been saved.")
            return redirect("peers:home")
    return render(request, "peers/profile_form.html", {"form": form, "organisation": organisation})


# --- Sessions -------------------------------------------------------------------------------


def sessions(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.view_sessions")
    person = selectors.person_for_sessions(user, person_id, request=request)
    return render(
        request,
        "peers/sessions.html",
        {"person": person, "sessions": selectors.sessions_of(person), "can_log": selectors.is_mentor_of(user, person)},
    )


@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.mentor")
    person = selectors.person_for_sessions(user, person_id, request=request)
    if selectors.is_mentor_of(user, person) is None:
        raise Http404("Not found.")
    form = SessionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.session_log(
                actor=user,
                person=person,
                held_on=data["held_on"],
                mode=data["mode"],
                minutes=data["minutes"],
                topics=data["topics"],
                other_topic=data["other_topic"],
                next_steps=data["next_steps"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Session logged.")
            return redirect("peers:sessions", person_id=person.uuid)
    return render(request, "peers/session_form.html", {"form": form, "person": person})


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    person, found = selectors.own_sessions(request.user)
    return render(request, "peers/my_sessions.html", {"person": person, "sessions": found})


# --- Coordinator ----------------------------------------------------------------------------


def mentors(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "peers.coordinate")
    rows = selectors.mentor_rows(user)
    places = [
        ("Mentees now", sum(r.mentees for r in rows)),
        ("Free places, checks in date", sum(r.spare for r in rows if r.status.ok)),
        ("Free places held back: checks not in date", sum(r.spare for r in rows if not r.status.ok)),
    ]
    return render(
        request,
        "peers/mentors.html",
        {
            "places": places,
            "chart": bar_chart(places, title="Mentoring places across your mentors"),
            "rows": rows,
            "without_profile": selectors.mentors_without_profile(user),
            "organisations": selectors.coordinated_organisations(user),
        },
    )


@require_http_methods(["GET", "POST"])
def mentor_detail(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.coordinate")
    profile = selectors.profile_for_coordinator(user, profile_id)
    people = [
        m.user
        for m in profile.organisation.memberships.active()
        .filter(role__in=["service_manager", "peer_mentor"])
        .exclude(user=profile.user)
        .select_related("user")
    ]
    people = list({u.pk: u for u in people}.values())
    which = request.POST.get("form") if request.method == "POST" else None
    check_form = CheckForm(request.POST if which == "check" else None)
    supervisor_form = SupervisorForm(
        request.POST if which == "supervisor" else None,
        people=people,
        initial={"supervisor": str(profile.supervisor_id or "")},
    )
    if which == "check" and check_form.is_valid():
        data = check_form.cleaned_data
        try:
            actions.check_record(
                actor=user,
                profile=profile,
                kind=data["kind"],
                title=data["title"],
                completed_on=data["completed_on"],
                expires_on=data["expires_on"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(check_form, refused)
        else:
            messages.success(request, "Check recorded.")
            return redirect("peers:mentor", profile_id=profile.uuid)
    if which == "supervisor" and supervisor_form.is_valid():
        chosen = supervisor_form.cleaned_data["supervisor"]
        supervisor = next((u for u in people if str(u.pk) == chosen), None)
        try:
            actions.profile_set_supervisor(actor=user, profile=profile, supervisor=supervisor, request=request)
        except ActionRefused as refused:
            _refused(supervisor_form, refused)
        else:
            messages.success(request, "Supervisor saved.")
            return redirect("peers:mentor", profile_id=profile.uuid)
    checks = list(profile.checks.all())
    return render(
        request,
        "peers/mentor.html",
        {
            "profile": profile,
            "checks": checks,
            "status": selectors.check_status(checks),
            "check_form": check_form,
            "supervisor_form": supervisor_form,
            "supervision": selectors.supervision_log(profile),
            "mentees": selectors.mentee_counts(profile.organisation, [profile.user_id]).get(profile.user_id, 0),
        },
    )


def waiting_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "peers.coordinate")
    entries = selectors.waiting_list(user, request=request)
    return render(request, "peers/waiting_list.html", {"entries": entries})


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.coordinate")
    mentor_request = selectors.request_for(user, request_id, request=request)
    error = ""
    if request.method == "POST" and mentor_request.status == RequestStatus.OPEN:
        if request.POST.get("close"):
            try:
                actions.request_close(actor=user, mentor_request=mentor_request, request=request)
            except ActionRefused as refused:
                error = refused.message
            else:
                messages.success(request, "Taken off the waiting list.")
                return redirect("peers:waiting_list")
        else:
            mentor = str(request.POST.get("mentor", ""))
            if not mentor:
                error = "Choose a mentor to confirm."
            else:
                try:
                    actions.match_confirm(actor=user, pairs=[(str(mentor_request.uuid), mentor)], request=request)
                except ActionRefused as refused:
                    error = refused.message
                else:
                    messages.success(request, "Match confirmed. The mentor has been told.")
                    return redirect("peers:waiting_list")
    context = {"mentor_request": mentor_request, "error": error}
    if mentor_request.status == RequestStatus.OPEN:
        context["suggestions"] = selectors.suggestions_for(mentor_request)
        context["not_eligible"] = selectors.not_eligible_for(mentor_request)
    return render(request, "peers/request.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def proposal(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "peers.coordinate")
    error = ""
    if request.method == "POST":
        chosen = request.POST.getlist("pair")
        parsed = [PAIR.match(value) for value in chosen]
        if not chosen:
            error = "Choose at least one match to confirm."
        elif not all(parsed):
            error = "This page is out of date. Look at the proposal again."
        else:
            try:
                done = actions.match_confirm(
                    actor=user, pairs=[(m.group(1), m.group(2)) for m in parsed if m], request=request
                )
            except ActionRefused as refused:
                error = refused.message
            else:
                messages.success(
                    request, f"{len(done)} match{'es' if len(done) != 1 else ''} confirmed. The mentors have been told."
                )
                return redirect("peers:waiting_list")
    pairs = selectors.proposal(user, request=request)
    matched = [p for p in pairs if p.match]
    return render(
        request,
        "peers/proposal.html",
        {
            "pairs": pairs,
            "matched": matched,
            "unmatched": [p for p in pairs if not p.match],
            "total": sum(p.match.score for p in matched if p.match),
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Supervision ----------------------------------------------------------------------------


def supervision(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "peers.supervise")
    return render(request, "peers/supervision.html", {"profiles": selectors.supervised_profiles(user)})


@require_http_methods(["GET", "POST"])
def supervision_new(request: HttpRequest, profile_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.supervise", "peers.coordinate")
    profile = selectors.profile_for_supervisor(user, profile_id)
    is_supervisor = profile.supervisor_id == user.pk
    form = SupervisionForm(_posted(request))
    if request.method == "POST":
        if not is_supervisor:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.supervision_record(
                    actor=user,
                    profile=profile,
                    held_on=data["held_on"],
                    minutes=data["minutes"],
                    covered=data["covered"],
                    next_on=data["next_on"],
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "Supervision session recorded.")
                return redirect("peers:supervision_new", profile_id=profile.uuid)
    return render(
        request,
        "peers/supervision_form.html",
        {"profile": profile, "form": form, "log": selectors.supervision_log(profile), "is_supervisor": is_supervisor},
    )


# --- Asking for a mentor (from the record) --------------------------------------------------


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "peers.request_mentor")
    person = access.person_for(
        user, person_id, category=Category.PLAN, purpose="Asking for a peer mentor", request=request
    )
    if not access.can_manage_team_and_consent(user, person):
        raise Http404("Not found.")
    organisations = list(Organisation.objects.filter(kind=OrganisationKind.PEER_SUPPORT).order_by("name"))
    form = RequestForm(
        _posted(request), organisations=organisations, initial={"area": person.area, "ways": ["in_person", "online"]}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = next(o for o in organisations if str(o.uuid) == data["organisation"])
        try:
            actions.request_create(
                actor=user,
                person=person,
                organisation=organisation,
                substances=data["substances"],
                languages=data["languages"],
                gender_preference=data["gender_preference"] or "",
                area=data["area"],
                in_person_ok="in_person" in data["ways"],
                online_ok="online" in data["ways"],
                availability=data["availability"],
                note=data["note"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{person.display_name} is on the waiting list at {organisation.name}.")
            return redirect("record:person", person_id=person.uuid)
    return render(request, "peers/request_form.html", {"form": form, "person": person})
