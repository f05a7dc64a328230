"""Recovery Fund pages: public round pages and results, ideas and proposals from
community members, voting, and the fund team's pages for running rounds.

Views translate HTTP to a selector or action call and back.

Voting pages never put a ballot or a ballot code in a URL, a redirect or the
server-side session: choices travel only in the body of POST requests, and
the code is shown once and kept in a signed cookie on the voter's own device,
bound to their account. Error reports leave out every POST field of these
pages (``sensitive_post_parameters``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.signing import BadSignature
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user
from rosc.core.view_helpers import show_refusal as _refused
from rosc.core.view_helpers import staff_user as _staff
from rosc.fund import actions, counting, presentation, secrecy, selectors
from rosc.fund.allocation import write_pb
from rosc.fund.forms import (
    BallotForm,
    CodeForm,
    DeliveryUpdateForm,
    EligibilityForm,
    HideIdeaForm,
    IdeaForm,
    ImportForm,
    ProposalForm,
    ReviewForm,
    RoundForm,
)
from rosc.fund.models import PHASE_ORDER, Phase, ProposalStatus, Round, RoundResult, Rule, VoterRoll

BALLOT_COOKIE = "rosc_fund_ballot"


# --- Access helpers -------------------------------------------------------------------------------------------------


class _SignInFirst(Exception):
    pass


def _member(request: HttpRequest, perm: str) -> User | None:
    """A signed-in community member with the capability; None means "sign in first"; 403 otherwise."""
    user = request.user
    if not isinstance(user, User):
        return None
    if not user.has_perm(perm):
        raise PermissionDenied
    return user


def _viewer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _round_context(round: Round) -> dict[str, Any]:
    phases = [(value, label) for value, label in Phase.choices if value != Phase.DRAFT]
    return {
        "round": round,
        "phases": phases,
        "phase_index": PHASE_ORDER.index(round.phase),
        "phase_order": PHASE_ORDER,
        "completion": presentation.completion_rule(round.rule),
        "rule_explainer": presentation.rule_explainer(round.rule),
    }


# --- Public pages ---------------------------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rounds = list(selectors.rounds_public())
    current = [r for r in rounds if not r.reached(Phase.RESULTS)]
    past = [r for r in rounds if r.reached(Phase.RESULTS)]
    return render(request, "fund/index.html", {"current": current, "past": past})


@require_GET
def round_page(request: HttpRequest, slug: str) -> HttpResponse:
    round = selectors.round_public(slug=slug, actor=_viewer(request))
    proposals = list(selectors.proposals_public(round))
    lot = []
    if round.lot:
        by_code = {p.code: p for p in proposals}
        lot = [by_code[code] for code in round.lot if code in by_code]
    user = _viewer(request)
    return render(
        request,
        "fund/round.html",
        {
            **_round_context(round),
            "areas": selectors.areas_of(round),
            "eligible": [p for p in proposals if p.status == ProposalStatus.ELIGIBLE],
            "not_eligible": [p for p in proposals if p.status == ProposalStatus.INELIGIBLE],
            "idea_count": selectors.ideas_public(round).count(),
            "lot": lot,
            "voting_open": round.voting_is_open(),
            "can_vote": user is None or user.has_perm("fund.vote"),
            "can_propose": user is None or user.has_perm("fund.propose"),
            "has_result": selectors.result_of(round) is not None,
        },
    )


@require_GET
def ideas(request: HttpRequest, slug: str) -> HttpResponse:
    round = selectors.round_public(slug=slug, actor=_viewer(request))
    user = _viewer(request)
    return render(
        request,
        "fund/ideas.html",
        {
            **_round_context(round),
            "ideas": selectors.ideas_public(round),
            "hidden": selectors.hidden_ideas(round),
            "can_propose": user is None or user.has_perm("fund.propose"),
            "can_hide": bool(user and user.has_perm("fund.review_proposals") and is_staff_user(user)),
        },
    )


@require_http_methods(["GET", "POST"])
def idea_new(request: HttpRequest, slug: str) -> HttpResponse:
    user = _member(request, "fund.propose")
    if user is None:
        return redirect_to_login(request.get_full_path())
    round = selectors.round_public(slug=slug, actor=user)
    areas = list(selectors.areas_of(round))
    if request.method == "POST":
        form = IdeaForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                actions.idea_share(
                    actor=user,
                    round=round,
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    area_id=int(form.cleaned_data["area"]) if form.cleaned_data.get("area") else None,
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "Thank you. Your idea is now on the list.")
                return redirect("fund:ideas", slug=round.slug)
    else:
        form = IdeaForm(areas=areas)
    return render(request, "fund/idea_new.html", {**_round_context(round), "form": form})


@require_GET
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    round = selectors.round_public(slug=slug, actor=_viewer(request))
    reviewed = list(selectors.proposals_public(round))
    user = _viewer(request)
    return render(
        request,
        "fund/proposals.html",
        {
            **_round_context(round),
            "eligible": [p for p in reviewed if p.status == ProposalStatus.ELIGIBLE],
            "not_eligible": [p for p in reviewed if p.status == ProposalStatus.INELIGIBLE],
            "waiting": selectors.proposal_counts(round)[ProposalStatus.SUBMITTED],
            "can_propose": user is None or user.has_perm("fund.propose"),
        },
    )


@require_GET
def proposal(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    user = _viewer(request)
    round = selectors.round_public(slug=slug, actor=user)
    project = selectors.proposal_visible(round=round, number=number, actor=user)
    outcome = None
    result = selectors.result_of(round)
    if result is not None:
        outcome = next(
            (row for row in result.allocation.get("projects", []) if row["project_id"] == project.code), None
        )
    return render(
        request,
        "fund/proposal.html",
        {
            **_round_context(round),
            "project": project,
            "outcome": outcome,
            "paid": presentation.money(outcome.get("paid_per_supporter"), round.currency) if outcome else "",
            "paid_per_point": presentation.money(outcome.get("paid_per_point"), round.currency) if outcome else "",
            "updates": selectors.delivery_updates(project),
            "can_update": bool(user and selectors.can_report_on(user, project)),
            "is_proposer": bool(user and project.proposer_id == user.pk),
        },
    )


@require_GET
def my_proposals(request: HttpRequest) -> HttpResponse:
    user = _member(request, "fund.propose")
    if user is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "fund/my_proposals.html", {"proposals": selectors.proposals_of(actor=user)})


def _draft_key(round: Round) -> str:
    return f"fund_proposal_{round.pk}"


@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, slug: str) -> HttpResponse:
    """The proposal form. Answers are kept in the session until they are checked and sent."""
    user = _member(request, "fund.propose")
    if user is None:
        return redirect_to_login(request.get_full_path())
    round = selectors.round_public(slug=slug, actor=user)
    if round.phase != Phase.PROPOSALS:
        return render(request, "fund/not_now.html", {**_round_context(round), "what": "proposals"})
    areas = list(selectors.areas_of(round))
    if request.method == "POST":
        form = ProposalForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                actions.check_proposal(round, form.draft())
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                request.session[_draft_key(round)] = {
                    key: value for key, value in request.POST.items() if key in form.fields
                }
                return redirect("fund:propose_check", slug=round.slug)
    else:
        form = ProposalForm(initial=request.session.get(_draft_key(round)), areas=areas)
    return render(request, "fund/propose.html", {**_round_context(round), "form": form})


@require_http_methods(["GET", "POST"])
def propose_check(request: HttpRequest, slug: str) -> HttpResponse:
    user = _member(request, "fund.propose")
    if user is None:
        return redirect_to_login(request.get_full_path())
    round = selectors.round_public(slug=slug, actor=user)
    saved = request.session.get(_draft_key(round))
    areas = list(selectors.areas_of(round))
    form = ProposalForm(saved, areas=areas) if saved else None
    if form is None or not form.is_valid():
        return redirect("fund:propose", slug=round.slug)
    draft = form.draft()
    error = ""
    if request.method == "POST":
        try:
            project = actions.proposal_submit(actor=user, round=round, draft=draft, request=request)
        except ActionRefused as refused:
            error = refused.message
        else:
            del request.session[_draft_key(round)]
            messages.success(
                request,
                f"Your proposal has been sent. Its number is {project.number}. "
                "The fund team will check it against the eligibility rules.",
            )
            return redirect("fund:proposal", slug=round.slug, number=project.number)
    area = next((a for a in areas if a.pk == draft.area_id), None)
    return render(
        request,
        "fund/propose_check.html",
        {**_round_context(round), "draft": draft, "area": area, "error": error},
    )


@require_http_methods(["GET", "POST"])
def delivery_update(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        return redirect_to_login(request.get_full_path())
    round = selectors.round_public(slug=slug, actor=user)
    project = selectors.proposal_for_update(actor=user, round=round, number=number)
    if request.method == "POST":
        form = DeliveryUpdateForm(request.POST)
        if form.is_valid():
            try:
                actions.delivery_update_add(
                    actor=user,
                    proposal=project,
                    status=form.cleaned_data["status"],
                    body=form.cleaned_data["body"],
                    spent=form.cleaned_data.get("spent"),
                    request=request,
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "Your update is published on the project's page.")
                return redirect("fund:proposal", slug=round.slug, number=project.number)
    else:
        form = DeliveryUpdateForm()
    return render(request, "fund/delivery_update.html", {**_round_context(round), "project": project, "form": form})


# --- Voting ---------------------------------------------------------------------------------------------------------


def _cookie_name(round: Round) -> str:
    return f"{BALLOT_COOKIE}_{round.pk}"


def _cookie_salt(round: Round, user: User) -> str:
    # Bound to the account: someone else signing in on the same device cannot use it.
    return f"rosc.fund.ballot:{round.pk}:{user.pk}"


def _code_from_cookie(request: HttpRequest, round: Round, user: User) -> str:
    try:
        return request.get_signed_cookie(_cookie_name(round), default="", salt=_cookie_salt(round, user)) or ""
    except BadSignature:
        return ""


def _keep_code(response: HttpResponse, round: Round, user: User, code: str) -> HttpResponse:
    closes = round.voting_closes_at or timezone.now()
    max_age = max(60, int((closes - timezone.now()).total_seconds()) + 24 * 3600)
    response.set_signed_cookie(
        _cookie_name(round),
        code,
        salt=_cookie_salt(round, user),
        max_age=max_age,
        path=reverse("fund:round", args=[round.slug]),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def _voting_state(request: HttpRequest, slug: str) -> tuple[User, Round, HttpResponse | None, VoterRoll | None]:
    """Who is voting in which round, or the page to show instead of a ballot."""
    user = _member(request, "fund.vote")
    if user is None:
        raise _SignInFirst
    round = selectors.round_public(slug=slug, actor=user)
    context = _round_context(round)
    if not round.voting_is_open():
        return user, round, render(request, "fund/vote_closed.html", context), None
    if not actions.has_verified_email(user):
        return user, round, render(request, "fund/vote_confirm_email.html", context), None
    entry = selectors.roll_entry(actor=user, round=round)
    if entry is None:
        form = EligibilityForm()
        return user, round, render(request, "fund/vote_where.html", {**context, "form": form}), None
    return user, round, None, entry


def _ballot_page(
    request: HttpRequest, round: Round, entry: VoterRoll, form: BallotForm, *, changing: bool, status: int = 200
) -> HttpResponse:
    """The ballot paper: only the projects of the voter's area and those for every area."""
    paper = selectors.ballot_paper(round, entry.area)
    data = form.data if form.is_bound else {}
    chosen = set(data.getlist("choices") if hasattr(data, "getlist") else data.get("choices", []))
    rows = [
        {
            "project": project,
            "name": f"project_{project.code}",
            "value": data.get(f"project_{project.code}", ""),
            "checked": project.code in chosen,
            "errors": form.errors.get(f"project_{project.code}", []) if form.is_bound else [],
        }
        for project in paper
    ]
    return render(
        request,
        "fund/ballot.html",
        {**_round_context(round), "form": form, "rows": rows, "entry": entry, "changing": changing},
        status=status,
    )


