"""One response per person, without keeping who answered.

A web response stores a keyed hash (HMAC with the site's secret key) of the
survey and either the account id (when the person is signed in) or a random
token kept in their browser session (when they are not). The database's
unique constraint on (survey, key) then refuses a second response.

Limits, stated plainly: someone answering without an account can answer again
from another browser, a private window, or after closing the browser or
clearing cookies. A researcher who needs a firmer limit asks people to sign
in. Changing the secret key changes every key, so people could then answer
an open survey again.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from rosc.research.models import Survey

SESSION_TOKEN = "rosc_research_token"
_SALT = "rosc.research.respondent"


def key_for_account(survey: Survey, user: Any) -> str:
    return salted_hmac(_SALT, f"{survey.uuid}:account:{user.pk}", algorithm="sha256").hexdigest()


def key_for_token(survey: Survey, token: str) -> str:
    return salted_hmac(_SALT, f"{survey.uuid}:browser:{token}", algorithm="sha256").hexdigest()


def existing_key(request: HttpRequest, survey: Survey) -> str:
    """This visitor's key for the survey, or "" if they have none yet."""
    if request.user.is_authenticated:
        return key_for_account(survey, request.user)
    token = request.session.get(SESSION_TOKEN)
    return key_for_token(survey, token) if isinstance(token, str) and token else ""


def key_for_request(request: HttpRequest, survey: Survey) -> str:
    """This visitor's key, giving a visitor without an account a session token first."""
    if request.user.is_authenticated:
        return key_for_account(survey, request.user)
    token = request.session.get(SESSION_TOKEN)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(24)
        request.session[SESSION_TOKEN] = token
    return key_for_token(survey, token)
