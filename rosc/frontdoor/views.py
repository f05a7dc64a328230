"""The front door: a few plain-English questions, then a personal pathway.

No account is needed. Answers live in the server-side session while someone
answers (never in addresses), and a pathway is kept under an unguessable link
only once it is shown. Every page works without JavaScript.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user
from rosc.core.view_helpers import form_data as _posted
from rosc.frontdoor import actions, selectors, throttle
from rosc.frontdoor import answers as choices
from rosc.frontdoor.answers import Answers
from rosc.frontdoor.forms import (
    QUESTION_BY_SLUG,
    QUESTIONS,
    AboutYouForm,
    ChooseServicesForm,
    ContactForm,
    Question,
    SendLinkForm,
    SendRequestForm,
    WhereForm,
    applies,
    flow,
)
from rosc.frontdoor.models import Pathway, new_token, pathway_days, token_hash

SESSION_KEY = "frontdoor"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


# --- The session ---------------------------------------------------------------------------------------------


def _state(request: HttpRequest) -> dict[str, Any]:
    state = request.session.get(SESSION_KEY)
    return state if isinstance(state, dict) else {}


def session_answers(request: HttpRequest) -> Answers:
    return Answers.from_dict(_state(request).get("answers"))


def _seen(request: HttpRequest) -> list[str]:
    seen = _state(request).get("seen")
    return [slug for slug in seen if isinstance(slug, str)] if isinstance(seen, list) else []


def _save_answers(request: HttpRequest, updates: dict[str, Any], slug: str) -> Answers:
    state = _state(request)
    merged = Answers.from_dict({**session_answers(request).to_dict(), **updates})
    seen = _seen(request)
    if slug not in seen:
        seen.append(slug)
    state.update({"answers": merged.to_dict(), "seen": seen})
    request.session[SESSION_KEY] = state
    return merged


def _question_url(question: type[Question], *, changing: bool = False) -> str:
    url = reverse("frontdoor:question", args=[question.slug])
    return url + "?change=1" if changing else url


def _next_url(question: type[Question], answers: Answers, *, changing: bool, seen: list[str]) -> str:
    later = QUESTIONS[QUESTIONS.index(question) + 1 :]
    following = next((q for q in later if applies(q, answers)), None)
    if changing:
        # After a change, back to the check page, unless the change opened a question not seen yet.
        if following is not None and following.slug not in seen:
            return _question_url(following, changing=True)
        return reverse("frontdoor:check")
    return _question_url(following) if following is not None else reverse("frontdoor:check")


def _back_url(question: type[Question], answers: Answers, *, changing: bool) -> str:
    if changing:
        return reverse("frontdoor:check")
    questions = flow(answers)
    index = questions.index(question) if question in questions else 0
    return _question_url(questions[index - 1]) if index > 0 else reverse("frontdoor:start")


# --- Pages ---------------------------------------------------------------------------------------------------


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "frontdoor/start.html",
        {"first": _question_url(QUESTIONS[0]), "days": pathway_days(), "has_answers": bool(_seen(request))},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    form_class = QUESTION_BY_SLUG.get(slug)
    if form_class is None:
        raise Http404("No such question")
    answers = session_answers(request)
    changing = request.GET.get("change") == "1"
    if not applies(form_class, answers):
        return redirect(_next_url(form_class, answers, changing=changing, seen=_seen(request)))
    form = form_class(answers=answers)
    if request.method == "POST":
        if "skip" in request.POST:
            updates = form_class.skipped()
        else:
            form = form_class(request.POST, answers=answers)
            if not form.is_valid():
                return _question_page(request, form, answers, changing=changing)
            updates = form.answers_from()
        answers = _save_answers(request, updates, slug)
        if form_class.slug == "danger" and answers.in_danger:
            url = reverse("frontdoor:help_now")
            return redirect(url + "?change=1" if changing else url)
        return redirect(_next_url(form_class, answers, changing=changing, seen=_seen(request)))
    return _question_page(request, form, answers, changing=changing)


def _question_page(request: HttpRequest, form: Question, answers: Answers, *, changing: bool) -> HttpResponse:
    questions = flow(answers)
    number = questions.index(type(form)) + 1 if type(form) in questions else 1
    main = next(iter(form.fields))
    return render(
        request,
        "frontdoor/question.html",
        {
            "form": form,
            "main": form[main],
            "others": [form[name] for name in form.fields if name != main],
            "heading": form.heading(),
            "hints": form.choice_hints.get(main, {}),
            "exclusive": form.exclusive.get(main, ""),
            "is_choice": form[main].widget_type in ("radioselect", "checkboxselectmultiple"),
            "back_url": _back_url(type(form), answers, changing=changing),
            "number": number,
            "total": len(questions),
            "in_danger": answers.in_danger,
            "changing": changing,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def help_now(request: HttpRequest) -> HttpResponse:
    """Crisis routes, shown straight after someone says a person is in danger. The journey goes on
    from here; a place (optional) brings up local crisis services."""
    answers = session_answers(request)
    changing = request.GET.get("change") == "1"
    form = WhereForm(_posted(request), answers=answers)
    if request.method == "POST" and form.is_valid():
        _save_answers(request, form.answers_from(), WhereForm.slug)
        return redirect(request.get_full_path() + "#local-help")
    # Opened without a danger answer (from the start page, say): every route and all local crisis help.
    looking = answers if answers.in_danger else replace(answers, danger=tuple(choices.DANGERS))
    return render(
        request,
        "frontdoor/help_now.html",
        {
            "answers": answers,
            "crisis": selectors.crisis_for(looking),
            "form": form,
            "continue_url": _help_now_next(answers, changing=changing),
            "back_url": _help_now_back(answers, changing=changing),
        },
    )


def _help_now_next(answers: Answers, *, changing: bool) -> str:
    """After the crisis routes: the question after the danger question (or the first, if it was never answered)."""
    if changing:
        return reverse("frontdoor:check")
    return _question_url(QUESTIONS[1] if answers.in_danger else QUESTIONS[0])


def _help_now_back(answers: Answers, *, changing: bool) -> str:
    if changing:
        return reverse("frontdoor:check")
    return _question_url(QUESTIONS[0]) if answers.in_danger else reverse("frontdoor:start")


def _summary_rows(answers: Answers) -> list[dict[str, str]]:
    """The check page's rows: each question, its answer in words, and where to change it."""
    rows = []
    for question in flow(answers):
        rows.append(
            {
                "key": _summary_key(question),
                "value": _summary_value(question, answers),
                "href": _question_url(question, changing=True),
            }
        )
    return rows


