"""Small helpers that every area's views share.

Views import them under short private names (``_staff``, ``_posted``,
``_refused``) so that a page reads the same in every area.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from rosc.core.errors import ActionRefused
from rosc.core.models import User
from rosc.core.permissions import is_staff_user


def staff_user(request: HttpRequest, *perms: str) -> User:
    """The signed-in member of staff holding at least one of the capabilities, or 403."""
    user = request.user
    if not isinstance(user, User) or not is_staff_user(user) or not any(user.has_perm(perm) for perm in perms):
        raise PermissionDenied
    return user


def form_data(request: HttpRequest) -> Any:
    """The submitted data on a POST, even when empty (so the form says what is missing), or None for a GET."""
    return request.POST if request.method == "POST" else None


def show_refusal(form: Any, refused: ActionRefused) -> None:
    """Put an action's plain-English refusal on the form: on its field when the form has it, else at the top."""
    form.add_error(refused.field if refused.field in form.fields else None, refused.message)