def _ballot_form(round: Round, area: Any, data: Any = None) -> BallotForm:
    """A ballot that accepts any eligible project (the action says clearly when one is outside
    the voter's area), with the voter's own ballot paper first."""
    paper = selectors.ballot_paper(round, area)
    shown = {project.pk for project in paper}
    others = [project for project in selectors.ballot_paper(round, None) if project.pk not in shown]
    return BallotForm(data, round=round, projects=paper + others)


def _checked_choices(form: BallotForm, round: Round, entry: VoterRoll) -> dict[str, int] | None:
    if not form.is_valid():
        return None
    try:
        return actions.clean_choices(round, entry.area, form.choices())
    except ActionRefused as refused:
        field = refused.field if refused.field in form.fields else ("choices" if "choices" in form.fields else None)
        form.add_error(field, refused.message)
        return None


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, slug: str) -> HttpResponse:
    """The ballot paper (GET) and, once filled in, the page to check it (POST)."""
    try:
        user, round, instead, entry = _voting_state(request, slug)
    except _SignInFirst:
        return redirect_to_login(request.get_full_path())
    if instead is not None or entry is None:
        return instead or redirect("fund:vote", slug=slug)
    ballot = None
    if entry.has_voted:
        code = _code_from_cookie(request, round, user)
        ballot = actions.ballot_for_code(actor=user, round=round, code=code) if code else None
        if ballot is None:
            return render(request, "fund/vote_code.html", {**_round_context(round), "form": CodeForm()})
    if request.method == "POST":
        form = _ballot_form(round, entry.area, request.POST)
        choices = _checked_choices(form, round, entry)
        if choices is None:
            return _ballot_page(request, round, entry, form, changing=ballot is not None)
        paper = {p.code: p for p in selectors.ballot_paper(round, entry.area)}
        return render(
            request,
            "fund/vote_check.html",
            {
                **_round_context(round),
                "chosen": [(paper[code], points) for code, points in choices.items()],
                "choices": choices,
                "changing": ballot is not None,
                "entry": entry,
            },
        )
    initial = BallotForm.data_for(round, ballot.choices) if ballot is not None else None
    form = _ballot_form(round, entry.area, initial)
    if initial:
        form.is_valid()
    return _ballot_page(request, round, entry, form, changing=ballot is not None)