def _summary_key(question: type[Question]) -> str:
    keys = {
        "danger": "Anyone in danger now",
        "who": "Who needs help",
        "relationship": "How you know them",
        "age": "Age",
        "substances": "Drink or drugs",
        "how-soon": "How soon",
        "what-else": "Anything else going on",
        "where": "Where to look",
        "how": "How to get support",
        "who-to-talk-to": "Who to talk to",
    }
    return keys[question.slug]


def _summary_value(question: type[Question], answers: Answers) -> str:
    slug = question.slug
    missing = "Not answered"
    if slug == "danger":
        return "\n".join(choices.choice_labels(answers.danger, choices.DANGERS)) or "No, or not answered"
    if slug == "who":
        return choices.WHO.get(answers.who, missing)
    if slug == "relationship":
        return choices.RELATIONSHIPS.get(answers.relationship, missing)
    if slug == "age":
        return choices.AGES.get(answers.age, missing)
    if slug == "substances":
        return "\n".join(choices.choice_labels(answers.substances, choices.SUBSTANCES)) or missing
    if slug == "how-soon":
        return choices.URGENCY.get(answers.urgency, missing)
    if slug == "what-else":
        labels = choices.choice_labels(answers.other_needs, choices.OTHER_NEEDS)
        return "\n".join(labels) or "Nothing else, or not answered"
    if slug == "where":
        parts = [answers.place] if answers.place else []
        if answers.online_ok:
            parts.append("Online or by phone is fine")
        return "\n".join(parts) or missing
    if slug == "how":
        parts = choices.choice_labels(answers.modes, choices.MODES)
        if answers.evenings_weekends:
            parts.append("Evenings or weekends suit best")
        return "\n".join(parts) or "No preference"
    parts = []
    if answers.worker_gender:
        parts.append(f"{choices.GENDERS[answers.worker_gender]} worker")
    if answers.language:
        parts.append(f"In {choices.LANGUAGES[answers.language]}" if answers.language != "other" else "Another language")
    if answers.lived_experience:
        parts.append("Someone with lived experience")
    return "\n".join(parts) or "No preference"


@never_cache
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    answers = session_answers(request)
    if request.method == "POST":
        if not throttle.allow(request, "pathway"):
            return _limited(request)
        _pathway, token = actions.pathway_keep(answers=answers)
        state = _state(request)
        state["pathway"] = token
        request.session[SESSION_KEY] = state
        return redirect("frontdoor:pathway", token=token)
    questions = flow(answers)
    return render(
        request,
        "frontdoor/check.html",
        {
            "answers": answers,
            "rows": _summary_rows(answers),
            "back_url": _question_url(questions[-1]),
        },
    )


