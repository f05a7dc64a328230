"""Continuing-care pages, mounted at /continuing-care/.

- The person's check-in, from the link in their email or text, without signing in (``check-in/...``):
  one page of questions, "I need help now" on every page, kind pages for links that cannot be used.
- The person's own page (signed in): their schedule, and stopping it.
- Staff: a person's continuing care (start on discharge or on demand, pause, end, answers and a
  chart), the alert inbox and one alert (pick up, contact made, outcome, refer back), and the
  service's settings for its managers.

Views translate HTTP to a selector or action call and back.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.continuing import actions, rules, selectors
from rosc.continuing.charts import line_chart
from rosc.continuing.forms import (
    ON_DEMAND,
    CheckInForm,
    ContactForm,
    OutcomeForm,
    ReferBackForm,
    SettingsForm,
    StartPlanForm,
)
from rosc.continuing.models import AlertStatus, CheckInStatus, EventKind, PlanStatus
from rosc.continuing.questions import BY_CODE
from rosc.core.errors import ActionRefused
from rosc.core.models import Organisation, User
from rosc.core.permissions import manages_organisation
from rosc.core.view_helpers import form_data as _posted
from rosc.core.view_helpers import show_refusal as _refused
from rosc.core.view_helpers import staff_user as _staff
from rosc.frontdoor.pathway import CRISIS_ROUTES, Crisis
from rosc.record.access import can_access, open_record, working_organisation_ids
from rosc.record.categories import Category
from rosc.record.own_view import own_person

log = logging.getLogger(__name__)

PURPOSE = "Continuing care"
CRISIS = Crisis(reasons=(), routes=CRISIS_ROUTES, advice=())
PUBLIC_HEADERS = {"Referrer-Policy": "same-origin", "Cache-Control": "no-store"}


# --- Tiny access helpers ------------------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    """Check-in pages carry a secret in their address: never send it to another site, never keep the page."""
    for header, value in PUBLIC_HEADERS.items():
        response[header] = value
    return response


# --- The person's check-in (no sign-in) ---------------------------------------------------------


def _unusable(request: HttpRequest, token: str, problem: actions.LinkUnusable) -> HttpResponse:
    check_in = problem.check_in
    return _public(
        render(
            request,
            "continuing/check_in_unusable.html",
            {
                "token": token,
                "reason": problem.reason,
                "check_in": check_in,
                "plan": check_in.plan if check_in else None,
                "can_resend": problem.reason in ("expired", "answered"),
            },
            status=410 if problem.reason != "unknown" else 404,
        )
    )


@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = actions.usable_check_in(token)
    except actions.LinkUnusable as problem:
        return _unusable(request, token, problem)
    form = CheckInForm(_posted(request), kind=found.kind)
    if request.method == "POST" and form.is_valid():
        try:
            actions.check_in_answer(token=token, answers=form.cleaned_data)
        except actions.LinkUnusable as problem:
            return _unusable(request, token, problem)
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            return redirect("continuing:check_in_done", token=token)
    return _public(
        render(
            request,
            "continuing/check_in.html",
            {"form": form, "check_in": found, "token": token},
        )
    )


@require_GET
def check_in_done(request: HttpRequest, token: str) -> HttpResponse:
    link = actions.link_for(token)
    if link is None or link.check_in.status != CheckInStatus.ANSWERED:
        raise Http404
    check_in = link.check_in
    return _public(
        render(
            request,
            "continuing/check_in_done.html",
            {
                "token": token,
                "check_in": check_in,
                "wants_contact": check_in.answers.get("wants_contact") is True,
                "wants_treatment": check_in.answers.get("wants_treatment") is True,
                "next_due_on": check_in.plan.next_due_on if check_in.plan.status == PlanStatus.ACTIVE else None,
            },
        )
    )


@require_http_methods(["GET", "POST"])
def check_in_help(request: HttpRequest, token: str) -> HttpResponse:
    """Crisis routes at once. Pressing the button (a POST) also tells the person's team."""
    told = False
    if request.method == "POST":
        try:
            told = actions.check_in_help_now(token=token) is not None
        except Exception:  # the crisis routes are shown whatever happens behind them
            log.exception("help-now alert could not be raised")
            told = False
    else:
        told = request.GET.get("told") == "1"
    known = actions.link_for(token) is not None
    return _public(
        render(
            request,
            "continuing/help_now.html",
            {"crisis": CRISIS, "token": token if known else "", "told": told, "known": known},
        )
    )


