"""Outcome measures pages: a person's progress (for their care team and for themselves), recording a
measure, and the aggregated service figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from rosc.core.charts import Chart, Series, line_chart
from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.view_helpers import staff_user as _staff
from rosc.outcomes import progress
from rosc.outcomes.actions import PERSON_SELF_INSTRUMENTS, record_measurement
from rosc.outcomes.aggregate import quarter_label
from rosc.outcomes.forms import MeasurementForm
from rosc.outcomes.instruments import BARC10, INSTRUMENTS, ONS4, TOP
from rosc.outcomes.models import Measurement, Via
from rosc.outcomes.selectors import (
    ScoreFigures,
    measurements_for_person,
    own_person,
    service_organisations,
    service_outcomes,
)
from rosc.record import access
from rosc.record.categories import Category
from rosc.record.models import Person

PURPOSE = "outcome measures"


def _instrument(code: str, allowed: Any = INSTRUMENTS) -> Any:
    if code not in allowed:
        raise Http404("No such outcome measure.")
    return INSTRUMENTS[code]


def _progress_context(measurements: list[Measurement]) -> dict[str, Any]:
    by_code: dict[str, list[Measurement]] = {code: [] for code in INSTRUMENTS}
    for measurement in measurements:
        by_code[measurement.instrument].append(measurement)
    top_columns, top_sections = progress.top_sections(measurements)
    return {
        "instruments": {"barc10": BARC10, "ons4": ONS4, "top": TOP},
        "barc10": [(m, progress.barc10_text(m)) for m in reversed(by_code["barc10"])],
        "ons4": list(reversed(by_code["ons4"])),
        "top": by_code["top"],
        "barc10_chart": progress.barc10_chart(measurements) if by_code["barc10"] else None,
        "ons4_chart": progress.ons4_chart(measurements) if by_code["ons4"] else None,
        "top_chart": progress.top_ratings_chart(measurements) if by_code["top"] else None,
        "top_columns": top_columns,
        "top_sections": top_sections,
    }


def _record_nav(user: User, person: Person) -> dict[str, Any]:
    """What the record's header needs to show the parts of the record this user may open."""
    grants = access.grants_for(user, person)
    return {
        "can": {
            "plan": Category.PLAN in grants,
            "notes": Category.NOTES in grants,
            "outcomes": Category.OUTCOMES in grants,
        },
        "break_glass": next((grant.break_glass for grant in grants.values() if grant.break_glass), None),
        "here": "outcomes",
    }


# --- The care team ---------------------------------------------------------


@require_GET
def person_progress(request: HttpRequest, person_id: str) -> HttpResponse:
    user = _staff(request, "core.view_staff_home")
    person = access.person_for(user, person_id, category=Category.OUTCOMES, purpose=PURPOSE, request=request)
    measurements = measurements_for_person(user, person)
    context = {
        "person": person,
        "can_record": user.has_perm("outcomes.record_measures") and access.can_edit(user, person, Category.OUTCOMES),
        **_record_nav(user, person),
        **_progress_context(measurements),
    }
    return render(request, "outcomes/person.html", context)


@require_http_methods(["GET", "POST"])
def person_record(request: HttpRequest, person_id: str, code: str) -> HttpResponse:
    user = _staff(request, "outcomes.record_measures")
    instrument = _instrument(code)
    person = access.person_for(user, person_id, category=Category.OUTCOMES, purpose=PURPOSE, request=request)
    if not access.can_edit(user, person, Category.OUTCOMES):
        raise PermissionDenied
    form = MeasurementForm(request.POST if request.method == "POST" else None, instrument=instrument, with_date=True)
    if request.method == "POST" and form.is_valid():
        try:
            record_measurement(
                actor=user,
                instrument=code,
                answers=form.answers(),
                person=person,
                via=Via.PRACTITIONER,
                taken_at=form.cleaned_data["taken_on"],
                request=request,
            )
        except ActionRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, f"{instrument.short_name} saved.")
            return redirect("outcomes:person", person_id=person.uuid)
    return render(
        request,
        "outcomes/record.html",
        {"person": person, "instrument": instrument, "form": form, "own": False},
    )


# --- The person themselves ---------------------------------------------------


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    person = own_person(request.user)
    if person is None:
        return render(request, "outcomes/mine_none.html")
    measurements = measurements_for_person(request.user, person)
    context = {"person": person, "can_fill_in": person.restricted_at is None, **_progress_context(measurements)}
    return render(request, "outcomes/mine.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mine_record(request: HttpRequest, code: str) -> HttpResponse:
    instrument = _instrument(code, PERSON_SELF_INSTRUMENTS)
    person = own_person(request.user)
    if person is None:
        return render(request, "outcomes/mine_none.html")
    if person.restricted_at is not None:
        raise PermissionDenied
    form = MeasurementForm(request.POST if request.method == "POST" else None, instrument=instrument, with_date=False)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        try:
            record_measurement(
                actor=request.user,
                instrument=code,
                answers=form.answers(),
                person=person,
                via=Via.SELF,
                request=request,
            )
        except ActionRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, f"Thank you. Your {instrument.short_name} answers are saved.")
            return redirect("outcomes:mine")
    return render(
        request, "outcomes/record.html", {"person": person, "instrument": instrument, "form": form, "own": True}
    )


# --- Service figures ---------------------------------------------------------


def _quarter_chart(figures: ScoreFigures, chart_id: str) -> Chart:
    return line_chart(
        [
            Series("Median first score", [(q.quarter, q.median_first) for q in figures.quarters]),
            Series("Median latest score", [(q.quarter, q.median_latest) for q in figures.quarters]),
        ],
        y_min=figures.scale_min,
        y_max=figures.scale_max,
        y_step=10 if figures.scale_max == 60 else 2,
        y_label=f"{figures.label} ({figures.scale_min} to {figures.scale_max})",
        x_label="Quarter",
        x_format=quarter_label,
        missing_text="Not shown (too few people)",
        title=f"{figures.label}: median first and latest scores by quarter",
        description=(
            f"For people followed up in each quarter, the median of their first {figures.label} score and of their "
            "latest score in that quarter. Quarters with too few people are not shown. The table after the chart "
            "gives the same figures."
        ),
        chart_id=chart_id,
        caption=f"{figures.label}: median first and latest scores",
    )


@require_GET
def services(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "outcomes.view_service_outcomes")
    organisations = list(service_organisations(user))
    if len(organisations) == 1:
        return redirect("outcomes:service", organisation_id=organisations[0].uuid)
    return render(request, "outcomes/services.html", {"organisations": organisations})


@require_GET
def service(request: HttpRequest, organisation_id: str) -> HttpResponse:
    user = _staff(request, "outcomes.view_service_outcomes")
    figures = service_outcomes(user, organisation_id, request=request)
    blocks = [(figures.barc10, _quarter_chart(figures.barc10, "service-barc10"))] + [
        (item, _quarter_chart(item, f"service-{item.key}")) for item in figures.ons4
    ]
    return render(
        request,
        "outcomes/service.html",
        {
            "figures": figures,
            "blocks": blocks,
            "instruments": {"barc10": BARC10, "ons4": ONS4},
            "several": service_organisations(user).count() > 1,
            "services_url": reverse("outcomes:services"),
        },
    )
