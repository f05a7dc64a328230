"""Family support pages.

- A family member's own place (``/family/``): their wellbeing check-ins (ONS4) over
  time, reminders, family groups, support services for families, and what their
  relatives share with them (``/family/relative/<uuid>/``).
- A person in recovery shares their progress (``/family/share/``).
- Workers who run family groups (``/family/groups/run/``) and service managers'
  attendance figures (``/family/groups/attendance/``).

Views translate HTTP to a selector or action call and back.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from rosc.core import charts
from rosc.core.errors import ActionRefused
from rosc.core.models import Organisation, User
from rosc.core.view_helpers import form_data as _posted
from rosc.core.view_helpers import show_refusal as _refused
from rosc.core.view_helpers import staff_user as _staff
from rosc.family import actions, forms, policy, selectors
from rosc.family.models import FamilyPreference, MembershipStatus

# --- Tiny access helpers ----------------------------------------------------------------


class _SignIn(Exception):
    pass


def _public(request: HttpRequest, perm: str = "family.use_own_support") -> User:
    """A signed-in public account holding ``perm``; anonymous visitors are sent to sign in, others refused."""
    user = request.user
    if not isinstance(user, User):
        raise _SignIn
    if not user.has_perm(perm):
        raise PermissionDenied
    return user


def _public_page(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except _SignIn:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- A family member's own place -----------------------------------------------------------


def _ons4_chart(measurements: list[Any]) -> charts.Chart:
    from rosc.outcomes.instruments import ONS4, ONS4_SHORT_LABELS

    series = [
        charts.Series(
            ONS4_SHORT_LABELS.get(item.key, item.key),
            [(m.taken_at, m.answers.get(item.key)) for m in measurements],
        )
        for item in ONS4.items
    ]
    return charts.line_chart(
        series,
        y_min=0,
        y_max=10,
        y_step=2,
        y_label="Score, 0 to 10",
        title="Your wellbeing check-ins over time",
        description=(
            "Four separate lines, one for each wellbeing question, each scored from 0 to 10. For anxiety, a lower "
            "score is better. The table after the chart gives the same figures."
        ),
        chart_id="ons4-chart",
    )


def _family_services() -> list[Any]:
    from rosc.directory.selectors import SearchRequest, directory_terms, service_search

    outcome = service_search(SearchRequest(domains=("family-support",)), terms=directory_terms())
    return [row.service for row in outcome.rows[:5]]


@require_GET
@_public_page
def home(request: HttpRequest) -> HttpResponse:
    user = _public(request)
    from rosc.outcomes.selectors import measurements_for_family_member

    measurements = measurements_for_family_member(user, "ons4")
    groups = [row for row in selectors.groups_for(user) if row.status]
    return render(
        request,
        "family/home.html",
        {
            "relatives": selectors.relatives_of(user),
            "latest": measurements[-1] if measurements else None,
            "my_groups": groups,
            "services": _family_services(),
            "can_share": selectors.person_of_account(user) is not None,
        },
    )


@require_GET
@_public_page
def wellbeing(request: HttpRequest) -> HttpResponse:
    user = _public(request)
    from rosc.outcomes.instruments import ONS4, ONS4_SHORT_LABELS, score_ons4
    from rosc.outcomes.selectors import measurements_for_family_member

    measurements = measurements_for_family_member(user, "ons4")
    preference = FamilyPreference.objects.filter(user=user).first()
    latest = measurements[-1] if measurements else None
    latest_rows = []
    if latest is not None:
        scored = score_ons4(latest.answers)
        latest_rows = [(ONS4_SHORT_LABELS[key], getattr(scored, key)) for key in ONS4.keys]
    return render(
        request,
        "family/wellbeing.html",
        {
            "chart": _ons4_chart(measurements),
            "count": len(measurements),
            "latest": latest,
            "latest_rows": latest_rows,
            "instrument": ONS4,
            "reminder_on": bool(preference and preference.monthly_reminder),
        },
    )


@require_http_methods(["GET", "POST"])
@_public_page
def checkin(request: HttpRequest) -> HttpResponse:
    user = _public(request)
    from rosc.outcomes.actions import record_measurement
    from rosc.outcomes.instruments import ONS4

    form = forms.Ons4Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record_measurement(
                actor=user,
                instrument="ons4",
                answers=dict(form.cleaned_data),
                family_member=user,
                via="family",
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Thank you. Your wellbeing check-in has been saved.")
            return redirect("family:wellbeing")
    return render(request, "family/checkin.html", {"form": form, "instrument": ONS4})


@require_http_methods(["GET", "POST"])
@_public_page
def reminders(request: HttpRequest) -> HttpResponse:
    user = _public(request)
    preference = FamilyPreference.objects.filter(user=user).first()
    initial = {"monthly_reminder": "yes" if preference and preference.monthly_reminder else "no"}
    form = forms.ReminderForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        actions.family_reminder_set(actor=user, monthly_reminder=form.cleaned_data["monthly_reminder"], request=request)
        messages.success(
            request,
            "We will email you once a month."
            if form.cleaned_data["monthly_reminder"]
            else "We will not send you reminders.",
        )
        return redirect("family:wellbeing")
    return render(request, "family/reminders.html", {"form": form})


@require_GET
@_public_page
def relative(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    user = _public(request)
    view = selectors.relative_view(actor=user, person_id=person_id, request=request)
    return render(request, "family/relative.html", {"view": view, "labels": policy.SHAREABLE_LABELS})


@require_http_methods(["GET", "POST"])
@_public_page
def link_stop(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    """The family member stops seeing what a relative shares."""
    user = _public(request)
    link = selectors.link_for_member(user, link_id)
    if request.method == "POST":
        try:
            actions.family_link_end(actor=user, link=link, request=request)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, "You will no longer see what they share.")
        return redirect("family:home")
    return render(request, "family/link_stop.html", {"link": link})


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect_to_login(request.get_full_path())
    if not user.has_perm("family.use_own_support"):
        raise PermissionDenied
    link = selectors.invitation(token)
    error = ""
    if request.method == "POST":
        try:
            accepted = actions.family_invitation_accept(actor=user, token=token, request=request)
        except ActionRefused as refused:
            error = refused.message
        else:
            messages.success(request, "Thank you. You have accepted the invitation.")
            return redirect("family:relative", person_id=accepted.person.uuid)
    status = 200 if link is not None and not error else 410
    return render(request, "family/invitation.html", {"link": link, "error": error}, status=status)


# --- Groups, for family members -------------------------------------------------------------


@require_GET
@_public_page
def groups(request: HttpRequest) -> HttpResponse:
    user = _public(request)
    rows = selectors.groups_for(user)
    return render(
        request,
        "family/groups.html",
        {"mine": [row for row in rows if row.status], "open_groups": [row for row in rows if not row.status]},
    )


@require_http_methods(["GET", "POST"])
@_public_page
def group(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    user = _public(request)
    found, place, sessions = selectors.group_for_member(user, group_id)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "leave":
                actions.group_leave(actor=user, group=found, request=request)
                messages.success(request, "You have left the group.")
            else:
                actions.group_ask_to_join(actor=user, group=found, request=request)
                messages.success(request, "Thank you. The people who run the group will answer your request.")
        except ActionRefused as refused:
            messages.error(request, refused.message)
        return redirect("family:group", group_id=found.uuid)
    return render(
        request,
        "family/group.html",
        {
            "group": found,
            "place": place,
            "sessions": sessions,
            "is_member": place == MembershipStatus.MEMBER,
            "has_asked": place == MembershipStatus.REQUESTED,
        },
    )


# --- A person in recovery shares their progress ----------------------------------------------


@require_http_methods(["GET", "POST"])
@_public_page
def share(request: HttpRequest) -> HttpResponse:
    user = _public(request, "family.share_progress")
    person = selectors.person_of_account(user)
    if person is None:
        return render(request, "family/share_no_record.html")
    form = forms.InviteForm(_posted(request))
    checking = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("confirm") == "yes":
            try:
                actions.family_invite(
                    actor=user,
                    person=person,
                    name=data["name"],
                    relationship=data["relationship"],
                    email=data["email"],
                    categories=data["categories"],
                    months=data["months"],
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"We have emailed {data['name']} an invitation.")
                return redirect("family:share")
        else:
            checking = True
    if checking:
        data = form.cleaned_data
        return render(
            request,
            "family/share_check.html",
            {
                "form": form,
                "data": data,
                "shared": [policy.SHAREABLE_LABELS[c] for c in data["categories"]],
                "duration": policy.DURATIONS[data["months"]],
            },
        )
    return render(
        request,
        "family/share.html",
        {"form": form, "links": selectors.shares_of(person), "labels": policy.SHAREABLE_LABELS},
    )


@require_http_methods(["GET", "POST"])
@_public_page
def share_stop(request: HttpRequest, link_id: uuid.UUID) -> HttpResponse:
    user = _public(request, "family.share_progress")
    person = selectors.person_of_account(user)
    if person is None:
        raise PermissionDenied
    link = selectors.share_of(person, link_id)
    if request.method == "POST":
        try:
            actions.family_link_end(actor=user, link=link, request=request)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"You have stopped sharing with {link.name}. They can no longer see anything.")
        return redirect("family:share")
    return render(request, "family/share_stop.html", {"link": link})


# --- Running groups --------------------------------------------------------------------------


def _group_organisations(user: User) -> list[tuple[int, str]]:
    ids = policy.group_organisation_ids(user)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name").values_list("pk", "name"))


@require_GET
def run_groups(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "family.run_groups")
    return render(
        request,
        "family/run_groups.html",
        {
            "groups": list(selectors.groups_run_by(user)),
            "can_create": bool(policy.group_organisation_ids(user)),
            "sees_attendance": user.has_perm("family.view_group_attendance"),
        },
    )


@require_http_methods(["GET", "POST"])
def group_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "family.run_groups")
    organisations = _group_organisations(user)
    if not organisations:
        raise PermissionDenied
    form = forms.GroupForm(_posted(request), organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        organisation = Organisation.objects.get(pk=data["organisation"])
        try:
            created = actions.group_create(
                actor=user,
                organisation=organisation,
                details=actions.GroupDetails(
                    name=data["name"],
                    where=data["where"],
                    meets_when=data["meets_when"],
                    description=data["description"],
                    online=data["online"],
                    taking_new_members=data["taking_new_members"],
                ),
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The group has been set up.")
            return redirect("family:run_group", group_id=created.uuid)
    return render(request, "family/group_new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def run_group(request: HttpRequest, group_id: uuid.UUID) -> HttpResponse:
    user = _staff(request, "family.run_groups")
    found = selectors.group_to_manage(user, group_id)
    session_form = forms.SessionForm(request.POST if request.POST.get("do") == "add_session" else None)
    if request.method == "POST":
        what = request.POST.get("do", "")
        if what == "add_session":
            if session_form.is_valid():
                try:
                    actions.session_add(
                        actor=user,
                        group=found,
                        on=session_form.cleaned_data["on"],
                        topic=session_form.cleaned_data["topic"],
                        request=request,
                    )
                except ActionRefused as refused:
                    _refused(session_form, refused)
                else:
                    messages.success(request, "The session has been added.")
                    return redirect("family:run_group", group_id=found.uuid)
        elif what in ("accept", "decline", "remove"):
            place = (
                found.members.filter(pk=_int(request.POST.get("member")) or 0).select_related("user", "group").first()
            )
            if place is None:
                messages.error(request, "Choose someone from the list.")
            else:
                try:
                    actions.group_decide(actor=user, place=place, decision=what, request=request)
                except ActionRefused as refused:
                    messages.error(request, refused.message)
                else:
                    messages.success(request, "Done.")
            return redirect("family:run_group", group_id=found.uuid)
        else:
            messages.error(request, "Choose what to do.")
            return redirect("family:run_group", group_id=found.uuid)
    return render(
        request,
        "family/run_group.html",
        {
            "group": found,
            "people": selectors.group_people(found),
            "sessions": selectors.group_sessions(found),
            "session_form": session_form,
        },
    )


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
def session(request: HttpRequest, group_id: uuid.UUID, session_id: int) -> HttpResponse:
    user = _staff(request, "family.run_groups")
    found = selectors.group_to_manage(user, group_id)
    meeting = selectors.session_to_manage(found, session_id)
    places, came = selectors.session_register(meeting)
    people = [
        (place.user_id, str(place.user) + (" (has left the group)" if place.status == MembershipStatus.LEFT else ""))
        for place in places
    ]
    form = forms.AttendanceForm(_posted(request), people=people, initial={"attended": sorted(came)})
    if request.method == "POST" and form.is_valid():
        try:
            actions.attendance_record(
                actor=user, session=meeting, attended=form.cleaned_data["attended"], request=request
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Attendance has been saved.")
            return redirect("family:run_group", group_id=found.uuid)
    return render(request, "family/session.html", {"group": found, "meeting": meeting, "form": form})


@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "family.view_group_attendance")
    counts = selectors.attendance_counts(user)
    by_group: dict[str, list[selectors.SessionCount]] = {}
    for row in counts:
        by_group.setdefault(row.group, []).append(row)
    sections = []
    for index, (name, rows) in enumerate(by_group.items(), start=1):
        bars = [
            charts.Bar(
                label=f"{charts.format_date(row.on)}{' - ' + row.topic if row.topic else ''}"[:40],
                value=row.came if row.recorded else None,
                note="Not recorded yet",
            )
            for row in rows
        ]
        chart = charts.bar_chart(
            bars,
            title=f"People at each session of {name}",
            value_label="People who came",
            label_heading="Session",
            chart_id=f"attendance-{index}",
        )
        sections.append({"name": name, "chart": chart})
    return render(request, "family/attendance.html", {"sections": sections})