@require_GET
def help_now(request: HttpRequest) -> HttpResponse:
    return _public(render(request, "continuing/help_now.html", {"crisis": CRISIS, "token": "", "told": False}))


@require_POST
def check_in_new_link(request: HttpRequest, token: str) -> HttpResponse:
    outcome = actions.check_in_new_link(token=token)
    return _public(
        render(
            request,
            "continuing/new_link.html",
            {"outcome": outcome, "token": token},
            status=200 if outcome.reason in ("sent", "recently_sent") else 410,
        )
    )


@require_http_methods(["GET", "POST"])
def check_in_stop(request: HttpRequest, token: str) -> HttpResponse:
    link = actions.link_for(token)
    if link is None or link.check_in.person.erased_at is not None:
        raise Http404
    plan = link.check_in.plan
    stopped = plan.status == PlanStatus.ENDED
    if request.method == "POST" and not stopped:
        with contextlib.suppress(ActionRefused):
            actions.plan_stop_from_link(token=token)
        stopped = True
    return _public(render(request, "continuing/stop.html", {"token": token, "stopped": stopped, "plan": plan}))


# --- The person, signed in ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not user.has_perm("continuing.view_own"):
        raise PermissionDenied
    person, how = own_person(request)
    if person is None or how != "account":
        return render(request, "continuing/mine.html", {"plan": None})
    plan = selectors.plan_of(person)
    if request.method == "POST" and plan is not None:
        try:
            actions.plan_end(actor=user, plan=plan, by_person=True, request=request)
        except ActionRefused as refused:
            messages.info(request, refused.message)
        else:
            messages.success(request, "Your check-ins have stopped. You can ask your keyworker to start them again.")
        return redirect("continuing:mine")
    upcoming = []
    if plan is not None and plan.status == PlanStatus.ACTIVE and plan.next_due_on:
        from rosc.continuing.schedule import all_due

        upcoming = [d for d in all_due(plan.schedule(), plan.started_on) if d.number >= plan.next_number][:4]
    return render(
        request,
        "continuing/mine.html",
        {"plan": plan, "upcoming": upcoming, "check_ins": selectors.check_ins_of(plan)[:10] if plan else []},
    )


# --- Staff: a person's continuing care ----------------------------------------------------------


def _person_context(user: User, person: Any, grants: dict[str, Any]) -> dict[str, Any]:
    plan = selectors.plan_of(person)
    check_ins = selectors.check_ins_of(plan) if plan else []
    headings, rows = selectors.answer_table(check_ins)
    series = selectors.chart_series(check_ins)
    chart = line_chart("Cravings, confidence and satisfaction at each check-in", [(s.label, s.points) for s in series])
    table_days = sorted({d for s in series for d, _ in s.points})
    chart_rows = [(day, [dict(s.points).get(day, "No answer") for s in series]) for day in table_days]
    can_change = (
        plan is not None
        and plan.status != PlanStatus.ENDED
        and user.has_perm("continuing.start_plans")
        and plan.organisation_id in working_organisation_ids(user)
    )
    return {
        "person": person,
        "plan": plan,
        "check_ins": check_ins,
        "answer_headings": headings,
        "answer_rows": rows,
        "chart": chart,
        "chart_series": series,
        "chart_rows": chart_rows,
        "alerts": selectors.open_alerts_of(plan) if plan else [],
        "can_start": user.has_perm("continuing.start_plans")
        and (plan is None or plan.status == PlanStatus.ENDED)
        and bool(actions.plan_organisations_for(actor=user, person=person)),
        "can_change": can_change,
        "break_glass": next((g.break_glass for g in grants.values() if g.break_glass), None),
        # The record's header: only the parts opened here (outcomes) are marked as seen.
        "header_can": {"outcomes": True},
    }


