"""Community Voice pages.

* Public: the "Get involved" hub, the "you said, we did" log, research reviewed, and meetings with
  published minutes.
* Signed in (``voice.take_part``): join under a display name, change it or leave, raise items, see
  the agenda and papers of coming meetings.
* Forum runners (``voice.run_forum``, staff with a second factor): schedule meetings, agendas,
  papers, attendance, minutes, decisions; answer and hide items.

Views translate HTTP to a selector or action call and back.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user
from rosc.core.view_helpers import show_refusal as _refused
from rosc.voice import actions, charts, selectors, workflow
from rosc.voice.forms import (
    AgendaForm,
    AnswerForm,
    AttendanceForm,
    DecisionForm,
    DisplayNameForm,
    HideForm,
    LogFilterForm,
    MeetingForm,
    MinutesForm,
    PaperForm,
    RaiseForm,
    RunnerItemFilterForm,
)
from rosc.voice.models import Item, ItemStatus

PAGE_SIZE = 25


def _member_user(request: HttpRequest) -> User:
    """Tiny access helper: a signed-in account that may take part, or 403."""
    user = request.user
    if not isinstance(user, User) or not user.has_perm("voice.take_part"):
        raise PermissionDenied
    return user


def _runner(request: HttpRequest) -> User:
    """Tiny access helper: signed-in staff who run the forum, or 403."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not user.has_perm("voice.run_forum"):
        raise PermissionDenied
    return user


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- Public pages -----------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "voice/index.html",
        {
            "member": selectors.active_membership_of(user),
            "member_count": selectors.active_member_count(),
            "latest": list(selectors.latest_answers()),
            "counts": selectors.log_counts(),
            "next_meeting": selectors.next_meeting() if selectors.can_see_members_area(user) else None,
            "can_run": user.has_perm("voice.run_forum"),
        },
    )


@require_GET
def log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    status = ""
    if form.is_bound and form.is_valid():
        status = form.cleaned_data["status"]
    entries = selectors.log_entries(status=status)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.log_counts()
    chart = charts.bar_chart([(row.status, row.label, row.count) for row in counts])
    return render(
        request,
        "voice/log.html",
        {
            "form": form,
            "page": page,
            "status": status,
            "status_label": ItemStatus(status).label if status else "",
            "counts": counts,
            "total": sum(row.count for row in counts),
            "chart": chart,
            "query": _query_without_page(request),
        },
    )