@never_cache
@require_POST
def start_again(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("frontdoor:start")


def _limited(request: HttpRequest) -> HttpResponse:
    return render(request, "frontdoor/limited.html", status=429)


# --- A kept pathway ------------------------------------------------------------------------------------------


def _kept(token: str) -> Pathway | None:
    return selectors.pathway_by_token(token) if _TOKEN.match(token or "") else None


def _gone(request: HttpRequest) -> HttpResponse:
    return render(request, "frontdoor/gone.html", {"days": pathway_days()}, status=404)


@never_cache
@require_GET
def pathway(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    answers = Answers.from_dict(kept.answers)
    plan = selectors.pathway_for(answers)
    in_session = _state(request).get("pathway") == token
    return render(
        request,
        "frontdoor/pathway.html",
        {
            "plan": plan,
            "answers": answers,
            "kept": kept,
            "token": token,
            "link": actions.pathway_url(token),
            "can_change": in_session,
            "ask_url": reverse("frontdoor:ask_services", args=[token]) if selectors.askable(plan) else "",
            "summary": _summary_rows(answers),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def send_link(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    form = SendLinkForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        if not throttle.allow(request, "link"):
            return _limited(request)
        channel = form.cleaned_data["channel"]
        try:
            actions.pathway_send_link(
                pathway=kept,
                token=token,
                channel=channel,
                to=form.cleaned_data["email"] if channel == "email" else form.cleaned_data["mobile"],
            )
        except ActionRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(
                request, "We have sent the link. We do not keep your email address or phone number once it has gone."
            )
            return redirect("frontdoor:pathway", token=token)
    return render(request, "frontdoor/send_link.html", {"form": form, "token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    if request.method == "POST":
        actions.pathway_end(pathway=kept)
        state = _state(request)
        if state.get("pathway") == token:
            state.pop("pathway", None)
            request.session[SESSION_KEY] = state
        return redirect("frontdoor:deleted")
    return render(request, "frontdoor/delete.html", {"token": token})


@never_cache
@require_GET
def deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "frontdoor/deleted.html")


# --- Asking for support ---------------------------------------------------------------------------------------

ASK_KEY = "frontdoor_ask"
SENT_KEY = "frontdoor_sent"


def _ask_state(request: HttpRequest, kept: Pathway) -> dict[str, Any]:
    """The request being put together for this pathway (a new one for another pathway)."""
    state = request.session.get(ASK_KEY)
    if not isinstance(state, dict) or state.get("pathway") != kept.token_hash:
        state = {"pathway": kept.token_hash}
    return state


def _save_ask(request: HttpRequest, state: dict[str, Any]) -> None:
    request.session[ASK_KEY] = state


def _ask_context(kept: Pathway) -> tuple[Answers, list[Any]]:
    answers = Answers.from_dict(kept.answers)
    return answers, selectors.askable(selectors.pathway_for(answers))


def _ask_choices(matches: list[Any]) -> tuple[list[tuple[str, str]], dict[str, str]]:
    choices_ = [(match.service.id, match.service.name) for match in matches]
    hints = {}
    for match in matches:
        where = f"{match.distance}, in {match.town}" if match.distance and match.town else match.distance
        parts = [match.service.organisation, where]
        hints[match.service.id] = ". ".join(part for part in parts if part)
    return choices_, hints


@never_cache
@require_http_methods(["GET", "POST"])
def ask_services(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    answers, matches = _ask_context(kept)
    state = _ask_state(request, kept)
    choices_, hints = _ask_choices(matches)
    initial = {"services": [sid for sid in state.get("services", []) if sid in dict(choices_)]}
    form = ChooseServicesForm(_posted(request), choices_=choices_, initial=initial)
    if request.method == "POST" and matches and form.is_valid():
        state["services"] = form.cleaned_data["services"]
        _save_ask(request, state)
        return redirect("frontdoor:ask_check" if _ask_complete(state) else "frontdoor:ask_about", token=token)
    return render(
        request,
        "frontdoor/ask_services.html",
        {"form": form, "token": token, "answers": answers, "has_choices": bool(matches), "hints": hints},
    )


def _ask_complete(state: dict[str, Any]) -> bool:
    return bool(state.get("services") and state.get("name") and state.get("contact"))


@never_cache
@require_http_methods(["GET", "POST"])
def ask_about(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    state = _ask_state(request, kept)
    if not state.get("services"):
        return redirect("frontdoor:ask_services", token=token)
    form = AboutYouForm(_posted(request), initial={"name": state.get("name", "")})
    if request.method == "POST" and form.is_valid():
        state["name"] = form.cleaned_data["name"]
        _save_ask(request, state)
        return redirect("frontdoor:ask_check" if _ask_complete(state) else "frontdoor:ask_contact", token=token)
    return render(request, "frontdoor/ask_about.html", {"form": form, "token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def ask_contact(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    state = _ask_state(request, kept)
    if not state.get("services"):
        return redirect("frontdoor:ask_services", token=token)
    if not state.get("name"):
        return redirect("frontdoor:ask_about", token=token)
    saved = actions.ContactPreferences.from_dict(state.get("contact"))
    initial = {
        "method": saved.method,
        "phone": saved.phone,
        "email": saved.email,
        "times": list(saved.times),
        "voicemail": "yes" if saved.voicemail_ok else ("no" if saved.method else ""),
        "letters": "yes" if saved.letters_ok else ("no" if saved.method else ""),
    }
    form = ContactForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contact = actions.ContactPreferences(
            method=data["method"],
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            times=tuple(data.get("times") or ()),
            voicemail_ok=data.get("voicemail") == "yes",
            letters_ok=data.get("letters") == "yes",
        )
        state["contact"] = contact.to_dict()
        _save_ask(request, state)
        return redirect("frontdoor:ask_check", token=token)
    return render(request, "frontdoor/ask_contact.html", {"form": form, "token": token})


@never_cache
@require_http_methods(["GET", "POST"])
def ask_check(request: HttpRequest, token: str) -> HttpResponse:
    kept = _kept(token)
    if kept is None:
        return _gone(request)
    state = _ask_state(request, kept)
    remembered = request.session.get(SENT_KEY)
    sent: dict[str, str] = remembered if isinstance(remembered, dict) else {}
    if request.method == "POST":
        posted = str(request.POST.get("form_token", ""))[:100]
        already = sent.get(token_hash(posted)) if posted else None
        if already:
            # The same form again (a double click, the back button, a refresh): nothing new is sent.
            messages.info(request, "You have already sent this request. Nothing new was sent.")
            return redirect("frontdoor:request_status", token=already)
    if not _ask_complete(state):
        return redirect("frontdoor:ask_services", token=token)
    answers, matches = _ask_context(kept)
    allowed = {match.service.id for match in matches}
    chosen_ids = [sid for sid in state["services"] if sid in allowed]
    services = selectors.services_for_request(chosen_ids)
    contact = actions.ContactPreferences.from_dict(state["contact"])
    if not state.get("form_token"):
        state["form_token"] = new_token()
        _save_ask(request, state)
    form = SendRequestForm(_posted(request), initial={"form_token": state["form_token"]})
    problem = ""
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["form_token"] != state["form_token"]:
            problem = "This page was out of date, so nothing was sent. Check the details and send it again."
            form = SendRequestForm(initial={"form_token": state["form_token"]})
        elif not services:
            problem = "The services you chose are not taking requests at the moment. Choose other services."
        elif not throttle.allow(request, "request"):
            return _limited(request)
        else:
            user = request.user
            account = user if isinstance(user, User) and user.is_authenticated and not is_staff_user(user) else None
            try:
                _request, status_token = actions.support_request_send(
                    form_token=state["form_token"],
                    answers=answers,
                    services=services,
                    name=state["name"],
                    contact=contact,
                    for_asker=answers.is_family,
                    account=account,
                    request=request,
                )
            except actions.RequestAlreadySent:
                messages.info(request, "You have already sent this request. Nothing new was sent.")
                return redirect("frontdoor:pathway", token=token)
            except ActionRefused as refused:
                problem = refused.message
            else:
                sent[token_hash(state["form_token"])] = status_token
                request.session[SENT_KEY] = sent
                request.session.pop(ASK_KEY, None)
                request.session["frontdoor_just_sent"] = status_token
                return redirect("frontdoor:request_status", token=status_token)
    return render(
        request,
        "frontdoor/ask_check.html",
        {
            "form": form,
            "token": token,
            "answers": answers,
            "services": services,
            "organisations": list({service.organisation_id: service.organisation for service in services}.values()),
            "name": state["name"],
            "contact": contact,
            "contact_lines": contact.lines(),
            "problem": problem,
            "consent_until": timezone.now() + timedelta(days=actions.CONSENT_DAYS),
        },
    )


@never_cache
@require_GET
def request_status(request: HttpRequest, token: str) -> HttpResponse:
    support_request = selectors.support_request_by_token(token) if _TOKEN.match(token or "") else None
    if support_request is None:
        return render(request, "frontdoor/request_gone.html", status=404)
    actor = request.user if isinstance(request.user, User) and request.user.is_authenticated else None
    referrals = selectors.request_status(support_request, actor=actor, request=request)
    just_sent = request.session.pop("frontdoor_just_sent", None) == token
    return render(
        request,
        "frontdoor/request_status.html",
        {
            "support_request": support_request,
            "referrals": referrals,
            "just_sent": just_sent,
            "link": actions.status_url(token),
        },
    )