@sensitive_post_parameters()
@require_POST
def vote_confirm(request: HttpRequest, slug: str) -> HttpResponse:
    """Cast (or change) the ballot that was checked, or go back to change the choices."""
    try:
        user, round, instead, entry = _voting_state(request, slug)
    except _SignInFirst:
        return redirect_to_login(reverse("fund:vote", args=[slug]))
    if instead is not None or entry is None:
        return instead or redirect("fund:vote", slug=slug)
    code = _code_from_cookie(request, round, user) if entry.has_voted else ""
    form = _ballot_form(round, entry.area, request.POST)
    if "change" in request.POST:
        form.is_valid()
        return _ballot_page(request, round, entry, form, changing=entry.has_voted)
    choices = _checked_choices(form, round, entry)
    if choices is None:
        return _ballot_page(request, round, entry, form, changing=entry.has_voted)
    try:
        if entry.has_voted:
            actions.ballot_change(actor=user, round=round, code=code, choices=choices)
        else:
            code = actions.ballot_cast(actor=user, round=round, choices=choices)
    except ActionRefused as refused:
        if entry.has_voted and refused.field == "code":
            return render(request, "fund/vote_code.html", {**_round_context(round), "form": CodeForm()})
        form.add_error(None, refused.message)
        return _ballot_page(request, round, entry, form, changing=entry.has_voted, status=400)
    return _keep_code(redirect("fund:vote_saved", slug=round.slug), round, user, code)


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def vote_code(request: HttpRequest, slug: str) -> HttpResponse:
    """A voter who has voted types their ballot code to change their vote on this device."""
    try:
        user, round, instead, entry = _voting_state(request, slug)
    except _SignInFirst:
        return redirect_to_login(reverse("fund:vote", args=[slug]))
    if instead is not None or entry is None:
        return instead or redirect("fund:vote", slug=slug)
    if not entry.has_voted:
        return redirect("fund:vote", slug=slug)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        if actions.ballot_for_code(actor=user, round=round, code=code) is not None:
            return _keep_code(redirect("fund:vote", slug=round.slug), round, user, code)
        form.add_error("code", "That ballot code is not right. Check it and try again.")
    return render(request, "fund/vote_code.html", {**_round_context(round), "form": form})


