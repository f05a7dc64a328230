"""Staff pages where service managers keep their listings true: the list of
listings they look after, and pages to edit details, capacity and waiting
time, close for a while or reopen, and confirm a listing is still correct.

Views translate HTTP to a selector or action call and back. Nothing here is
cached, so the public pages show a change as soon as it is saved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_administrator, is_staff_user
from rosc.core.view_helpers import show_refusal as _refused
from rosc.directory import actions_manage, selectors_manage
from rosc.directory.forms_manage import CapacityForm, CloseForm, ListingFilterForm, ServiceDetailsForm
from rosc.directory.models import Service, ServiceStatus

PAGE_SIZE = 50


def _manager(request: HttpRequest, perm: str, obj: Any = None) -> User:
    """Tiny access helper: signed-in staff with the capability, or 403."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not user.has_perm(perm, obj):
        raise PermissionDenied
    return user


def _service(request: HttpRequest, service_id: uuid.UUID) -> tuple[User, Service]:
    user = _manager(request, "directory.manage_listings")
    return user, selectors_manage.service_for_edit(actor=user, service_id=service_id)


@dataclass(frozen=True)
class ListingRow:
    service: Service
    needs_checking: bool
    capacity: str


@require_GET
def listing_list(request: HttpRequest) -> HttpResponse:
    user = _manager(request, "directory.manage_listings")
    organisations = list(selectors_manage.listing_organisations_for(actor=user).values_list("pk", "name"))
    form = ListingFilterForm(request.GET or None, organisations=organisations)
    organisation_id, needs_checking = None, False
    if form.is_bound and form.is_valid():
        organisation_id = form.cleaned_data["organisation"]
        needs_checking = form.cleaned_data["needs_checking"]
    services = selectors_manage.listings_for(actor=user, organisation_id=organisation_id, needs_checking=needs_checking)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    cutoff = selectors_manage.stale_cutoff()
    rows = [
        ListingRow(
            service=service,
            needs_checking=selectors_manage.is_stale(service, cutoff=cutoff),
            capacity=selectors_manage.capacity_summary(service.capacities.all()),
        )
        for service in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/manage/list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "show_organisation": is_administrator(user) or len(organisations) > 1,
            "stale_days": selectors_manage.stale_days(),
            "stale_count": selectors_manage.stale_listing_count(actor=user),
            "here": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user, service = _service(request, service_id)
    if request.method == "POST":
        form = ServiceDetailsForm(request.POST)
        if form.is_valid():
            try:
                actions_manage.service_update(actor=user, service=service, changes=form.changes(), request=request)
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"The details of {form.cleaned_data['name']} have been saved and checked.")
                return redirect("directory_manage:list")
    else:
        form = ServiceDetailsForm(initial=ServiceDetailsForm.initial_for(service))
    return render(request, "directory/manage/edit.html", {"service": service, "form": form})


@require_http_methods(["GET", "POST"])
def service_capacity(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user, service = _service(request, service_id)
    if request.method == "POST":
        form = CapacityForm(request.POST)
        if form.is_valid():
            try:
                actions_manage.service_capacity_update(
                    actor=user, service=service, capacity=form.capacity(), request=request
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"The capacity and waiting time of {service.name} have been saved.")
                return redirect("directory_manage:list")
    else:
        form = CapacityForm(initial=CapacityForm.initial_for(selectors_manage.capacity_rows(service)))
    return render(request, "directory/manage/capacity.html", {"service": service, "form": form})


@require_http_methods(["GET", "POST"])
def service_status(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user, service = _service(request, service_id)
    is_closed = service.status == ServiceStatus.TEMPORARILY_CLOSED
    form = CloseForm(initial={"note": service.status_note} if is_closed else None)
    error = ""
    if request.method == "POST":
        try:
            if "reopen" in request.POST:
                actions_manage.service_reopen(actor=user, service=service, request=request)
                messages.success(request, f"{service.name} is shown as open again.")
                return redirect("directory_manage:list")
            form = CloseForm(request.POST)
            if form.is_valid():
                actions_manage.service_close_temporarily(
                    actor=user, service=service, note=form.cleaned_data["note"], request=request
                )
                messages.success(request, f"{service.name} is shown as temporarily closed.")
                return redirect("directory_manage:list")
        except ActionRefused as refused:
            if refused.field:
                _refused(form, refused)
            else:
                error = refused.message
    can_close = service.status in (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)
    return render(
        request,
        "directory/manage/status.html",
        {"service": service, "form": form, "is_closed": is_closed, "can_close": can_close, "error": error},
    )


@require_POST
def service_verify(request: HttpRequest, service_id: uuid.UUID) -> HttpResponse:
    user, service = _service(request, service_id)
    actions_manage.service_verify(actor=user, service=service, request=request)
    messages.success(request, f"Thank you. {service.name} is marked as checked today.")
    back = request.POST.get("next", "")
    list_url = reverse("directory_manage:list")
    if back.startswith(list_url) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=False
    ):
        return redirect(back)
    return redirect(list_url)
