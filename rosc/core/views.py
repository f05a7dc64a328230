"""Views of the core app: public pages, the signed-in home, account settings
and the staff pages for teams, audit and notifications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core import actions, selectors
from rosc.core.errors import ActionRefused
from rosc.core.forms import AuditSearchForm, MembershipAddForm, ProfileForm
from rosc.core.models import OrganisationKind, Role, User
from rosc.core.permissions import is_staff_user


def _staff(request: HttpRequest, perm: str, obj: Any = None) -> User:
    """Tiny access helper: signed-in staff with the capability, or 403."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not user.has_perm(perm, obj):
        raise PermissionDenied
    return user


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


# --- Public pages ----------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    counts = selectors.organisation_counts_by_kind()
    kind_counts = [(kind.label, counts[kind.value]) for kind in OrganisationKind if counts.get(kind.value)]
    return render(
        request,
        "core/home.html",
        {"organisation_count": sum(counts.values()), "kind_counts": kind_counts},
    )


@require_GET
def organisations(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.organisations_public(), 50).get_page(request.GET.get("page"))
    return render(request, "core/organisations.html", {"organisations": page, "page": page})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/privacy.html")


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/cookies.html")


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return render(request, "core/pages/contact.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: database and task queue."""
    status = {"database": "ok", "tasks": "ok"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        status["database"] = "unavailable"
        code = 503
    try:
        from django_tasks import task_backends

        backend = task_backends["default"]
        status["task_backend"] = type(backend).__name__
        if status["database"] == "ok" and status["task_backend"] == "DatabaseBackend":
            from django_tasks_db.models import DBTaskResult

            status["tasks_waiting"] = str(DBTaskResult.objects.ready().count())
    except Exception:
        status["tasks"] = "unavailable"
        code = 503
    status["status"] = "ok" if code == 200 else "unavailable"
    return JsonResponse(status, status=code)


# --- Signed-in pages ------------------------------------------------------------


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    if is_staff_user(user):
        return render(
            request,
            "core/staff_home.html",
            {"memberships": selectors.memberships_of(actor=user)},
        )
    return render(request, "core/account_home.html")


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                actions.account_update_profile(
                    actor=user,
                    display_name=form.cleaned_data["display_name"],
                    public_role=form.cleaned_data["public_role"],
                    request=request,
                )
            except ActionRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, "Your details have been saved.")
                return redirect("core:account")
    else:
        form = ProfileForm(initial={"display_name": user.display_name, "public_role": user.public_role})
    return render(request, "core/account.html", {"form": form})


@require_GET
def mfa_required(request: HttpRequest) -> HttpResponse:
    return render(request, "core/mfa_required.html")


# --- Staff pages -------------------------------------------------------------


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "core.search_audit")
    form = AuditSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilters(
            actor=data["actor"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        events = selectors.audit_search(actor=user, filters=filters, request=request)
        page = Paginator(events, 50).get_page(request.GET.get("page"))
    elif not form.is_bound:
        events = selectors.audit_search(actor=user, filters=selectors.AuditFilters(), request=request)
        page = Paginator(events, 50).get_page(1)
    return render(
        request, "core/staff/audit_log.html", {"form": form, "page": page, "query": _query_without_page(request)}
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "core.list_organisations")
    return render(
        request,
        "core/staff/organisation_list.html",
        {"organisations": selectors.organisations_for_admin(actor=user)},
    )


def _role_choices(user: User) -> list[tuple[str, str]]:
    if user.has_perm("core.list_organisations"):
        return list(Role.choices)
    return [(value, label) for value, label in Role.choices if value not in actions.ADMIN_ONLY_ROLES]


@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff(request, "core.view_staff_home")
    organisation = selectors.organisation_for_team(actor=user, slug=slug)
    can_manage = user.has_perm("core.manage_team", organisation)
    form = MembershipAddForm(request.POST or None, roles=_role_choices(user))
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                membership = actions.membership_add(
                    actor=user,
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    request=request,
                )
            except ActionRefused as refused:
                form.add_error(refused.field, refused.message)
            else:
                messages.success(request, f"{membership.user.email} is now {membership.get_role_display().lower()}.")
                return redirect("core:team", slug=organisation.slug)
    return render(
        request,
        "core/staff/team.html",
        {
            "organisation": organisation,
            "members": selectors.team_members(actor=user, organisation=organisation),
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_POST
def membership_end(request: HttpRequest, membership_id: int) -> HttpResponse:
    user = _staff(request, "core.view_staff_home")
    membership = selectors.membership_for_change(actor=user, membership_id=membership_id)
    try:
        actions.membership_end(actor=user, membership=membership, request=request)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request, f"{membership.user.email} no longer has the role {membership.get_role_display().lower()}."
        )
    return redirect("core:team", slug=membership.organisation.slug)


@require_GET
def notification_log(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "core.view_notifications")
    return render(
        request, "core/staff/notifications.html", {"notifications": selectors.notifications_recent(actor=user)}
    )


# --- Error pages -------------------------------------------------------------


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    """Rendered without the request's context processors, which may be what failed."""
    from django.conf import settings
    from django.template import loader

    context = {
        "SITE_NAME": settings.SITE_NAME,
        "AREA_NAME": settings.AREA_NAME,
        "PHASE": settings.PHASE,
        "SUPPORT_EMAIL": settings.SUPPORT_EMAIL,
    }
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