@sensitive_post_parameters()
@require_POST
def vote_where(request: HttpRequest, slug: str) -> HttpResponse:
    """Check once that the voter lives in one of the round's areas."""
    user = _member(request, "fund.vote")
    if user is None:
        return redirect_to_login(reverse("fund:vote", args=[slug]))
    round = selectors.round_public(slug=slug, actor=user)
    form = EligibilityForm(request.POST)
    if form.is_valid():
        try:
            actions.voter_register(actor=user, round=round, postcode=form.cleaned_data["postcode"], request=request)
        except ActionRefused as refused:
            if refused.field is None and not round.voting_is_open():
                return render(request, "fund/vote_closed.html", _round_context(round))
            _refused(form, refused)
        else:
            return redirect("fund:vote", slug=round.slug)
    return render(request, "fund/vote_where.html", {**_round_context(round), "form": form})


@require_GET
def vote_saved(request: HttpRequest, slug: str) -> HttpResponse:
    """The ballot code, read from the voter's own cookie, and what their ballot says."""
    user = _member(request, "fund.vote")
    if user is None:
        return redirect_to_login(reverse("fund:vote", args=[slug]))
    round = selectors.round_public(slug=slug, actor=user)
    code = _code_from_cookie(request, round, user)
    ballot = actions.ballot_for_code(actor=user, round=round, code=code) if code else None
    if ballot is None:
        return redirect("fund:vote", slug=round.slug)
    entry = selectors.roll_entry(actor=user, round=round)
    paper = {p.code: p for p in selectors.ballot_paper(round, entry.area if entry else None)}
    chosen = [(paper[code], points) for code, points in ballot.choices.items() if code in paper]
    return render(
        request,
        "fund/vote_saved.html",
        {**_round_context(round), "code": secrecy.grouped(code), "chosen": chosen},
    )