@require_GET
def person(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "continuing.start_plans")
    found, grants = open_record(user, person_id, categories=[Category.OUTCOMES], purpose=PURPOSE, request=request)
    return render(request, "continuing/person.html", _person_context(user, found, grants))


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "continuing.start_plans")
    found, _grants = open_record(user, person_id, categories=[Category.OUTCOMES], purpose=PURPOSE, request=request)
    organisations = actions.plan_organisations_for(actor=user, person=found)
    if not organisations:
        raise PermissionDenied
    channels = actions.channels_for(found)
    form = StartPlanForm(_posted(request), channels=channels, initial={"started_on": timezone.localdate(), "why": None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.plan_start(
                actor=user,
                person=found,
                organisation=organisations[0],
                channel=data["channel"],
                discharge_reason="" if data["why"] == ON_DEMAND else data["why"],
                started_on=data["started_on"],
                person_agreed=data["person_agreed"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Continuing care has started. The first check-in goes out in a week.")
            return redirect("continuing:person", person_id=found.uuid)
    return render(
        request,
        "continuing/start.html",
        {"person": found, "form": form, "organisation": organisations[0], "channels": channels},
    )


@require_POST
def plan_change(request: HttpRequest, person_id: str, change: str) -> HttpResponse:
    user = _staff(request, "continuing.start_plans")
    found, _grants = open_record(user, person_id, categories=[Category.OUTCOMES], purpose=PURPOSE, request=request)
    plan = selectors.plan_of(found)
    if plan is None:
        raise Http404
    do = {"pause": actions.plan_pause, "resume": actions.plan_resume, "end": actions.plan_end}.get(change)
    if do is None:
        raise Http404
    try:
        do(actor=user, plan=plan, request=request)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        words = {"pause": "paused", "resume": "restarted", "end": "ended"}[change]
        messages.success(request, f"Continuing care is {words}.")
    return redirect("continuing:person", person_id=found.uuid)


# --- Staff: alerts ------------------------------------------------------------------------------


@require_GET
def alerts(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "continuing.view_alerts")
    show = "closed" if request.GET.get("show") == "closed" else "open"
    rows = selectors.inbox_for(user, show=show, request=request)
    return render(request, "continuing/alerts.html", {"rows": rows, "show": show, "now": timezone.now()})


def _alert_page(request: HttpRequest, alert_id: str, **extra: Any) -> HttpResponse:
    user = _staff(request, "continuing.view_alerts")
    alert, level = selectors.alert_for(user, alert_id, purpose=PURPOSE, request=request)
    answers = []
    if level == "full" and alert.check_in.status == CheckInStatus.ANSWERED:
        answers = [
            (BY_CODE[code].text, BY_CODE[code].label_for(selectors._as_choice(value)))
            for code, value in alert.check_in.answers.items()
            if code in BY_CODE
        ]
    can_refer = (
        level == "full"
        and alert.rule_code in ("back_to_treatment", "use_after_abstinence", "contact_me", "cravings_low_confidence")
        and alert.status != AlertStatus.CLOSED
        and user.has_perm("referrals.send")
        and can_access(user, alert.person, Category.REFERRALS)
    )
    context = {
        "alert": alert,
        "level": level,
        "answers": answers,
        "events": list(alert.events.select_related("by", "to")),
        "contact_form": extra.pop("contact_form", None)
        or ContactForm(initial={"happened_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}),
        "outcome_form": extra.pop("outcome_form", None) or OutcomeForm(),
        "can_refer": can_refer,
        "rule": rules.BY_CODE.get(alert.rule_code),
        "overdue": alert.overdue(),
        "EventKind": EventKind,
        **extra,
    }
    status = 400 if any(getattr(context.get(k), "errors", None) for k in ("contact_form", "outcome_form")) else 200
    return render(request, "continuing/alert.html", context, status=status)


@require_GET
def alert(request: HttpRequest, alert_id: str) -> HttpResponse:
    return _alert_page(request, alert_id)


def _open_alert(request: HttpRequest, alert_id: str) -> tuple[User, Any]:
    user = _staff(request, "continuing.view_alerts")
    found, _level = selectors.alert_for(user, alert_id, purpose=PURPOSE, request=request)
    return user, found


@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: str) -> HttpResponse:
    user, found = _open_alert(request, alert_id)
    try:
        actions.alert_acknowledge(actor=user, alert=found, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "You have picked up this alert.")
    return redirect("continuing:alert", alert_id=found.uuid)


@require_POST
def alert_contact(request: HttpRequest, alert_id: str) -> HttpResponse:
    user, found = _open_alert(request, alert_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            actions.alert_record_contact(
                actor=user,
                alert=found,
                how=form.cleaned_data["how"],
                happened_at=form.cleaned_data["happened_at"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The contact has been recorded.")
            return redirect("continuing:alert", alert_id=found.uuid)
    return _alert_page(request, alert_id, contact_form=form)


@require_POST
def alert_outcome(request: HttpRequest, alert_id: str) -> HttpResponse:
    user, found = _open_alert(request, alert_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            actions.alert_record_outcome(
                actor=user,
                alert=found,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The outcome has been recorded and the alert is closed.")
            return redirect("continuing:alert", alert_id=found.uuid)
    return _alert_page(request, alert_id, outcome_form=form)


@require_http_methods(["GET", "POST"])
def alert_refer(request: HttpRequest, alert_id: str) -> HttpResponse:
    """Send a referral straight back into treatment, from the alert."""
    user, found = _open_alert(request, alert_id)
    from rosc.directory.models import Service
    from rosc.referrals.actions import sender_organisations_for

    senders = [
        o for o in sender_organisations_for(actor=user, person=found.person) if o.pk in working_organisation_ids(user)
    ]
    if not senders or not user.has_perm("referrals.send") or not can_access(user, found.person, Category.REFERRALS):
        raise PermissionDenied
    services = list(Service.objects.filter(organisation_id=found.organisation_id).order_by("name")[:20])
    form = ReferBackForm(_posted(request), services=[(str(s.pk), s.name) for s in services])
    if request.method == "POST" and form.is_valid():
        service = get_object_or_404(Service, pk=form.cleaned_data["service"], organisation_id=found.organisation_id)
        try:
            referral = actions.alert_refer_back(
                actor=user,
                alert=found,
                service=service,
                need=form.cleaned_data["need"],
                sender_organisation=senders[0],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"Referral {referral.reference} has been sent.")
            return redirect("continuing:alert", alert_id=found.uuid)
    return render(request, "continuing/refer.html", {"alert": found, "form": form, "services": services})


# --- Staff: the service's settings --------------------------------------------------------------


def _managed(user: User) -> list[Organisation]:
    return [
        o
        for o in Organisation.objects.filter(pk__in=working_organisation_ids(user)).order_by("name")
        if manages_organisation(user, o)
    ]


@require_GET
def settings_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "continuing.manage_settings")
    organisations = _managed(user)
    if len(organisations) == 1:
        return redirect("continuing:settings", slug=organisations[0].slug)
    return render(request, "continuing/settings_list.html", {"organisations": organisations})


@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff(request, "continuing.manage_settings")
    organisation = get_object_or_404(Organisation, slug=slug)
    if not manages_organisation(user, organisation):
        raise PermissionDenied
    current = actions.settings_for(organisation)
    workers = actions.duty_worker_choices(organisation)
    initial: dict[str, Any] = {
        "weekly_weeks": current.weekly_weeks,
        "monthly_until_month": current.monthly_until_month,
        "quarterly_until_month": current.quarterly_until_month,
        "link_days": current.link_days,
        "ack_hours_urgent": current.ack_hours_urgent,
        "ack_hours_high": current.ack_hours_high,
        "ack_hours_routine": current.ack_hours_routine,
        "duty_worker": str(current.duty_worker_id or ""),
    }
    for code, values in rules.parameters(current.rule_parameters).items():
        for name, value in values.items():
            initial[f"{code}__{name}"] = value
    form = SettingsForm(_posted(request), initial=initial, workers=[(str(w.pk), str(w)) for w in workers])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duty = next((w for w in workers if str(w.pk) == data["duty_worker"]), None)
        try:
            actions.service_settings_update(
                actor=user,
                organisation=organisation,
                weekly_weeks=data["weekly_weeks"],
                monthly_until_month=data["monthly_until_month"],
                quarterly_until_month=data["quarterly_until_month"],
                link_days=data["link_days"],
                ack_hours={s: data[f"ack_hours_{s}"] for s in rules.SEVERITIES},
                duty_worker=duty,
                rule_parameters=form.rule_parameters(),
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The settings have been saved. New plans use them; existing plans keep theirs.")
            return redirect("continuing:settings", slug=organisation.slug)
    schedule_fields = [form[n] for n in ("weekly_weeks", "monthly_until_month", "quarterly_until_month", "link_days")]
    ack_fields = [form[f"ack_hours_{s}"] for s in rules.SEVERITIES]
    rule_fields = [form[n] for n in form.fields if "__" in n]
    return render(
        request,
        "continuing/settings.html",
        {
            "organisation": organisation,
            "form": form,
            "schedule_fields": schedule_fields,
            "ack_fields": ack_fields,
            "rule_fields": rule_fields,
            "rules": rules.RULES,
            "reverse_home": reverse("continuing:alerts"),
        },
        status=400 if form.is_bound and form.errors else 200,
    )
