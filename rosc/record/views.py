"""Staff pages of the shared recovery record: the caseload, a person's record
(overview, plan, care team and consent, notes, timeline), adding and finding
people, and emergency (break-glass) access.

Every page about a person opens it through ``rosc.record.access``, which
answers 404 unless the care team and consent allow it, and audits the read
and logs the disclosure.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.audit import audit_read
from rosc.core.errors import ActionRefused
from rosc.core.models import Organisation, User
from rosc.core.view_helpers import show_refusal as _refused
from rosc.core.view_helpers import staff_user as _staff
from rosc.record import access, actions, selectors
from rosc.record.categories import Category
from rosc.record.forms import (
    BreakGlassForm,
    CareConsentForm,
    GoalActionForm,
    GoalForm,
    IdentifyForm,
    NewPersonForm,
    NoteForm,
    PersonDetailsForm,
    ProgressForm,
    SendLinkForm,
    SharedForm,
    SpecificConsentForm,
    TeamMemberForm,
)
from rosc.record.models import Person, TeamRole
from rosc.record.own_view import own_view_url

PURPOSE = "care coordination"
PAGE_SIZE = 50


def _working_organisations(user: User) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=access.working_organisation_ids(user)).order_by("name"))


def _record_context(person: Person, grants: dict[str, access.Grant], user: User, here: str) -> dict[str, Any]:
    return {
        "person": person,
        "grants": grants,
        "can": {
            "contact": Category.CONTACT in grants,
            "plan": Category.PLAN in grants,
            "notes": Category.NOTES in grants,
            "referrals": Category.REFERRALS in grants,
            "outcomes": Category.OUTCOMES in grants,
            "edit_contact": Category.CONTACT in grants and bool(access.working_organisation_ids(user)),
            "edit_plan": Category.PLAN in grants and bool(access.working_organisation_ids(user)),
        },
        "break_glass": next((grant.break_glass for grant in grants.values() if grant.break_glass), None),
        "here": here,
        "referrals_url": _referrals_url(person) if access.can_refer(user, person) else "",
    }


def _referrals_url(person: Person) -> str:
    """Where to make a referral for this person, if the referrals area provides the page."""
    try:
        return reverse("referrals:send_service", kwargs={"person_id": person.uuid})
    except NoReverseMatch:
        return ""


# --- Caseload, adding and finding people ---------------------------------------------------


@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    search = request.GET.get("q", "")[:100]
    loaded, page = selectors.caseload_page(
        user, search=search, page=request.GET.get("page"), per_page=PAGE_SIZE, request=request
    )
    return render(
        request,
        "record/caseload.html",
        {
            "caseload": loaded,
            "page": page,
            "rows": page.object_list,
            "search": search,
            "query": urlencode({"q": search}) if search else "",
            "can_add": user.has_perm("record.work_with_people"),
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "record.work_with_people")
    organisations = _working_organisations(user)
    if not organisations:
        raise PermissionDenied
    if request.method == "POST":
        form = NewPersonForm(request.POST, organisations=organisations)
        if form.is_valid():
            organisation = organisations[0]
            chosen = request.POST.get("acting_for")
            if chosen:
                organisation = next((org for org in organisations if str(org.pk) == chosen), organisation)
            terms = form.terms()
            terms = dataclasses.replace(terms, organisations=[organisation, *terms.organisations])
            try:
                person = actions.create_person(
                    actor=user, organisation=organisation, consent=terms, request=request, **form.person_fields()
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"{person.full_name} has been added, with their consent.")
                return redirect("record:person", person_id=person.uuid)
    else:
        form = NewPersonForm(
            organisations=organisations,
            initial={
                "organisations": [str(org.pk) for org in organisations],
                "categories": [c.value for c in Category],
                "expires_on": timezone.localdate() + timedelta(days=365),
            },
        )
    return render(request, "record/person_new.html", {"form": form, "organisations": organisations})


@require_GET
def find(request: HttpRequest) -> HttpResponse:
    """Find a record by exact identifiers. Shows only records the user may open."""
    user = _staff(request, "record.work_with_people")
    form = IdentifyForm(request.GET or None)
    results: list[tuple[Person, str]] | None = None
    if form.is_bound and form.is_valid():
        results = []
        for person in selectors.people_matching(**form.cleaned_data):
            if access.grants_for(user, person):
                results.append((person, reverse("record:person", kwargs={"person_id": person.uuid})))
            elif access.can_manage_team_and_consent(user, person):
                results.append((person, reverse("record:team", kwargs={"person_id": person.uuid})))
        audit_read(
            actor=user,
            action="record.searched",
            purpose=PURPOSE,
            object_type="record.person",
            request=request,
            details={
                "by": "nhs_number" if form.cleaned_data["nhs_number"] else "name_and_date_of_birth",
                "shown": len(results),
            },
        )
    return render(request, "record/find.html", {"form": form, "results": results})


@require_http_methods(["GET", "POST"])
def emergency(request: HttpRequest) -> HttpResponse:
    """Break-glass access for safeguarding: identify the person exactly, give a reason."""
    user = _staff(request, "record.break_glass")
    organisations = _working_organisations(user)
    if request.method == "POST":
        form = BreakGlassForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            matches = selectors.people_matching(
                nhs_number=data["nhs_number"], full_name=data["full_name"], date_of_birth=data["date_of_birth"]
            )
            if len(matches) != 1:
                form.add_error(
                    "nhs_number",
                    "No single record matches those details. Check them, or use the NHS number if you have it.",
                )
            else:
                try:
                    actions.break_glass(
                        actor=user,
                        person=matches[0],
                        organisation=form.chosen_organisation(),
                        reason=data["reason"],
                        hours=data["hours"],
                        request=request,
                    )
                except ActionRefused as refused:
                    _refused(form, refused)
                else:
                    messages.success(
                        request,
                        f"You have emergency access for {data['hours']} hour{'s' if data['hours'] != 1 else ''}. "
                        "The information-governance lead has been told and will review it.",
                    )
                    return redirect("record:person", person_id=matches[0].uuid)
    else:
        form = BreakGlassForm(organisations=organisations)
    return render(request, "record/emergency.html", {"form": form})


# --- A person's record ------------------------------------------------------------------------


@require_GET
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, grants = access.open_record(user, person_id, categories=list(Category), purpose=PURPOSE, request=request)
    context = _record_context(found, grants, user, "overview")
    if Category.PLAN in grants:
        context["plan"] = [domain for domain in selectors.plan_of(found) if domain.goals]
        context["team"] = selectors.care_team(found, include_ended=False)
    if Category.NOTES in grants:
        context["recent_notes"] = list(selectors.notes_for(user, found)[:3])
    return render(request, "record/person.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "record.work_with_people")
    found, grants = access.open_record(user, person_id, categories=[Category.CONTACT], purpose=PURPOSE, request=request)
    if request.method == "POST":
        form = PersonDetailsForm(request.POST)
        if form.is_valid():
            try:
                actions.update_person(actor=user, person=found, changes=form.cleaned_data, request=request)
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "Their details have been saved.")
                return redirect("record:person", person_id=found.uuid)
    else:
        form = PersonDetailsForm(initial=PersonDetailsForm.initial_for(found))
    return render(
        request, "record/person_edit.html", {**_record_context(found, grants, user, "overview"), "form": form}
    )


@require_http_methods(["GET", "POST"])
def send_link(request: HttpRequest, person_id: str) -> HttpResponse:
    """Send the person a link to their own view of the record."""
    user = _staff(request, "record.work_with_people")
    found, grants = access.open_record(user, person_id, categories=[Category.CONTACT], purpose=PURPOSE, request=request)
    form = SendLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.send_own_view_link(
                actor=user,
                person=found,
                channel=form.cleaned_data["channel"],
                link=own_view_url(found),
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The link has been sent. It works for 7 days.")
            return redirect("record:person", person_id=found.uuid)
    return render(request, "record/send_link.html", {**_record_context(found, grants, user, "overview"), "form": form})


# --- Plan -------------------------------------------------------------------------------------


def _owner_choices(person: Person) -> tuple[list[tuple[str, str]], dict[str, actions.GoalOwner]]:
    choices: list[tuple[str, str]] = []
    owners: dict[str, actions.GoalOwner] = {}
    members = selectors.care_team(person, include_ended=False)
    for member in members:
        if member.organisation is not None and f"org-{member.organisation.pk}" not in owners:
            key = f"org-{member.organisation.pk}"
            owners[key] = actions.GoalOwner(organisation=member.organisation)
            choices.append((key, member.organisation.name))
    for member in members:
        if member.worker is not None and member.organisation is not None:
            key = f"worker-{member.worker.pk}-{member.organisation.pk}"
            owners[key] = actions.GoalOwner(organisation=member.organisation, worker=member.worker)
            choices.append((key, f"{member.worker} ({member.organisation.name})"))
    return choices, owners


@require_GET
def plan(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, grants = access.open_record(user, person_id, categories=[Category.PLAN], purpose=PURPOSE, request=request)
    return render(
        request,
        "record/plan.html",
        {
            **_record_context(found, grants, user, "plan"),
            "domains": selectors.plan_of(found),
            "today": timezone.localdate(),
        },
    )


def _goal_owner_key(goal: Any) -> str:
    if goal.owner_worker_id and goal.owner_organisation_id:
        return f"worker-{goal.owner_worker_id}-{goal.owner_organisation_id}"
    return f"org-{goal.owner_organisation_id}" if goal.owner_organisation_id else ""


@require_http_methods(["GET", "POST"])
def goal_form(request: HttpRequest, person_id: str, goal_id: int | None = None) -> HttpResponse:
    user = _staff(request, "record.work_with_people")
    found, grants = access.open_record(user, person_id, categories=[Category.PLAN], purpose=PURPOSE, request=request)
    goal = selectors.goal_of(found, goal_id) if goal_id is not None else None
    choices, owners = _owner_choices(found)
    if request.method == "POST":
        form = GoalForm(request.POST, owners=choices, with_status=goal is not None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if goal is None:
                    actions.create_goal(
                        actor=user,
                        person=found,
                        domain=data["domain"],
                        in_own_words=data["in_own_words"],
                        owner=owners[data["owner"]],
                        review_on=data["review_on"],
                        request=request,
                    )
                else:
                    actions.update_goal(
                        actor=user,
                        goal=goal,
                        domain=data["domain"],
                        in_own_words=data["in_own_words"],
                        owner=owners[data["owner"]],
                        review_on=data["review_on"],
                        status=data["status"],
                        request=request,
                    )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(
                    request, "The goal has been saved." if goal else "The goal has been added to the plan."
                )
                return redirect("record:plan", person_id=found.uuid)
    elif goal is not None:
        form = GoalForm(
            owners=choices,
            initial={
                "domain": goal.domain,
                "in_own_words": goal.in_own_words,
                "owner": _goal_owner_key(goal),
                "review_on": goal.review_on,
                "status": goal.status,
            },
        )
    else:
        form = GoalForm(owners=choices, with_status=False, initial={"domain": request.GET.get("domain", "")})
    return render(
        request, "record/goal_form.html", {**_record_context(found, grants, user, "plan"), "form": form, "goal": goal}
    )


@require_http_methods(["GET", "POST"])
def goal_action_new(request: HttpRequest, person_id: str, goal_id: int) -> HttpResponse:
    user = _staff(request, "record.work_with_people")
    found, grants = access.open_record(user, person_id, categories=[Category.PLAN], purpose=PURPOSE, request=request)
    goal = selectors.goal_of(found, goal_id)
    form = GoalActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_goal_action(actor=user, goal=goal, request=request, **form.cleaned_data)
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The step has been added.")
            return redirect("record:plan", person_id=found.uuid)
    return render(
        request,
        "record/goal_action_form.html",
        {**_record_context(found, grants, user, "plan"), "form": form, "goal": goal},
    )


@require_POST
def goal_action_done(request: HttpRequest, person_id: str, goal_id: int, action_id: int) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, _grants = access.open_record(user, person_id, categories=[Category.PLAN], purpose=PURPOSE, request=request)
    goal = selectors.goal_of(found, goal_id)
    step = selectors.goal_step_of(goal, action_id)
    try:
        actions.complete_goal_action(actor=user, step=step, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "The step is marked as done.")
    return redirect("record:plan", person_id=found.uuid)


@require_http_methods(["GET", "POST"])
def goal_progress(request: HttpRequest, person_id: str, goal_id: int) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, grants = access.open_record(user, person_id, categories=[Category.PLAN], purpose=PURPOSE, request=request)
    goal = selectors.goal_of(found, goal_id)
    form = ProgressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.add_progress(actor=user, goal=goal, request=request, **form.cleaned_data)
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The progress update has been added.")
            return redirect("record:plan", person_id=found.uuid)
    return render(
        request,
        "record/goal_progress.html",
        {**_record_context(found, grants, user, "plan"), "form": form, "goal": goal},
    )


# --- Care team and consent ---------------------------------------------------------------------


def _team_page(request: HttpRequest, user: User, found: Person, can_manage: bool, **forms: Any) -> HttpResponse:
    team_form = forms.get("team_form") or TeamMemberForm(organisations=list(selectors.organisations_for_choice()))
    return render(
        request,
        "record/team.html",
        {
            "person": found,
            "here": "team",
            "can_manage": can_manage,
            "can": {
                "plan": access.can_access(user, found, Category.PLAN),
                "notes": access.can_access(user, found, Category.NOTES),
            },
            "members": selectors.care_team(found),
            "consents": selectors.consents_of(found),
            "team_form": team_form,
            "today": timezone.localdate(),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, can_manage = access.open_care_team_page(user, person_id, purpose=PURPOSE, request=request)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        form = TeamMemberForm(request.POST, organisations=list(selectors.organisations_for_choice()))
        if form.is_valid():
            data = form.cleaned_data
            worker = None
            if data["worker_email"]:
                worker = User.objects.filter(email__iexact=data["worker_email"], is_active=True).first()
                if worker is None:
                    form.add_error("worker_email", "No Open ROSC account uses that email address.")
            if not form.errors:
                try:
                    actions.add_to_care_team(
                        actor=user,
                        person=found,
                        role=data["role"],
                        organisation=form.chosen_organisation(),
                        worker=worker,
                        name=data["name"] if data["role"] == TeamRole.FAMILY else "",
                        relationship=data["relationship"] if data["role"] == TeamRole.FAMILY else "",
                        started=data["started"],
                        request=request,
                    )
                except ActionRefused as refused:
                    _refused(form, refused)
                else:
                    messages.success(request, "They have been added to the care team.")
                    return redirect("record:team", person_id=found.uuid)
        return _team_page(request, user, found, can_manage, team_form=form)
    return _team_page(request, user, found, can_manage)


@require_POST
def team_end(request: HttpRequest, person_id: str, member_id: int) -> HttpResponse:
    user = _staff(request, "record.work_with_people")
    found, can_manage = access.open_care_team_page(user, person_id, purpose=PURPOSE, request=request)
    member = selectors.team_member_of(found, member_id)
    if member is None or not can_manage:
        raise Http404("No such member.")
    try:
        actions.end_care_team_member(actor=user, member=member, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "Their place in the care team has ended today.")
    return redirect("record:team", person_id=found.uuid)


@require_http_methods(["GET", "POST"])
def consent_new(request: HttpRequest, person_id: str, kind: str) -> HttpResponse:
    user = _staff(request, "record.work_with_people")
    found, can_manage = access.open_care_team_page(user, person_id, purpose=PURPOSE, request=request)
    if not can_manage:
        raise Http404("No record found.")
    specific = kind == "specific"
    form: CareConsentForm | SpecificConsentForm
    if specific:
        form = SpecificConsentForm(request.POST if request.method == "POST" else None)
    else:
        team_orgs = selectors.team_organisations(found)
        form = CareConsentForm(
            request.POST if request.method == "POST" else None,
            organisations=team_orgs,
            initial={"organisations": [str(org.pk) for org in team_orgs], "categories": [c.value for c in Category]},
        )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consent(actor=user, person=found, terms=form.terms(), request=request)
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Their consent has been recorded.")
            return redirect("record:team", person_id=found.uuid)
    return render(
        request,
        "record/consent_form.html",
        {"person": found, "here": "team", "form": form, "specific": specific, "can": {}},
    )


@require_http_methods(["GET", "POST"])
def consent_shared(request: HttpRequest, person_id: str, consent_id: int) -> HttpResponse:
    """Record that information was shared with someone outside, under a purpose-specific consent."""
    user = _staff(request, "record.work_with_people")
    found, _can_manage = access.open_care_team_page(user, person_id, purpose=PURPOSE, request=request)
    consent = selectors.consent_of(found, consent_id, kind="specific")
    if consent is None or not consent.is_live():
        raise Http404("No such consent.")
    shareable = [c for c in consent.categories if access.can_access(user, found, c)]
    form = SharedForm(request.POST if request.method == "POST" else None, categories=shareable)
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_sharing(
                actor=user, consent=consent, categories=form.cleaned_data["categories"], request=request
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Thank you. It is in their disclosure log, so they can see what was shared.")
            return redirect("record:team", person_id=found.uuid)
    return render(
        request,
        "record/consent_shared.html",
        {"person": found, "consent": consent, "form": form, "shareable": shareable},
    )


@require_POST
def consent_withdraw(request: HttpRequest, person_id: str, consent_id: int) -> HttpResponse:
    """A worker records that the person has withdrawn a consent (for example by phone)."""
    user = _staff(request, "record.view_caseload")
    found, can_manage = access.open_care_team_page(user, person_id, purpose=PURPOSE, request=request)
    consent = selectors.consent_of(found, consent_id)
    if consent is None or not can_manage:
        raise Http404("No such consent.")
    try:
        actions.withdraw_consent(actor=user, consent=consent, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "The consent has been withdrawn. It no longer allows any sharing.")
    if access.can_manage_team_and_consent(user, found):
        return redirect("record:team", person_id=found.uuid)
    return redirect("record:caseload")


# --- Notes and timeline --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, grants = access.open_record(user, person_id, categories=[Category.NOTES], purpose=PURPOSE, request=request)
    can_write = bool(access.working_organisation_ids(user))
    form = NoteForm(request.POST if request.method == "POST" else None, initial={"happened_on": timezone.localdate()})
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.add_note(actor=user, person=found, request=request, **form.cleaned_data)
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The note has been added.")
                return redirect("record:notes", person_id=found.uuid)
    page = Paginator(selectors.notes_for(user, found), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "record/notes.html",
        {
            **_record_context(found, grants, user, "notes"),
            "form": form,
            "can_write": can_write,
            "page": page,
            "notes": page.object_list,
        },
    )


@require_GET
def timeline(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "record.view_caseload")
    found, grants = access.open_record(user, person_id, categories=list(Category), purpose=PURPOSE, request=request)
    return render(
        request,
        "record/timeline.html",
        {**_record_context(found, grants, user, "timeline"), "entries": selectors.timeline_of(user, found, grants)},
    )