# --- Results --------------------------------------------------------------------------------------------------------


def _published(request: HttpRequest, slug: str) -> tuple[Round, RoundResult]:
    round = selectors.round_public(slug=slug, actor=_viewer(request))
    result = selectors.result_of(round)
    if result is None:
        raise Http404
    return round, result


@require_GET
def results(request: HttpRequest, slug: str) -> HttpResponse:
    round, result = _published(request, slug)
    projects = selectors.all_proposals(round)
    view = presentation.results_view(round, result, projects)
    turnout = selectors.turnout(round)
    turnout_chart = presentation.bar_chart(
        id="turnout-chart",
        title="Ballots in each area",
        description="Bar chart of the number of ballots from each area. The table below gives the same numbers.",
        rows=[
            (name, count, f"{count:,} ballot{'s' if count != 1 else ''}", True)
            for name, count in turnout.ballots_by_area
        ],
    )
    return render(
        request,
        "fund/results.html",
        {
            **_round_context(round),
            "view": view,
            "result": result,
            "turnout": turnout,
            "turnout_chart": turnout_chart,
            "changes": selectors.changes_of(round, after_voting_opened=True),
            "funded_updates": selectors.funded_with_updates(round),
            "is_cumulative": round.is_cumulative,
        },
    )


@require_GET
def results_check(request: HttpRequest, slug: str) -> HttpResponse:
    """Count again from the stored ballots and compare with the published result."""
    round, result = _published(request, slug)
    comparison = counting.recount_and_compare(result)
    return render(
        request,
        "fund/results_check.html",
        {**_round_context(round), "result": result, "comparison": comparison},
    )


@require_GET
def results_pb(request: HttpRequest, slug: str) -> HttpResponse:
    """The round's projects and ballots as a Pabulib file, so anyone can count them again."""
    round, result = _published(request, slug)
    data = counting.count_input(round)
    closed = round.voting_closed_at or result.published_at
    meta = {
        "description": round.name,
        "country": "United Kingdom",
        "unit": settings.AREA_NAME,
        "instance": str(timezone.localtime(closed).year),
        "num_projects": str(len(data.election.projects)),
        "num_votes": str(len(data.election.ballots)),
        "budget": str(round.budget),
        "vote_type": round.vote_type,
        "rule": round.rule,
        "date_begin": timezone.localtime(round.voting_opened_at or round.created_at).strftime("%d.%m.%Y"),
        "date_end": timezone.localtime(closed).strftime("%d.%m.%Y"),
        "language": "en",
        "currency": round.currency,
        actions.LOT_META_KEY: ",".join(data.election.lot),
    }
    if round.is_cumulative:
        meta["max_sum_points"] = str(round.points_per_voter)
    text = write_pb(data.election, meta, selected=result.allocation.get("selected", []))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{round.slug}.pb"'
    return response