@require_GET
def research_reviewed(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.research_reviewed(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "voice/research_reviewed.html", {"page": page, "query": ""})


@require_GET
def meetings(request: HttpRequest) -> HttpResponse:
    coming, past = selectors.meetings_for(request.user)
    return render(
        request,
        "voice/meetings.html",
        {"coming": coming, "past": past, "members_area": selectors.can_see_members_area(request.user)},
    )


@require_GET
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    view = selectors.meeting_for(user=request.user, meeting_id=meeting_id)
    return render(
        request,
        "voice/meeting.html",
        {"view": view, "meeting": view.meeting, "can_run": request.user.has_perm("voice.run_forum")},
    )


# --- Taking part ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    user = _member_user(request)
    if selectors.is_member(user):
        return redirect("voice:membership")
    previous = selectors.membership_of(user)
    if request.method == "POST":
        form = DisplayNameForm(request.POST)
        if form.is_valid():
            try:
                member = actions.member_join(
                    actor=user, display_name=form.cleaned_data["display_name"], request=request
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"Welcome to Community Voice. Members see you as {member.display_name}.")
                return redirect("voice:items")
    else:
        suggestion = previous.display_name if previous else user.display_name
        form = DisplayNameForm(initial={"display_name": suggestion if "@" not in suggestion else ""})
    return render(request, "voice/join.html", {"form": form, "previous": previous})


@login_required
@require_http_methods(["GET", "POST"])
def membership(request: HttpRequest) -> HttpResponse:
    user = _member_user(request)
    member = selectors.active_membership_of(user)
    if member is None:
        return redirect("voice:join")
    if request.method == "POST":
        form = DisplayNameForm(request.POST)
        if form.is_valid():
            try:
                actions.member_rename(actor=user, display_name=form.cleaned_data["display_name"], request=request)
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "Your display name has been changed.")
                return redirect("voice:membership")
    else:
        form = DisplayNameForm(initial={"display_name": member.display_name})
    return render(request, "voice/membership.html", {"form": form, "member": member})


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest) -> HttpResponse:
    user = _member_user(request)
    member = selectors.active_membership_of(user)
    if member is None:
        return redirect("voice:join")
    if request.method == "POST":
        actions.member_leave(actor=user, request=request)
        messages.success(request, "You have left Community Voice. You can join again at any time.")
        return redirect("voice:index")
    return render(request, "voice/leave.html", {"member": member})


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    user = _member_user(request)
    member = selectors.active_membership_of(user)
    page = None
    if selectors.can_see_members_area(user):
        page = Paginator(selectors.items_for_members(actor=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "voice/items.html",
        {
            "member": member,
            "page": page,
            "own": list(selectors.own_items(actor=user).filter(kind=workflow.REQUEST)),
            "next_meeting": selectors.next_meeting() if page is not None else None,
            "query": "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def raise_item(request: HttpRequest) -> HttpResponse:
    user = _member_user(request)
    member = selectors.active_membership_of(user)
    if member is None:
        messages.info(request, "Join Community Voice first. Then you can raise items.")
        return redirect("voice:join")
    form = RaiseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_raise(
                actor=user, title=form.cleaned_data["title"], detail=form.cleaned_data["detail"], request=request
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(
                request,
                "Thank you. Your item has been raised. The forum will take it up and answer it on the "
                "'you said, we did' log.",
            )
            return redirect("voice:items")
    return render(request, "voice/raise.html", {"form": form, "member": member})


# --- Running the forum ------------------------------------------------------------------------------------


@require_GET
def run(request: HttpRequest) -> HttpResponse:
    user = _runner(request)
    coming, past = selectors.meetings_for_runner(actor=user)
    return render(
        request,
        "voice/run/home.html",
        {
            "coming": coming,
            "past": past[:8],
            "waiting": selectors.items_waiting_count(actor=user),
            "member_count": selectors.active_member_count(),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request: HttpRequest) -> HttpResponse:
    user = _runner(request)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = actions.meeting_schedule(
                actor=user,
                title=form.cleaned_data["title"],
                starts_at=form.starts_at(),
                mode=form.cleaned_data["mode"],
                place=form.cleaned_data["place"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"{new.title} is scheduled. Now add its agenda and papers.")
            return redirect("voice:meeting_manage", meeting_id=new.pk)
    return render(request, "voice/run/meeting_form.html", {"form": form, "meeting": None})


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    if request.method == "POST":
        form = MeetingForm(request.POST)
        if form.is_valid():
            try:
                actions.meeting_update(
                    actor=user,
                    meeting=current,
                    title=form.cleaned_data["title"],
                    starts_at=form.starts_at(),
                    mode=form.cleaned_data["mode"],
                    place=form.cleaned_data["place"],
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The meeting details have been saved.")
                return redirect("voice:meeting_manage", meeting_id=current.pk)
    else:
        form = MeetingForm(initial=MeetingForm.initial_for(current))
    return render(request, "voice/run/meeting_form.html", {"form": form, "meeting": current})


def _manage_page(request: HttpRequest, user: User, current: Any, agenda_form: AgendaForm) -> HttpResponse:
    return render(
        request,
        "voice/run/meeting.html",
        {
            "meeting": current,
            "agenda": list(current.agenda.select_related("item").order_by("position", "id")),
            "papers": list(current.papers.order_by("added_at", "id")),
            "decisions": list(current.decisions.select_related("item").order_by("recorded_at", "id")),
            "present": current.attendance.count(),
            "candidates": list(selectors.agenda_candidates(actor=user, meeting=current)),
            "agenda_form": agenda_form,
        },
    )


@require_GET
def meeting_manage(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    return _manage_page(request, user, current, AgendaForm())


@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    item_id = request.POST.get("item", "")
    form = AgendaForm(None if item_id else request.POST)
    try:
        if item_id:
            item = selectors.item_for_runner(actor=user, item_id=int(item_id) if item_id.isdigit() else 0)
            actions.agenda_add(actor=user, meeting=current, item=item, request=request)
            messages.success(request, f"'{item.title}' is on the agenda.")
            return redirect("voice:meeting_manage", meeting_id=current.pk)
        if form.is_valid():
            actions.agenda_add(actor=user, meeting=current, title=form.cleaned_data["title"], request=request)
            messages.success(request, f"'{form.cleaned_data['title']}' is on the agenda.")
            return redirect("voice:meeting_manage", meeting_id=current.pk)
    except ActionRefused as refused:
        if item_id:
            messages.error(request, refused.message)
            return redirect("voice:meeting_manage", meeting_id=current.pk)
        _refused(form, refused)
    return _manage_page(request, user, current, form)


@require_POST
def agenda_remove(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = _runner(request)
    entry = selectors.agenda_entry_for_runner(actor=user, entry_id=entry_id)
    try:
        actions.agenda_remove(actor=user, entry=entry, request=request)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"'{entry.title}' is off the agenda.")
    return redirect("voice:meeting_manage", meeting_id=entry.meeting_id)


@require_http_methods(["GET", "POST"])
def paper_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.paper_add(
                actor=user,
                meeting=current,
                title=form.cleaned_data["title"],
                link=form.cleaned_data["link"],
                request=request,
            )
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, f"The paper '{form.cleaned_data['title']}' has been added.")
            return redirect("voice:meeting_manage", meeting_id=current.pk)
    return render(request, "voice/run/paper_form.html", {"form": form, "meeting": current})


@require_POST
def paper_remove(request: HttpRequest, paper_id: int) -> HttpResponse:
    user = _runner(request)
    paper = selectors.paper_for_runner(actor=user, paper_id=paper_id)
    actions.paper_remove(actor=user, paper=paper, request=request)
    messages.success(request, f"The paper '{paper.title}' has been removed.")
    return redirect("voice:meeting_manage", meeting_id=paper.meeting_id)


@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    members = selectors.members_for_attendance(actor=user, meeting=current)
    error = ""
    if request.method == "POST":
        form = AttendanceForm(request.POST, members=members)
        if form.is_valid():
            try:
                count = actions.attendance_record(
                    actor=user, meeting=current, members=form.cleaned_data["members"], request=request
                )
            except ActionRefused as refused:
                error = refused.message
            else:
                messages.success(request, f"Attendance saved: {count} member{'s' if count != 1 else ''} present.")
                return redirect("voice:meeting_manage", meeting_id=current.pk)
    else:
        present = list(current.attendance.values_list("member_id", flat=True))
        form = AttendanceForm(initial={"members": present}, members=members)
    return render(request, "voice/run/attendance.html", {"form": form, "meeting": current, "error": error})


@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    if request.method == "POST":
        form = MinutesForm(request.POST)
        if form.is_valid():
            publish = "publish" in request.POST
            try:
                saved = actions.minutes_save(
                    actor=user, meeting=current, text=form.cleaned_data["minutes"], publish=publish, request=request
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                if saved.minutes_published:
                    messages.success(request, "The minutes are published. Anyone can read them.")
                else:
                    messages.success(request, "The draft minutes have been saved. Only forum runners can see them.")
                return redirect("voice:meeting_manage", meeting_id=current.pk)
    else:
        form = MinutesForm(initial={"minutes": current.minutes})
    return render(request, "voice/run/minutes.html", {"form": form, "meeting": current})


@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _runner(request)
    current = selectors.meeting_for_runner(actor=user, meeting_id=meeting_id)
    agenda_items = selectors.agenda_items_for_decisions(actor=user, meeting=current)
    if request.method == "POST":
        form = DecisionForm(request.POST, items=agenda_items)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.decision_record(
                    actor=user,
                    meeting=current,
                    text=data["text"],
                    item=form.chosen_item(),
                    status=data["status"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    done_on=data["done_on"],
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The decision has been recorded.")
                return redirect("voice:meeting_manage", meeting_id=current.pk)
    else:
        initial_item = request.GET.get("item", "")
        form = DecisionForm(initial={"item": int(initial_item)} if initial_item.isdigit() else None, items=agenda_items)
    return render(request, "voice/run/decision_form.html", {"form": form, "meeting": current})


@require_GET
def run_items(request: HttpRequest) -> HttpResponse:
    user = _runner(request)
    form = RunnerItemFilterForm(request.GET or None)
    filters = selectors.ItemFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ItemFilters(status=data["status"], kind=data["kind"], hidden=data["hidden"])
    found = selectors.items_for_runner(actor=user, filters=filters)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "voice/run/items.html", {"form": form, "page": page, "query": _query_without_page(request)})


def _item_page(request: HttpRequest, item: Item, answer_form: AnswerForm | None) -> HttpResponse:
    return render(
        request,
        "voice/run/item.html",
        {"item": item, "form": answer_form, "agenda": list(item.agenda_entries.select_related("meeting"))},
    )


@require_http_methods(["GET", "POST"])
def run_item(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _runner(request)
    item = selectors.item_for_runner(actor=user, item_id=item_id)
    can_answer = not item.is_hidden and bool(workflow.next_statuses(item.kind, item.status))
    if request.method == "POST":
        if not can_answer:
            messages.error(request, "This item cannot be answered now.")
            return redirect("voice:run_item", item_id=item.pk)
        form = AnswerForm(request.POST, item=item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.item_answer(
                    actor=user,
                    item=item,
                    status=data["status"],
                    response=data["response"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    done_on=data["done_on"],
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The answer has been saved.")
                return redirect("voice:run_item", item_id=item.pk)
        return _item_page(request, item, form)
    initial = {"owner": item.owner, "due_on": item.due_on} if item.status == ItemStatus.WE_WILL else None
    return _item_page(request, item, AnswerForm(initial=initial, item=item) if can_answer else None)


@require_http_methods(["GET", "POST"])
def item_hide(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _runner(request)
    item = selectors.item_for_runner(actor=user, item_id=item_id)
    if item.is_hidden:
        return redirect("voice:run_item", item_id=item.pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.item_hide(actor=user, item=item, reason=form.cleaned_data["reason"], request=request)
        except ActionRefused as refused:
            _refused(form, refused)
        else:
            messages.success(request, "The item is hidden. Its author can see why.")
            return redirect("voice:run_item", item_id=item.pk)
    return render(request, "voice/run/hide.html", {"form": form, "item": item})


@require_POST
def item_show(request: HttpRequest, item_id: int) -> HttpResponse:
    user = _runner(request)
    item = selectors.item_for_runner(actor=user, item_id=item_id)
    try:
        actions.item_show_again(actor=user, item=item, request=request)
    except ActionRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, "The item is shown again.")
    return redirect("voice:run_item", item_id=item.pk)
