"""Information-governance pages: the break-glass review queue, and data-protection
rights requests (export, rectification, restriction, erasure)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.errors import ActionRefused
from rosc.record import actions, rights, selectors
from rosc.record.forms import BreakGlassReviewForm, EraseForm, PersonDetailsForm, RightsCloseForm, RightsRequestForm
from rosc.record.models import RightsRequestKind, RightsRequestStatus
from rosc.record.views import _refused, _staff


@require_GET
def break_glass_queue(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "record.review_break_glass")
    pending, reviewed = selectors.break_glass_queue(actor=user)
    return render(request, "record/ig/break_glass_queue.html", {"pending": pending, "reviewed": reviewed})


@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest, emergency_id: int) -> HttpResponse:
    user = _staff(request, "record.review_break_glass")
    emergency = selectors.break_glass_for_review(actor=user, emergency_id=emergency_id, request=request)
    form = BreakGlassReviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_break_glass(
                actor=user,
                emergency=emergency,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "Your review has been recorded.")
            return redirect("record:break_glass_queue")
    return render(
        request,
        "record/ig/break_glass_review.html",
        {"emergency": emergency, "reads": selectors.break_glass_reads(emergency), "form": form},
    )


@require_GET
def rights_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    open_requests, closed = selectors.rights_requests(actor=user)
    return render(request, "record/rights/list.html", {"open_requests": open_requests, "closed": closed})


@require_http_methods(["GET", "POST"])
def rights_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    form = RightsRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
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
                opened = rights.open_rights_request(
                    actor=user,
                    person=matches[0],
                    kind=data["kind"],
                    received_on=data["received_on"],
                    details=data["details"],
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The request has been opened.")
                return redirect("record:rights_detail", request_id=opened.pk)
    return render(request, "record/rights/new.html", {"form": form})


@require_http_methods(["GET", "POST"])
def rights_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    rights_request = selectors.rights_request_for(actor=user, request_id=request_id, request=request)
    form = RightsCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rights.close_rights_request(
                actor=user,
                rights=rights_request,
                status=form.cleaned_data["status"],
                outcome=form.cleaned_data["outcome"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The request has been closed.")
            return redirect("record:rights_list")
    return render(
        request,
        "record/rights/detail.html",
        {
            "rights_request": rights_request,
            "person": rights_request.person,
            "form": form,
            "kinds": RightsRequestKind,
            "is_open": rights_request.status == RightsRequestStatus.OPEN,
        },
    )


@require_http_methods(["GET", "POST"])
def rights_rectify(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    rights_request = selectors.rights_request_for(actor=user, request_id=request_id, request=request)
    person = rights_request.person
    if request.method == "POST":
        form = PersonDetailsForm(request.POST)
        if form.is_valid():
            try:
                rights.rectify_person(actor=user, rights=rights_request, changes=form.cleaned_data, request=request)
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The record has been corrected. Close the request when you have told them.")
                return redirect("record:rights_detail", request_id=rights_request.pk)
    else:
        form = PersonDetailsForm(initial=PersonDetailsForm.initial_for(person))
    return render(request, "record/rights/rectify.html", {"rights_request": rights_request, "form": form})


@require_POST
def rights_restrict(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    rights_request = selectors.rights_request_for(actor=user, request_id=request_id, request=request)
    restrict = request.POST.get("restrict") == "1"
    try:
        rights.set_restriction(actor=user, rights=rights_request, restricted=restrict, request=request)
    except ActionRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(
            request,
            "Processing is restricted: nobody can open the record until it is lifted."
            if restrict
            else "The restriction has been lifted.",
        )
    return redirect("record:rights_detail", request_id=rights_request.pk)


@require_http_methods(["GET", "POST"])
def rights_erase(request: HttpRequest, request_id: int) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    rights_request = selectors.rights_request_for(actor=user, request_id=request_id, request=request)
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rights.erase_person(actor=user, rights=rights_request, request=request)
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The record has been erased and the request closed.")
            return redirect("record:rights_list")
    return render(request, "record/rights/erase.html", {"rights_request": rights_request, "form": form})


@require_GET
def rights_export(request: HttpRequest, request_id: int, fmt: str) -> HttpResponse:
    user = _staff(request, "record.handle_rights_requests")
    rights_request = selectors.rights_request_for(actor=user, request_id=request_id, request=request)
    data = rights.export_for_request(actor=user, rights=rights_request, request=request)
    if fmt == "json":
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="record-{rights_request.person.uuid}.json"'
        return response
    return render(request, "record/rights/export.html", {"rights_request": rights_request, "data": data})