# --- Staff pages ----------------------------------------------------------------------------------------------------


@require_GET
def staff_rounds(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "fund.manage_rounds", "fund.review_proposals")
    return render(
        request,
        "fund/staff/rounds.html",
        {"rounds": selectors.rounds_for_staff(actor=user), "can_manage": user.has_perm("fund.manage_rounds")},
    )


def _last_areas() -> str:
    latest = selectors.latest_round_set_up_here()
    return secrecy.format_areas(actions.round_areas(latest)) if latest else ""


@require_http_methods(["GET", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request, "fund.manage_rounds")
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                round = actions.round_create(
                    actor=user, settings=form.settings(), areas=form.cleaned_data["areas"], request=request
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, f"{round.name} is set up. Only the fund team can see it for now.")
                return redirect("fund:round_manage", slug=round.slug)
    else:
        form = RoundForm(initial={"areas": _last_areas(), "vote_type": "approval", "rule": Rule.EQUAL_SHARES_ADD1})
    return render(request, "fund/staff/round_form.html", {"form": form, "round": None})


@require_GET
def round_manage(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff(request, "fund.manage_rounds", "fund.review_proposals")
    round = selectors.round_for_staff(
        actor=user,
        slug=slug,
        perm="fund.manage_rounds" if user.has_perm("fund.manage_rounds") else "fund.review_proposals",
    )
    upcoming = actions.next_phase(round)
    return render(
        request,
        "fund/staff/round.html",
        {
            **_round_context(round),
            "areas": selectors.areas_of(round),
            "next_phase": Phase(upcoming).label if upcoming else "",
            "problems": actions.opening_problems(round) if upcoming == Phase.VOTING else [],
            "changes": selectors.changes_of(round),
            "counts": selectors.proposal_counts(round),
            "turnout": selectors.turnout(round) if round.reached(Phase.VOTING) else None,
            "can_manage": user.has_perm("fund.manage_rounds"),
            "has_result": selectors.result_of(round) is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def round_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff(request, "fund.manage_rounds")
    round = selectors.round_for_staff(actor=user, slug=slug)
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid():
            try:
                changed = actions.round_update(
                    actor=user, round=round, settings=form.settings(), areas=form.cleaned_data["areas"], request=request
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The round's settings are saved." if changed else "Nothing was changed.")
                return redirect("fund:round_manage", slug=round.slug)
    else:
        form = RoundForm(initial=RoundForm.initial_for(round))
    return render(request, "fund/staff/round_form.html", {"form": form, "round": round})


@require_http_methods(["GET", "POST"])
def round_phase(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff(request, "fund.manage_rounds")
    round = selectors.round_for_staff(actor=user, slug=slug)
    upcoming = actions.next_phase(round)
    error = ""
    if request.method == "POST":
        try:
            round = actions.round_advance(
                actor=user, round=round, to_phase=request.POST.get("to_phase", ""), request=request
            )
        except ActionRefused as refused:
            error = refused.message
        else:
            messages.success(request, f"{round.name} is now at “{round.get_phase_display()}”.")
            return redirect("fund:round_manage", slug=round.slug)
    return render(
        request,
        "fund/staff/round_phase.html",
        {
            **_round_context(round),
            "next_phase": upcoming,
            "next_label": Phase(upcoming).label if upcoming else "",
            "problems": actions.opening_problems(round) if upcoming == Phase.VOTING else [],
            "error": error,
            "early": bool(
                upcoming == Phase.COUNTING and round.voting_closes_at and timezone.now() < round.voting_closes_at
            ),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def round_count(request: HttpRequest, slug: str) -> HttpResponse:
    """Preview the count; publishing stores it and moves the round to its results."""
    user = _staff(request, "fund.manage_rounds")
    round = selectors.round_for_staff(actor=user, slug=slug)
    if round.phase != Phase.COUNTING:
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            actions.result_publish(actor=user, round=round, request=request)
        except ActionRefused as refused:
            error = refused.message
        else:
            messages.success(request, "The results are published.")
            return redirect("fund:results", slug=round.slug)
    tally = counting.count(round)
    by_code = {p.code: p for p in selectors.all_proposals(round)}
    funded = [by_code[code] for code in tally.allocation["selected"] if code in by_code]
    compared = [by_code[code] for code in tally.comparison["selected"] if code in by_code]
    return render(
        request,
        "fund/staff/round_count.html",
        {
            **_round_context(round),
            "tally": tally,
            "funded": funded,
            "compared": compared,
            "compared_name": presentation.RULE_NAMES.get(tally.comparison["rule"], ""),
            "error": error,
        },
    )


@require_GET
def review_list(request: HttpRequest, slug: str) -> HttpResponse:
    user = _staff(request, "fund.review_proposals")
    round = selectors.round_for_staff(actor=user, slug=slug, perm="fund.review_proposals")
    return render(
        request,
        "fund/staff/review_list.html",
        {
            **_round_context(round),
            "proposals": selectors.proposals_for_review(actor=user, round=round),
            "ideas": selectors.ideas_public(round),
        },
    )


@require_http_methods(["GET", "POST"])
def review_proposal(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    user = _staff(request, "fund.review_proposals")
    round = selectors.round_for_staff(actor=user, slug=slug, perm="fund.review_proposals")
    project = selectors.proposal_for_review(actor=user, round=round, number=number)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            eligible = form.cleaned_data["decision"] == "eligible"
            try:
                actions.proposal_review(
                    actor=user, proposal=project, eligible=eligible, reason=form.cleaned_data["reason"], request=request
                )
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                verdict = "eligible" if eligible else "not eligible"
                messages.success(request, f"Proposal {project.number}, {project.title}, is marked {verdict}.")
                return redirect("fund:review_list", slug=round.slug)
    else:
        initial = {}
        if project.status != ProposalStatus.SUBMITTED:
            initial = {"decision": project.status, "reason": project.review_reason}
        form = ReviewForm(initial=initial)
    return render(
        request, "fund/staff/review_proposal.html", {**_round_context(round), "project": project, "form": form}
    )


@require_http_methods(["GET", "POST"])
def idea_hide(request: HttpRequest, slug: str, idea_id: int) -> HttpResponse:
    user = _staff(request, "fund.review_proposals")
    round = selectors.round_for_staff(actor=user, slug=slug, perm="fund.review_proposals")
    idea = selectors.idea_for_review(actor=user, round=round, idea_id=idea_id)
    if request.method == "POST":
        form = HideIdeaForm(request.POST)
        if form.is_valid():
            try:
                actions.idea_hide(actor=user, idea=idea, reason=form.cleaned_data["reason"], request=request)
            except ActionRefused as refused:
                _refused(form, refused)
            else:
                messages.success(request, "The idea is hidden. The reason is shown in its place.")
                return redirect("fund:review_list", slug=round.slug)
    else:
        form = HideIdeaForm()
    return render(request, "fund/staff/idea_hide.html", {**_round_context(round), "idea": idea, "form": form})


@require_http_methods(["GET", "POST"])
def round_import(request: HttpRequest) -> HttpResponse:
    """Make a round from a Pabulib file. All or nothing, with the lines at fault."""
    user = _staff(request, "fund.manage_rounds")
    errors: list[str] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > actions.IMPORT_LIMIT_BYTES:
                errors = [f"The file is larger than {actions.IMPORT_LIMIT_BYTES // (1024 * 1024)} MB."]
            else:
                try:
                    round = actions.round_import_pb(
                        actor=user, content=upload.read(), filename=upload.name or "", request=request
                    )
                except actions.ImportRefused as refused:
                    errors = refused.errors
                else:
                    messages.success(
                        request,
                        f"{round.name} is made, with its voting closed. Check it, then count the votes to publish it.",
                    )
                    return redirect("fund:round_manage", slug=round.slug)
    else:
        form = ImportForm()
    return render(
        request, "fund/staff/round_import.html", {"form": form, "errors": errors}, status=400 if errors else 200
    )
